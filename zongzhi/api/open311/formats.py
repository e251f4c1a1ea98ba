"""Open311 GeoReport v2 output, JSON and XML, exactly as the spec writes it.

XML: UTF-8 declaration, no namespace, a root element and, for lists, one child element per
item (services/service, service_requests/request, errors/error, attributes/attribute,
values/value, endpoints/endpoint, formats/format). JSON: the Spark convention, i.e. a list
root becomes a bare array. Datetimes are w3c ISO 8601 in Asia/Shanghai (+08:00).
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.http import HttpResponse

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Characters XML 1.0 cannot carry at all; dropped from text rather than sent broken.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """A refusal in the spec's error list: HTTP 400/403/404 (429 for rate limits)."""

    def __init__(self, status: int, description: str, code: int | None = None):
        super().__init__(description)
        self.status, self.description, self.code = status, description, code or status


def w3c(moment: datetime | None) -> str | None:
    """2026-03-01T09:30:00+08:00"""
    if moment is None:
        return None
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, data) -> str:
    element = ET.Element(root)
    _fill(element, data)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        body = json.dumps(data, ensure_ascii=False, default=_json_default)
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    errors = [{"code": error.code, "description": error.description}]
    return render(fmt, "errors", errors, status=error.status)
