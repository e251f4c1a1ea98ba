"""The data migration that turned the old 督办 step into supervision cards."""

import importlib
from datetime import datetime

from django.apps import apps

from zongzhi.cases.choices import Status
from zongzhi.cases.models import Case
from zongzhi.cases.tests.test_state_machine import case_at
from zongzhi.dispatch.models.cards import CardState, SupervisionCard

migration = importlib.import_module("zongzhi.dispatch.migrations.0007_supervise_step_to_cards")
# A Wednesday; five working days end at 24:00 of the next Wednesday.
MIGRATED = datetime.fromisoformat("2026-03-11T10:00:00+08:00")


def test_cases_at_the_old_step_get_a_card_and_go_back_to_work(world):
    resolving = case_at(world, Status.RESOLVE)
    assigned = case_at(world, Status.ASSIGN)
    untouched = case_at(world, Status.STABILISE)
    issued_at = datetime.fromisoformat("2026-03-02T09:30:00+08:00")
    for case, note in ((resolving, "三天未见面，请加快"), (assigned, "")):
        Case.objects.filter(pk=case.pk).update(status="supervise")
        record_event_from(case, world.county_leader, note, issued_at)

    migration.supervise_step_to_cards(apps, None, now=MIGRATED)

    for case in (resolving, assigned, untouched):
        case.refresh_from_db()
    # Back to the step it was supervised from when that was 交办 (not yet met) or 稳控.
    assert resolving.status == Status.RESOLVE
    assert assigned.status == Status.ASSIGN
    assert untouched.status == Status.STABILISE and not untouched.cards.exists()
    card = SupervisionCard.objects.get(case=resolving)
    assert card.grade == "ordinary" and card.state == CardState.ISSUED
    assert card.text == "三天未见面，请加快"
    assert card.issued_by == world.county_leader and card.issued_at == issued_at
    assert card.issuing_place == world.county
    assert card.reply_deadline.due_at == datetime.fromisoformat("2026-03-19T00:00:00+08:00")
    assert card.reply_deadline.responsible_unit == world.east.unit
    assert SupervisionCard.objects.get(case=assigned).text == "督办"
    event = resolving.events.order_by("-id").first()
    assert (event.kind, event.from_status) == ("card_issued", "supervise")
    assert event.to_status == "resolve"
    assert event.data["card"] == card.pk and not event.is_public
    assert not Case.objects.filter(status="supervise").exists()


def record_event_from(case: Case, actor, note: str, at: datetime) -> None:
    """The old SUPERVISE transition's event: from the case's step before it to 督办."""
    from zongzhi.cases.models import CaseEvent

    before = case.status
    CaseEvent.objects.create(
        case=case,
        kind="supervise",
        actor=actor,
        actor_label="县级中心主任",
        created_at=at,
        from_status=before,
        to_status="supervise",
        note=note,
        place_path=case.place_path,
        is_public=True,
    )
