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
from zongzhi.privacy.masking import mask_free_text
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


def _centre_leaders(place_id: int | None):
    """The active leaders of the centre at `place_id` (none without one)."""
    if place_id is None:
        return User.objects.none()
    return User.objects.filter(role=Role.CENTRE_LEADER, place_id=place_id, is_active=True).order_by(
        "pk"
    )


def _holding_leaders(case: Case):
    return _centre_leaders(case.holding_place_id)


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


def on_team_members(event: CaseEvent) -> None:
    # A cross-area team was formed or a member added: each new member is told (in-app).
    data = event.data or {}
    rows = data.get("members") or [data]
    by_name = {row.get("user"): row for row in rows}
    users = User.objects.filter(username__in=list(by_name), is_active=True).order_by("pk")
    for user in users:
        role = _team_role_label(by_name[user.username].get("role", ""))
        text = texts.staff_team_member(event.case, role)
        _tell_staff(event, Kind.TEAM_MEMBER, text, [user])


def _team_role_label(role: str) -> str:
    from zongzhi.dispatch.models.teams import TeamRole

    try:
        return TeamRole(role).label
    except ValueError:
        return "成员"


def on_key_case_handed(event: CaseEvent) -> None:
    # Each of the three responsible people learns of their own duty and its due time.
    from django.utils import timezone

    from zongzhi.dispatch.models import Duty

    ids = [row.get("duty") for row in (event.data or {}).get("duties", [])]
    duties = Duty.objects.filter(pk__in=ids).select_related("person", "deadline").order_by("pk")
    for duty in duties:
        if not duty.person.is_active:
            continue
        due = f"{timezone.localtime(duty.deadline.due_at):%Y-%m-%d %H:%M}"
        text = texts.staff_key_duty(event.case, duty.get_kind_display(), due)
        _tell_staff(event, Kind.KEY_CASE, text, [duty.person])


def on_plan_item_added(event: CaseEvent) -> None:
    from zongzhi.dispatch.models import PlanItem

    item = PlanItem.objects.select_related("person").filter(pk=(event.data or {}).get("item"))
    item = item.first()
    if item is None or not item.person.is_active:
        return
    due = (event.data or {}).get("due_on", "")
    _tell_staff(
        event, Kind.KEY_CASE, texts.staff_plan_item(event.case, item.measure, due), [item.person]
    )


def _card_of(event: CaseEvent):
    from zongzhi.dispatch.models.cards import SupervisionCard

    card_id = (event.data or {}).get("card")
    related = SupervisionCard.objects.select_related(
        "reply_deadline", "issued_by", "issuing_place", "replied_by"
    )
    return related.filter(pk=card_id, case_id=event.case_id).first()


def on_card_issued(event: CaseEvent) -> None:
    # The lead handler (the person, or else the lead unit's members) and the holding
    # centre's leaders: those who may write the reply.
    from zongzhi.dispatch.cards import reply_by_label

    card = _card_of(event)
    if card is None:
        return
    case = event.case
    due_text = reply_by_label(card.reply_deadline.due_at)
    grade = card.get_grade_display()
    lead = case.assignments.filter(kind=CaseAssignment.Kind.LEAD, ended_at__isnull=True).first()
    told: list[User] = []
    if lead is not None and lead.assignee is not None and lead.assignee.is_active:
        told = [lead.assignee]
        _tell_staff(event, Kind.CARD_ISSUED, texts.staff_card_issued(case, grade, due_text), told)
    elif lead is not None and lead.unit is not None:
        told = list(lead.unit.members.filter(is_active=True).order_by("pk"))
        text = texts.staff_card_issued(case, grade, due_text, to_unit=lead.unit.name)
        _tell_staff(event, Kind.CARD_ISSUED, text, told)
    leaders = [u for u in _holding_leaders(case) if u not in told]
    _tell_staff(event, Kind.CARD_ISSUED, texts.staff_card_issued(case, grade, due_text), leaders)


