"""Open311: a date-only end_date includes its day; a POST without a township finds the
nearest place with one bounded query."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zongzhi.api.open311.formats import SHANGHAI
from zongzhi.api.tests.conftest import citizen_case
from zongzhi.api.tests.test_open311_requests import form, numbers_json, post
from zongzhi.cases.models import Case
from zongzhi.places.models import Level
from zongzhi.testing.factories import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def afternoon_case(world):
    case = citizen_case(world)
    at = datetime(2026, 3, 10, 15, 0, tzinfo=SHANGHAI)
    Case.objects.filter(pk=case.pk).update(created_at=at)
    return case


def test_date_only_end_date_includes_its_day(world, client, afternoon_case):
    found = numbers_json(client, start_date="2026-03-01", end_date="2026-03-10")
    assert found == [afternoon_case.number]


def test_end_date_with_a_time_is_taken_as_given(world, client, afternoon_case):
    assert numbers_json(client, start_date="2026-03-01", end_date="2026-03-10T14:59:59+08:00") == []
    found = numbers_json(client, start_date="2026-03-01", end_date="2026-03-10T07:00:00Z")
    assert found == [afternoon_case.number]


def test_day_before_does_not_include_the_case(world, client, afternoon_case):
    assert numbers_json(client, start_date="2026-03-01", end_date="2026-03-09") == []


def test_nearest_township_is_one_bounded_query(world, client, open311_key):
    for n in range(30):
        PlaceFactory(
            code=f"530402002{n:03d}", name=f"远村{n}", level=Level.VILLAGE,
            parent=world.west.place, latitude=30 + n / 10, longitude=110,
        )  # fmt: skip
    world.east.place.latitude, world.east.place.longitude = 24.40, 102.60
    world.east.place.save()
    data = form(
        world, open311_key, **{"attribute[township]": None, "lat": "24.401", "long": "102.601"}
    )
    with CaptureQueriesContext(connection) as captured:
        response = post(client, data)
    assert response.status_code == 200, response.content
    assert Case.objects.get().place == world.east.place
    place_reads = [
        q["sql"] for q in captured.captured_queries
        if 'FROM "places_place"' in q["sql"] and '"latitude" IS NOT NULL' in q["sql"]
    ]  # fmt: skip
    assert len(place_reads) == 1
    assert "LIMIT 1" in place_reads[0]
