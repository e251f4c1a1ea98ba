"""`zongzhi load_demo`: the demo data set (places, centres, staff, cases)."""

from django.core.management.base import BaseCommand, CommandError

from zongzhi.cases.models import Case
from zongzhi.demo.loader import demo_present, load_demo
from zongzhi.demo.staff import DEMO_PASSWORD


class Command(BaseCommand):
    help = "载入演示数据：云南的真实地点、各级综治中心与入驻单位、演示账号和数千件矛盾纠纷。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds cases",
        )
        parser.add_argument("--cases", type=int, default=4000, help="number of cases (4000)")
        parser.add_argument("--seed", type=int, default=2025, help="random seed (2025)")

    def handle(self, *args, if_empty: bool, cases: int, seed: int, **options):
        if if_empty and Case.objects.exists():
            self.stderr.write("已有案件数据，跳过演示数据载入。 Cases exist; nothing loaded.")
            return
        if demo_present():
            raise CommandError(
                "演示数据已存在（账号 admin）。请使用新的数据库，或加 --if-empty。"
                " Demo data already present; use a fresh database."
            )
        if cases < 0:
            raise CommandError("--cases must be zero or more")
        verbosity = options.get("verbosity", 1)

        def progress(message: str) -> None:
            if verbosity:
                self.stderr.write(message)

        result = load_demo(cases=cases, seed=seed, progress=progress)
        statuses = ", ".join(f"{k}={v}" for k, v in sorted(result.by_status.items()))
        self.stdout.write(
            f"演示数据已载入 loaded in {result.seconds:.1f} s: "
            f"{result.places} places, {result.units} units, {result.users} users, "
            f"{result.cases} cases, {result.transitions} transitions, "
            f"{result.risk_changes} risk changes.\n  {statuses}\n"
            f"演示账号密码 demo password: {DEMO_PASSWORD}  (zongzhi print_demo_accounts)"
        )
