from datetime import datetime
from zoneinfo import ZoneInfo

from zongzhi.cases.numbering import QUERY_CODE_ALPHABET, normalise_query_code
from zongzhi.places.models import Level
from zongzhi.testing.factories import PlaceFactory, make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_numbers_count_per_county_and_year(world):
    at = datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)
    first = make_case(world.east.village, world.east.clerk, now=at)
    second = make_case(world.west.village, world.west.clerk, now=at)
    next_year = make_case(
        world.east.village, world.east.clerk, now=datetime(2027, 1, 1, 0, 1, tzinfo=SHANGHAI)
    )
    other = PlaceFactory(code="530403", name="江川区", level=Level.COUNTY, parent=world.city)
    elsewhere = make_case(other, None, now=at)
    assert [first.number, second.number, next_year.number, elsewhere.number] == [
        "530402-2026-000001",
        "530402-2026-000002",
        "530402-2027-000001",
        "530403-2026-000001",
    ]


def test_year_is_counted_in_local_time(world):
    # 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Yunnan.
    from datetime import UTC

    case = make_case(
        world.east.village, world.east.clerk, now=datetime(2026, 12, 31, 17, tzinfo=UTC)
    )
    assert case.number == "530402-2027-000001"


def test_query_codes_are_unambiguous_and_unique(world):
    codes = {make_case(world.east.village, world.east.clerk).query_code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(c) == 8 and set(c) <= set(QUERY_CODE_ALPHABET) for c in codes)
    assert not set("01IOL") & set(QUERY_CODE_ALPHABET)
    assert normalise_query_code(" ab-cd 2345 ") == "ABCD2345"
