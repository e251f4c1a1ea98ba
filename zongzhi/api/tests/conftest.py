"""Helpers for the API tests: clients that carry a staff token or an Open311 key."""

import io

import pytest
from django.test import Client
from PIL import Image

from zongzhi.api.models import ApiToken, Open311Client
from zongzhi.cases.choices import Source
from zongzhi.intake import services as intake


@pytest.fixture
def token_client():
    """token_client(user) → a test client sending that user's Bearer token."""

    def make(user) -> Client:
        _, raw = ApiToken.issue(user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def open311_key(db):
    _, raw = Open311Client.issue("市民热线App", "zongzhi.local")
    return raw


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def citizen_case(world, *, source=Source.CITIZEN, phone="13987654321", place=None):
    """A case a citizen filed (so Open311 and the public lookups can see it)."""
    report = intake.CitizenReport(
        dispute_type=world.dispute_type,
        description="隔壁装修每天晚上十点后还在施工，多次沟通无果。",
        place=place or world.east.village,
        contact_name="王芳",
        contact_phone=phone,
        location_text="玉兴路8号",
    )
    return intake.submit_report(report, channel="test", source=source).case
