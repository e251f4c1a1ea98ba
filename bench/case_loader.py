"""Bulk-load synthetic cases for benchmarks: fast, and with the fields the services would set.

Due times and `next_due_at` come from `zongzhi.cases.deadlines` (compute_due_times,
next_due_at), exactly as `cases.services` computes them, so colours and "overdue" behave
as in production. Cases are spread evenly over the grids of a generated province and over
`span_days`; old ones are mostly closed, young ones at every step.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from zongzhi.cases import deadlines
from zongzhi.cases.choices import Outcome, RiskGrade, Source, Status
from zongzhi.cases.models import Case, DisputeType
from zongzhi.cases.numbering import QUERY_CODE_ALPHABET, QUERY_CODE_LENGTH
from zongzhi.places.models import Level, Place

TITLES = (
    "邻里因排水沟堵塞发生争执",
    "田埂地界不清引发纠纷",
    "务工人员反映拖欠工资",
    "赡养老人问题家庭矛盾",
    "柑桔收购价格纠纷",
    "烤烟定级收购争议",
    "交通事故赔偿协商未果",
    "土地流转租金未付",
    "物业费上涨业主不满",
    "借款到期未还",
)
SOURCES = list(Source)
SOURCE_WEIGHTS = [16, 22, 22, 12, 8, 6, 6, 5, 3]  # in Source order
RISKS = [RiskGrade.LOW, RiskGrade.MEDIUM, RiskGrade.HIGH]
OPEN_STEPS = [Status.ASSESS, Status.ASSIGN, Status.RESOLVE, Status.STABILISE]
_CODE_SPACE = len(QUERY_CODE_ALPHABET) ** QUERY_CODE_LENGTH
_CODE_MULTIPLIER = 2_654_435_761  # odd and coprime with 31**8: a bijection on the code space


def _refresh_clock(case: Case, calendar=None) -> None:
    """`next_due_at` (and `warn_at` where the model has it) exactly as the services set them."""
    refresh = getattr(deadlines, "refresh_clock", None)
    if refresh is not None:
        refresh(case, calendar)
    else:
        case.next_due_at = deadlines.next_due_at(case)


def query_code(index: int) -> str:
    """A unique 8-character query code per index (a scrambled counter, no collisions)."""
    value = (index * _CODE_MULTIPLIER + 12_345) % _CODE_SPACE
    chars = []
    for _ in range(QUERY_CODE_LENGTH):
        value, digit = divmod(value, len(QUERY_CODE_ALPHABET))
        chars.append(QUERY_CODE_ALPHABET[digit])
    return "".join(chars)


@dataclass(frozen=True)
class GridRef:
    id: int
    path: str
    county_id: int
    county_code: str


def grid_refs(province: Place) -> list[GridRef]:
    counties = dict(
        Place.objects.under(province).filter(level=Level.COUNTY).values_list("code", "id")
    )
    refs = []
    for pk, path in (
        Place.objects.under(province).filter(level=Level.GRID).values_list("id", "path")
    ):
        county_code = path.split("/")[2]
        refs.append(GridRef(pk, path, counties[county_code], county_code))
    return refs


class CaseFactory:
    """Makes unsaved Case rows; `next(index)` is deterministic for a seed."""

    def __init__(self, grids: list[GridRef], now: datetime, span_days: int, seed: int):
        self.grids = grids
        self.now = now
        self.span = timedelta(days=span_days).total_seconds()
        self.rng = random.Random(seed)
        # One national working-day calendar for all cases (read once per year it touches).
        self.calendar = deadlines.current_calendar()
        self.types = list(DisputeType.objects.filter(is_active=True).values_list("id", flat=True))
        self.sequences: dict[tuple[str, int], int] = defaultdict(int)

    def make(self, index: int) -> Case:
        rng = self.rng
        grid = self.grids[rng.randrange(len(self.grids))]
        created = self.now - timedelta(seconds=rng.random() * self.span)
        local_year = timezone.localtime(created).year
        key = (grid.county_code, local_year)
        self.sequences[key] += 1
        case = Case(
            number=f"{grid.county_code}-{local_year}-{self.sequences[key]:06d}",
            query_code=query_code(index),
            source=rng.choices(SOURCES, SOURCE_WEIGHTS)[0],
            title=TITLES[rng.randrange(len(TITLES))],
            description="基准测试数据",
            dispute_type_id=self.types[rng.randrange(len(self.types))],
            risk=rng.choices(RISKS, (65, 28, 7))[0],
            people_count=rng.randint(2, 6),
            place_id=grid.id,
            place_path=grid.path,
            county_id=grid.county_id,
            created_at=created,
            updated_at=created,
            outcome=Outcome.NONE,
        )
        self._progress(case, created)
        return case

    def _progress(self, case: Case, created: datetime) -> None:
        """Set status, outcome and milestone times as the services would have left them."""
        rng = self.rng
        if rng.random() < 0.02:  # a grid worker's visit or screening record: no clock yet
            case.status = rng.choice([Status.VISIT, Status.SCREEN])
            _refresh_clock(case, self.calendar)
            return
        case.reported_at = created
        urgent = deadlines.is_urgent(case)
        due_times = deadlines.compute_due_times(created, self.calendar, urgent=urgent)
        for name, due in due_times.as_fields().items():
            setattr(case, name, due)

        def after(start: datetime, low_hours: float, high_hours: float) -> datetime | None:
            at = start + timedelta(hours=rng.uniform(low_hours, high_hours))
            return at if at < self.now else None

        # Milestones in order; each may not have happened yet (young case) or the case may
        # be stuck (5% of old cases stay open, and turn red once overdue).
        stuck_after = rng.randrange(1, 5) if rng.random() < 0.05 else 99
        if rng.random() < 0.03:
            case.status, case.outcome = Status.REJECTED, Outcome.REJECTED
            case.closed_at = after(created, 1, 30) or self.now
        else:
            case.status = Status.REPORT
            steps = [
                ("accepted_at", Status.ASSESS, 0.3, 24),
                ("parties_met_at", None, 3, 60),
                ("concluded_at", Status.FOLLOW_UP, 12, 110),
                ("closed_at", Status.CLOSED, 20, 160),
            ]
            at = created
            for number, (field, status, low, high) in enumerate(steps, start=1):
                if number > stuck_after:
                    break
                reached = after(at, low, high)
                if reached is None:
                    break
                setattr(case, field, reached)
                at = reached
                if field == "parties_met_at":
                    case.status = (
                        rng.choice(OPEN_STEPS[2:]) if rng.random() < 0.2 else Status.RESOLVE
                    )
                elif field == "accepted_at":
                    case.status = rng.choice(OPEN_STEPS[:2])
                else:
                    case.status = status
                if field == "concluded_at":
                    case.outcome = Outcome.RESOLVED if rng.random() < 0.86 else Outcome.UNRESOLVED
                    deadlines.record_conclusion(case, case.outcome, reached)
        _refresh_clock(case, self.calendar)


def load_cases(
    factory: CaseFactory,
    start: int,
    count: int,
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> None:
    """bulk_create `count` cases numbered from `start`, one transaction per batch."""
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        rows = [factory.make(start + done + i) for i in range(size)]
        with transaction.atomic():
            Case.objects.bulk_create(rows, batch_size=batch_size)
        done += size
        if progress:
            progress(done)
