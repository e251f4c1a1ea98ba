import pytest

from zongzhi.accounts.models import Role, User
from zongzhi.cases.models import Case
from zongzhi.jobs.scheduler import SCHEDULE, run_due_jobs
from zongzhi.places import services
from zongzhi.places.models import Level, Place
from zongzhi.testing.factories import PlaceFactory, UserFactory, make_case


def fresh(user: User) -> User:
    # As a request would load it: the account's node with its path as stored now.
    return User.objects.select_related("place").get(pk=user.pk)


def visible(user: User) -> set[int]:
    return set(Case.objects.visible_to(fresh(user)).values_list("pk", flat=True))


@pytest.fixture
def cases(world):
    return {
        "east": make_case(world.east.grid, world.east.clerk),
        "east_village": make_case(world.east.village, world.east.clerk),
        "west": make_case(world.west.village, world.west.clerk),
    }


def test_recoding_a_township_keeps_its_staff_and_cases_together(world, cases):
    city_leader = UserFactory(username="city-leader", role=Role.CENTRE_LEADER, place=world.city)
    before = {user: visible(user) for user in (world.east.clerk, city_leader, world.county_clerk)}

    services.change_code(world.east.place, "530402009")

    for user, seen in before.items():
        assert visible(user) == seen and seen
    town = Place.objects.get(pk=world.east.place.pk)
    assert town.code == "530402009" and town.path == "530400/530402/530402009/"
    grid = Place.objects.get(pk=world.east.grid.pk)
    assert grid.path == "530400/530402/530402009/530402001001/530402001001-01/"
    assert set(Place.objects.under(town)) == {town, world.east.village, world.east.grid}
    east = Case.objects.get(pk=cases["east"].pk)
    assert east.place_path == grid.path and east.county_id == world.county.pk
    assert Case.objects.get(pk=cases["west"].pk).place_path == cases["west"].place_path
    assert fresh(world.east.clerk).can_see_path(east.place_path)


def test_recoding_a_county_re_paths_everything_below_it(world, cases):
    services.change_code(world.county, "530499")

    county = Place.objects.get(pk=world.county.pk)
    assert Place.objects.under(county).count() == 7
    assert not Place.objects.filter(path__under="530400/530402/").exists()
    assert Case.objects.filter(place_path__under=county.path).count() == 3
    assert visible(world.east.clerk) == {cases["east"].pk, cases["east_village"].pk}
    assert visible(world.county_clerk) == {case.pk for case in cases.values()}


def test_moving_a_township_to_another_county_moves_its_cases(world, cases):
    other = PlaceFactory(code="530421", name="江川区", level=Level.COUNTY, parent=world.city)
    other_clerk = UserFactory(username="clerk-530421", role=Role.WINDOW_CLERK, place=other)

    services.move(world.west.place, other)

    town = Place.objects.get(pk=world.west.place.pk)
    assert town.parent_id == other.pk and town.path == "530400/530421/530402002/"
    west = Case.objects.get(pk=cases["west"].pk)
    assert west.county_id == other.pk and west.place_path.startswith(town.path)
    assert visible(other_clerk) == {west.pk}
    assert west.pk not in visible(world.county_clerk)
    assert visible(world.west.clerk) == {west.pk}
    assert Place.objects.get(pk=world.west.village.pk).ancestor_at(Level.COUNTY) == other


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda w: services.change_code(w.east.place, "530402002"), "已被使用"),
        (lambda w: services.change_code(w.east.place, "5304/02"), "只能由"),
        (lambda w: services.change_code(w.east.place, ""), "只能由"),
        (lambda w: services.move(w.county, w.east.village), "下级"),
        (lambda w: services.move(w.east.village, w.west.village), "高一级"),
        (lambda w: services.move(w.east.place, w.city), "县"),
        (lambda w: services.move(w.east.place, None), "县"),
    ],
)
def test_a_refused_change_changes_nothing(world, cases, change, message):
    paths = sorted(Place.objects.values_list("code", "path"))
    case_rows = sorted(Case.objects.values_list("place_path", "county_id"))
    with pytest.raises(services.PlaceChangeRefused, match=message):
        change(world)
    assert sorted(Place.objects.values_list("code", "path")) == paths
    assert sorted(Case.objects.values_list("place_path", "county_id")) == case_rows


def test_a_code_that_would_make_a_path_too_long_is_refused(world, monkeypatch):
    # The grid's path is 53 characters; a longer township code would take it past 55.
    monkeypatch.setattr(services, "PATH_MAX_LENGTH", 55)
    with pytest.raises(services.PlaceChangeRefused, match="过长"):
        services.change_code(world.east.place, "530402001999")
    assert Place.objects.get(pk=world.east.place.pk).code == "530402001"
    services.change_code(world.east.place, "530402009")  # same length: fine


def test_saving_a_place_with_another_code_or_parent_is_refused(world):
    town = Place.objects.get(pk=world.east.place.pk)
    town.code = "530402009"
    with pytest.raises(ValueError, match="change_code"):
        town.save()
    town = Place.objects.get(pk=world.east.place.pk)
    town.parent = world.city
    with pytest.raises(ValueError, match="move"):
        town.save()
    town = Place.objects.get(pk=world.east.place.pk)
    town.name = "玉兴街道（新）"
    town.save()  # other fields save as before
    assert Place.objects.get(pk=town.pk).path == "530400/530402/530402001/"


def test_admin_change_form_cannot_change_code_or_parent(world, admin_client):
    url = f"/admin/places/place/{world.east.place.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="code"' not in page and 'name="parent"' not in page
    assert f"/admin/places/place/{world.east.place.pk}/recode/" in page
    admin_client.post(
        url, {"code": "530402009", "name": "玉兴", "level": Level.TOWNSHIP, "parent": world.city.pk}
    )
    town = Place.objects.get(pk=world.east.place.pk)
    assert (town.code, town.parent_id, town.name) == ("530402001", world.county.pk, "玉兴")


def test_admin_recode_page_re_paths_through_the_service(world, cases, admin_client):
    url = f"/admin/places/place/{world.east.place.pk}/recode/"
    page = admin_client.get(url).content.decode()
    assert "2 个下级地点" in page and "2 件纠纷" in page
    refused = admin_client.post(url, {"code": "530402002", "parent_code": "530402"})
    assert refused.status_code == 200 and "已被使用" in refused.content.decode()
    missing = admin_client.post(url, {"code": "530402009", "parent_code": "999999"})
    assert "没有区划代码为 999999 的地点" in missing.content.decode()
    assert Place.objects.get(pk=world.east.place.pk).code == "530402001"

    done = admin_client.post(url, {"code": "530402009", "parent_code": "530402"})
    assert done.status_code == 302
    assert Case.objects.get(pk=cases["east"].pk).place_path.startswith("530400/530402/530402009/")
    assert visible(world.east.clerk) == {cases["east"].pk, cases["east_village"].pk}


def test_a_case_written_with_a_stale_path_is_repaired_by_the_periodic_job(world, cases):
    # A registration that read the township's path just before a move committed.
    other = PlaceFactory(code="530421", name="江川区", level=Level.COUNTY, parent=world.city)
    stale_path, old_county = cases["west"].place_path, world.county
    services.move(world.west.place, other)
    Case.objects.filter(pk=cases["west"].pk).update(place_path=stale_path, county=old_county)

    assert run_due_jobs(schedule=[job for job in SCHEDULE if job.name == "repair_case_paths"])
    west = Case.objects.get(pk=cases["west"].pk)
    assert west.place_path == "530400/530421/530402002/530402002001/"
    assert west.county_id == other.pk
    assert services.repair_case_places() == 0
