from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zongzhi.api.models import ApiToken


class Command(BaseCommand):
    help = "Issue a personal API token for a staff account and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        if user.place_id is None:
            raise CommandError(f"用户“{username}”未设置所属节点，令牌无法读取任何纠纷")
        token, raw = ApiToken.issue(user, name)
        self.stdout.write(raw)
        self.stderr.write(
            f"已为 {username} 创建令牌“{token.name}”（{token.prefix}…），"
            f"有效期至 {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}，"
            "请立即保存，此后无法再次查看。"
        )
