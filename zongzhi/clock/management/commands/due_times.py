"""`zongzhi due_times --reported-at 2026-02-13T10:00`: the four 13715 due times of an
ordinary case reported then, so an administrator can check the calendar."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from zongzhi.cases.choices import Milestone
from zongzhi.cases.deadlines import compute_due_times
from zongzhi.clock.calendar import SHANGHAI, span_confirmed


class Command(BaseCommand):
    help = "按工作日历打印普通案件的受理、见面、化解、办结期限"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reported-at", required=True, help="上报时间，如 2026-02-13T10:00")

    def handle(self, *args, reported_at: str, **options) -> None:
        try:
            start = datetime.fromisoformat(reported_at)
        except ValueError as error:
            raise CommandError(f"时间格式有误：{reported_at}") from error
        if start.tzinfo is None:
            start = start.replace(tzinfo=SHANGHAI)
        due = compute_due_times(start)
        for milestone in Milestone:
            moment = getattr(due, milestone.value).astimezone(SHANGHAI)
            self.stdout.write(f"{milestone.value} {moment.isoformat()}")
        if not span_confirmed(start, due.close):
            # On stderr, so that stdout stays the four lines.
            self.stderr.write("注意：期间内有年度的节假日安排尚未确认，以上时间只按周末计算")
