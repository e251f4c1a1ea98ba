"""The 包保 table and its reader (dispatch.coverage), and what 包保 leaders see."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zongzhi.accounts.models import Role
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import may_work_on
from zongzhi.dispatch import coverage
from zongzhi.dispatch.models import Coverage
from zongzhi.places.models import Level
from zongzhi.testing.factories import (
    CoverageFactory,
    PlaceFactory,
    UserFactory,
    make_case,
    three_people_for,
)


def test_covering_cadres_reads_the_place_and_its_ancestors_nearest_first(world):
    town_cover = CoverageFactory(place=world.east.place, kind="county_leader")
    village_cover = CoverageFactory(
        place=world.east.village, kind="township_leader", title="党工委副书记"
    )
    CoverageFactory(place=world.west.place, kind="county_leader")  # beside: not read
    rows = coverage.covering_cadres(world.east.grid)
    assert rows == [village_cover, town_cover]
    assert coverage.covering_cadres(world.east.grid, kind="county_leader") == [town_cover]
    assert coverage.covering_cadres(world.east.place) == [town_cover]


def test_ended_and_future_rows_do_not_cover(world):
    today = timezone.localdate()
    CoverageFactory(place=world.east.place, ends_on=today - timedelta(days=1))
    CoverageFactory(place=world.east.place, starts_on=today + timedelta(days=1))
    assert coverage.covering_cadres(world.east.place) == []
    assert coverage.covering_cadres(world.east.place, on=today + timedelta(days=1)) != []


def test_a_household_label_covers_that_household_not_the_village(world):
    cadre = UserFactory(username="village-cadre", role=Role.GRID_WORKER, place=world.east.village)
    row = CoverageFactory(
        cadre=cadre,
        place=world.east.village,
        kind="village_cadre",
        label="张某某户",
        title="村委委员",
    )
    assert coverage.covering_cadres(world.east.village) == []
    assert coverage.covering_cadres(world.east.village, label="张某某户") == [row]
    assert not coverage.covers(cadre, world.east.village)


def test_covers(world):
    people = three_people_for(world.east, world.county)
    court = people["political_legal"]
    assert coverage.covers(court, world.east.grid)
    assert not coverage.covers(court, world.west.grid)
    court.is_active = False
    assert not coverage.covers(court, world.east.grid)


def test_kind_and_place_level_must_agree(world):
    row = Coverage(
        cadre=world.county_leader,
        title="县委常委",
        kind="county_leader",
        place=world.east.village,
        starts_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "place" in error.value.message_dict
    household = Coverage(
        cadre=world.east.leader,
        title="村支书",
        kind="village_cadre",
        place=world.east.village,
        starts_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as error:
        household.full_clean()
    assert "label" in error.value.message_dict


def test_three_people_of_a_township(world):
    people = three_people_for(world.east, world.county)
    found = coverage.three_people(world.east.grid)
    assert found.township == world.east.place
    assert {kind: row.cadre for kind, row in found.found.items()} == people
    assert found.missing == []


def test_three_people_names_whoever_is_missing(world):
    people = three_people_for(world.east, world.county)
    Coverage.objects.filter(cadre=people["county_leader"]).update(
        ends_on=timezone.localdate() - timedelta(days=1),
        starts_on=timezone.localdate() - timedelta(days=9),
    )
    found = coverage.three_people(world.east.village)
    assert found.missing == ["county_leader"]
    assert coverage.three_people(world.west.village).missing == [
        "county_leader",
        "party_secretary",
        "government_head",
        "political_legal",
    ]
    above = coverage.three_people(world.county)
    assert above.township is None and len(above.missing) == 4


# --- 包保 visibility: the covered places' subtrees join the cadre's area -------------------


@pytest.fixture
def covered(world):
    """The east township's leader covers the west township's village (乡镇班子成员包村)."""
    row = CoverageFactory(
        cadre=world.west.leader, place=world.east.village, kind="township_leader", title="副镇长"
    )
    inside = make_case(world.east.grid, world.east.clerk)
    beside = make_case(world.east.place, world.east.clerk)  # the township, not the village
    return row, inside, beside


def test_a_covering_leader_sees_the_covered_places_cases_and_not_beside(world, covered):
    row, inside, beside = covered
    visible = Case.objects.visible_to(world.west.leader)
    assert visible.filter(pk=inside.pk).exists()
    assert not visible.filter(pk=beside.pk).exists()
    assert may_work_on(world.west.leader, inside)
    # Their own area is untouched.
    own = make_case(world.west.grid, world.west.clerk)
    assert visible.filter(pk=own.pk).exists()


def test_ended_coverage_removes_the_sight(world, covered):
    row, inside, _ = covered
    row.starts_on = timezone.localdate() - timedelta(days=30)
    row.ends_on = timezone.localdate() - timedelta(days=1)
    row.save()
    assert not Case.objects.visible_to(world.west.leader).filter(pk=inside.pk).exists()
    assert not may_work_on(world.west.leader, inside)


def test_coverage_of_another_cadre_leaks_to_nobody_else(world, covered):
    _, inside, _ = covered
    for user in (world.west.clerk, world.west.handler, world.west.grid_worker):
        assert not Case.objects.visible_to(user).filter(pk=inside.pk).exists()


def test_a_need_to_know_cadre_may_work_on_the_covered_township(world):
    people = three_people_for(world.east, world.county)
    court = people["political_legal"]
    inside = make_case(world.east.grid, world.east.clerk)
    beside = make_case(world.west.grid, world.west.clerk)
    assert may_work_on(court, inside)
    # In their county area but not covered: need-to-know keeps it out.
    assert Case.objects.visible_to(court).filter(pk=beside.pk).exists()
    assert not may_work_on(court, beside)


def test_an_account_without_coverage_keeps_the_plain_area_query(world):
    where = str(Case.objects.visible_to(world.county_clerk).query).split("WHERE")[1]
    assert "place_path" not in where and "county_id" in where
    other_county = PlaceFactory(code="530421", name="江川区", level=Level.COUNTY, parent=world.city)
    town = PlaceFactory(
        code="530421001", name="大街街道", level=Level.TOWNSHIP, parent=other_county
    )
    far = make_case(town, None)
    CoverageFactory(cadre=world.county_leader, place=town)
    assert Case.objects.visible_to(world.county_leader).filter(pk=far.pk).exists()
