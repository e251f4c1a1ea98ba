"""QR codes that open the citizen's report page pre-set to a place, and the poster around them.

Only the places a citizen can be in front of have a code: townships (streets), villages
(communities) and grids. The code encodes the absolute URL of the report page with `?place=`.
"""

import io
from urllib.parse import urlencode

import segno
from django.http import HttpRequest
from django.urls import reverse

from zongzhi.places.models import Level, Place

QR_LEVELS = frozenset({Level.TOWNSHIP, Level.VILLAGE, Level.GRID})
# Medium error correction survives a smudged or partly torn poster; a URL of ~60 characters
# stays at version 4–5, which phones read from a metre away.
ERROR_CORRECTION = "m"
PNG_SCALE = 10
SVG_SCALE = 8
BORDER = 4


def qr_place(code: str) -> Place | None:
    """The place with this code if it may carry a QR code, else None."""
    return Place.objects.filter(code=code, level__in=QR_LEVELS).select_related("parent").first()


def report_path(place_code: str) -> str:
    """The report page's path, pre-set to the place: /intake/m/report/?place=530402001001."""
    return reverse("intake:report") + "?" + urlencode({"place": place_code})


def report_url(request: HttpRequest, place_code: str) -> str:
    """The absolute report URL as the scanning phone must open it (host as the request saw it)."""
    return request.build_absolute_uri(report_path(place_code))


def make_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_CORRECTION, micro=False)


def render_png(url: str) -> bytes:
    buffer = io.BytesIO()
    make_code(url).save(buffer, kind="png", scale=PNG_SCALE, border=BORDER)
    return buffer.getvalue()


def render_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    make_code(url).save(
        buffer, kind="svg", scale=SVG_SCALE, border=BORDER, xmldecl=False, title="扫码反映矛盾纠纷"
    )
    return buffer.getvalue()


def centre_name(place: Place) -> str:
    """What the poster calls the place: 玉兴街道综治中心, 一村综治中心, 一村第一网格."""
    if place.level == Level.GRID:
        parent = place.parent.name if place.parent_id else ""
        return f"{parent}{place.name}"
    return f"{place.name}综治中心"
