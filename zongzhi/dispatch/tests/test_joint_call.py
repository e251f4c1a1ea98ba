"""多长联调: the preset roster filled for a case's place, with the missing seats named."""

import pytest

from zongzhi.dispatch.joint_call import fill_seats
from zongzhi.dispatch.models import JointCallSeat
from zongzhi.testing.factories import UnitFactory, make_case


def filled(case) -> dict[str, object]:
    return {f.seat.key: f.unit or f.person or f.missing for f in fill_seats(case)}


@pytest.fixture
def east_case(world, called):
    return make_case(world.east.grid, world.east.clerk)


def test_the_preset_has_the_five_seats_as_data(db):
    assert list(JointCallSeat.objects.values_list("title", flat=True)) == [
        "网格长",
        "派出所所长",
        "司法所所长",
        "人民法庭庭长",
        "检察室主任",
    ]


def test_a_township_with_its_offices_fills_every_seat_but_the_missing_one(world, called, east_case):
    world.east.unit.department = "司法"
    world.east.unit.save()
    assert filled(east_case) == {
        "grid-head": world.east.grid_worker,
        "police-station": called.police,
        "justice-office": world.east.unit,  # "玉兴街道司法所"
        "tribunal": called.tribunal,  # at the county, serving the township
        "procuratorate-office": "本乡镇未配置检察室",
    }


def test_a_procuratorate_office_serving_the_township_fills_its_seat(world, called, east_case):
    office = UnitFactory(name="红塔区人民检察院玉兴检察室", department="检察院", place=world.county)
    office.serves.set([world.east.place])
    assert filled(east_case)["procuratorate-office"] == office


def test_a_township_without_offices_names_each_missing_one(world, called):
    case = make_case(world.west.village, world.west.clerk)
    world.west.unit.name = "凤凰街道人民调解委员会"  # no 司法所 in the west township
    world.west.unit.save()
    assert filled(case) == {
        "grid-head": "纠纷未落到网格，无网格长",
        "police-station": "本乡镇未配置派出所",  # the east police station is not the west's
        "justice-office": "本乡镇未配置司法所",
        "tribunal": "本乡镇未配置人民法庭",  # the tribunal serves the east township only
        "procuratorate-office": "本乡镇未配置检察室",
    }


def test_a_seat_switched_off_in_the_admin_is_left_out(world, called, east_case):
    JointCallSeat.objects.filter(key="tribunal").update(is_active=False)
    assert "tribunal" not in filled(east_case)


def test_a_grid_without_a_grid_worker_is_named(world, called, east_case):
    world.east.grid_worker.is_active = False
    world.east.grid_worker.save()
    assert filled(east_case)["grid-head"] == "本网格未配置网格员"
