"""`zongzhi seed_calendar [--years 2025 2026]`: load official holidays from chinesecalendar."""

from django.core.management.base import BaseCommand, CommandError

from zongzhi.clock.models import CalendarYear, SpecialDay
from zongzhi.clock.seeding import seed_years, shipped_years


class Command(BaseCommand):
    help = "从 chinesecalendar 载入法定节假日与调休上班日，并将这些年度标记为已确认"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--years", type=int, nargs="+", help="默认：程序包收录的最近三年")

    def handle(self, *args, years=None, **options) -> None:
        years = years or list(shipped_years())[-3:]
        try:
            loaded = seed_years(years, SpecialDay, CalendarYear)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for year, count in loaded.items():
            self.stdout.write(f"{year}: {count}")
