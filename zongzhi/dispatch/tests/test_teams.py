"""Cross-area teams (一案一专班): who forms them, who may join, what a member sees and may do,
and that membership leaks nowhere else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zongzhi.accounts.models import Role
from zongzhi.cases import services
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.cases.selectors import may_take_steps, may_work_on, on_cases_q
from zongzhi.cases.workflow import Action
from zongzhi.clock.models import Deadline
from zongzhi.dispatch import handlers, teams
from zongzhi.dispatch.models.teams import TeamMember, TeamRole
from zongzhi.notify.models import Kind, Message
from zongzhi.places.models import Level
from zongzhi.privacy.access import reveal
from zongzhi.testing.factories import PlaceFactory, UnitFactory, UserFactory, make_case


@pytest.fixture
def other_county(world):
    """A neighbouring county of the same city, with a township and its leader."""
    county = PlaceFactory(code="530403", name="江川区", level=Level.COUNTY, parent=world.city)
    town = PlaceFactory(code="530403001", name="大街街道", level=Level.TOWNSHIP, parent=county)
    return {
        "county": county,
        "town": town,
        "county_leader": UserFactory(
            username="leader-jiangchuan", role=Role.CENTRE_LEADER, place=county
        ),
        "town_leader": UserFactory(username="leader-dajie", role=Role.CENTRE_LEADER, place=town),
    }


@pytest.fixture
def boundary_case(world):
    """A boundary dispute of the east township (玉兴), accepted there."""
    case = make_case(world.east.village, world.east.clerk, title="两街道交界处林地权属纠纷")
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    return case


@pytest.fixture
def team_case(world, boundary_case):
    """The boundary case with a team: the east leader leads; the west leader and the west
    justice office's handler are members."""
    teams.create_team(
        boundary_case,
        actor=world.east.leader,
        leader=world.east.leader,
        members=[world.west.leader, world.west.handler],
        plan="两街道联合勘界，分别做通本方当事人工作。",
        target_days=10,
    )
    return boundary_case


def member(case, user):
    return TeamMember.objects.get(team__case=case, user=user, removed_at__isnull=True)


# --- forming a team ----------------------------------------------------------------------


def test_holding_centre_leader_forms_a_team_with_sides_plan_and_target(world, team_case):
    team = team_case.team
    rows = {m.user: m for m in teams.active_members(team)}
    assert rows[world.east.leader].role == TeamRole.LEADER
    assert rows[world.west.leader].side_place == world.west.place
    assert rows[world.west.handler].side_unit == world.west.unit
    assert list(teams.active_members(team))[0].user == world.east.leader
    assert team.target.kind == teams.DEADLINE_KIND and team.target.case == team_case
    event = team_case.events.get(kind="team_created")
    assert not event.is_public and event.note.startswith("两街道联合勘界")
    assert {m["user"] for m in event.data["members"]} == {
        world.east.leader.username,
        world.west.leader.username,
        world.west.handler.username,
    }


def test_new_members_are_told_in_app_but_not_the_actor(world, team_case):
    messages = Message.objects.filter(kind=Kind.TEAM_MEMBER)
    told = set(messages.values_list("recipient_user", flat=True))
    assert told == {world.west.leader.pk, world.west.handler.pk}


@pytest.mark.parametrize("who", ["clerk", "handler", "west_leader"])
def test_only_leaders_of_the_holding_centre_or_above_form_a_team(world, boundary_case, who):
    actor = {
        "clerk": world.east.clerk,
        "handler": world.east.handler,
        "west_leader": world.west.leader,
    }[who]
    with pytest.raises(NotPermitted):
        teams.create_team(
            boundary_case, actor=actor, leader=world.east.leader, members=[world.west.leader]
        )
    assert not hasattr(Case.objects.get(pk=boundary_case.pk), "team")


def test_leader_of_a_centre_above_forms_a_team(world, boundary_case):
    teams.create_team(
        boundary_case,
        actor=world.county_leader,
        leader=world.county_leader,
        members=[world.west.leader],
    )
    assert teams.team_of(boundary_case) is not None


def test_a_case_has_one_team(world, team_case):
    with pytest.raises(InvalidTransition):
        teams.create_team(
            team_case, actor=world.east.leader, leader=world.east.leader, members=[world.west.clerk]
        )


