"""Open311 GET services and GET service definition, JSON and XML, with their errors."""

import pytest
from defusedxml import ElementTree

from zongzhi.cases.models import DisputeType

pytestmark = pytest.mark.django_db
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


def test_service_list_json(world, client):
    response = client.get("/open311/v2/services.json", {"jurisdiction_id": "zongzhi.local"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = response.json()
    assert isinstance(services, list)
    by_code = {s["service_code"]: s for s in services}
    entry = by_code["neighbourhood"]
    assert list(entry) == SERVICE_FIELDS
    assert entry["service_name"] == "邻里纠纷"
    assert entry["metadata"] is True and entry["type"] == "realtime"
    inactive = DisputeType.objects.create(code="retired", name="停用类型", is_active=False)
    codes = {s["service_code"] for s in client.get("/open311/v2/services.json").json()}
    assert inactive.code not in codes


def test_service_list_xml(world, client):
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    service = next(s for s in root if s.findtext("service_code") == "neighbourhood")
    assert [child.tag for child in service] == SERVICE_FIELDS
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"


def test_service_definition_json(world, client):
    response = client.get("/open311/v2/services/neighbourhood.json")
    assert response.status_code == 200
    body = response.json()
    assert body["service_code"] == "neighbourhood"
    attributes = {a["code"]: a for a in body["attributes"]}
    assert set(attributes) == {"phone", "contact_name", "people_count", "township"}
    assert all(list(a) == ATTRIBUTE_FIELDS for a in body["attributes"])
    assert attributes["phone"]["required"] is True and attributes["phone"]["datatype"] == "string"
    assert attributes["people_count"]["datatype"] == "number"
    township = attributes["township"]
    assert township["datatype"] == "singlevaluelist"
    assert {"key": world.east.place.code, "name": "红塔区玉兴街道"} in township["values"]
    assert sorted(a["order"] for a in body["attributes"]) == [1, 2, 3, 4]


def test_service_definition_xml(world, client):
    response = client.get("/open311/v2/services/neighbourhood.xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "neighbourhood"
    attributes = root.findall("attributes/attribute")
    assert len(attributes) == 4
    assert [child.tag for child in attributes[0]] == ATTRIBUTE_FIELDS
    phone = next(a for a in attributes if a.findtext("code") == "phone")
    assert phone.findtext("required") == "true" and phone.findtext("variable") == "true"
    township = next(a for a in attributes if a.findtext("code") == "township")
    keys = [v.findtext("key") for v in township.findall("values/value")]
    assert world.east.place.code in keys and world.west.place.code in keys


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_404(world, client, fmt):
    response = client.get(f"/open311/v2/services/nope.{fmt}")
    assert response.status_code == 404
    assert_spec_error(response, fmt, 404)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_jurisdiction_is_404(world, client, fmt):
    response = client.get(f"/open311/v2/services.{fmt}", {"jurisdiction_id": "other.gov"})
    assert response.status_code == 404
    assert "jurisdiction_id" in assert_spec_error(response, fmt, 404)


def assert_spec_error(response, fmt: str, code: int) -> str:
    """The spec's error list: [{"code", "description"}] / <errors><error><code>…"""
    if fmt == "json":
        (error,) = response.json()
        assert list(error) == ["code", "description"] and error["code"] == code
        return error["description"]
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors"
    (error,) = root.findall("error")
    assert [child.tag for child in error] == ["code", "description"]
    assert error.findtext("code") == str(code)
    return error.findtext("description")
