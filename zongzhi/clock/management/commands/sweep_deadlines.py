"""`zongzhi sweep_deadlines`: take every step due now (reminders, overdue alerts, escalation
rules), each exactly once, and print what was done. Safe to run at any time, twice, or
alongside the worker's periodic task."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from zongzhi.clock.calendar import SHANGHAI
from zongzhi.clock.sweep import sweep


class Command(BaseCommand):
    help = "时限巡检：临期提醒、超期告警和超期升级（每步只执行一次）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", help="按此时间巡检（测试用），如 2026-02-13T10:00")

    def handle(self, *args, now: str | None = None, **options) -> None:
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"时间格式有误：{now}") from error
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=SHANGHAI)
        report = sweep(moment)
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(
            f"巡检完成：案件{report.cases}件，办理时限{report.deadlines}项；"
            f"临期提醒{report.reminders}，超期告警{report.overdue}，超期升级{report.escalations}，"
            f"失败{report.failed}"
        )
