"""Who may be given a case: one rule (dispatch.eligibility) for the workbench and the API."""

import pytest
from django.urls import reverse

from zongzhi.accounts.models import Role, UnitKind
from zongzhi.cases import services
from zongzhi.cases.models import CaseAssignment
from zongzhi.cases.workflow import Action
from zongzhi.dispatch import eligibility
from zongzhi.places.models import Level
from zongzhi.testing.factories import PlaceFactory, UnitFactory, UserFactory, make_case


@pytest.fixture
def third(world):
    """A third township (C) of the county, with a village."""
    town = PlaceFactory(
        code="530402003", name="北城街道", level=Level.TOWNSHIP, parent=world.county
    )
    village = PlaceFactory(code="530402003001", name="北城一村", level=Level.VILLAGE, parent=town)
    return village


@pytest.fixture
def court(world):
    """A 人民法庭 sitting at the county centre that serves townships A (east) and B (west)."""
    unit = UnitFactory(name="大营街人民法庭", department="法院", place=world.county)
    unit.serves.set([world.east.place, world.west.place])
    return unit


def assessed(place, clerk):
    case = make_case(place, clerk)
    services.transition(case, Action.ACCEPT, actor=clerk)
    return case


def test_court_is_offered_in_the_townships_it_serves_not_in_another(world, court, third):
    in_a = make_case(world.east.village, world.east.clerk)
    in_c = make_case(third, world.county_clerk)
    assert court in eligibility.assignable_units(in_a)
    assert eligibility.may_take_unit(in_a, court)
    assert court not in eligibility.assignable_units(in_c)
    assert not eligibility.may_take_unit(in_c, court)


def test_court_members_are_eligible_only_where_the_court_serves(world, court, third):
    judge = UserFactory(
        username="judge", role=Role.DEPARTMENT_HANDLER, place=world.county, unit=court
    )
    assert eligibility.may_take_person(make_case(world.west.village, world.west.clerk), judge)
    assert not eligibility.may_take_person(make_case(third, world.county_clerk), judge)


def test_a_unit_without_service_area_covers_its_centre_subtree(world):
    case = make_case(world.east.village, world.east.clerk)
    assert list(eligibility.assignable_units(case)) == [world.east.unit]
    assert not eligibility.may_take_unit(case, world.west.unit)


def test_a_township_unit_serving_a_neighbour_covers_it(world):
    world.west.unit.serves.set([world.west.place, world.east.village])
    case = make_case(world.east.village, world.east.clerk)
    assert set(eligibility.assignable_units(case)) == {world.east.unit, world.west.unit}
    assert eligibility.may_take_person(case, world.west.handler)


def test_centre_office_and_inactive_units_are_never_offered(world):
    office = UnitFactory(name="综合受理窗口", kind=UnitKind.CENTRE_OFFICE, place=world.east.place)
    closed = UnitFactory(name="撤销的工作站", place=world.east.place, is_active=False)
    case = make_case(world.east.village, world.east.clerk)
    units = set(eligibility.assignable_units(case))
    assert office not in units and closed not in units
    assert not eligibility.may_take_unit(case, office)
    assert not eligibility.may_take_unit(case, closed)
    assert not eligibility.may_take_unit(case, None)


def test_people_must_be_active_handlers(world):
    case = make_case(world.east.village, world.east.clerk)
    people = set(eligibility.assignable_people(case))
    assert world.east.handler in people
    assert world.east.clerk not in people and world.east.leader not in people
    assert world.west.handler not in people
    world.east.handler.is_active = False
    world.east.handler.save()
    assert not eligibility.may_take_person(case, world.east.handler)
    assert not eligibility.may_take_person(case, None)


def test_workbench_assign_form_does_not_offer_the_centre_office(world, login):
    office = UnitFactory(name="综合受理窗口", kind=UnitKind.CENTRE_OFFICE, place=world.east.place)
    case = assessed(world.east.village, world.east.clerk)
    client = login(world.east.clerk)
    page = client.get(reverse("workbench:case_detail", args=[case.pk]))
    assert office.pk not in {pk for pk, _ in page.context["units"]}
    response = client.post(
        reverse("workbench:case_action", args=[case.pk]),
        {"action": "assign", "unit": office.pk},
        follow=True,
    )
    assert eligibility.UNIT_REFUSED in response.content.decode()
    assert not CaseAssignment.objects.filter(case=case).exists()


def test_api_refuses_the_centre_office_with_the_same_message(world, token_client):
    office = UnitFactory(name="综合受理窗口", kind=UnitKind.CENTRE_OFFICE, place=world.east.place)
    case = assessed(world.east.village, world.east.clerk)
    api = token_client(world.east.clerk)
    url = f"/api/v1/cases/{case.pk}/transitions"
    for body, field in (
        ({"action": "assign", "unit": office.pk}, "unit"),
        ({"action": "assign", "unit": world.east.unit.pk, "joint_units": [office.pk]}, None),
        ({"action": "assign", "unit": world.east.unit.pk, "joint_people": ["nobody"]}, None),
    ):
        response = api.post(url, body, content_type="application/json")
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["message"] in {eligibility.UNIT_REFUSED, eligibility.ASSIGNEE_REFUSED}
        if field:
            assert error["field"] == field
    assert not CaseAssignment.objects.filter(case=case).exists()


def test_api_assign_to_the_court_in_a_served_township(world, court, token_client):
    case = assessed(world.east.village, world.east.clerk)
    response = token_client(world.east.clerk).post(
        f"/api/v1/cases/{case.pk}/transitions",
        {"action": "assign", "unit": court.pk, "joint_units": [world.east.unit.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    kinds = {(a.unit_id, a.kind) for a in case.assignments.all()}
    assert kinds == {(court.pk, "lead"), (world.east.unit.pk, "joint")}