def on_card_replied(event: CaseEvent) -> None:
    # The issuer, or the issuing centre's leaders for a card the sweep issued.
    card = _card_of(event)
    if card is None:
        return
    if card.issued_by is not None and card.issued_by.is_active:
        readers = [card.issued_by]
    else:
        readers = _centre_leaders(card.issuing_place_id)
    text = texts.staff_card_replied(event.case, card.get_grade_display(), event.actor_label)
    _tell_staff(event, Kind.CARD_REPLIED, text, readers)


def on_card_closed(event: CaseEvent) -> None:
    card = _card_of(event)
    if card is None or card.replied_by is None or not card.replied_by.is_active:
        return
    text = texts.staff_card_closed(event.case, card.get_grade_display(), card.get_verdict_display())
    _tell_staff(event, Kind.CARD_CLOSED, text, [card.replied_by])


def on_clock_request(event: CaseEvent) -> None:
    # A pause or an extension waits for the approving centre's leaders (clock.approval).
    from zongzhi.clock.approval import approvers
    from zongzhi.places.models import Place

    place = Place.objects.filter(pk=(event.data or {}).get("approver_place")).first()
    if place is None:
        return
    what = "停止计时" if event.kind == "pause_requested" else "延期"
    text = texts.approver_clock_request(event.case, event.actor_label, what)
    _tell_staff(event, Kind.CLOCK_REQUEST, text, approvers(event.case, place))


def on_clock_decision(event: CaseEvent) -> None:
    requester = User.objects.filter(pk=(event.data or {}).get("requested_by")).first()
    if requester is None or not requester.is_active:
        return
    decision = event.label + (f"（{mask_free_text(event.note)}）" if event.note else "")
    text = texts.requester_clock_decision(event.case, event.actor_label, decision)
    _tell_staff(event, Kind.CLOCK_DECISION, text, [requester])


def _local_time(value: str) -> str:
    from datetime import datetime

    from django.utils import timezone

    return timezone.localtime(datetime.fromisoformat(value)).strftime("%m月%d日%H:%M")


def on_whistled(event: CaseEvent) -> None:
    # 吹哨报到 (dispatch.whistles): each called unit's liaison and leader in charge.
    data = event.data or {}
    report_in_due = _local_time(data["report_in_due"])
    report_back_due = _local_time(data["report_back_due"])
    for task in data.get("sub_tasks", []):
        ids = [pk for pk in (task.get("liaison"), task.get("leader")) if pk]
        people = User.objects.filter(pk__in=ids, is_active=True).order_by("pk")
        unit = task.get("unit", "")
        text = texts.staff_whistled(event.case, unit, report_in_due, report_back_due)
        _tell_staff(event, Kind.CASE_WHISTLED, text, people)


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
    "team_created": [on_team_members],
    "team_member_added": [on_team_members],
    Action.ACCEPT: [on_accepted],
    Action.ASSIGN: [on_assigned],
    Action.CONCLUDE: [on_concluded],
    Action.REJECT: [on_rejected],
    "key_case_handed": [on_key_case_handed],
    "plan_item_added": [on_plan_item_added],
    "card_issued": [on_card_issued],
    "card_replied": [on_card_replied],
    "card_closed": [on_card_closed],
    "pause_requested": [on_clock_request],
    "extension_requested": [on_clock_request],
    "pause_approved": [on_clock_decision],
    "pause_refused": [on_clock_decision],
    "extension_approved": [on_clock_decision],
    "extension_refused": [on_clock_decision],
    "whistled": [on_whistled],
    "overdue": [on_overdue],
    "deadline_overdue": [on_overdue],
}


def on_case_event(event: CaseEvent) -> None:
    """Write the messages `event` causes, in the caller's transaction."""
    for handler in HANDLERS.get(event.kind, ()):
        handler(event)
