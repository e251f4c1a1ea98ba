"""`zongzhi print_demo_accounts`: who to log in as in the demo, and the shared password."""

import unicodedata

from django.core.management.base import BaseCommand

from zongzhi.accounts.models import Role, User
from zongzhi.demo.staff import DEMO_PASSWORD
from zongzhi.places.models import Level, Place


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


# At county level the default table shows these accounts (the rest follow the same pattern).
COUNTY_SAMPLES = (
    "leader",
    "clerk",
    "analyst",
    "court",
    "hrss",
    "family-room",
    "cadre-1",
    "court-leader1",
)


def sample_paths() -> set[str]:
    """Per city, in its first county: the first township, its first village and first grid."""
    chosen: set[str] = set()
    for city in Place.objects.filter(level=Level.CITY, staff__isnull=False):
        node = Place.objects.filter(parent=city, level=Level.COUNTY).order_by("path").first()
        for level in (Level.TOWNSHIP, Level.VILLAGE, Level.GRID):
            node = Place.objects.filter(parent=node, level=level).order_by("path").first()
            if node is None:
                break
            chosen.add(node.path)
    return chosen


class Command(BaseCommand):
    help = "列出演示账号（用户名、角色、区域、单位）和统一的演示密码。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="every account (default: province and city accounts, the main accounts of "
            "each county, and one township, village and grid per city)",
        )

    def handle(self, *args, **options):
        users = (
            User.objects.exclude(role=Role.CITIZEN)
            .filter(place__isnull=False)
            .select_related("place", "unit")
            .order_by("place__path", "username")
        )
        samples = None if options["all"] else sample_paths()
        rows = []
        for user in users:
            place = user.place
            if samples is not None:
                if place.level > Level.COUNTY and place.path not in samples:
                    continue
                if place.level == Level.COUNTY and not user.username.endswith(COUNTY_SAMPLES):
                    continue
            area = place.full_name if place.level >= Level.COUNTY else place.name
            rows.append((user.username, user.role_label, area, str(user.unit or "")))
        headers = ("用户名 username", "角色 role", "区域 area", "单位 unit")
        widths = [max(width(r[i]) for r in [headers, *rows]) for i in range(4)]
        write = self.stdout.write
        write(f"演示账号 Demo accounts — 统一密码 password: {DEMO_PASSWORD}")
        write("  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)))
        write("  ".join("-" * w for w in widths))
        for row in rows:
            write("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        total = users.count()
        if samples is not None and total > len(rows):
            write(
                f"\n共 {total} 个账号，以上为 {len(rows)} 个示例（--all 列出全部）。"
                f" {total} accounts in all; names follow 县-乡镇-村代码后三位-角色, "
                "e.g. hongta-yuxing-clerk, hongta-yuxing-001-leader, hongta-yuxing-001-g1."
            )
