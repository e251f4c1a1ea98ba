"""A staff member sees their node and everything under it: nothing beside it or above it."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zongzhi.accounts.models import Role
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import QueueFilters, case_for_user, filter_queue
from zongzhi.places.models import Level, Place
from zongzhi.testing.factories import PlaceFactory, UserFactory, make_case


def cases_of(world):
    return {
        "east_village": make_case(world.east.village, world.east.clerk),
        "east_grid": make_case(world.east.grid, world.east.clerk),
        "west_village": make_case(world.west.village, world.west.clerk),
        "county": make_case(world.county, world.county_clerk),
    }


def visible(user) -> set[int]:
    return set(Case.objects.visible_to(user).values_list("pk", flat=True))


def test_each_level_sees_its_subtree_only(world):
    cases = cases_of(world)
    ids = {name: case.pk for name, case in cases.items()}
    city_leader = UserFactory(username="city", role=Role.CENTRE_LEADER, place=world.city)
    assert visible(city_leader) == set(ids.values())
    assert visible(world.county_clerk) == set(ids.values())
    assert visible(world.east.clerk) == {ids["east_village"], ids["east_grid"]}
    assert visible(world.west.clerk) == {ids["west_village"]}
    assert visible(world.east.grid_worker) == {ids["east_grid"]}


def test_neighbouring_county_sees_nothing(world):
    cases_of(world)
    other = PlaceFactory(code="530403", name="江川区", level=Level.COUNTY, parent=world.city)
    clerk = UserFactory(username="jc", role=Role.WINDOW_CLERK, place=other)
    assert visible(clerk) == set()


def test_accounts_without_a_node_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    cases_of(world)
    nowhere = UserFactory(username="nowhere", role=Role.CENTRE_LEADER, place=None)
    assert visible(nowhere) == set()
    assert not Case.objects.visible_to(AnonymousUser()).exists()


def test_a_case_outside_the_area_cannot_be_fetched_by_id(world):
    cases = cases_of(world)
    west_case = cases["west_village"]
    try:
        case_for_user(world.east.clerk, west_case.pk)
    except Case.DoesNotExist:
        pass
    else:
        raise AssertionError("an east clerk fetched a west case by id")
    assert case_for_user(world.west.clerk, west_case.pk) == west_case


def test_search_and_filters_stay_inside_the_area(world):
    cases = cases_of(world)
    west = cases["west_village"]
    scoped = Case.objects.visible_to(world.east.clerk)
    for filters in [
        QueueFilters(search=west.number),
        QueueFilters(search="李四"),
        QueueFilters(place=world.west.place),
        QueueFilters(place=world.county),
    ]:
        assert west.pk not in set(filter_queue(scoped, filters).values_list("pk", flat=True))


def test_similar_codes_are_not_mistaken_for_descendants(world):
    # 530402001 and 5304020010: a plain prefix on codes would confuse them; the path's
    # separator does not.
    twin = PlaceFactory(
        code="5304020010", name="相似代码", level=Level.TOWNSHIP, parent=world.county
    )
    case = make_case(twin, world.county_clerk)
    assert case.pk not in visible(world.east.clerk)
    assert set(Place.objects.under(world.east.place).values_list("code", flat=True)) == {
        "530402001",
        "530402001001",
        "530402001001-01",
    }


def test_subtree_query_uses_an_index_on_sqlite_and_postgresql(world):
    with CaptureQueriesContext(connection) as captured:
        list(Place.objects.under(world.east.place))
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            plan = " ".join(
                str(row) for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            )
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan, plan


def test_a_citizen_role_account_with_a_place_sees_nothing(world):
    from zongzhi.privacy.access import reveal

    case = make_case(world.east.village, world.east.clerk)
    citizen = UserFactory(username="left-at-default", role=Role.CITIZEN, place=world.county)
    assert visible(citizen) == set()
    try:
        reveal(citizen, case.parties.first(), ["phone"], place_path=case.place_path)
    except PermissionDenied:
        pass
    else:
        raise AssertionError("a citizen-role account unmasked a party")
    inactive = UserFactory(username="gone", role=Role.WINDOW_CLERK, place=world.county)
    inactive.is_active = False
    assert visible(inactive) == set()


def test_a_registered_involvement_puts_a_case_outside_the_area_in_view(world, monkeypatch):
    from zongzhi.cases import selectors

    cases = cases_of(world)
    far = cases["west_village"]
    monkeypatch.setattr(selectors, "INVOLVEMENTS", {})
    selectors.register_involvement(
        "test", lambda user: [far.pk] if user.pk == world.east.clerk.pk else []
    )
    assert far.pk in visible(world.east.clerk)
    assert far.pk not in visible(world.east.grid_worker)  # only the user it names