def test_a_team_must_span_areas(world, boundary_case):
    with pytest.raises(InvalidInput) as refused:
        teams.create_team(
            boundary_case,
            actor=world.east.leader,
            leader=world.east.leader,
            members=[world.east.handler, world.east.clerk],
        )
    assert refused.value.message == teams.NOT_CROSS_AREA
    assert teams.team_of(boundary_case) is None


def test_a_township_leader_draws_members_from_the_county_only(world, boundary_case, other_county):
    with pytest.raises(InvalidInput) as refused:
        teams.create_team(
            boundary_case,
            actor=world.east.leader,
            leader=world.east.leader,
            members=[other_county["town_leader"]],
        )
    assert refused.value.message == teams.NOT_A_CANDIDATE
    # The county leader draws from the city: the other county's people may join.
    teams.create_team(
        boundary_case,
        actor=world.county_leader,
        leader=world.county_leader,
        members=[other_county["town_leader"]],
    )
    assert member(boundary_case, other_county["town_leader"]).side_place == other_county["town"]


def test_village_and_grid_accounts_are_not_offered(world, boundary_case):
    offered = set(teams.candidates(boundary_case, world.east.leader))
    assert world.west.grid_worker not in offered and world.east.grid_worker not in offered
    assert {world.west.leader, world.west.handler, world.county_leader} <= offered


def test_citizens_and_inactive_accounts_cannot_join(world, team_case):
    citizen = UserFactory(username="citizen-x", role=Role.CITIZEN, place=world.west.place)
    gone = UserFactory(username="gone-x", role=Role.WINDOW_CLERK, place=world.west.place)
    gone.is_active = False
    gone.save()
    for user in (citizen, gone):
        with pytest.raises(InvalidInput):
            teams.add_member(team_case, actor=world.east.leader, user=user)


def test_no_team_on_a_closed_case(world, boundary_case):
    services.transition(boundary_case, Action.REJECT, actor=world.east.clerk, note="不属受理范围")
    with pytest.raises(InvalidTransition):
        teams.create_team(
            boundary_case,
            actor=world.east.leader,
            leader=world.east.leader,
            members=[world.west.leader],
        )


# --- membership --------------------------------------------------------------------------


def test_members_are_added_with_a_role_and_removed_with_history(world, team_case):
    event = teams.add_member(
        team_case, actor=world.east.leader, user=world.west.clerk, role=TeamRole.LIAISON
    )
    assert event.kind == "team_member_added" and event.data["role"] == "liaison"
    told = Message.objects.filter(kind=Kind.TEAM_MEMBER, recipient_user=world.west.clerk)
    assert told.count() == 1
    with pytest.raises(InvalidInput):
        teams.add_member(team_case, actor=world.east.leader, user=world.west.clerk)
    row = member(team_case, world.west.clerk)
    with pytest.raises(InvalidInput):
        teams.remove_member(team_case, row.pk, actor=world.east.leader, reason="  ")
    teams.remove_member(team_case, row.pk, actor=world.east.leader, reason="工作调整")
    row.refresh_from_db()
    assert row.removed_at is not None and row.removal_reason == "工作调整"
    assert team_case.events.filter(kind="team_member_removed", note="工作调整").exists()
    # Added again: a new row; the old one stays.
    teams.add_member(team_case, actor=world.east.leader, user=world.west.clerk)
    assert TeamMember.objects.filter(team__case=team_case, user=world.west.clerk).count() == 2


def test_the_leader_cannot_be_removed_and_members_cannot_manage(world, team_case):
    leader_row = member(team_case, world.east.leader)
    with pytest.raises(InvalidInput):
        teams.remove_member(team_case, leader_row.pk, actor=world.east.leader, reason="x")
    with pytest.raises(NotPermitted):
        teams.add_member(team_case, actor=world.west.leader, user=world.west.clerk)
    with pytest.raises(NotPermitted):
        teams.remove_member(
            team_case, member(team_case, world.west.handler).pk, actor=world.west.leader, reason="x"
        )


