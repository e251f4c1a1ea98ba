"""Open311 service discovery: /open311/discovery.json and .xml."""

import pytest
from defusedxml import ElementTree

pytestmark = pytest.mark.django_db


def test_discovery_json(client):
    response = client.get("/open311/discovery.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_xml(client):
    response = client.get("/open311/discovery.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(response.content)
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_unknown_format_is_not_routed(client):
    assert client.get("/open311/discovery.html").status_code == 404


def test_discovery_is_read_only(client):
    response = client.post("/open311/discovery.xml")
    assert response.status_code == 400
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/code") == "405"
