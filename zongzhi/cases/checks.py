"""System checks that keep attachments away from every public file handler.

`zongzhi check` (and every start of the server) fails when MEDIA_ROOT lies inside a folder
that a static-file handler serves (STATIC_ROOT, STATICFILES_DIRS, WHITENOISE_ROOT), or when
a URL serves MEDIA_URL with Django's static view.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.urls import Resolver404, resolve
from django.views.static import serve


def _static_roots() -> list[Path]:
    roots = [getattr(settings, "STATIC_ROOT", None), getattr(settings, "WHITENOISE_ROOT", None)]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(entry[1] if isinstance(entry, tuple | list) else entry)
    return [Path(root).resolve() for root in roots if root]


@register(Tags.security)
def media_root_is_not_served_as_static(app_configs=None, **kwargs) -> list[Error]:
    media = Path(settings.MEDIA_ROOT).resolve()
    return [
        Error(
            f"MEDIA_ROOT ({media}) lies inside a static-file folder ({root}): attachments "
            "would be served to anyone without a login.",
            hint="Set ZONGZHI_MEDIA_ROOT to a folder outside the static files.",
            id="zongzhi.E001",
        )
        for root in _static_roots()
        if media == root or root in media.parents
    ]


@register(Tags.security, Tags.urls)
def media_url_is_not_routed(app_configs=None, **kwargs) -> list[Error]:
    prefix = "/" + (settings.MEDIA_URL or "").lstrip("/")
    if prefix == "/":
        return []
    try:
        match = resolve(prefix.rstrip("/") + "/cases/0/0/file.png")
    except Resolver404:
        return []
    if match.func is not serve:
        return []
    return [
        Error(
            f"{prefix} is routed to django.views.static.serve: attachments would be served "
            "without checking who asks.",
            hint="Serve attachments only through workbench:attachment_download.",
            id="zongzhi.E002",
        )
    ]
