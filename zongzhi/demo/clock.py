"""The demo's pauses and extensions, in 红塔区玉兴街道 (where the README's accounts work): a case
paused while it waits for an appraisal, one paused and resumed, an approved and a refused
extension, and a pause and an extension waiting for the leader (hongta-yuxing-leader)."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max

from zongzhi.accounts.models import Role, User
from zongzhi.cases.choices import Status
from zongzhi.cases.errors import CaseError
from zongzhi.cases.models import Case
from zongzhi.clock import extensions, pauses
from zongzhi.places.models import Place

TOWNSHIP = "玉兴街道"
APPRAISAL = "一方当事人伤情需由司法鉴定机构出具鉴定意见，等待鉴定结果期间停止计时"
HOSPITAL = "申请人住院治疗，暂无法参加调解"
EXTEND = "当事人在外务工，约定返乡后面对面调解，需延长时限"
EXTEND_REFUSED = "双方分歧不大，请电话联系当事人尽快调解，不予延期"


def _candidates(
    township: Place, now: datetime, older_than: timedelta, fresh: str, quiet_first: bool = False
) -> Iterator[Case]:
    """Open cases the township itself holds, in 交办 or 化解, newest first; `fresh` says which
    showcases they must not already be in: "both", "pauses" or "extensions"."""
    cases = Case.objects.filter(
        holding_place=township,
        status__in=[Status.ASSIGN, Status.RESOLVE],
        created_at__lte=now - older_than,
    )
    if fresh in ("both", "pauses"):
        cases = cases.exclude(clock_pauses__isnull=False)
    if fresh in ("both", "extensions"):
        cases = cases.exclude(extensions__isnull=False)
    if quiet_first:  # the cases whose own history ended longest ago come first
        cases = cases.annotate(last_event=Max("events__created_at")).order_by("last_event")
    else:
        cases = cases.order_by("-created_at")
    yield from cases[:40]


def _after_history(case: Case, at: datetime) -> datetime:
    """`at`, or just after the case's latest event when that is later."""
    latest = case.events.order_by("-created_at").values_list("created_at", flat=True).first()
    return max(at, latest + timedelta(minutes=20)) if latest else at


def _in_the_past(now: datetime, last: datetime) -> None:
    if last > now:
        raise CaseError("the showcase would end in the future")


def _try(call) -> bool:
    try:
        with transaction.atomic():
            call()
    except CaseError:
        return False
    return True


def load_clock_demo(now: datetime) -> None:
    """Add the clock's showcases to an already loaded demo (see the module docstring)."""
    township = Place.objects.filter(name=TOWNSHIP, parent__name="红塔区").first()
    if township is None:
        return
    clerk = User.objects.filter(role=Role.WINDOW_CLERK, place=township).first()
    leader = User.objects.filter(role=Role.CENTRE_LEADER, place=township).first()
    if clerk is None or leader is None:
        return
    day = timedelta(days=1)
    hour = timedelta(hours=1)

    def paused_now(case: Case) -> None:
        start = _after_history(case, now - 2 * day)
        _in_the_past(now, start + hour)
        pause = pauses.request_pause(case, actor=clerk, reason=APPRAISAL, now=start)
        pauses.decide_pause(pause, actor=leader, approve=True, note="同意", now=start + hour)

    def resumed(case: Case) -> None:
        # Six to three days ago, while the case was being worked (later events, such as a
        # card issued today, may follow it on the timeline).
        start = max(now - 6 * day, case.created_at + day)
        _in_the_past(now, start + 3 * day)
        pause = pauses.request_pause(case, actor=clerk, reason=HOSPITAL, now=start)
        pauses.decide_pause(pause, actor=leader, approve=True, now=start + hour)
        pauses.resume(case, actor=clerk, note="申请人已出院", now=start + 3 * day)

    def extended(case: Case, *, approve: bool) -> None:
        asked = max(now - 5 * hour, case.created_at + hour)
        _in_the_past(now, asked + 2 * hour)
        ext = extensions.request_extension(case, actor=clerk, days=2, reason=EXTEND, now=asked)
        note = "同意延长1个工作日" if approve else EXTEND_REFUSED
        days = 1 if approve else None
        extensions.decide_extension(
            ext, actor=leader, approve=approve, days=days, note=note, now=asked + 2 * hour
        )

    def waiting(case: Case) -> None:
        asked = max(now - 3 * hour, case.created_at + hour)
        _in_the_past(now, asked)
        extensions.request_extension(case, actor=clerk, days=2, reason=EXTEND, now=asked)

    def waiting_pause(case: Case) -> None:
        asked = max(now - 2 * hour, case.created_at + hour)
        _in_the_past(now, asked)
        pauses.request_pause(case, actor=clerk, reason=APPRAISAL, now=asked)

    plan = [
        (paused_now, 3 * day, "both"),
        (resumed, 7 * day, "both", True),
        (lambda c: extended(c, approve=True), 0 * day, "both"),
        (lambda c: extended(c, approve=False), 0 * day, "both"),
        (waiting, 0 * day, "extensions"),
        (waiting_pause, 0 * day, "pauses"),
    ]
    for step, older_than, fresh, *quiet in plan:
        for case in _candidates(township, now, older_than, fresh, bool(quiet)):
            if _try(lambda case=case, step=step: step(case)):
                break
