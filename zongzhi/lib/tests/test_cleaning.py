"""The one home of input cleaning: text, whole numbers, dates and moments."""

from datetime import UTC, date, datetime, timedelta

import pytest

from zongzhi.api.open311.formats import SHANGHAI
from zongzhi.lib import cleaning


@pytest.mark.parametrize("text", ["a\x00b", "\x07", "\x1b[0m", "\x7f", "\x85", "\ud800"])
def test_control_characters_and_surrogates_are_refused(text):
    assert cleaning.has_forbidden_characters(text)
    with pytest.raises(cleaning.InvalidInput, match="控制字符"):
        cleaning.clean_text(text)


@pytest.mark.parametrize("text", ["", "纠纷\t情况\r\n第二行", "全角　空格", "emoji 🙂", "A-1 b"])
def test_ordinary_text_passes_unchanged(text):
    assert cleaning.clean_text(text) == text


def test_first_unclean_names_the_field():
    pairs = [("name", "王芳"), ("description", "漏水\x00"), ("x", "\x01")]
    assert cleaning.first_unclean(pairs) == "description"
    assert cleaning.first_unclean([("ok", "fine")]) is None
    assert cleaning.first_unclean([("bad\x00", "fine")]) == ""


@pytest.mark.parametrize("raw", ["²", "٣", "３", "1_000", "1e3", "", " ", "+-1", "0x10", "1.0"])
def test_parse_int_takes_ascii_digits_only(raw):
    with pytest.raises(cleaning.InvalidInput):
        cleaning.parse_int(raw, minimum=-10, maximum=10_000)


def test_parse_int_bounds_and_length():
    assert cleaning.parse_int(" 42 ", minimum=1, maximum=100) == 42
    assert cleaning.parse_int("-3", minimum=-5, maximum=5) == -3
    with pytest.raises(cleaning.InvalidInput, match="1到100"):
        cleaning.parse_int("101", minimum=1, maximum=100)
    with pytest.raises(cleaning.InvalidInput):
        cleaning.parse_int("9" * 30, minimum=1, maximum=10**40)


@pytest.mark.parametrize(
    "raw", ["2026-13-45", "2026-02-30", "２０２６-01-01", "2026-1-1", "20260101", "0001-01-01"]
)
def test_parse_date_is_strict_and_bounded(raw):
    with pytest.raises(cleaning.InvalidInput):
        cleaning.parse_date(raw)


def test_parse_date_range_leaves_room_for_a_day():
    assert cleaning.parse_date("2026-01-31") == date(2026, 1, 31)
    with pytest.raises(cleaning.InvalidInput, match="1900-01-01"):
        cleaning.parse_date("9999-12-31")
    latest = cleaning.parse_date(cleaning.MAX_DATE.isoformat())
    assert latest + timedelta(days=1) > latest


def test_parse_moment():
    assert cleaning.parse_moment("2026-03-10T15:00:00+08:00", SHANGHAI) == datetime(
        2026, 3, 10, 7, tzinfo=UTC
    )
    naive = cleaning.parse_moment("2026-03-10 15:00", SHANGHAI)
    assert naive.tzinfo is SHANGHAI
    for raw in ["2026-03-10", "2026-03-10T25:00:00", "0001-01-01T00:00:00+08:00", "yesterday"]:
        with pytest.raises(cleaning.InvalidInput):
            cleaning.parse_moment(raw, SHANGHAI)