def test_plan_is_updated_by_managers_and_the_team_leader(world, team_case, boundary_case):
    old_due = team_case.team.target.due_at
    teams.update_plan(team_case, actor=world.east.leader, plan="新方案", target_days=20)
    team = teams.team_of(team_case)
    assert team.plan == "新方案" and team.target.due_at > old_due and team.target.version == 2
    assert Deadline.objects.filter(case=team_case, kind=teams.DEADLINE_KIND).count() == 1
    with pytest.raises(NotPermitted):
        teams.update_plan(team_case, actor=world.west.leader, plan="成员改方案")
    with pytest.raises(InvalidInput):
        teams.update_plan(team_case, actor=world.east.leader, plan=" ")
    with pytest.raises(InvalidInput):
        teams.update_plan(team_case, actor=world.east.leader, plan="新方案", target_days=0)
    assert team_case.events.filter(kind="team_plan_updated").count() == 1


# --- what a member sees -------------------------------------------------------------------


def test_a_member_sees_the_team_case_and_nothing_else(world, team_case, boundary_case):
    neighbour = make_case(world.east.village, world.east.clerk, title="玉兴的另一件纠纷")
    of_the_leader = make_case(world.east.place, world.east.leader, title="组长登记的纠纷")
    other_team_case = make_case(world.east.village, world.east.clerk, title="另一专班的纠纷")
    services.transition(other_team_case, Action.ACCEPT, actor=world.east.clerk)
    teams.create_team(
        other_team_case,
        actor=world.east.leader,
        leader=world.east.leader,
        members=[world.west.clerk],
    )
    west_own = make_case(world.west.village, world.west.clerk, title="凤凰的纠纷")
    seen = set(Case.objects.visible_to(world.west.leader))
    assert seen == {team_case, west_own}
    for case in (neighbour, of_the_leader, other_team_case):
        assert not may_work_on(world.west.leader, case)
    # The department handler (need-to-know) works only the team case of all of these.
    assert set(Case.objects.workable_by(world.west.handler)) == {team_case}


def test_a_user_with_no_team_keeps_the_plain_area_query(world, team_case):
    assert on_cases_q(world.east.clerk) == on_cases_q(world.county_clerk)
    assert str(Case.objects.visible_to(world.west.clerk).query) == str(
        Case.objects.filter(place_path__under=world.west.place.path).query
    )
    assert team_case not in Case.objects.visible_to(world.west.clerk)


def test_a_removed_member_keeps_view_but_no_longer_works_the_team(world, team_case):
    row = member(team_case, world.west.handler)
    teams.remove_member(team_case, row.pk, actor=world.east.leader, reason="换人")
    assert may_work_on(world.west.handler, team_case)
    assert not teams.is_active_member(team_case, world.west.handler)
    with pytest.raises(NotPermitted):
        teams.record_team_part(team_case, world.west.handler, "还想说")
    assert teams.home_teams(world.west.handler) == []


# --- what a member may do -----------------------------------------------------------------


def test_a_member_works_the_case_like_a_joint_handler(world, team_case):
    services.add_comment(team_case, "凤凰一侧已约谈", actor=world.west.leader)
    services.add_attachment(
        team_case, SimpleUploadedFile("map.pdf", b"%PDF-1.4\n%%EOF\n"), actor=world.west.handler
    )
    event = teams.record_team_part(team_case, world.west.handler, "司法所已调取界桩资料")
    assert event.kind == "team_part" and event.data["side"] == str(world.west.unit)
    party = team_case.parties.first()
    clear = reveal(
        world.west.handler, party, ["name"], place_path=team_case.place_path, case=team_case
    )
    assert clear["name"] == party.name
    with pytest.raises(InvalidInput):
        teams.record_team_part(team_case, world.west.handler, "  ")


def test_someone_outside_the_team_cannot_report_a_part(world, team_case):
    with pytest.raises(NotPermitted):
        teams.record_team_part(team_case, world.east.clerk, "我不是成员")


