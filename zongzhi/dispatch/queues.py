"""A centre's own queues: what it holds, what it must sign for, what it handed down and
still watches (read by the workbench queue tabs, the home page and the API)."""

from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from zongzhi.cases.deadlines import open_q
from zongzhi.dispatch.models.moves import CaseMove, MoveKind, MoveState
from zongzhi.places.models import Place


class CentreTab:
    HELD = "held"
    TO_SIGN = "to_sign"
    WATCHED = "watched"
    CHOICES = [(HELD, "本中心承办"), (TO_SIGN, "待签收"), (WATCHED, "已下交跟踪")]
    VALUES = frozenset({HELD, TO_SIGN, WATCHED})


def _pending_to(place: Place):
    return CaseMove.objects.filter(case=OuterRef("pk"), state=MoveState.PENDING, to_place=place)


def _handed_down_by(place: Place):
    return CaseMove.objects.filter(
        case=OuterRef("pk"),
        state=MoveState.SIGNED,
        kind__in=(MoveKind.DELEGATE, MoveKind.DESIGNATE, MoveKind.TRANSFER),
        from_place=place,
    )


def centre_queue(cases: QuerySet, tab: str, place: Place | None) -> QuerySet:
    """Narrow already scoped `cases` to one of `place`'s centre tabs (none for no place).

    held: the centre holds it (pending moves out of it included, it still answers for them);
    to_sign: a move to the centre awaits its signature; watched: open cases it handed down
    (下交, 转办 to a unit below, or designated downwards) now held by a centre below it; a
    退回 is not watched (the case was not the sender's to begin with)."""
    if place is None or tab not in CentreTab.VALUES:
        return cases.none() if tab in CentreTab.VALUES else cases
    if tab == CentreTab.HELD:
        return cases.filter(holding_place=place)
    if tab == CentreTab.TO_SIGN:
        # The sign-for deadline goes with each row (shown, overdue marked, in the queue).
        due = Subquery(_pending_to(place).values("sign_due_at")[:1])
        return cases.filter(Exists(_pending_to(place))).annotate(sign_due_at=due)
    below = cases.filter(holding_place__path__under=place.path).exclude(holding_place=place)
    return below.filter(open_q()).filter(Exists(_handed_down_by(place)))


def centre_counts(cases: QuerySet, place: Place | None) -> dict[str, int]:
    """How many cases are in each of `place`'s tabs (open ones for held)."""
    return {
        CentreTab.HELD: centre_queue(cases, CentreTab.HELD, place).filter(open_q()).count(),
        CentreTab.TO_SIGN: centre_queue(cases, CentreTab.TO_SIGN, place).count(),
        CentreTab.WATCHED: centre_queue(cases, CentreTab.WATCHED, place).count(),
    }


def moves_to_sign(cases: QuerySet, place: Place | None, *, now: datetime | None = None) -> list:
    """The pending moves to `place` on `cases`, soonest deadline first, each with `overdue`
    (for the home page's 待签收 list)."""
    if place is None:
        return []
    now = now or timezone.now()
    moves = (
        CaseMove.objects.filter(state=MoveState.PENDING, to_place=place, case__in=cases)
        .select_related("case", "from_place", "unit")
        .order_by("sign_due_at", "id")
    )
    rows = list(moves[:50])
    for move in rows:
        move.overdue = move.sign_due_at < now
    return rows


def centre_home(user, cases: QuerySet, *, now: datetime | None = None) -> dict:
    """The home page's part: the tabs' counts and the 待签收 list, for the intake staff
    (window clerks, leaders, administrators) of the user's centre; nothing for others."""
    from zongzhi.dispatch.moves import MOVING_ROLES

    if user.role not in MOVING_ROLES or user.place_id is None:
        return {"centre_counts": None, "to_sign": []}
    return {
        "centre_counts": centre_counts(cases, user.place),
        "to_sign": moves_to_sign(cases, user.place, now=now),
    }
