"""Fuzz: hypothesis over Open311 POST/GET, the H5 report form and lookup, and the API's
report body and case filters. The one property: no input gets a 5xx."""

import json

import pytest
from hypothesis import given, settings

from zongzhi.api.models import ApiToken
from zongzhi.api.tests.test_open311_requests import form
from zongzhi.api.tests.test_public import REPORTS, report
from zongzhi.intake.tests.test_bad_input import REPORT, report_form
from zongzhi.testing.fuzz import FUZZ_SETTINGS, json_text_values, overrides, text_values

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]
OPEN311_FIELDS = [
    "service_code", "description", "address_string", "address_id", "lat", "long",
    "first_name", "last_name", "phone", "email", "device_id", "account_id", "media_url",
    "attribute[phone]", "attribute[township]", "attribute[contact_name]", "jurisdiction_id",
]  # fmt: skip
OPEN311_QUERY = [
    "service_request_id", "service_code", "status", "start_date", "end_date", "page",
    "page_size", "jurisdiction_id", "api_key",
]  # fmt: skip
REPORT_FIELDS = [
    "dispute_type", "description", "place", "county", "township", "village", "location_text",
    "latitude", "longitude", "contact_name", "contact_phone", "client_token", "refresh_place",
]  # fmt: skip
API_REPORT_FIELDS = [
    "dispute_type", "place", "description", "contact_phone", "contact_name", "title",
    "location_text", "latitude", "longitude", "people_count",
]  # fmt: skip
CASE_FILTERS = [
    "q", "status", "colour", "dispute_type", "risk", "source", "place", "created_from",
    "created_to", "overdue", "mine", "page", "page_size",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.PUBLIC_RATE_LIMITS = False


def assert_no_5xx(response):
    assert response.status_code < 500, response.content[:300]


@pytest.fixture
def staff_client(world, client):
    _, raw = ApiToken.issue(world.county_leader, "fuzz")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_open311_post(world, client, open311_key):
    @FUZZ_SETTINGS
    @given(changes=overrides(OPEN311_FIELDS))
    def run(changes):
        data = {**form(world, open311_key), **changes}
        assert_no_5xx(client.post("/open311/v2/requests.json", data))

    run()


def test_open311_get(world, client):
    @FUZZ_SETTINGS
    @given(query=overrides(OPEN311_QUERY))
    def run(query):
        assert_no_5xx(client.get("/open311/v2/requests.json", query))
        assert_no_5xx(client.get("/open311/v2/requests/x.xml", query))

    run()


def test_h5_report_form_and_place_link(world, client):
    # The page renders the place picker each time: slower, so fewer examples.
    @settings(FUZZ_SETTINGS, max_examples=20)
    @given(changes=overrides(REPORT_FIELDS), place=text_values)
    def run(changes, place):
        assert_no_5xx(client.get(REPORT, {"place": place}))
        assert_no_5xx(client.post(REPORT, {**report_form(world), **changes}))

    run()


def test_h5_lookup(world, client):
    @FUZZ_SETTINGS
    @given(code=text_values, digits=text_values)
    def run(code, digits):
        assert_no_5xx(client.get("/intake/m/lookup/", {"code": code}))
        assert_no_5xx(client.post("/intake/m/lookup/", {"code": code, "phone_last4": digits}))

    run()


def test_api_public_report_body(world, client):
    @FUZZ_SETTINGS
    @given(
        as_json=overrides(API_REPORT_FIELDS, json_text_values),
        as_form=overrides(API_REPORT_FIELDS),
    )
    def run(as_json, as_form):
        body = json.dumps({**report(world), **as_json})
        assert_no_5xx(client.post(REPORTS, body, content_type="application/json"))
        assert_no_5xx(client.post(REPORTS, {**report(world), **as_form}))

    run()


def test_api_case_filters_and_queue(world, staff_client):
    @FUZZ_SETTINGS
    @given(query=overrides(CASE_FILTERS))
    def run(query):
        assert_no_5xx(staff_client.get("/api/v1/cases", query))
        assert_no_5xx(staff_client.get("/api/v1/public/places", {"parent": query.get("q", "")}))

    run()
