"""The one path by which personal data is shown unmasked, and the record it leaves."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from zongzhi.privacy.models import PersonalDataAccess


def reveal(
    viewer,
    subject,
    fields: Iterable[str],
    *,
    place_path: str,
    purpose: str = "",
    ip_address: str | None = None,
) -> dict[str, str]:
    """Return the clear values of `fields` on `subject`, after checking and logging the read.

    `place_path` is where the subject belongs; a viewer outside that area is refused.
    """
    fields = list(fields)
    if not viewer.is_authenticated or not viewer.can_see_path(place_path):
        raise PermissionDenied("该信息不在您的管辖范围内")
    PersonalDataAccess.objects.create(
        viewer=viewer,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        fields=",".join(fields),
        purpose=purpose[:200],
        place_path=place_path,
        ip_address=ip_address,
    )
    return {field: getattr(subject, field) or "" for field in fields}
