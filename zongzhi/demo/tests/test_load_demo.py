from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from zongzhi.accounts.models import Role, User
from zongzhi.cases.choices import OPEN_STATUSES, Colour, Status
from zongzhi.cases.deadlines import colour_expression, overdue_q
from zongzhi.cases.models import Case, CaseEvent, Party
from zongzhi.cases.workflow import Action
from zongzhi.demo.loader import load_demo
from zongzhi.demo.staff import DEMO_PASSWORD
from zongzhi.places.models import Level, Place
from zongzhi.privacy.validators import id_check_char, is_valid_id_number

CASES = 60
PLAUSIBLE_CASES = 400
# No open case of the demo lies further past its deadline than this.
MAX_OVERDUE_DAYS = 15


@pytest.fixture
def demo(db):
    return load_demo(cases=CASES, seed=11, progress=lambda message: None)


def test_every_status_and_every_colour(demo):
    assert Case.objects.count() == CASES
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Status}
    colours = set(
        Case.objects.annotate(c=colour_expression(timezone.now())).values_list("c", flat=True)
    )
    assert colours == {c.value for c in Colour}


def test_timeline_is_complete_and_consistent(demo):
    # Dispatch (routing, moves, joint parts) writes events of its own beside these.
    steps = CaseEvent.objects.filter(kind__in=["created", "risk_changed", *Action.values])
    assert steps.count() == demo.cases + demo.transitions + demo.risk_changes
    for case in Case.objects.prefetch_related("events"):
        events = list(case.events.order_by("created_at", "id"))
        assert events[0].kind == "created"
        assert events[0].created_at == case.created_at
        status = events[0].to_status
        for event in events[1:]:
            if event.kind == "risk_changed":
                continue
            assert event.from_status == status, case.number
            status = event.to_status
        assert status == case.status
        assert all(e.created_at <= timezone.now() for e in events)
        assert case.place_path.startswith(case.county.path)


def test_parties_have_valid_ids_and_phones(demo):
    parties = list(Party.objects.all())
    assert len(parties) >= 2 * CASES
    for party in parties:
        assert is_valid_id_number(party.id_number), party.id_number
        assert len(party.phone) == 11 and party.phone.startswith("1")


def test_check_character_matches_the_standard_example():
    # The worked example of GB 11643-1999: 11010519491231002X.
    assert id_check_char("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")


def test_real_places_and_accounts(demo):
    assert Place.objects.get(code="530402").name == "红塔区"
    assert Place.objects.get(code="530824").parent.code == "530800"
    fengshan = Place.objects.get(name="凤山镇", parent__code="530824")
    assert fengshan.code.startswith("530824") and len(fengshan.code) == 9
    assert Place.objects.filter(level=Level.GRID).exists()
    assert Place.objects.filter(level=Level.MICROGRID).exists()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role) - {Role.CITIZEN}
    clerk = User.objects.get(username="hongta-clerk")
    assert clerk.check_password(DEMO_PASSWORD)
    assert clerk.place.code == "530402"
    assert (
        Case.objects.visible_to(clerk).count() == Case.objects.filter(county__code="530402").count()
    )


def test_sources_and_risks_vary(db):
    result = load_demo(cases=250, seed=3, progress=lambda message: None)
    sources = Counter(Case.objects.values_list("source", flat=True))
    assert len(sources) >= 7
    assert len(set(Case.objects.values_list("risk", flat=True))) == 3
    assert result.transitions > 250


def test_command_if_empty_and_accounts_table(db):
    out = StringIO()
    call_command("load_demo", cases=20, stdout=out, stderr=StringIO())
    assert Case.objects.count() == 20
    call_command("load_demo", "--if-empty", stdout=StringIO(), stderr=StringIO())
    assert Case.objects.count() == 20
    table = StringIO()
    call_command("print_demo_accounts", stdout=table)
    text = table.getvalue()
    assert DEMO_PASSWORD in text
    assert "hongta-leader" in text and "综治中心主任" in text


def _first_event_times(kind: str) -> dict[int, object]:
    times: dict[int, object] = {}
    for case_id, at in (
        CaseEvent.objects.filter(kind=kind)
        .order_by("created_at")
        .values_list("case_id", "created_at")
    ):
        times.setdefault(case_id, at)
    return times


def test_history_is_plausible(db):
    """Most cases meet their deadlines, a tail is late by days, recent cases are open."""
    now = timezone.now()
    load_demo(cases=PLAUSIBLE_CASES, seed=7, now=now, progress=lambda message: None)
    cases = {c.pk: c for c in Case.objects.filter(reported_at__isnull=False, reopen_count=0)}

    def on_time_share(kind: str, due_field: str) -> float:
        # Against the stored due times, i.e. in working days through the calendar.
        done = {pk: at for pk, at in _first_event_times(kind).items() if pk in cases}
        late = [pk for pk, at in done.items() if at > getattr(cases[pk], due_field)]
        assert len(done) > PLAUSIBLE_CASES / 2
        return 1 - len(late) / len(done)

    concluded_on_time = on_time_share(Action.CONCLUDE.value, "resolve_due_at")
    assert 0.8 <= concluded_on_time < 1, concluded_on_time  # most on time, some late
    assert on_time_share(Action.ACCEPT.value, "accept_due_at") >= 0.85
    assert on_time_share(Action.CLOSE.value, "close_due_at") >= 0.85

    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    overdue = [now - c.next_due_at for c in open_cases.filter(overdue_q(now))]
    assert overdue, "a realistic tail runs late"
    assert max(overdue) < timedelta(days=MAX_OVERDUE_DAYS), max(overdue)
    # Recent cases are mostly still being worked; old ones are nearly all finished.
    recent = Case.objects.filter(created_at__gte=now - timedelta(days=5))
    assert recent.filter(status__in=OPEN_STATUSES).count() > recent.count() / 2
    old = Case.objects.filter(created_at__lt=now - timedelta(days=45))
    assert old.filter(status__in=OPEN_STATUSES).count() <= old.count() * 0.02


