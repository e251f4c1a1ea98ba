from zongzhi.places.lookups import upper_bound
from zongzhi.places.models import Level, Place
from zongzhi.testing.factories import PlaceFactory


def test_paths_follow_the_ladder(world):
    assert world.east.grid.path == "530400/530402/530402001/530402001001/530402001001-01/"
    assert [p.name for p in world.east.grid.ancestors()] == [
        "玉溪市",
        "红塔区",
        "玉兴街道",
        "玉兴街道一村",
    ]
    assert world.east.grid.ancestor_at(Level.COUNTY) == world.county
    assert world.east.place.ancestor_at(Level.VILLAGE) is None
    assert world.east.grid.full_name == "红塔区玉兴街道玉兴街道一村第一网格"


def test_under_returns_the_subtree_with_or_without_the_node(world):
    codes = set(Place.objects.under(world.county).values_list("code", flat=True))
    assert "530402" in codes and "530400" not in codes and len(codes) == 7
    without = Place.objects.under(world.county, include_self=False)
    assert world.county not in without and without.count() == 6


def test_contains(world):
    assert world.county.contains(world.east.grid)
    assert world.east.place.contains(world.east.place)
    assert not world.east.place.contains(world.west.village)
    assert not world.east.grid.contains(world.east.village)


def test_upper_bound_covers_every_descendant():
    assert upper_bound("530402/") == "5304020"
    assert "530402/9/" < upper_bound("530402/") <= "5304020"


def test_a_province_can_sit_on_top(db):
    province = PlaceFactory(code="530000", name="云南省", level=Level.PROVINCE)
    city = PlaceFactory(code="530300", name="曲靖市", level=Level.CITY, parent=province)
    county = PlaceFactory(code="530326", name="会泽县", level=Level.COUNTY, parent=city)
    assert county.path == "530000/530300/530326/"
    assert list(Place.objects.under(province).at_level(Level.COUNTY)) == [county]
