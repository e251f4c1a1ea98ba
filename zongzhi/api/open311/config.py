"""Settings of the Open311 endpoint, each with a default so that a plain install works.

OPEN311_JURISDICTION_ID   the jurisdiction_id this endpoint serves (one jurisdiction)
OPEN311_PLACE_CODE        the place (e.g. a county) whose cases it serves; blank = all
OPEN311_CHANGESET         when the service list / definitions last changed (discovery)
OPEN311_ENDPOINT_TYPE     "production" or "test" (discovery)
"""

from django.conf import settings

from zongzhi.cases.choices import Source
from zongzhi.places.models import Place

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Only what the public itself reported is listed: walk-ins, petitions and 110 records can
# carry details that were never meant for a public feed.
PUBLIC_SOURCES = (Source.CITIZEN, Source.OPEN311)
# A POST repeated with identical content from the same client and device within this window
# is a retry (clients resend when a response is lost), not a second report.
RETRY_WINDOW_SECONDS = 600
# GET requests: the spec's default span and volume.
DEFAULT_SPAN_DAYS = 90
MAX_PAGE_SIZE = 1000


def jurisdiction_id() -> str:
    return getattr(settings, "OPEN311_JURISDICTION_ID", "zongzhi.local")


def root_place() -> Place | None:
    code = getattr(settings, "OPEN311_PLACE_CODE", "")
    return Place.objects.filter(code=code).first() if code else None


def changeset() -> str:
    return getattr(settings, "OPEN311_CHANGESET", "2026-01-01T00:00:00+08:00")


def endpoint_type() -> str:
    return getattr(settings, "OPEN311_ENDPOINT_TYPE", "production")
