from io import StringIO

import pytest
from django.core.management import call_command

from zongzhi.demo.places import generate_province
from zongzhi.places.models import Level, Place


def test_paths_and_subtree_counts(db):
    generated = generate_province(3, 2, 4, 5, 3)
    province = generated.province
    per_city = 1 + 2 + 2 * 4 + 2 * 4 * 5 + 2 * 4 * 5 * 3
    assert generated.total == 1 + 3 * per_city
    assert Place.objects.under(province).count() == generated.total
    for city in Place.objects.filter(level=Level.CITY):
        assert Place.objects.under(city).count() == per_city
        assert Place.objects.under(city).filter(level=Level.GRID).count() == 2 * 4 * 5 * 3
    # Every stored path is what Place.save() would have computed.
    for place in Place.objects.select_related("parent"):
        expected = (place.parent.path if place.parent else "") + place.code + "/"
        assert place.path == expected
    grid = Place.objects.filter(level=Level.GRID).first()
    assert len(grid.code) == 15 and grid.code[12] == "-"
    assert grid.ancestor_at(Level.COUNTY).level == Level.COUNTY


def test_rejects_codes_that_do_not_fit(db):
    with pytest.raises(ValueError):
        generate_province(100, 1, 1, 1, 1)
    with pytest.raises(ValueError):
        generate_province(code="99")


def test_command(db):
    out = StringIO()
    call_command(
        "generate_places",
        cities=2,
        counties=2,
        townships=2,
        villages=2,
        grids=2,
        stdout=out,
        stderr=StringIO(),
    )
    assert "模拟省" in out.getvalue()
    assert Place.objects.count() == 1 + 2 + 4 + 8 + 16 + 32
