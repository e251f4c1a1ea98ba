"""The escalation sweep: what is due now, for case milestones (13715) and clock.Deadline rows.

For the next unmet milestone of an open case, and for every pending Deadline, the steps are:
- "remind" at its warning time (临期): the responsible handler is reminded (skipped when the
  due time has passed too: the overdue alert says more);
- "overdue" at its due time: an overdue event on the case timeline, which tells the
  responsible, the lead and the holding centre's leaders (notify.events);
- "rule:<id>" for each active EscalationRule of that milestone or Deadline kind, its delay
  after the due time: the rule's action (clock.escalation).
Urgent cases' reminders and alerts also go to whoever is on duty when the office is closed
(clock.alerts). Each step is taken exactly once per deadline and version (clock.escalation).

Cost grows with what is due, not with the open cases: `Case.next_sweep_at` (set by
deadlines.refresh_clock) and `Deadline.next_sweep_at` (clock.tracking) say when a row next
has a step; both have partial indexes, so a sweep with nothing due is one index probe per
table. After a row's due steps, its next_sweep_at moves to its next step (NULL when none is
left). Rules added later apply to rows whose steps are not all behind them. Rows are taken in
batches, one transaction per batch, locked with SKIP LOCKED (PostgreSQL; SQLite runs one
writer anyway), so two sweeps share the work; when something in a batch fails, the batch is
gone through again row by row with a savepoint per step, so a step that fails is rolled back
alone, logged and tried again RETRY_AFTER later (see _batches). A worker killed mid-way
loses its whole batch transaction and the next sweep redoes it.
"""

import logging
import operator
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import reduce

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zongzhi.cases import deadlines
from zongzhi.cases.choices import Milestone
from zongzhi.cases.models import Case
from zongzhi.clock import alerts, escalation
from zongzhi.clock.calendar import WorkingDayCalendar
from zongzhi.clock.models import Deadline, DelayUnit, EscalationRule, SpecialDay, SweepStep
from zongzhi.clock.office import add_working_hours
from zongzhi.clock.tracking import pending_q

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
RETRY_AFTER = timedelta(minutes=10)
# How often the deadlines of a case whose clock is paused are looked at again.
PAUSED_RECHECK = timedelta(hours=1)
REMIND, OVERDUE = "remind", "overdue"


@dataclass(frozen=True)
class Step:
    name: str
    at: datetime
    rule: EscalationRule | None = None


@dataclass
class SweepReport:
    cases: int = 0
    deadlines: int = 0
    reminders: int = 0
    overdue: int = 0
    escalations: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def steps(self) -> int:
        return self.reminders + self.overdue + self.escalations


def rule_time(due: datetime, rule: EscalationRule, calendar: WorkingDayCalendar) -> datetime:
    """When `rule` acts on a deadline due at `due`."""
    if rule.delay == 0:
        return due
    if rule.delay_unit == DelayUnit.NATURAL_HOURS:
        return due + timedelta(hours=rule.delay)
    if rule.delay_unit == DelayUnit.WORKING_HOURS:
        return add_working_hours(due, rule.delay, calendar)
    # N working days after the day the deadline ends (a due time at 24:00 ends that day).
    return calendar.add_working_days(due - timedelta(microseconds=1), rule.delay)


