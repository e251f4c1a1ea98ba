from django.core.management.base import BaseCommand

from zongzhi.api.models import Open311Client
from zongzhi.api.open311.config import jurisdiction_id


class Command(BaseCommand):
    help = "Issue an Open311 api_key for a client application and print it once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--jurisdiction", default=None)

    def handle(self, *args, name: str, jurisdiction: str | None, **options):
        client, raw = Open311Client.issue(name, jurisdiction or jurisdiction_id())
        self.stdout.write(raw)
        self.stderr.write(
            f"已创建Open311客户端“{client.name}”（{client.prefix}…），请立即保存api_key。"
        )