def test_a_member_does_not_take_the_steps_nor_direct_the_case(world, team_case):
    west_leader = world.west.leader
    assert not may_take_steps(west_leader, team_case)
    assert services.permitted_actions(team_case, west_leader) == []
    with pytest.raises(NotPermitted):
        services.transition(team_case, Action.ASSIGN, actor=west_leader, unit=world.west.unit)
    with pytest.raises(NotPermitted):
        services.change_risk(team_case, "high", actor=west_leader, note="升级")
    services.transition(team_case, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    assert not handlers.may_manage(team_case, west_leader)
    with pytest.raises(NotPermitted):
        handlers.add_joint(team_case, actor=west_leader, unit=world.west.unit, reason="加")
    # The holding centre keeps its steps.
    assert may_take_steps(world.east.leader, team_case)
    assert services.permitted_actions(team_case, world.east.leader)


def test_a_unit_assignment_still_lets_its_handler_take_steps_outside_its_area(world):
    county_unit = UnitFactory(name="县自然资源局", place=world.county)
    handler = UserFactory(
        username="county-land", role=Role.DEPARTMENT_HANDLER, place=world.west.place
    )
    handler.unit = county_unit
    handler.save()
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    handlers_before = may_take_steps(handler, case)
    from zongzhi.testing.factories import put_on_case

    put_on_case(case, unit=county_unit)
    assert not handlers_before and may_take_steps(handler, case)


# --- pages --------------------------------------------------------------------------------


def test_case_page_shows_the_team_panel_to_a_member_with_the_part_form(world, login, team_case):
    response = login(world.west.handler).get(reverse("workbench:case_detail", args=[team_case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "跨区域专班" in html and "form-dispatch-team-part" in html
    assert "凤凰街道司法所" in html and "组长" in html
    assert "form-dispatch-team-add-member" not in html
    assert "form-dispatch-handlers-add-joint" not in html


def test_case_page_offers_a_leader_the_team_form(world, login, boundary_case):
    client = login(world.east.leader)
    html = client.get(reverse("workbench:case_detail", args=[boundary_case.pk])).content.decode()
    assert "form-dispatch-team-create" in html
    response = client.post(
        reverse("dispatch:team_create", args=[boundary_case.pk]),
        {
            "leader": world.east.leader.pk,
            "members": [world.west.leader.pk],
            "plan": "联合调处",
            "target_days": "5",
        },
    )
    assert response.status_code == 302
    assert teams.team_of(boundary_case).plan == "联合调处"


def test_team_form_errors_come_back_in_chinese_and_change_nothing(world, login, boundary_case):
    client = login(world.east.leader)
    response = client.post(
        reverse("dispatch:team_create", args=[boundary_case.pk]),
        {"leader": "999999", "members": ["abc"], "target_days": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert teams.NOT_A_CANDIDATE in response.content.decode()
    assert teams.team_of(boundary_case) is None


def test_member_posts_the_part_and_comments_from_the_page(world, login, team_case):
    client = login(world.west.leader)
    client.post(reverse("dispatch:team_part", args=[team_case.pk]), {"note": "凤凰一侧已走访"})
    client.post(reverse("workbench:case_comment", args=[team_case.pk]), {"note": "备注"})
    kinds = set(
        CaseEvent.objects.filter(case=team_case, actor=world.west.leader).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"team_part", "comment"}


def test_a_member_cannot_manage_the_team_from_the_page(world, login, team_case):
    client = login(world.west.leader)
    client.post(
        reverse("dispatch:team_add_member", args=[team_case.pk]),
        {"user": world.west.clerk.pk, "role": "member"},
    )
    client.post(reverse("dispatch:team_plan", args=[team_case.pk]), {"plan": "改"})
    assert not TeamMember.objects.filter(user=world.west.clerk).exists()
    assert teams.team_of(team_case).plan.startswith("两街道联合勘界")


def test_outsiders_get_404_on_the_team_pages(world, login, team_case, other_county):
    client = login(other_county["town_leader"])
    for name, data in [
        ("team_create", {}),
        ("team_add_member", {}),
        ("team_remove_member", {"member": 1}),
        ("team_plan", {"plan": "x"}),
        ("team_part", {"note": "x"}),
    ]:
        assert (
            client.post(reverse(f"dispatch:{name}", args=[team_case.pk]), data).status_code == 404
        )


def test_home_lists_the_members_team_cases(world, login, team_case):
    html = login(world.west.handler).get(reverse("workbench:home")).content.decode()
    assert "我参加的跨区域专班" in html and team_case.number in html
    html = login(world.west.clerk).get(reverse("workbench:home")).content.decode()
    assert "我参加的跨区域专班" not in html
