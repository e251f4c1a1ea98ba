#!/usr/bin/env python
"""Benchmark: the filtered queue page at county scope on a province with 1,000,000 cases.

    python bench/queue_query.py                 # SQLite, then PostgreSQL (`make bench`)
    python bench/queue_query.py --cases 100000  # smaller
    python bench/queue_query.py --backend sqlite

Each backend gets a fresh database (SQLite: a temporary file; PostgreSQL: a throw-away server
through `scripts/with-postgres --durable`: fsync, synchronous_commit and full_page_writes on,
as in production), a generated province (16 cities × 8 counties × 10 townships ×
10 villages × 3 grids) and cases spread over it and over two years. The query is the queue
page's: `filter_queue(Case.objects.visible_to(county_clerk), filters)` → `queue_page_queryset`
→ the first 50 rows and `.count()`, timed for several filter sets. The baseline is the same
query on the same database when it held only the first 10,000 cases, measured in the same
run, plus a `SELECT 1` round trip. EXPLAIN output goes to var/bench/explain-<backend>.txt.
"""

import argparse
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
TARGET_MS = 50.0


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--baseline-cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=25, help="timed runs per query (≥ 20)")
    parser.add_argument("--backend", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument(
        "--tree", default="16x8x10x10x3", help="cities×counties×towns×villages×grids"
    )
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def child_args(args: argparse.Namespace, backend: str) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--backend",
        backend,
        "--cases",
        str(args.cases),
        "--baseline-cases",
        str(args.baseline_cases),
        "--runs",
        str(args.runs),
        "--tree",
        args.tree,
        "--seed",
        str(args.seed),
    ]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> int:
    args = parse_args()
    if args.backend == "both":
        status = 0
        for backend in ("sqlite", "postgres"):
            say(f"=== {backend} ===")
            command = child_args(args, backend)
            if backend == "postgres":
                command = [str(ROOT / "scripts" / "with-postgres"), "--durable", *command]
            status = max(status, subprocess.call(command))
        return status
    if args.backend == "postgres" and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        command = [str(ROOT / "scripts" / "with-postgres"), "--durable"]
        command += child_args(args, "postgres")
        return subprocess.call(command)
    # Let temporary files be cleaned up when stopped by a signal.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="zongzhi-bench-") as folder:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            return run(args, "sqlite")
    return run(args, "postgres")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zongzhi.settings")
    os.environ.setdefault("ZONGZHI_LOG_LEVEL", "ERROR")
    from bench.environment import run_keys

    for name, value in run_keys().items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def run(args: argparse.Namespace, backend: str) -> int:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.case_loader import CaseFactory, grid_refs, load_cases
    from bench.environment import durability
    from zongzhi.accounts.models import Role, User
    from zongzhi.cases.choices import Colour, RiskGrade, Status
    from zongzhi.cases.models import Case, DisputeType
    from zongzhi.cases.selectors import QueueFilters, filter_queue, queue_page_queryset
    from zongzhi.demo.places import generate_province
    from zongzhi.places.models import Level, Place

    if args.runs < 20:
        say("--runs below 20 gives unsteady percentiles; using 20")
        args.runs = 20
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    shape = [int(x) for x in args.tree.lower().split("x")]
    province = generate_province(*shape, progress=lambda m: say(f"places: {m}")).province
    grids = grid_refs(province)
    county = Place.objects.under(province).filter(level=Level.COUNTY).order_by("path").first()
    township = Place.objects.filter(parent=county).order_by("-path").first()
    clerk = User.objects.create(
        username="bench-clerk", role=Role.WINDOW_CLERK, place=county, display_name="基准"
    )
    clerk = User.objects.select_related("place").get(pk=clerk.pk)
    neighbourhood = DisputeType.objects.get(code="neighbourhood")
    say(f"places: {Place.objects.count()} in {time.monotonic() - started:.1f} s")

    now = timezone.now()
    today = timezone.localdate(now)
    filter_sets = [
        ("no filter", QueueFilters()),
        ("status=resolve", QueueFilters(status=Status.RESOLVE)),
        ("colour=red", QueueFilters(colour=Colour.RED)),
        ("colour=green", QueueFilters(colour=Colour.GREEN)),
        ("type+risk", QueueFilters(dispute_type_id=neighbourhood.pk, risk=RiskGrade.HIGH)),
        (
            "date range (30 d)",
            QueueFilters(created_from=today - timedelta(days=30), created_to=today),
        ),
        ("place=township", QueueFilters(place=township)),
        ("overdue", QueueFilters(overdue=True)),
    ]

    def queryset(filters):
        scoped = Case.objects.visible_to(clerk)
        return queue_page_queryset(filter_queue(scoped, filters))

    def page(filters) -> int:
        qs = queryset(filters)
        rows = list(qs[:50])
        total = qs.count()
        assert len(rows) == min(50, total)
        return total

    def measure() -> dict[str, tuple[float, float, int]]:
        results = {}
        for name, filters in filter_sets:
            total = page(filters)  # warm-up
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                page(filters)
                times.append((time.perf_counter() - t0) * 1000)
            results[name] = (statistics.median(times), percentile(times, 0.95), total)
        return results

    def select_one() -> tuple[float, float]:
        times = []
        with connection.cursor() as cursor:
            for _ in range(args.runs * 4):
                t0 = time.perf_counter()
                cursor.execute("SELECT 1")
                cursor.fetchone()
                times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times), percentile(times, 0.95)

    def analyze() -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    factory = CaseFactory(grids, now, span_days=730, seed=args.seed)
    load_started = time.monotonic()

    def progress(offset):
        def report(done):
            total = offset + done
            elapsed = time.monotonic() - load_started
            say(f"cases: {total:,}/{args.cases:,} ({elapsed:.0f} s, {total / elapsed:,.0f}/s)")

        return report

    baseline_n = min(args.baseline_cases, args.cases)
    load_cases(factory, 0, baseline_n, progress=progress(0))
    analyze()
    baseline = measure()
    round_trip = select_one()
    load_cases(factory, baseline_n, args.cases - baseline_n, progress=progress(baseline_n))
    load_seconds = time.monotonic() - load_started
    fresh = measure()
    analyze()
    analysed = measure()

    # EXPLAIN each query as the page runs it (captured SQL, parameters inlined).
    OUT.mkdir(parents=True, exist_ok=True)
    explain_path = OUT / f"explain-{backend}.txt"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if backend == "postgres" else "EXPLAIN QUERY PLAN "
    with explain_path.open("w") as out, connection.cursor() as cursor:
        out.write(f"# {backend}, {args.cases:,} cases, county {county.code}, after ANALYZE\n")
        for name, filters in filter_sets:
            with CaptureQueriesContext(connection) as captured:
                page(filters)
            for query in captured.captured_queries:
                cursor.execute(prefix + query["sql"])
                plan = cursor.fetchall()
                out.write(f"\n## {name}\n{query['sql']}\n")
                for row in plan:
                    out.write(
                        ("  ".join(str(c) for c in row) if backend == "sqlite" else row[0]) + "\n"
                    )

    county_cases = Case.objects.filter(county=county).count()
    server = ""
    if backend == "postgres":
        with connection.cursor() as cursor:
            server = f"; server {durability(cursor)[0]}"
    lines = [
        f"queue page at county scope — {backend}, {args.cases:,} cases "
        f"({county_cases:,} in the county), {args.runs} runs each; "
        f"load {load_seconds:.0f} s{server}",
        f"baseline: the same query at {baseline_n:,} cases; SELECT 1 round trip "
        f"median {round_trip[0]:.3f} ms, p95 {round_trip[1]:.3f} ms",
        "",
        f"{'filter':<18} {'rows':>7} {'base med':>9} {'base p95':>9} {'med':>8} {'p95':>8} "
        f"{'ratio':>6} {'noANALYZE':>10}  target",
    ]
    for name, _ in filter_sets:
        base_med, base_p95, _ = baseline[name]
        med, p95, total = analysed[name]
        fresh_med = fresh[name][0]
        ok = "ok" if p95 <= TARGET_MS else "MISS"
        lines.append(
            f"{name:<18} {total:>7,} {base_med:>8.2f}  {base_p95:>8.2f}  {med:>7.2f}  {p95:>7.2f}  "
            f"{med / base_med:>5.1f}x {fresh_med:>9.2f}  {ok}"
        )
    lines += [
        "",
        "times in ms per page (50 rows + count); ratio = median / baseline median; "
        "noANALYZE = median before ANALYZE",
        f"EXPLAIN output: {explain_path.relative_to(ROOT)}",
    ]
    report = "\n".join(lines)
    print(report, flush=True)
    (OUT / f"results-{backend}.txt").write_text(report + "\n")
    say(f"total {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