class _Run:
    """What one sweep keeps while it works: the rules, calendars per place, the report."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.report = SweepReport()
        self._rules: tuple[dict, dict] | None = None
        self._local_codes: set[str] | None = None
        self._national = WorkingDayCalendar()
        self._calendars: dict[int, WorkingDayCalendar] = {}
        self.safe = False
        # Next sweep times to write at the end of the batch: model → time → row conditions.
        self._next: dict[type, dict[datetime | None, list[Q]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def set_next(self, model: type, next_at: datetime | None, condition: Q) -> None:
        """Set the next sweep time of the row matching `condition` when the batch ends."""
        self._next[model][next_at].append(condition)

    def write_next(self) -> None:
        """One UPDATE per model and distinct time (most rows of a batch share a few)."""
        for model, by_time in self._next.items():
            for next_at, conditions in by_time.items():
                model.objects.filter(reduce(operator.or_, conditions)).update(next_sweep_at=next_at)
        self._next.clear()

    def forget_next(self) -> None:
        """Drop the times of a batch that was rolled back."""
        self._next.clear()

    def rules(self, *, milestone: str = "", kind: str = "") -> list[EscalationRule]:
        """The active rules of a milestone or a Deadline kind (read once per sweep)."""
        if self._rules is None:
            by_milestone, by_kind = defaultdict(list), defaultdict(list)
            for rule in EscalationRule.objects.filter(is_active=True):
                if rule.milestone:
                    by_milestone[rule.milestone].append(rule)
                else:
                    by_kind[rule.deadline_kind].append(rule)
            self._rules = by_milestone, by_kind
        return self._rules[0].get(milestone, []) if milestone else self._rules[1].get(kind, [])

    def calendar(self, case: Case) -> WorkingDayCalendar:
        """The case's calendar: the national one, shared, unless a place above the case has
        days of its own (a prefecture's local holiday)."""
        if self._local_codes is None:
            local = SpecialDay.objects.filter(place__isnull=False)
            self._local_codes = set(local.values_list("place__code", flat=True))
        if not self._local_codes.intersection(case.place.ancestor_codes):
            return self._national
        if case.place_id not in self._calendars:
            self._calendars[case.place_id] = WorkingDayCalendar(case.place)
        return self._calendars[case.place_id]

    def steps(self, case: Case, due: datetime, warn: datetime | None, rules) -> list[Step]:
        steps = [Step(REMIND, warn)] if warn is not None else []
        steps.append(Step(OVERDUE, due))
        steps += [Step(f"rule:{r.pk}", rule_time(due, r, self.calendar(case)), r) for r in rules]
        return steps

    def take(self, case: Case, target: str, version: int, step: Step, act: Callable) -> bool:
        """Take one step: claim it first, then act. False when it was already taken. In safe
        mode the step has its own savepoint (a failure rolls back the step and its claim);
        otherwise a failure aborts the whole batch (see _batches)."""
        with transaction.atomic() if self.safe else nullcontext():
            taken = escalation.claim(case.pk, target, version, step.name, self.now)
            if taken is None:
                return False
            outcome = act(taken)
            if outcome:
                SweepStep.objects.filter(pk=taken.pk).update(outcome=outcome[:200])
            return True

    def run_steps(self, case, target, version, steps, actions) -> datetime | None:
        """Take the due steps; returns the next sweep time (the next step, or a retry)."""
        now = self.now
        due = next(s.at for s in steps if s.name == OVERDUE)
        upcoming = [s.at for s in steps if s.at > now]
        for step in steps:
            if step.at > now or (step.name == REMIND and due <= now):
                continue
            try:
                if self.take(case, target, version, step, actions[step.name.split(":")[0]](step)):
                    counter = {REMIND: "reminders", OVERDUE: "overdue"}.get(step.name)
                    counter = counter or "escalations"
                    setattr(self.report, counter, getattr(self.report, counter) + 1)
                    self.report.lines.append(f"{case.number} {target} v{version} {step.name}")
            except Exception:
                if not self.safe:
                    raise
                logger.exception("sweep step %s %s v%s %s failed", case.pk, target, version, step)
                self.report.failed += 1
                upcoming.append(now + RETRY_AFTER)
        return min(upcoming, default=None)


def _remind(run: _Run, case: Case, what: str, due: datetime, deadline=None):
    from zongzhi.notify import texts
    from zongzhi.notify.models import Kind
    from zongzhi.notify.outbox import enqueue_staff

    def act(taken: SweepStep) -> str:
        recipients = alerts.reminder_recipients(case, run.now, deadline, run.calendar(case))
        due_text = alerts.due_text(due)
        messages = {
            user: texts.staff_reminder(case, what, due_text, on_duty=on_duty)
            for user, on_duty in recipients.items()
        }
        source = escalation.step_source(taken)
        enqueue_staff(Kind.DEADLINE_REMINDER, messages, source=source, case=case, now=run.now)
        return f"提醒{len(messages)}人"

    return act


def _overdue(run: _Run, case: Case, kind: str, what: str, due: datetime, data: dict):
    from zongzhi.cases.services import record_event

    def act(taken: SweepStep) -> str:
        record_event(
            case,
            kind,
            actor=None,
            label=escalation.SYSTEM_LABEL,
            at=run.now,
            from_status=case.status,
            note=f"{what}已超期（时限{alerts.due_text(due)}）",
            data=data | {"what": what, "due": due.isoformat(), "step": taken.pk},
            is_public=False,
        )
        return ""

    return act


def _rule(run: _Run, case: Case, what: str):
    def for_step(step: Step):
        rule = step.rule
        return lambda taken: escalation.ACTIONS[rule.action](case, taken, rule, what, run.now)

    return for_step


def _sweep_case(run: _Run, case: Case) -> None:
    milestone = deadlines.next_milestone(case) if deadlines.is_open(case) else None
    due, warn, version = case.next_due_at, case.warn_at, case.clock_version
    if milestone is None or due is None:
        Case.objects.filter(pk=case.pk).update(next_sweep_at=None)
        return
    what = f"{Milestone(milestone).label}时限"
    target = f"milestone:{milestone.value}"
    data = {"milestone": milestone.value, "version": version}
    steps = run.steps(case, due, warn, run.rules(milestone=milestone.value))
    actions = {
        REMIND: lambda step: _remind(run, case, what, due),
        OVERDUE: lambda step: _overdue(run, case, "overdue", what, due, data),
        "rule": _rule(run, case, what),
    }
    next_at = run.run_steps(case, target, version, steps, actions)
    # Only if no action moved the clock meanwhile (refresh_clock then set the time itself).
    run.set_next(Case, next_at, Q(pk=case.pk, clock_version=version, next_due_at=due))
    run.report.cases += 1


def _sweep_deadline(run: _Run, deadline: Deadline) -> None:
    case = deadline.case
    if not deadlines.is_open(case):
        Deadline.objects.filter(pk=deadline.pk).update(next_sweep_at=None)
        return
    if deadlines.is_paused(case):
        # The case's clock is stopped (停止计时): its deadlines wait; the resume moves those
        # still ahead (clock.pauses), and the others are looked at again after the pause.
        Deadline.objects.filter(pk=deadline.pk).update(next_sweep_at=run.now + PAUSED_RECHECK)
        return
    due, version = deadline.due_at, deadline.version
    what = deadline.label
    target = f"deadline:{deadline.pk}"
    data = {"deadline": deadline.pk, "kind": deadline.kind, "version": version}
    steps = run.steps(case, due, deadline.warn_at, run.rules(kind=deadline.kind))
    actions = {
        REMIND: lambda step: _remind(run, case, what, due, deadline),
        OVERDUE: lambda step: _overdue(run, case, "deadline_overdue", what, due, data),
        "rule": _rule(run, case, what),
    }
    next_at = run.run_steps(case, target, version, steps, actions)
    run.set_next(Deadline, next_at, Q(pk=deadline.pk, version=version))
    run.report.deadlines += 1


def _batches(queryset, run: _Run, work: Callable, batch_size: int) -> None:
    """Lock and work through due rows batch by batch until none is left.

    A batch is one transaction without savepoints (the common case costs a few statements
    per row). If anything in it fails, the batch rolls back whole and its rows are gone
    through again one by one, each in its own transaction with a savepoint per step: a
    failing step is then rolled back alone, logged and tried again RETRY_AFTER later, and a
    row that fails outside its steps is left for the next sweep."""
    skip: set[int] = set()
    visits: dict[int, int] = defaultdict(int)
    due = queryset.filter(next_sweep_at__lte=run.now)
    # Nothing due is the common case: one probe of the partial index, no transaction.
    if not due.order_by().values("pk")[:1]:
        return
    while True:
        rows: list = []
        saved = replace(run.report, lines=list(run.report.lines))
        try:
            with transaction.atomic():
                rows = list(
                    due.exclude(pk__in=skip)
                    .select_for_update(skip_locked=True, of=("self",))
                    .order_by("next_sweep_at", "pk")[:batch_size]
                )
                alerts.remember_leads([getattr(row, "case_id", row.pk) for row in rows])
                for row in rows:
                    work(run, row)
                run.write_next()
        except Exception:
            logger.warning("a sweep batch failed; going through it row by row", exc_info=True)
            run.report = saved
            run.forget_next()
            _one_by_one(due, run, work, [row.pk for row in rows], skip)
        for row in rows:
            # A second visit settles a row whose clock an action moved (see _sweep_case).
            visits[row.pk] += 1
            if visits[row.pk] >= 2:
                skip.add(row.pk)
        if len(rows) < batch_size:
            return


def _one_by_one(due, run: _Run, work: Callable, ids: list[int], skip: set[int]) -> None:
    run.safe = True
    try:
        for pk in ids:
            try:
                with transaction.atomic():
                    locked = due.select_for_update(skip_locked=True, of=("self",))
                    row = locked.filter(pk=pk).first()
                    if row is not None:
                        work(run, row)
                    run.write_next()
            except Exception:
                run.forget_next()
                logger.exception("sweep of row %s failed; left for the next sweep", pk)
                run.report.failed += 1
                skip.add(pk)
    finally:
        run.safe = False


def sweep(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> SweepReport:
    """Take every step due at `now` (reminders, overdue alerts, escalation rules) of case
    milestones and Deadline rows, each exactly once; returns what was done."""
    run = _Run(now or timezone.now())
    with alerts.remembering():
        _batches(Case.objects.select_related("place"), run, _sweep_case, batch_size)
        deadline_rows = Deadline.objects.filter(pending_q()).select_related(
            "case", "case__place", "responsible_user", "responsible_unit"
        )
        _batches(deadline_rows, run, _sweep_deadline, batch_size)
    return run.report
