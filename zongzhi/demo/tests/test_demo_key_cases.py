"""The demo's 包保 table and key cases (zongzhi.demo.coverage)."""

from zongzhi.dispatch import coverage
from zongzhi.dispatch.models import Coverage, Duty, KeyCase
from zongzhi.places.models import Level, Place


def test_the_demo_has_a_coverage_table_and_key_cases_with_duties(db):
    from zongzhi.demo.loader import load_demo

    load_demo(cases=120, seed=5, progress=lambda message: None)
    towns = Place.objects.filter(level=Level.TOWNSHIP, parent__code="530402").order_by("path")
    assert towns.count() > 2
    for town in towns[: towns.count() - 1]:
        assert coverage.three_people(town).missing == [], town.name
    # The last township of each county lost its county leader: named as missing.
    assert coverage.three_people(towns.last()).missing == ["county_leader"]
    assert Coverage.objects.filter(ends_on__isnull=False).exists()
    kinds = set(Coverage.objects.values_list("kind", flat=True))
    assert kinds == {
        "county_leader",
        "political_legal",
        "party_secretary",
        "government_head",
        "township_leader",
        "township_cadre",
        "village_cadre",
    }
    assert KeyCase.objects.exists()
    assert Duty.objects.filter(done_at__isnull=False).exists()
    assert Duty.objects.filter(done_at__isnull=True).exists()
