"""督办 is no longer a step: every case standing at it goes back to work and gets a card.

Each case at the old "supervise" step returns to the step it was supervised from when that was
交办 or 稳控 (a case supervised at 交办 has not met its parties yet: at 化解 it could never be
concluded), otherwise to 化解; it gets an ordinary card (督办单) carrying the note of its last
supervise event, issued by that event's actor at that time, in the name of the actor's node
(or the centre above the holding centre). The written reply the card now asks for is due five
working days from the migration (the duty is new), counted on the national calendar rows.
An internal timeline event records the change.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = timedelta(days=1)
BACK_TO = ("assign", "stabilise")
CENTRE_LEVELS = (2, 3, 4, 5)  # city, county, township, village
REPLY_WORKING_DAYS = 5


def reply_due(SpecialDay, start: datetime, days: int) -> tuple[datetime, datetime]:
    """(due, warn): 24:00 of the `days`-th working day after the day of `start`, and 00:00 of
    that day (as zongzhi.clock.calendar counts, on the national rows only)."""
    day = start.astimezone(SHANGHAI).date()
    rows = SpecialDay.objects.filter(place__isnull=True, date__gt=day, date__lte=day + 90 * DAY)
    kinds = dict(rows.values_list("date", "kind"))
    counted = 0
    while counted < days:
        day += DAY
        kind = kinds.get(day)
        if kind == "workday" or (kind != "holiday" and day.weekday() < 5):
            counted += 1
    return (
        datetime.combine(day + DAY, time.min, tzinfo=SHANGHAI),
        datetime.combine(day, time.min, tzinfo=SHANGHAI),
    )


def _issuing_place(event, case):
    actor = event.actor if event is not None else None
    if actor is not None and actor.place_id is not None:
        return actor.place
    holding = case.holding_place or case.county
    node = holding.parent
    while node is not None and node.level not in CENTRE_LEVELS:
        node = node.parent
    return node or holding


def supervise_step_to_cards(apps, schema_editor, now: datetime | None = None):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CaseAssignment = apps.get_model("cases", "CaseAssignment")
    Deadline = apps.get_model("clock", "Deadline")
    SpecialDay = apps.get_model("clock", "SpecialDay")
    SupervisionCard = apps.get_model("dispatch", "SupervisionCard")
    now = now or timezone.now()
    due, warn = reply_due(SpecialDay, now, REPLY_WORKING_DAYS)
    supervised = Case.objects.filter(status="supervise").select_related("holding_place", "county")
    for case in supervised.order_by("pk"):
        event = (
            CaseEvent.objects.filter(case=case, kind="supervise")
            .select_related("actor", "actor__place")
            .order_by("-created_at", "-id")
            .first()
        )
        back = event.from_status if event is not None and event.from_status in BACK_TO else None
        back = back or "resolve"
        note = (event.note if event is not None else "").strip() or "督办"
        lead = CaseAssignment.objects.filter(case=case, kind="lead", ended_at__isnull=True).first()
        deadline = Deadline.objects.create(
            case=case,
            kind="dispatch.card_reply",
            label="督办单回复",
            due_at=due,
            warn_at=warn,
            responsible_user_id=lead.assignee_id if lead else None,
            responsible_unit_id=lead.unit_id if lead else None,
            created_at=now,
        )
        card = SupervisionCard.objects.create(
            case=case,
            grade="ordinary",
            text=note,
            issued_at_status=back,
            issued_by_id=event.actor_id if event is not None else None,
            issuing_place=_issuing_place(event, case),
            issued_at=event.created_at if event is not None else now,
            reply_deadline=deadline,
            source=f"migrated:supervise:{event.pk if event is not None else case.pk}",
        )
        Case.objects.filter(pk=case.pk).update(status=back)
        CaseEvent.objects.create(
            case=case,
            kind="card_issued",
            actor=None,
            actor_label="系统（督办环节改为督办单）",
            created_at=now,
            from_status="supervise",
            to_status=back,
            note=note,
            data={"card": card.pk, "grade": "ordinary", "name": "督办单", "migrated": True},
            place_path=case.place_path,
            is_public=False,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0006_supervision_cards"),
        ("cases", "0012_no_supervise_step"),
        ("clock", "0004_deadline"),
    ]

    operations = [
        migrations.RunPython(supervise_step_to_cards, migrations.RunPython.noop, elidable=False)
    ]
