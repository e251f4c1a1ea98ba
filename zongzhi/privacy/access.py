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
    case=None,
    purpose: str = "",
    ip_address: str | None = None,
) -> dict[str, str]:
    """Return the clear values of `fields` on `subject`, after checking and logging the read.

    `place_path` is where the subject belongs; a viewer outside that area is refused. When
    the subject belongs to a `case`, the viewer must also be one who may work on it
    (`cases.selectors.may_work_on`: need-to-know inside an area).
    """
    fields = list(fields)
    if not _may_read(viewer, place_path, case):
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


def _may_read(viewer, place_path: str, case) -> bool:
    if not viewer.is_authenticated:
        return False
    if case is not None:
        from zongzhi.cases.selectors import may_work_on

        return may_work_on(viewer, case)
    return viewer.can_see_path(place_path)


# A case's free text: it names people and can carry their phone and ID numbers.
CASE_TEXT_FIELDS = ("title", "description", "location_text", "notes")


def reveal_case_text(
    viewer, case, *, purpose: str = "", ip_address: str | None = None
) -> dict[str, object]:
    """A case's free text without masking (`mask_free_text`), after checking and logging
    the read like `reveal`: the title, description, location and its timeline's notes
    (`notes`: event id → note)."""
    if not _may_read(viewer, case.place_path, case):
        raise PermissionDenied("该信息不在您的管辖范围内")
    PersonalDataAccess.objects.create(
        viewer=viewer,
        kind=PersonalDataAccess.Kind.REVEALED,
        subject_type=case._meta.label_lower,
        subject_id=case.pk,
        fields=",".join(CASE_TEXT_FIELDS),
        purpose=purpose[:200],
        place_path=case.place_path,
        ip_address=ip_address,
    )
    notes = dict(case.events.exclude(note="").values_list("pk", "note"))
    return {
        "title": case.title,
        "description": case.description,
        "location_text": case.location_text,
        "notes": notes,
    }


def log_case_view(viewer, case, *, channel: str, ip_address: str | None = None) -> None:
    """Record that `viewer` opened `case`'s detail (masked) through `channel` (the case
    page, the API …): every look at a case that names people is on the access log."""
    PersonalDataAccess.objects.create(
        viewer=viewer,
        kind=PersonalDataAccess.Kind.VIEWED_CASE,
        subject_type=case._meta.label_lower,
        subject_id=case.pk,
        fields="",
        purpose=channel[:200],
        place_path=case.place_path,
        ip_address=ip_address,
    )
