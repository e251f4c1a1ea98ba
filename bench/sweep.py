#!/usr/bin/env python
"""Benchmark: the escalation sweep on PostgreSQL with 1,000,000 open cases.

    python bench/sweep.py                  # 1,000,000 cases (`make bench-sweep`)
    python bench/sweep.py --cases 100000   # smaller

Runs on a throw-away PostgreSQL through `scripts/with-postgres --durable` (fsync,
synchronous_commit and full_page_writes on, as in production; read back and printed). It
builds a generated province, a window clerk and a leader per township, and N open cases
COPYed in (reported in the last two days, accepted and met, being resolved: their next step,
the resolve warning, lies days ahead), then prints in one run:

1. the sweep with nothing due (median of many runs) against a full scan of the open cases
   (goal: at most 2% of it);
2. the sweep with 1,000 cases due (their resolve milestone overdue: an overdue event, its
   messages and the step row each) against inserting 1,000 timeline events in 1,000
   transactions (goal: at most 3× that). Two rounds, each on 1,000 other cases.
"""

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument(
        "--tree", default="2x4x10x10x3", help="cities×counties×towns×villages×grids"
    )
    parser.add_argument("--runs", type=int, default=50, help="timed runs of the idle sweep")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="profile the first due sweep")
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> int:
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        command = [str(ROOT / "scripts" / "with-postgres"), "--durable", sys.executable]
        return subprocess.call(command + [str(Path(__file__).resolve()), *sys.argv[1:]])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return run(args)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zongzhi.settings")
    os.environ.setdefault("ZONGZHI_LOG_LEVEL", "ERROR")
    from bench.environment import run_keys

    for name, value in run_keys().items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def copy_cases(rows_of, count: int, progress) -> None:
    """COPY `count` cases made by `rows_of(index)` (unsaved Case objects) into the table, every
    concrete column prepared by its own field, 20,000 rows per transaction."""
    from django.db import connection, transaction

    from zongzhi.cases.models import Case

    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Case._meta.db_table)
    done = 0
    while done < count:
        size = min(20_000, count - done)
        # Made before the COPY starts: making a row may query (the calendar of a new year).
        rows = [
            [f.get_db_prep_save(getattr(case, f.attname), connection) for f in fields]
            for case in map(rows_of, range(done, done + size))
        ]
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        done += size
        progress(done)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Max, Min
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.case_loader import TITLES, query_code
    from bench.environment import durability
    from zongzhi.accounts.models import Role, User
    from zongzhi.cases import deadlines
    from zongzhi.cases.choices import RiskGrade, Source, Status
    from zongzhi.cases.models import Case, CaseEvent, DisputeType
    from zongzhi.clock.sweep import sweep
    from zongzhi.demo.places import generate_province
    from zongzhi.places.models import Level, Place

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    shape = [int(x) for x in args.tree.lower().split("x")]
    province = generate_province(*shape, progress=lambda m: say(f"places: {m}")).province
    townships = {p.code: p for p in Place.objects.under(province).filter(level=Level.TOWNSHIP)}
    counties = dict(
        Place.objects.under(province).filter(level=Level.COUNTY).values_list("code", "id")
    )
    grids = list(Place.objects.under(province).filter(level=Level.GRID).values_list("id", "path"))
    users = []
    for town in townships.values():
        for role in (Role.WINDOW_CLERK, Role.CENTRE_LEADER):
            users.append(User(username=f"{role}-{town.code}", role=role, place=town))
    User.objects.bulk_create(users)
    types = list(DisputeType.objects.filter(is_active=True).values_list("id", flat=True))

    rng = random.Random(args.seed)
    now = timezone.now()
    calendar = deadlines.current_calendar()
    due_cache: dict = {}

    def due_times(created):
        day = timezone.localdate(created)
        if day not in due_cache:
            due_cache[day] = deadlines.compute_due_times(created, calendar)
        return due_cache[day]

    def make(index: int) -> Case:
        grid_id, path = grids[rng.randrange(len(grids))]
        codes = path.strip("/").split("/")
        created = now - timedelta(seconds=rng.random() * 2 * 86400)
        case = Case(
            number=f"B{index:010d}",
            query_code=query_code(index),
            source=Source.WINDOW,
            title=TITLES[index % len(TITLES)],
            description="基准测试数据",
            dispute_type_id=types[index % len(types)],
            risk=RiskGrade.LOW if rng.random() < 0.7 else RiskGrade.MEDIUM,
            place_id=grid_id,
            place_path=path,
            county_id=counties[codes[2]],
            holding_place_id=townships[codes[3]].pk,
            status=Status.RESOLVE,
            created_at=created,
            updated_at=created,
            reported_at=created,
            accepted_at=created + timedelta(minutes=30),
            parties_met_at=created + timedelta(hours=2),
        )
        for name, value in due_times(created).as_fields().items():
            setattr(case, name, value)
        deadlines.refresh_clock(case, calendar)
        return case

    load_started = time.monotonic()

    def progress(done: int) -> None:
        elapsed = time.monotonic() - load_started
        say(f"cases: {done:,}/{args.cases:,} ({elapsed:.0f} s, {done / elapsed:,.0f}/s)")

    copy_cases(make, args.cases, progress)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    load_seconds = time.monotonic() - load_started
    first = Case.objects.aggregate(Min("next_sweep_at"), Max("next_sweep_at"))
    assert first["next_sweep_at__min"] > now, "a freshly built case is already due"

    # 1. Nothing due: the sweep against a full scan of the open cases.
    sweep(now)  # warm-up
    idle = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        report = sweep(now)
        idle.append((time.perf_counter() - t0) * 1000)
        assert report.steps == 0 and report.cases == 0
    scan = []
    open_cases = Case.objects.filter(deadlines.open_q(), next_due_at__isnull=False)
    for _ in range(5):
        t0 = time.perf_counter()
        open_count = open_cases.count()
        scan.append((time.perf_counter() - t0) * 1000)
    idle_ms, scan_ms = statistics.median(idle), statistics.median(scan)
    idle_p95 = sorted(idle)[max(0, int(0.95 * len(idle)) - 1)]

    # 2. 1,000 due: the sweep against 1,000 timeline events in 1,000 transactions.
    ids = list(Case.objects.values_list("pk", flat=True))
    rounds = []
    picked = rng.sample(ids, args.due * 2)
    for round_ids in (picked[: args.due], picked[args.due :]):
        past = now - timedelta(hours=1)
        Case.objects.filter(pk__in=round_ids).update(
            resolve_due_at=past,
            next_due_at=past,
            warn_at=past - timedelta(days=1),
            next_sweep_at=past,
        )
        baseline_cases = list(
            Case.objects.filter(pk__in=round_ids).only("pk", "place_path", "status")
        )
        t0 = time.perf_counter()
        for case in baseline_cases:
            with transaction.atomic():
                CaseEvent.objects.create(
                    case=case,
                    kind="comment",
                    actor=None,
                    actor_label="基准",
                    created_at=now,
                    to_status=case.status,
                    note="基准测试",
                    place_path=case.place_path,
                    is_public=False,
                )
        events_s = time.perf_counter() - t0
        profiler = None
        if args.profile and not rounds:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t0 = time.perf_counter()
        report = sweep(now)
        sweep_s = time.perf_counter() - t0
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        assert report.overdue == args.due and report.failed == 0, report
        rounds.append((events_s, sweep_s, report))

    with connection.cursor() as cursor:
        server, durable = durability(cursor)
        # The idle sweep's own statements, as run, with their plans.
        with CaptureQueriesContext(connection) as captured:
            sweep(now + timedelta(microseconds=1))
        plans = []
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + query["sql"])
            plans.append(query["sql"])
            plans += ["  " + row[0] for row in cursor.fetchall()]
        plan = "\n".join(plans)
    lines = [
        f"escalation sweep — PostgreSQL, {args.cases:,} open cases ({open_count:,} with a due "
        f"time), tree {args.tree}; load {load_seconds:.0f} s; server {server}"
        + ("" if durable else "  (NOT DURABLE: figures not comparable)"),
        "",
        f"nothing due: sweep median {idle_ms:.2f} ms (p95 {idle_p95:.2f}) against a full scan "
        f"of the open cases {scan_ms:.1f} ms: {100 * idle_ms / scan_ms:.2f}% "
        f"(goal ≤ 2%: {'ok' if idle_ms <= 0.02 * scan_ms else 'MISS'})",
    ]
    for number, (events_s, sweep_s, report) in enumerate(rounds, start=1):
        ratio = sweep_s / events_s
        lines.append(
            f"{args.due:,} due (round {number}): sweep {sweep_s:.2f} s "
            f"({report.overdue} overdue events with their messages and steps) against "
            f"{args.due:,} events in {args.due:,} transactions {events_s:.2f} s: {ratio:.2f}× "
            f"(goal ≤ 3×: {'ok' if ratio <= 3 else 'MISS'})"
        )
    lines += ["", "the statements of a sweep with nothing due, with their plans:", plan]
    text = "\n".join(lines)
    print(text, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results-sweep.txt").write_text(text + "\n")
    say(f"total {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
