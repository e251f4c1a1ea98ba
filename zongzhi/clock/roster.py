"""Who is on duty (节假日值班) for a place at a moment."""

from datetime import datetime

from zongzhi.clock.models import DutyShift


def on_duty(place, at: datetime) -> list:
    """The people on duty at `at` for cases in `place`: those of the nearest centre at or above
    the place that has anyone on duty then (a township without a roster falls back to its
    county)."""
    shifts = (
        DutyShift.objects.filter(
            centre__code__in=place.ancestor_codes, starts_at__lte=at, ends_at__gt=at
        )
        .select_related("person", "centre")
        .order_by("-centre__level", "starts_at")
    )
    nearest = None
    people = []
    for shift in shifts:
        if nearest is None:
            nearest = shift.centre_id
        if shift.centre_id == nearest:
            people.append(shift.person)
    return people
