"""`zongzhi generate_places`: a synthetic province-sized place tree (for load tests)."""

import time

from django.core.management.base import BaseCommand, CommandError

from zongzhi.demo.places import generate_province
from zongzhi.places.models import Level, Place


class Command(BaseCommand):
    help = "生成模拟省份的行政区划树（默认 16 市 × 8 县 × 10 乡镇 × 10 村 × 3 网格）。"

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int, default=16)
        parser.add_argument("--counties", type=int, default=8, help="per city")
        parser.add_argument("--townships", type=int, default=10, help="per county")
        parser.add_argument("--villages", type=int, default=10, help="per township")
        parser.add_argument("--grids", type=int, default=3, help="per village")
        parser.add_argument("--code", default="990000", help="province code, NN0000 (990000)")
        parser.add_argument("--name", default="模拟省")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **o):
        if Place.objects.filter(code=o["code"]).exists():
            raise CommandError(f"place {o['code']} already exists")
        started = time.monotonic()
        try:
            generated = generate_province(
                o["cities"],
                o["counties"],
                o["townships"],
                o["villages"],
                o["grids"],
                code=o["code"],
                name=o["name"],
                seed=o["seed"],
                progress=self.stderr.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{Level(k).label} {v}" for k, v in generated.counts.items())
        self.stdout.write(
            f"{generated.province.name}（{generated.province.code}）: {generated.total} places "
            f"({counts}) in {time.monotonic() - started:.1f} s"
        )
