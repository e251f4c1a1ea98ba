"""Response headers that every page gets: Permissions-Policy, and `no-store` where a page
may show personal data. The Content-Security-Policy itself is Django's (SECURE_CSP in
settings.py, django.middleware.csp)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

# Browser features no page uses. Only the citizen's report page asks for the location
# ("use my location"); a photo is chosen with a file input, which needs no camera permission.
_FEATURES_OFF = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "serial",
    "hid",
    "xr-spatial-tracking",
)
CITIZEN_PREFIX = "/intake/m/"


def permissions_policy(path: str) -> str:
    """The Permissions-Policy header for a page at `path`."""
    geolocation = "geolocation=(self)" if path.startswith(CITIZEN_PREFIX) else "geolocation=()"
    return ", ".join([*(f"{feature}=()" for feature in _FEATURES_OFF), geolocation])


def _citizen_private_paths() -> tuple[str, ...]:
    # A citizen's own case: the lookup form and the progress page behind it.
    return (reverse("intake:lookup"), reverse("intake:progress"))


def must_not_be_stored(request: HttpRequest) -> bool:
    """Whether a response may carry personal data, so that no browser or proxy cache keeps
    it: every page of a logged-in account (staff pages, reveals, attachments), the whole
    API (a token's user is set on the request by the API's authentication) and Open311,
    and the citizen's lookup pages."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    path = request.path_info
    return path.startswith(("/api/", "/open311/")) or path.startswith(_citizen_private_paths())


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy to every response and no-store where `must_not_be_stored`.

    Sits after AuthenticationMiddleware; static files never reach it (WhiteNoise answers
    them first), so they stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", permissions_policy(request.path_info))
        if must_not_be_stored(request):
            # Replace whatever a view set (e.g. a public max-age on a QR code seen by staff).
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response
