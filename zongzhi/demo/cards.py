"""The demo's supervision cards (督办单、黄牌、红牌): several of each grade in each state
(awaiting a reply, some of them late; replied; closed as 满意 or 不满意), on open cases at
every step, issued by the centre above the holding centre through zongzhi.dispatch.cards.
The README's township (玉兴街道) gets them first, so its accounts and 红塔区's leader find
cards to reply to and to close; a few are issued by the escalation sweep (no issuer)."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max

from zongzhi.accounts.models import User
from zongzhi.cases.choices import Status
from zongzhi.cases.models import Case, CaseAssignment
from zongzhi.demo.staff import Staff
from zongzhi.dispatch import cards
from zongzhi.dispatch.centres import parent_centre
from zongzhi.dispatch.models.cards import CardGrade, CardState, CardVerdict
from zongzhi.places.models import Place

# Cards per grade and final state.
PER_GRADE_AND_STATE = 3
# At most this many cards on one case.
PER_CASE = 2
# The showcase township's cases that come first (then every step in turn).
SHOWCASE_CASES = 6
STEPS = (Status.ASSESS, Status.ASSIGN, Status.RESOLVE, Status.STABILISE, Status.FOLLOW_UP)
TEXTS = {
    CardGrade.ORDINARY: (
        "已超见面时限，请承办单位加快办理，书面反馈办理进展",
        "群众多次来电询问进度，请说明办理情况和下一步措施",
        "请核实当事人诉求，明确化解责任人和时限",
    ),
    CardGrade.YELLOW: (
        "化解时限将至仍无实质进展，黄牌督办，请主要负责人亲自过问",
        "当事人扬言越级上访，请落实稳控责任并限期化解",
        "研判已超期，请尽快交办并书面说明原因",
    ),
    CardGrade.RED: (
        "一案三交，县级包片领导挂牌督办，限24小时内书面回复",
        "涉及人数多、影响大，红牌督办，请立即组织联调联处",
        "群众反映强烈，中心实时点督，限期化解并报告",
    ),
}
REPLIES = (
    "已召集双方当面调解，达成初步意向，三日内签订调解协议",
    "已落实包保责任人，当事人情绪稳定，正在协调相关部门共同化解",
    "已联合司法所、派出所上门走访，下一步组织听证调解",
)
UNSATISFIED = ("回复未说明化解时限，请重新制定化解方案", "措施不具体，请主要负责人牵头再研究")


def _candidates(staff: Staff, showcase: Place | None) -> list[Case]:
    """Open cases held by a centre with a centre above it: the showcase township's cases led
    by its justice office or mediation room first (their README accounts find a card to
    answer), then its other
    cases, then the rest with the steps interleaved so that every step gets cards."""
    open_cases = (
        Case.objects.filter(status__in=STEPS, holding_place__isnull=False)
        .select_related("holding_place", "place")
        .annotate(last_event=Max("events__created_at"))
        .order_by("-last_event", "pk")
    )
    units = []
    if showcase is not None and showcase.pk in staff.centres:
        centre_units = staff.centres[showcase.pk].units
        units = [centre_units[key] for key in ("justice-office", "room") if key in centre_units]
    led = set(
        CaseAssignment.objects.filter(unit__in=units, kind="lead", ended_at=None).values_list(
            "case_id", flat=True
        )
    )
    first: list[Case] = []
    by_step: dict[str, list[Case]] = {}
    for case in open_cases[:2000]:
        if parent_centre(case.holding_place) is None:
            continue
        if showcase is not None and case.place_path.startswith(showcase.path):
            first.append(case)
        else:
            by_step.setdefault(case.status, []).append(case)
    first.sort(key=lambda c: c.pk not in led)
    ordered = first[:SHOWCASE_CASES]
    rest = first[SHOWCASE_CASES:]
    for case in rest:
        by_step.setdefault(case.status, []).insert(0, case)
    while any(by_step.values()):
        for step in STEPS:
            if by_step.get(step):
                ordered.append(by_step[step].pop(0))
    return ordered


def _replier(case: Case, staff: Staff) -> User | None:
    lead = cards.lead_assignment(case)
    if lead is not None and lead.assignee is not None:
        return lead.assignee
    if lead is not None and lead.unit is not None:
        member = lead.unit.members.filter(is_active=True).order_by("pk").first()
        if member is not None:
            return member
    centre = staff.centres.get(case.holding_place_id)
    return centre.leader if centre else None


def _plan() -> list[tuple[CardGrade, CardState, int]]:
    """Every grade in every final state, PER_GRADE_AND_STATE times, heaviest first."""
    return [
        (grade, state, n)
        for n in range(PER_GRADE_AND_STATE)
        for grade in (CardGrade.RED, CardGrade.YELLOW, CardGrade.ORDINARY)
        for state in (CardState.ISSUED, CardState.REPLIED, CardState.CLOSED)
    ]


@transaction.atomic
def add_supervision_cards(
    staff: Staff, rng: random.Random, latest: datetime, showcase: Place | None
) -> int:
    """Issue, reply to and close the demo's cards, at times after each case's last event and
    before `latest`; returns how many cards were issued."""
    candidates = _candidates(staff, showcase)
    on_case: dict[int, int] = {}
    issued = 0
    for grade, state, n in _plan():
        # A case without a card first; a second card only when every case has one.
        for most in range(1, PER_CASE + 1):
            tried = (c for c in candidates if on_case.get(c.pk, 0) < most)
            case = next((c for c in tried if _one(c, grade, state, n, staff, rng, latest)), None)
            if case is not None:
                on_case[case.pk] = on_case.get(case.pk, 0) + 1
                issued += 1
                break
    return issued


def _one(case, grade, state, n, staff, rng, latest) -> bool:
    """One card on `case`, taken to `state`; False when this case cannot have it."""
    superior = staff.centres.get(parent_centre(case.holding_place).pk)
    sweep = n == 2 and state == CardState.ISSUED  # the escalation sweep's, no issuer
    if superior is None and not sweep:
        return False
    replier = _replier(case, staff)
    if replier is None and state != CardState.ISSUED:
        return False
    issuer = None if sweep else (superior.leader if n != 1 else superior.clerk)
    start = max(case.last_event or case.created_at, latest - timedelta(days=6))
    span = (latest - start).total_seconds()
    issued_at = start + timedelta(seconds=span * rng.uniform(0.1, 0.4))
    card = cards.issue_card(
        case,
        by=issuer,
        grade=grade,
        text=rng.choice(TEXTS[grade]),
        source=f"demo:{case.pk}:{issued_at:%Y%m%d%H%M%S}" if sweep else "",
        now=issued_at,
    )
    case.last_event = issued_at
    if state == CardState.ISSUED:
        return True
    replied_at = issued_at + timedelta(seconds=span * rng.uniform(0.1, 0.3))
    cards.reply_to_card(card, by=replier, reply=rng.choice(REPLIES), now=replied_at)
    case.last_event = replied_at
    if state == CardState.REPLIED:
        return True
    closed_at = replied_at + timedelta(seconds=span * rng.uniform(0.05, 0.2))
    unsatisfied = n == 1
    cards.close_card(
        card,
        by=issuer or superior.leader,
        verdict=CardVerdict.UNSATISFIED if unsatisfied else CardVerdict.SATISFIED,
        note=rng.choice(UNSATISFIED) if unsatisfied else "",
        now=closed_at,
    )
    case.last_event = closed_at
    return True
