import pytest
from django.urls import reverse

from zongzhi.places.naming import label_places, short_path, short_paths
from zongzhi.testing.factories import make_case


def test_short_path_below_the_viewers_node(world):
    grid = world.east.grid
    assert short_path(grid, world.east.grid) == "第一网格"
    assert short_path(grid, world.east.village) == "第一网格"
    assert short_path(grid, world.east.place) == "玉兴街道一村·第一网格"
    assert short_path(grid, world.county) == "玉兴街道·玉兴街道一村·第一网格"


def test_short_path_starts_at_the_county_for_wide_viewers_and_outsiders(world):
    grid = world.east.grid
    assert short_path(grid, world.city) == "红塔区·玉兴街道·玉兴街道一村·第一网格"
    assert short_path(grid) == "红塔区·玉兴街道·玉兴街道一村·第一网格"
    # A place outside the viewer's node is named in full, never cut wrongly.
    assert short_path(grid, world.west.place) == "红塔区·玉兴街道·玉兴街道一村·第一网格"
    assert short_path(world.city, world.city) == "玉溪市"


def test_same_named_grids_can_be_told_apart(world, django_assert_num_queries):
    grids = [world.east.grid, world.west.grid]
    with django_assert_num_queries(1):
        labels = short_paths(grids, world.county)
    assert labels[world.east.grid.path] != labels[world.west.grid.path]
    assert labels[world.west.grid.path] == "凤凰街道·凤凰街道一村·第一网格"


def test_label_places_sets_a_label_with_one_query(world, django_assert_num_queries):
    cases = [make_case(world.east.grid, world.east.clerk) for _ in range(3)]
    cases.append(make_case(world.west.village, world.west.clerk))
    with django_assert_num_queries(1):
        labelled = label_places(cases, world.county)
    assert [c.place_label for c in labelled] == [
        "玉兴街道·玉兴街道一村·第一网格",
        "玉兴街道·玉兴街道一村·第一网格",
        "玉兴街道·玉兴街道一村·第一网格",
        "凤凰街道·凤凰街道一村",
    ]


@pytest.mark.parametrize(
    ("viewer", "label"),
    [
        ("county_leader", "玉兴街道·玉兴街道一村·第一网格"),
        ("east_clerk", "玉兴街道一村·第一网格"),
    ],
)
def test_queue_and_home_name_places_relative_to_the_viewer(world, client, viewer, label):
    make_case(world.east.grid, world.east.clerk)
    user = world.county_leader if viewer == "county_leader" else world.east.clerk
    client.force_login(user)
    assert (
        f'<td class="cell-place">{label}</td>'
        in client.get(reverse("workbench:queue")).content.decode()
    )


def test_home_todo_names_places_in_full_for_a_county_leader(world, client):
    from datetime import timedelta

    from django.utils import timezone

    make_case(world.east.grid, world.east.clerk, now=timezone.now() - timedelta(hours=30))
    client.force_login(world.county_leader)
    html = client.get(reverse("workbench:home")).content.decode()
    assert '<td class="cell-place">玉兴街道·玉兴街道一村·第一网格</td>' in html
