"""Supervision cards (督办): issued, replied to, closed. A card never changes the case's step.

Who may issue a card on a case (`may_issue_card`, the one rule):
- the intake staff (window clerk, centre leader, administrator) of any centre strictly above
  the case's holding centre, i.e. whose node is a proper ancestor of the holding centre's
  (the county over a township's case, the city over the county's and the townships'); not the
  holding centre's own staff (they direct the work through the steps), not a centre beside
  it (a neighbouring township), not a department handler, mediator, grid worker or analyst;
- a 包保 leader who covers the case's place (`covers_case_place`, zongzhi.dispatch.coverage).
It can be issued on any open case at any step (研判, 交办, 化解, 稳控, 回访 ...), never on an
ended one (结案, 不予受理). The escalation sweep issues cards too (`by=None`), in the name of
a centre, without this check.

The lifecycle is issued (待回复) → replied (已回复待销号) → closed (已销号):
- the reply (书面回复), once, by the case's lead handler (the person, or a member of the lead
  unit) or a leader (centre leader, administrator) of the holding centre (`may_reply_to_card`);
  it meets the reply's deadline (clock.Deadline, due by default after REPLY_WORKING_DAYS of
  the grade, counted with the one calendar), late or not;
- the close (销号), by the issuer, or for a card without one (the sweep's) or whose issuer is
  gone, a leader of the issuing centre (`may_close_card`): 满意 or 不满意 with a note (required
  when 不满意). An unsatisfied issuer may issue a new, heavier card.
Replying and closing stay possible after the case has ended (the written record is owed).
Each change is an internal timeline event ("card_issued", "card_replied", "card_closed") with
its messages (notify.events), written with the change in one transaction under the case lock.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from zongzhi.accounts.models import DIRECTING_ROLES, Role, User
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseAssignment, CaseEvent
from zongzhi.cases.selectors import scope_cases
from zongzhi.clock import tracking
from zongzhi.clock.calendar import WorkingDayCalendar, due_label
from zongzhi.dispatch.centres import is_centre, parent_centre
from zongzhi.dispatch.coverage import covers
from zongzhi.dispatch.models.cards import (  # noqa: F401  (CardGrade is part of the contract)
    CardGrade,
    CardState,
    CardVerdict,
    SupervisionCard,
)
from zongzhi.places.models import Place

# Who of a superior centre issues cards: its intake staff (as for moves between centres).
ISSUING_ROLES = frozenset({Role.WINDOW_CLERK, Role.CENTRE_LEADER, Role.ADMINISTRATOR})
# Working days to the written reply, by grade (editable per card).
REPLY_WORKING_DAYS = {CardGrade.ORDINARY: 5, CardGrade.YELLOW: 3, CardGrade.RED: 1}
# The latest a reply may be asked for.
MAX_REPLY_WORKING_DAYS = 30
MAX_TEXT = 2000
DEADLINE_KIND = "dispatch.card_reply"
REFUSED_ISSUE = "只有上级综治中心或包保领导可以督办该纠纷"


def _text(value: str, what: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{what}", field=field)
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{what}不能超过{MAX_TEXT}字", field=field)
    return value


# --- who may do what ----------------------------------------------------------------------


def is_superior_centre_staff(user: User, case: Case) -> bool:
    """An intake account of a centre strictly above the case's holding centre."""
    holding = case.holding_place
    if holding is None or not user.works_in_an_area or user.role not in ISSUING_ROLES:
        return False
    node = user.place
    return is_centre(node) and node.pk != holding.pk and node.contains(holding)


def covers_case_place(user: User, case: Case) -> bool:
    """Whether `user` is a 包保 leader covering the case's place (the 包保 table's reader)."""
    return covers(user, case.place)


def may_issue_card(user: User, case: Case) -> bool:
    """Whether `user` may issue a supervision card on `case` (see the module doc)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not case.is_open:
        return False
    if not (is_superior_centre_staff(user, case) or covers_case_place(user, case)):
        return False
    return scope_cases(Case.objects.filter(pk=case.pk), user).exists()


def lead_assignment(case: Case) -> CaseAssignment | None:
    """The case's active lead (主办), with its unit and person."""
    return (
        case.assignments.filter(kind=CaseAssignment.Kind.LEAD, ended_at__isnull=True)
        .select_related("unit", "assignee")
        .first()
    )


def _leads_case(user: User, case: Case) -> bool:
    lead = lead_assignment(case)
    if lead is None:
        return False
    return lead.assignee_id == user.pk or (
        lead.unit_id is not None and user.unit_id == lead.unit_id
    )


