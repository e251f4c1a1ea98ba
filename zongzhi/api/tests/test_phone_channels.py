"""One phone rule for every channel: the same person is one phone in storage, hashes and limits."""

import pytest
from django.urls import reverse

from zongzhi.api.tests.test_open311_requests import form as open311_form
from zongzhi.api.tests.test_public import assert_error, post_json, report
from zongzhi.api.tests.test_staff_cases import new_case_payload
from zongzhi.cases.models import Case, Party
from zongzhi.intake import limits
from zongzhi.intake.ratelimit import Rate
from zongzhi.privacy.crypto import keyed_hash

pytestmark = pytest.mark.django_db


def h5_form(world, phone, token):
    return {
        "dispute_type": world.dispute_type.pk,
        "description": "隔壁装修每天晚上十点后还在施工。",
        "place": world.east.village.code,
        "contact_phone": phone,
        "client_token": token,
    }


def test_every_channel_stores_the_same_form(world, client, open311_key, token_client):
    client.post(reverse("intake:report"), h5_form(world, "+86 139-8765-4321", "t1"))
    post_json(client, report(world, contact_phone="0086 139 8765 4321", description="第二件"))
    client.post("/open311/v2/requests.json", open311_form(world, open311_key, **{
        "attribute[phone]": "139 8765 4321", "description": "第三件", "device_id": "d3",
    }))  # fmt: skip
    staff = new_case_payload(world)
    staff["parties"][0]["phone"] = "+8613987654321"
    response = token_client(world.east.clerk).post(
        "/api/v1/cases", staff, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Case.objects.count() == 4
    phones = {party.phone for party in Party.objects.all()}
    assert phones == {"13987654321"}
    assert set(Party.objects.values_list("phone_hash", flat=True)) == {keyed_hash("13987654321")}


def test_landline_is_stored_with_its_area_code(world, client):
    response = post_json(client, report(world, contact_phone="+86 877 201 2345"))
    assert response.status_code == 201, response.content
    assert Party.objects.get().phone == "0877-2012345"


@pytest.mark.parametrize("phone", ["12345", "1391234", "+1 650 253 0000"])
def test_a_bad_phone_is_refused_by_the_public_api(world, client, phone):
    assert_error(post_json(client, report(world, contact_phone=phone)), 422, "invalid_input")
    assert not Case.objects.exists()


def test_a_bad_phone_is_refused_by_open311(world, client, open311_key):
    response = client.post(
        "/open311/v2/requests.json",
        open311_form(world, open311_key, **{"attribute[phone]": "12345"}),
    )
    assert response.status_code == 400
    assert "请输入正确的联系电话" in response.json()[0]["description"]
    assert not Case.objects.exists()


def test_phone_limit_counts_one_person_across_channels_and_spellings(
    world, client, open311_key, monkeypatch
):
    monkeypatch.setattr(limits, "REPORT_PER_PHONE", Rate(2, 86400, local_day=True))
    assert (
        client.post(
            reverse("intake:report"), h5_form(world, "139 8765 4321", "t1"), REMOTE_ADDR="10.0.0.1"
        ).status_code
        == 200
    )
    second = report(world, contact_phone="0086-139-8765-4321", description="第二件")
    assert post_json(client, second, REMOTE_ADDR="10.0.0.2").status_code == 201
    third = open311_form(world, open311_key, **{
        "attribute[phone]": "+86 13987654321", "description": "第三件", "device_id": "d3",
    })  # fmt: skip
    response = client.post("/open311/v2/requests.json", third, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429
    assert Case.objects.count() == 2
