from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zongzhi.cases.durations import due_label, span_label

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("span", "label"),
    [
        (timedelta(minutes=59), "不足 1 小时"),
        (timedelta(hours=1), "1 小时"),
        (timedelta(hours=5, minutes=40), "5 小时"),
        (timedelta(hours=23, minutes=59), "23 小时"),
        (timedelta(hours=24), "1天"),
        (timedelta(hours=53), "2天5小时"),
        (timedelta(days=6, hours=23), "6天23小时"),
        (timedelta(days=7, hours=5), "7天"),
        (timedelta(hours=2731), "113天"),
        (timedelta(seconds=-5), "不足 1 小时"),
    ],
)
def test_span_label_in_hours_below_a_day_then_days(span, label):
    assert span_label(span) == label


def test_due_label_overdue_and_remaining():
    assert due_label(NOW - timedelta(hours=2731), NOW) == "已超期 113天"
    assert due_label(NOW - timedelta(hours=53), NOW) == "已超期 2天5小时"
    assert due_label(NOW + timedelta(hours=5, minutes=10), NOW) == "剩余 5 小时"
    assert due_label(NOW + timedelta(days=3, hours=1), NOW) == "剩余 3天1小时"
    assert due_label(NOW - timedelta(minutes=3), NOW) == "已超期 不足 1 小时"
    assert due_label(None, NOW) == ""
