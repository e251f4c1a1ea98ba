"""How a demo case moves through the nine steps: a plan of actions with gaps in time.

A plan starts `age` before now and takes its steps one after another; the loader stops at the
first step that would lie in the future, so young cases end early in the process and old
ones finish, as in a real centre. The first plans (COVERAGE) are fixed so that even a small
demo shows every step and every colour.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from zongzhi.cases.choices import Outcome, RiskGrade, Source, Status
from zongzhi.cases.workflow import Action
from zongzhi.places.models import Level

# A pseudo-action: re-judge the risk grade (研判), written by cases.services.change_risk.
RISK_CHANGE = "risk_changed"


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


def days(value: float) -> timedelta:
    return timedelta(days=value)


@dataclass
class Step:
    action: Action | str
    gap: timedelta
    outcome: Outcome | None = None


@dataclass
class Plan:
    age: timedelta
    steps: list[Step] = field(default_factory=list)
    initial: Status = Status.REPORT
    # None: drawn by the loader.
    risk: RiskGrade | None = None
    source: Source | None = None
    level: Level | None = None  # which centre handles it: COUNTY, TOWNSHIP or VILLAGE


def _s(action, gap_hours: float, outcome: Outcome | None = None) -> Step:
    return Step(action, hours(gap_hours), outcome)


A = Action
RESOLVED, UNRESOLVED = Outcome.RESOLVED, Outcome.UNRESOLVED
_FULL = [_s(A.ACCEPT, 4), _s(A.ASSIGN, 2), _s(A.MEET, 30)]

COVERAGE: tuple[Plan, ...] = (
    # Grid worker's visit record, screened, reported.
    Plan(hours(3), initial=Status.VISIT, source=Source.GRID),
    Plan(hours(26), [_s(A.SCREEN, 20)], initial=Status.VISIT, source=Source.GRID),
    Plan(hours(40), [_s(A.SCREEN, 6), _s(A.REPORT, 10)], initial=Status.VISIT, source=Source.GRID),
    # Reported, waiting to be accepted: fresh, and close to the one-day limit (red).
    Plan(hours(3)),
    Plan(hours(20)),
    # Accepted: normal while the meeting is far off, red when it nears.
    Plan(hours(30), [_s(A.ACCEPT, 4)]),
    Plan(hours(62), [_s(A.ACCEPT, 5)]),
    Plan(hours(20), [_s(A.ACCEPT, 3), _s(A.ASSIGN, 2)]),
    Plan(hours(50), _FULL[:2] + [_s(A.MEET, 20)]),
    Plan(hours(75), _FULL + [_s(A.STABILISE, 30)], risk=RiskGrade.HIGH, level=Level.COUNTY),
    # Stabilised, then back to 化解 (supervision cards come from zongzhi.demo.cards).
    Plan(
        hours(80),
        _FULL + [_s(A.STABILISE, 20), _s(A.UNSTABILISE, 20)],
        risk=RiskGrade.MEDIUM,
        level=Level.COUNTY,
    ),
    Plan(hours(130), _FULL + [_s(A.CONCLUDE, 60, RESOLVED)]),
    Plan(days(9), _FULL + [_s(A.CONCLUDE, 80, UNRESOLVED)]),
    Plan(days(30), _FULL + [_s(A.CONCLUDE, 70, RESOLVED), _s(A.CLOSE, 90)]),
    Plan(days(40), _FULL + [_s(A.CONCLUDE, 100, UNRESOLVED), _s(A.CLOSE, 72)]),
    Plan(days(12), [_s(A.REJECT, 5)]),
    Plan(days(20), [_s(A.ACCEPT, 3), _s(A.REJECT, 20)]),
    # Stalled after the meeting: a few days past its resolution deadline.
    Plan(days(9), _FULL, risk=RiskGrade.MEDIUM),
    # Closed, relapsed, reopened.
    Plan(
        days(40),
        _FULL + [_s(A.CONCLUDE, 60, RESOLVED), _s(A.CLOSE, 60), _s(A.REOPEN, 24 * 25)],
    ),
    # Sent back, reassigned, stabilised, back to 化解 and closed; risk re-judged on the way.
    Plan(
        days(14),
        [
            _s(A.ACCEPT, 3),
            _s(RISK_CHANGE, 1),
            _s(A.ASSIGN, 2),
            _s(A.SEND_BACK, 6),
            _s(A.ASSIGN, 3),
            _s(A.MEET, 20),
            _s(A.STABILISE, 48),
            _s(A.UNSTABILISE, 10),
            _s(A.CONCLUDE, 40, RESOLVED),
            _s(A.CLOSE, 50),
        ],
        level=Level.COUNTY,
    ),
)


# The oldest a stalled (stuck) case gets: its overdue days stay in the low tens.
STUCK_MAX_AGE_DAYS = 12


def random_plan(rng: random.Random, max_age_days: float = 120) -> Plan:
    """A typical life: accepted within a day, met within three, resolved, followed up;
    now and then late, sent back, stabilised, rejected, reopened or stuck (supervision cards
    are added afterwards, zongzhi.demo.cards)."""
    age = days(rng.uniform(0.02, max_age_days))
    steps: list[Step] = []
    initial = Status.REPORT
    source = None
    if rng.random() < 0.08:
        initial, source = Status.VISIT, Source.GRID
        steps += [
            Step(A.SCREEN, hours(rng.uniform(1, 30))),
            Step(A.REPORT, hours(rng.uniform(1, 12))),
        ]
    if rng.random() < 0.04:
        if rng.random() < 0.5:
            steps.append(Step(A.ACCEPT, hours(rng.uniform(0.5, 20))))
        steps.append(Step(A.REJECT, hours(rng.uniform(1, 30))))
        return Plan(age, steps, initial, source=source)
    late = rng.random() < 0.05
    steps.append(Step(A.ACCEPT, hours(rng.uniform(26, 40) if late else rng.uniform(0.3, 20))))
    if rng.random() < 0.05:
        steps.append(Step(RISK_CHANGE, hours(rng.uniform(0.5, 6))))
    steps.append(Step(A.ASSIGN, hours(rng.uniform(0.2, 10))))
    if rng.random() < 0.05:
        steps += [
            Step(A.SEND_BACK, hours(rng.uniform(2, 20))),
            Step(A.ASSIGN, hours(rng.uniform(1, 8))),
        ]
    late = rng.random() < 0.06
    steps.append(Step(A.MEET, hours(rng.uniform(72, 130) if late else rng.uniform(3, 45))))
    detour = rng.random()
    if detour < 0.07:
        steps += [
            Step(A.STABILISE, hours(rng.uniform(6, 40))),
            Step(A.UNSTABILISE, hours(rng.uniform(12, 60))),
        ]
    outcome = RESOLVED if rng.random() < 0.86 else UNRESOLVED
    # Most are resolved well within the 7 days; a tail of one in ten or so runs late by days.
    late = rng.random() < 0.06
    conclude_gap = rng.uniform(110, 200) if late else rng.uniform(8, 80)
    steps.append(Step(A.CONCLUDE, hours(conclude_gap), outcome))
    steps.append(Step(A.CLOSE, hours(rng.uniform(20, 160))))
    if rng.random() < 0.04:
        steps += [
            Step(A.REOPEN, days(rng.uniform(3, 20))),
            Step(A.CONCLUDE, hours(rng.uniform(24, 120)), rng.choice([RESOLVED, UNRESOLVED])),
            Step(A.CLOSE, hours(rng.uniform(24, 120))),
        ]
    if rng.random() < 0.04:
        # Stuck: stops somewhere along the way and stays open, overdue once its time passes.
        # Only recent cases: a working centre supervises a stalled case to an end within
        # days or weeks, so no open case lies months past its deadline.
        steps = steps[: rng.randrange(1, len(steps))]
        age = days(rng.uniform(1, STUCK_MAX_AGE_DAYS))
    return Plan(age, steps, initial, source=source)
