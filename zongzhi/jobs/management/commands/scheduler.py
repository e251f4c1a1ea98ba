import time

from django.core.management.base import BaseCommand

from zongzhi.jobs.scheduler import run_due_jobs


class Command(BaseCommand):
    help = (
        "Enqueue periodic jobs when they are due and run again tasks lost with their worker "
        "(run beside db_worker; safe to run twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between checks")

    def handle(self, *args, once: bool, interval: int, **options):
        while True:
            for name in run_due_jobs():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
