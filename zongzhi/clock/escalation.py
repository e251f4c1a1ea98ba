"""Exactly once: the steps of the escalation sweep and the risk-signal hook.

Every step (a reminder, an overdue alert, an escalation rule's action, a signal's raise) is a
`SweepStep` row with a unique key (case, target, version, step). `claim` inserts that row
FIRST, inside the transaction of the action and its messages: when the key exists (another
sweep did it, or is doing it right now and commits first) the insert fails and the step is
skipped; when the action fails or the worker dies, the row goes with the rolled-back
transaction and the next sweep acts. No check-then-act anywhere. A new version (a pause or
an extension raises `Case.clock_version` or moves a Deadline) gives new keys, so the steps
act again.

The rule actions (EscalationAction): raise the risk grade one step, move the case up to the
parent centre (dispatch.moves.escalate_overdue, 提级 with no user), or issue a supervision
card (dispatch.cards.issue_card, by=None).
"""

import logging
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from zongzhi.cases import deadlines
from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.errors import InvalidTransition
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.clock.models import EscalationAction, EscalationRule, SweepStep

logger = logging.getLogger(__name__)

SYSTEM_LABEL = "系统（时限巡检）"
# One grade up; high stays high.
RISK_UP = {RiskGrade.LOW: RiskGrade.MEDIUM, RiskGrade.MEDIUM: RiskGrade.HIGH}


def claim(case_id: int, target: str, version: int, step: str, now: datetime) -> SweepStep | None:
    """Insert the step's row, or return None when the step was already taken (or is being
    taken by a transaction that commits first). Call inside the action's transaction.

    One statement, INSERT … ON CONFLICT DO NOTHING RETURNING (PostgreSQL; SQLite ≥ 3.35):
    the unique key decides as an IntegrityError would, without a savepoint. On PostgreSQL an
    insert that meets another transaction's uncommitted row of the same key waits for it,
    then skips if it committed or inserts if it rolled back."""
    table = connection.ops.quote_name(SweepStep._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (case_id, target, version, step, taken_at, outcome) "
            "VALUES (%s, %s, %s, %s, %s, '') "
            "ON CONFLICT (case_id, target, version, step) DO NOTHING RETURNING id",
            [case_id, target, version, step, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return SweepStep(
        pk=row[0], case_id=case_id, target=target, version=version, step=step, taken_at=now
    )


def step_source(step: SweepStep) -> str:
    """A source for messages and cards that is unique per step (idempotency keys)."""
    return f"sweep:{step.case_id}:{step.target}:v{step.version}:{step.step}"


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("place").get(pk=case.pk)


def _tell_escalated(case: Case, step: SweepStep, what: str, now: datetime) -> None:
    from zongzhi.clock.alerts import holding_leaders, lead_handlers
    from zongzhi.notify import texts
    from zongzhi.notify.models import Kind
    from zongzhi.notify.outbox import enqueue_staff

    text = texts.staff_escalated(case, what)
    messages = dict.fromkeys([*lead_handlers(case), *holding_leaders(case)], text)
    enqueue_staff(Kind.ESCALATED, messages, source=step_source(step), case=case, now=now)


def raise_risk(case: Case, step: SweepStep, rule: EscalationRule, what: str, now: datetime) -> str:
    """Raise the case's risk grade one step (a high case stays high); returns the outcome."""
    from zongzhi.cases.services import apply_risk, record_event

    locked = _locked(case)
    if not deadlines.is_open(locked):
        return "已结案，未执行"
    previous = RiskGrade(locked.risk)
    if previous not in RISK_UP:
        return "已是高风险，未再升级"
    risk = RISK_UP[previous]
    fields = apply_risk(locked, risk, now)
    locked.save(update_fields=fields)
    record_event(
        locked,
        "risk_escalated",
        actor=None,
        label=SYSTEM_LABEL,
        at=now,
        from_status=locked.status,
        note=f"{what}超期，按规则“{rule.name}”将风险等级由{previous.label}升为{risk.label}",
        data={"from": previous.value, "to": risk.value, "rule": rule.pk, "step": step.pk},
        is_public=False,
    )
    _tell_escalated(locked, step, f"风险等级升为{risk.label}", now)
    from zongzhi.dispatch import key_cases

    key_cases.check_case(locked, now=now)  # raised to high: 一案三交
    return f"风险等级由{previous.label}升为{risk.label}"


def move_up(case: Case, step: SweepStep, rule: EscalationRule, what: str, now: datetime) -> str:
    """提级 to the parent centre; when no move can be made, the outcome says why."""
    from zongzhi.dispatch.moves import escalate_overdue

    reason = f"{what}超期，按规则“{rule.name}”自动提级"
    try:
        with transaction.atomic():
            move = escalate_overdue(case, reason=reason, now=now)
    except InvalidTransition as refused:
        return f"未提级：{refused}"
    _tell_escalated(case, step, f"提级至{move.to_place.name}", now)
    return f"提级至{move.to_place.name}（待签收）"


def issue_card(case: Case, step: SweepStep, rule: EscalationRule, what: str, now: datetime) -> str:
    """Issue a supervision card of the rule's grade, by the sweep (by=None); the step's
    source makes it once per step even if the cards module is called twice."""
    from zongzhi.dispatch.cards import CardGrade
    from zongzhi.dispatch.cards import issue_card as issue

    grade = CardGrade(rule.card_grade)
    text = f"{what}已超期，按规则“{rule.name}”督办，请说明原因并限期办结。"
    issue(case, by=None, grade=grade, text=text, source=step_source(step), now=now)
    return f"已发{grade.label}"


ACTIONS = {
    EscalationAction.RAISE_RISK: raise_risk,
    EscalationAction.MOVE_UP: move_up,
    EscalationAction.ISSUE_CARD: issue_card,
}


@transaction.atomic
def raise_for_signal(
    case: Case,
    signal_key: str,
    *,
    actor=None,
    note: str = "",
    now: datetime | None = None,
) -> CaseEvent | None:
    """A confirmed high-risk signal (violence, revenge, self-harm, group incident; from the
    screening issue) raises the case to high, once per (case, signal): the case becomes
    urgent (its unmet accept and meet milestones run in natural hours from now), its clock
    starts a new version, and a 'risk_signal' event is written. Returns the event, or None
    when this signal was already applied or the case has ended.
    """
    from zongzhi.cases.services import actor_label, apply_risk, record_event

    now = now or timezone.now()
    if claim(case.pk, f"signal:{signal_key}"[:60], 1, "raise", now) is None:
        return None
    locked = _locked(case)
    if not deadlines.is_open(locked):
        return None
    previous = RiskGrade(locked.risk)
    if previous != RiskGrade.HIGH:
        locked.save(update_fields=apply_risk(locked, RiskGrade.HIGH, now))
    for field in Case._meta.concrete_fields:  # hand the caller's instance the new state
        setattr(case, field.attname, getattr(locked, field.attname))
    event = record_event(
        locked,
        "risk_signal",
        actor=actor,
        label=actor_label(actor, SYSTEM_LABEL),
        at=now,
        from_status=locked.status,
        note=note or f"确认风险信号“{signal_key}”，风险等级提为高",
        data={"signal": signal_key, "from": previous.value, "to": RiskGrade.HIGH.value},
        is_public=False,
    )
    # A confirmed signal also makes the case key (一案三交), once, in the same transaction.
    from zongzhi.dispatch import key_cases

    key_cases.confirm_risk_signal(locked, signal=signal_key, actor=actor, now=now)
    return event
