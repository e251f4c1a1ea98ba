"""Idempotency keys belong to their submitter: another submitter's key never answers with,
nor blocks, the first submitter's case (citizens, Open311 clients, staff API accounts)."""

import pytest
from django.db import IntegrityError, transaction

from zongzhi.api.models import Open311Client
from zongzhi.api.tests.test_open311_requests import form
from zongzhi.api.tests.test_open311_requests import post as open311_post
from zongzhi.api.tests.test_public import REPORTS, report
from zongzhi.api.tests.test_staff_cases import new_case_payload
from zongzhi.cases.models import Case
from zongzhi.intake import services as intake
from zongzhi.intake.models import SubmissionReceipt
from zongzhi.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_key_used_by_two_citizens_files_two_cases(world, client):
    """A key is random per form, but a shared or guessed one must not hand out a case."""
    mine = report(world, contact_phone="13911110000", description="楼上漏水")
    theirs = report(world, contact_phone="13922220000", description="邻居占道")
    first = client.post(REPORTS, mine, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    second = client.post(
        REPORTS, theirs, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert first.status_code == 201 and second.status_code == 201, second.content
    assert second.json()["query_code"] != first.json()["query_code"]
    # Each retry still finds its own first answer.
    again = client.post(REPORTS, mine, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 200 and again.json() == {**first.json(), "created": False}
    assert Case.objects.count() == 2


def test_the_h5_page_scopes_its_client_token_to_the_citizen(world, client):
    def submit(phone, text):
        data = {
            "dispute_type": world.dispute_type.pk,
            "description": text,
            "place": world.east.village.code,
            "contact_name": "王女士",
            "contact_phone": phone,
            "client_token": "same-token",
        }
        return client.post("/intake/m/report/", data)

    first = submit("139 1111 0000", "楼上漏水")
    second = submit("13922220000", "邻居占道")
    assert first.status_code == 200 and second.status_code == 200
    assert first.context["created"] and second.context["created"]
    assert first.context["case"] != second.context["case"]
    retry = submit("+86 13911110000", "楼上漏水")  # the same citizen, written otherwise
    assert retry.context["case"] == first.context["case"] and not retry.context["created"]


def test_open311_clients_and_staff_accounts_have_their_own_keys(
    world, client, open311_key, token_client
):
    _, other_key = Open311Client.issue("另一个App", "zongzhi.local")
    a = open311_post(client, form(world, open311_key), HTTP_IDEMPOTENCY_KEY="shared")
    b = open311_post(
        client, form(world, other_key, description="别的事情"), HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert a.status_code == 200 and b.status_code == 200, b.content
    assert a.json()[0]["service_request_id"] != b.json()[0]["service_request_id"]

    second_clerk = UserFactory(role="window_clerk", place=world.east.place)
    created = []
    for user in (world.east.clerk, second_clerk):
        response = token_client(user).post(
            "/api/v1/cases",
            new_case_payload(world),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="shared",
        )
        assert response.status_code == 201, response.content
        created.append(response.json()["id"])
    assert created[0] != created[1]
    submitters = set(SubmissionReceipt.objects.values_list("channel", "submitter"))
    assert len(submitters) == 4


def test_the_database_keeps_one_receipt_per_submitter_and_key(world):
    case = intake.submit_report(
        intake.CitizenReport(
            dispute_type=world.dispute_type,
            description="楼上漏水",
            place=world.east.village,
            contact_name="王芳",
            contact_phone="13911110000",
        ),
        channel="api",
        idempotency_key="k",
    ).case
    SubmissionReceipt.objects.create(
        channel="api", submitter="phone:someone-else", key="k", request_hash="x", case=case
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionReceipt.objects.create(
            channel="api",
            submitter=intake.citizen_submitter("13911110000"),
            key="k",
            request_hash="y",
            case=case,
        )


def test_existing_receipts_get_their_submitter(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("zongzhi.intake.migrations.0003_fill_receipt_submitter")
    case = Case.objects.get(
        pk=intake.submit_report(
            intake.CitizenReport(
                dispute_type=world.dispute_type,
                description="楼上漏水",
                place=world.east.village,
                contact_name="王芳",
                contact_phone="13911110000",
            ),
            channel="h5",
        ).case.pk
    )
    old = [("open311:7", "a"), ("api-staff:3", "b"), ("h5", "c")]
    for channel, key in old:
        SubmissionReceipt.objects.create(
            channel=channel, submitter="", key=key, request_hash="x", case=case
        )
    migration.scope_receipts(apps, None)
    rows = set(SubmissionReceipt.objects.values_list("channel", "submitter", "key"))
    assert rows == {
        ("open311", "open311-client:7", "a"),
        ("api-staff", "user:3", "b"),
        ("h5", intake.citizen_submitter("13911110000"), "c"),
    }
