"""Which timeline events cause which messages: a table from event kind to the functions that
write them. `on_case_event` is called by cases.services.record_event, inside the transaction
that writes the event, for every event of every app; kinds not in the table send nothing.
"""

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError

from zongzhi.accounts.models import Role, User
from zongzhi.cases.choices import PartyRole
from zongzhi.cases.models import Case, CaseAssignment, CaseEvent
from zongzhi.cases.workflow import Action
from zongzhi.notify import texts
from zongzhi.notify.models import Channel, Kind
from zongzhi.notify.outbox import enqueue, enqueue_staff
from zongzhi.privacy.phones import normalise_phone


def citizen_phones(case: Case) -> list[str]:
    """The mobile numbers of the case's applicants (whoever reported it, through any channel),
    each once; landlines and numbers that are not valid receive no SMS."""
    phones = []
    for phone in case.parties.filter(role=PartyRole.APPLICANT).values_list("phone", flat=True):
        try:
            mobile = normalise_phone(phone, mobile_only=True)
        except ValidationError:
            continue
        if mobile and mobile not in phones:
            phones.append(mobile)
    return phones


def _tell_citizens(event: CaseEvent, kind: Kind, text: str) -> None:
    for phone in citizen_phones(event.case):
        enqueue(
            kind,
            text,
            source=str(event.pk),
            channel=Channel.SMS,
            phone=phone,
            case=event.case,
            now=event.created_at,
        )


def _tell_staff(event: CaseEvent, kind: Kind, text: str, users) -> None:
    for user in users:
        if user.pk == event.actor_id:
            continue  # nobody is told of what they did themselves
        enqueue(kind, text, source=str(event.pk), user=user, case=event.case, now=event.created_at)


def _holding_leaders(case: Case):
    if case.holding_place_id is None:
        return User.objects.none()
    return User.objects.filter(
        role=Role.CENTRE_LEADER, place_id=case.holding_place_id, is_active=True
    ).order_by("pk")


def on_accepted(event: CaseEvent) -> None:
    _tell_citizens(event, Kind.CASE_ACCEPTED, texts.citizen_accepted(event.case))


def on_concluded(event: CaseEvent) -> None:
    # Concluding puts the case in 回访: the citizen learns it is done and a visit is due.
    case = event.case
    _tell_citizens(event, Kind.CASE_CONCLUDED, texts.citizen_concluded(case))
    text = texts.leader_concluded(case, event.actor_label)
    _tell_staff(event, Kind.CASE_CONCLUDED_LEADER, text, _holding_leaders(case))


def on_rejected(event: CaseEvent) -> None:
    text = texts.leader_rejected(event.case, event.actor_label)
    _tell_staff(event, Kind.CASE_REJECTED, text, _holding_leaders(event.case))


def on_assigned(event: CaseEvent) -> None:
    assignment_id = (event.data or {}).get("assignment")
    assignment = (
        CaseAssignment.objects.select_related("unit", "assignee").filter(pk=assignment_id).first()
    )
    if assignment is None:
        return
    case = event.case
    if assignment.assignee is not None and assignment.assignee.is_active:
        _tell_staff(event, Kind.CASE_ASSIGNED, texts.staff_assigned(case), [assignment.assignee])
    elif assignment.unit is not None:
        members = assignment.unit.members.filter(is_active=True).order_by("pk")
        text = texts.staff_assigned(case, to_unit=assignment.unit.name)
        _tell_staff(event, Kind.CASE_ASSIGNED, text, members)


def on_overdue(event: CaseEvent) -> None:
    # A milestone or a clock.Deadline passed (written by the escalation sweep): the
    # responsible, the lead, the holding centre's leaders and, for an urgent case out of
    # office hours, whoever is on duty (clock.alerts decides who).
    from zongzhi.clock.alerts import due_text, overdue_recipients
    from zongzhi.clock.models import Deadline

    data = event.data or {}
    deadline = None
    if data.get("deadline"):
        related = Deadline.objects.select_related("responsible_user", "responsible_unit")
        deadline = related.filter(pk=data["deadline"]).first()
    due = due_text(datetime.fromisoformat(data["due"]))
    case = event.case
    recipients = overdue_recipients(case, event.created_at, deadline)
    what = data.get("what", "")
    messages = {
        user: texts.staff_overdue(case, what, due, on_duty=on_duty)
        for user, on_duty in recipients.items()
    }
    enqueue_staff(
        Kind.DEADLINE_OVERDUE, messages, source=str(event.pk), case=case, now=event.created_at
    )


HANDLERS: dict[str, list[Callable[[CaseEvent], None]]] = {
    Action.ACCEPT: [on_accepted],
    Action.ASSIGN: [on_assigned],
    Action.CONCLUDE: [on_concluded],
    Action.REJECT: [on_rejected],
    "overdue": [on_overdue],
    "deadline_overdue": [on_overdue],
}


def on_case_event(event: CaseEvent) -> None:
    """Write the messages `event` causes, in the caller's transaction."""
    for handler in HANDLERS.get(event.kind, ()):
        handler(event)