def test_every_step_shows_in_the_readmes_township(demo):
    yuxing = Place.objects.get(name="玉兴街道", parent__code="530402")
    clerk = User.objects.get(username="hongta-yuxing-clerk")
    assert clerk.place == yuxing
    statuses = set(Case.objects.visible_to(clerk).values_list("status", flat=True))
    assert statuses == {s.value for s in Status}


def test_cases_go_through_dispatch(demo):
    """Routing decisions, moves signed for (and some sent back), lead and joint handlers,
    joint parts, and a county tribunal serving a few townships."""
    from zongzhi.accounts.models import Unit
    from zongzhi.cases.models import CaseAssignment
    from zongzhi.dispatch.models import CaseMove, RoutingDecision
    from zongzhi.dispatch.models.moves import MoveState

    assert RoutingDecision.objects.exists()
    assert CaseMove.objects.filter(state=MoveState.SIGNED).exists()
    assert CaseAssignment.objects.filter(kind="joint").exists()
    assert CaseEvent.objects.filter(kind="joint_part").exists()
    # The README's clerks (红塔区, 玉兴街道) find cases waiting to be signed for.
    pending = CaseMove.objects.filter(state=MoveState.PENDING)
    assert pending.filter(to_place__name__in=["红塔区", "玉兴街道"]).exists()
    tribunal = Unit.objects.filter(name__endswith="人民法庭").first()
    assert tribunal is not None and 2 <= tribunal.serves.count() <= 3
    # Every case is held by a centre of its own county or above it.
    for case in Case.objects.select_related("holding_place", "county"):
        assert case.county.path.startswith(case.holding_place.path) or (
            case.holding_place.path.startswith(case.county.path)
        )


def test_cross_area_cases_with_teams_their_members_see(demo):
    """Two cross-area cases (两街道交界林地, 跨县区用水) with teams; members of the other side
    see them through the team, and only them of that area."""
    from zongzhi.dispatch.models.teams import CaseTeam

    assert CaseTeam.objects.count() == 2
    boundary = Case.objects.get(title__startswith="玉兴街道与凤凰街道")
    water = Case.objects.get(title__startswith="研和街道与江川区前卫镇")
    fenghuang = User.objects.get(username="hongta-fenghuang-justice-office")
    qianwei = User.objects.get(username="jiangchuan-qianwei-leader")
    assert boundary in Case.objects.workable_by(fenghuang)
    assert water in Case.objects.visible_to(qianwei)
    assert water not in Case.objects.visible_to(fenghuang)
    outside = Case.objects.visible_to(qianwei).exclude(county__name="江川区")
    assert list(outside) == [water]
    assert boundary.team.members.filter(removed_at__isnull=False).count() == 1
    assert CaseEvent.objects.filter(kind="team_part").count() == 3


def test_the_clock_showcases_in_the_readmes_township(demo):
    """A case paused for an appraisal, one resumed, an approved and a refused extension, and
    requests waiting for 玉兴街道's leader."""
    from zongzhi.clock.models import ClockPause, Extension, RequestState
    from zongzhi.clock.selectors import awaiting_decision

    running = ClockPause.objects.get(state=RequestState.APPROVED, ended_at__isnull=True)
    assert "鉴定" in running.reason and running.case.clock_paused_at is not None
    assert running.case.next_due_at is None
    assert ClockPause.objects.filter(ended_at__isnull=False, paused_working_days__gt=0).exists()
    assert Extension.objects.filter(state=RequestState.APPROVED, days_granted=1).exists()
    assert Extension.objects.filter(state=RequestState.REFUSED).exists()
    leader = User.objects.get(username="hongta-yuxing-leader")
    assert len(awaiting_decision(leader)) == 2


def test_whistles_in_every_state_in_the_showcase_township(demo):
    from zongzhi.dispatch import whistles
    from zongzhi.dispatch.models import SubTask, UnitContacts

    justice = User.objects.get(username="hongta-yuxing-justice-office")
    contacts = UnitContacts.objects.get(unit=justice.unit)
    assert contacts.liaison == justice and contacts.leader.unit == justice.unit
    tasks = SubTask.objects.all()
    assert tasks.filter(reported_back_at__isnull=False).exists()
    assert tasks.filter(reported_in_at__isnull=False, reported_back_at__isnull=True).exists()
    assert tasks.filter(reported_in_at__isnull=True).exists()
    assert tasks.exclude(seat="").exists()  # a 多长联调
    rows = [row for t in tasks for row in whistles.roster(t.case)]
    assert any(row.late_now for row in rows)
    assert any(row.report_in_late and row.task.reported_in_at for row in rows)
