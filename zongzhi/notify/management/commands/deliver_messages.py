from django.core.management.base import BaseCommand

from zongzhi.notify.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Send the SMS and WeChat messages that are due, once (the scheduler does it every minute)."
    )

    def handle(self, *args, **options):
        result = deliver_due()
        self.stdout.write(
            f"recovered {result.recovered}, sent {result.sent}, "
            f"retrying {result.retrying}, dead {result.dead}"
        )