def _leads_centre(user: User, place_id: int | None) -> bool:
    return (
        place_id is not None
        and user.works_in_an_area
        and user.role in DIRECTING_ROLES
        and user.place_id == place_id
    )


def may_reply_to_card(user: User, card: SupervisionCard) -> bool:
    """Whether `user` may write the card's reply: it awaits one, and they lead the case
    (person or unit) or lead its holding centre."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if card.state != CardState.ISSUED:
        return False
    case = card.case
    return _leads_case(user, case) or _leads_centre(user, case.holding_place_id)


def may_close_card(user: User, card: SupervisionCard) -> bool:
    """Whether `user` may close (销号) the card: it has its reply, and they issued it or lead
    the issuing centre (for the sweep's cards, or when the issuer is gone)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if card.state != CardState.REPLIED:
        return False
    return card.issued_by_id == user.pk or _leads_centre(user, card.issuing_place_id)


# --- due times ----------------------------------------------------------------------------


def default_reply_due(case: Case, grade: CardGrade, now: datetime) -> datetime:
    """The reply's default due time: REPLY_WORKING_DAYS of the grade, on the one calendar."""
    return WorkingDayCalendar(case.place).add_working_days(now, REPLY_WORKING_DAYS[grade])


def reply_by_label(due: datetime) -> str:
    """A due time as people write it (clock.calendar.due_label): "2026-12-03 24:00"."""
    return due_label(due)


def latest_reply_due(case: Case, now: datetime) -> datetime:
    return WorkingDayCalendar(case.place).add_working_days(now, MAX_REPLY_WORKING_DAYS)


def _reply_due(case: Case, grade: CardGrade, given: datetime | None, now: datetime) -> datetime:
    if given is None:
        return default_reply_due(case, grade, now)
    if given <= now:
        raise InvalidInput("回复时限须晚于当前时间", field="reply_due_at")
    if given > latest_reply_due(case, now):
        raise InvalidInput(
            f"回复时限不能超过{MAX_REPLY_WORKING_DAYS}个工作日", field="reply_due_at"
        )
    return given


# --- changes ------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    # Lock the case row only (PostgreSQL refuses FOR UPDATE on an outer join's nullable side).
    locked = Case.objects.select_for_update(of=("self",)).select_related("holding_place")
    return locked.get(pk=case.pk)


def _grade(grade) -> CardGrade:
    try:
        return CardGrade(grade)
    except ValueError:
        raise InvalidInput("督办等级只能为督办单、黄牌或红牌", field="grade") from None


def _event(case: Case, kind: str, card: SupervisionCard, *, actor, label, now, note) -> CaseEvent:
    from zongzhi.cases.services import record_event

    data = {"card": card.pk, "grade": card.grade, "name": CardGrade(card.grade).label}
    return record_event(
        case,
        kind,
        actor=actor,
        label=label,
        at=now,
        from_status=case.status,
        note=note,
        data=data,
        is_public=False,
    )


def issuer_label(by: User | None, place: Place) -> str:
    """Who a card's timeline event names: the account, or the centre for the sweep's."""
    from zongzhi.cases.services import actor_label

    return actor_label(by, fallback=f"{place.name}综治中心（自动督办）")


def issue_card(
    case: Case,
    *,
    by: User | None,
    grade,
    text: str,
    reply_due_at: datetime | None = None,
    issuing_place: Place | None = None,
    source: str = "",
    now: datetime | None = None,
) -> SupervisionCard:
    """Issue a supervision card on an open case, at whatever step it stands (it stays there).

    `by` is the issuing account (checked by `may_issue_card`), or None when the escalation
    sweep issues it in the name of `issuing_place` (default: the centre above the holding
    centre, or the holding centre itself at the top), unchecked. `reply_due_at` None gives the
    grade's default. A non-empty `source` names the cause: a second call with the same case and
    source returns the first card and writes nothing (the database's partial unique constraint
    decides, insert first). Locks the case and writes the card, its reply Deadline, the
    timeline event and its messages in one transaction; raises NotPermitted,
    InvalidTransition or InvalidInput and changes nothing otherwise.
    """
    now = now or timezone.now()
    grade = _grade(grade)
    source = (source or "").strip()[:120]
    with transaction.atomic():
        locked = _locked(case)
        if by is not None and not may_issue_card(by, locked):
            if not locked.is_open:
                raise InvalidTransition("已结案或不予受理的纠纷不能督办")
            raise NotPermitted(REFUSED_ISSUE)
        if not locked.is_open:
            existing = _by_source(locked, source)
            if existing is not None:
                return existing
            raise InvalidTransition("已结案或不予受理的纠纷不能督办")
        text = _text(text, "督办要求", "text")
        due = _reply_due(locked, grade, reply_due_at, now)
        if by is not None:
            place = by.place
        else:
            place = issuing_place or parent_centre(locked.holding_place) or locked.holding_place
        lead = lead_assignment(locked)
        try:
            with transaction.atomic():  # a savepoint: the unique (case, source) may refuse
                deadline = tracking.open_deadline(
                    locked,
                    kind=DEADLINE_KIND,
                    label=f"{grade.label}回复",
                    due_at=due,
                    warn_at=WorkingDayCalendar(locked.place).start_of_last_working_days(due, 1),
                    responsible_user=lead.assignee if lead else None,
                    responsible_unit=lead.unit if lead else None,
                    now=now,
                )
                card = SupervisionCard.objects.create(
                    case=locked,
                    grade=grade,
                    text=text,
                    issued_at_status=locked.status,
                    issued_by=by,
                    issuing_place=place,
                    issued_at=now,
                    reply_deadline=deadline,
                    source=source,
                )
        except IntegrityError:
            existing = _by_source(locked, source)
            if existing is None:
                raise
            return existing
        label = issuer_label(by, place)
        _event(locked, "card_issued", card, actor=by, label=label, now=now, note=text)
    return card


def _by_source(case: Case, source: str) -> SupervisionCard | None:
    if not source:
        return None
    return SupervisionCard.objects.filter(case=case, source=source).first()


def _locked_card(card: SupervisionCard) -> tuple[Case, SupervisionCard]:
    case = _locked(card.case)
    fresh = SupervisionCard.objects.select_related("reply_deadline").get(pk=card.pk)
    fresh.case = case
    return case, fresh


def _refresh(card: SupervisionCard, fresh: SupervisionCard) -> None:
    for model_field in SupervisionCard._meta.concrete_fields:
        setattr(card, model_field.attname, getattr(fresh, model_field.attname))


@transaction.atomic
def reply_to_card(
    card: SupervisionCard, *, by: User, reply: str, now: datetime | None = None
) -> CaseEvent:
    """Write the card's reply (once) and meet its deadline; returns the timeline event."""
    from zongzhi.cases.services import actor_label

    now = now or timezone.now()
    case, fresh = _locked_card(card)
    if fresh.state != CardState.ISSUED:
        raise InvalidTransition("该督办单已回复，不能再次回复")
    if not may_reply_to_card(by, fresh):
        raise NotPermitted("只有主办单位、主办人或承办中心领导可以回复督办")
    reply = _text(reply, "书面回复", "reply")
    fresh.reply, fresh.replied_by, fresh.replied_at = reply, by, now
    fresh.state = CardState.REPLIED
    fresh.save(update_fields=["reply", "replied_by", "replied_at", "state"])
    tracking.meet_deadline(fresh.reply_deadline, now)
    _refresh(card, fresh)
    return _event(case, "card_replied", fresh, actor=by, label=actor_label(by), now=now, note=reply)


@transaction.atomic
def close_card(
    card: SupervisionCard,
    *,
    by: User,
    verdict,
    note: str = "",
    now: datetime | None = None,
) -> CaseEvent:
    """Close (销号) a replied card as 满意 or 不满意 (a note required then); returns the event."""
    from zongzhi.cases.services import actor_label

    now = now or timezone.now()
    case, fresh = _locked_card(card)
    if fresh.state == CardState.CLOSED:
        raise InvalidTransition("该督办单已销号")
    if fresh.state != CardState.REPLIED:
        raise InvalidTransition("督办单尚未回复，不能销号")
    if not may_close_card(by, fresh):
        raise NotPermitted("只有督办人或督办单位领导可以销号")
    if verdict not in (CardVerdict.SATISFIED, CardVerdict.UNSATISFIED):
        raise InvalidInput("请选择销号评价：满意或不满意", field="verdict")
    verdict = CardVerdict(verdict)
    note = _text(note, "不满意的理由", "note", required=verdict == CardVerdict.UNSATISFIED)
    fresh.verdict, fresh.close_note = verdict, note
    fresh.closed_by, fresh.closed_at = by, now
    fresh.state = CardState.CLOSED
    fresh.save(update_fields=["verdict", "close_note", "closed_by", "closed_at", "state"])
    _refresh(card, fresh)
    text = f"{verdict.label}。{note}" if note else verdict.label
    return _event(case, "card_closed", fresh, actor=by, label=actor_label(by), now=now, note=text)
