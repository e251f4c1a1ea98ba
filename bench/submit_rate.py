"""Public report submissions per second through the full HTTP stack, next to a bare endpoint.

    .venv/bin/python bench/submit_rate.py [--seconds 10] [--clients 8] [--workers 4]

Runs against a throw-away PostgreSQL 15 with production durability (re-executes itself under
`scripts/with-postgres --durable` when DATABASE_URL does not point at PostgreSQL: fsync,
synchronous_commit and full_page_writes on, read back and printed), migrates it, creates a
county, a township and a village, starts gunicorn on a free port of 127.0.0.1 with the
project's WSGI application, then loads it with keep-alive HTTP clients (Python threads,
`http.client`) for a fixed time against

  (a) GET  /intake/m/ping      the health check: no database, the bare cost of the stack;
  (b) POST /intake/m/report/   the citizen's H5 report form (multipart, CSRF, one new case
                               per request, each with its own client token),

in the same run, and prints requests per second for both and their ratio (goal: >= 0.40).
On its own throw-away server it then runs the report load once more with fsync,
synchronous_commit and full_page_writes off (ALTER SYSTEM, reverted after), so the run shows
what durability costs on this machine. It then checks that every acknowledged submission is
stored exactly once.

Rate limits are switched off for the run with ZONGZHI_PUBLIC_RATE_LIMITS=0; the server gets
keys made for this run (bench/environment.py). Installs nothing;
sends traffic only to 127.0.0.1; ends by itself after about 3 x (warm-up + seconds).
"""

import argparse
import http.client
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
GOAL = 0.40
PLACE_SETUP = """
from zongzhi.places.models import Level, Place
city, _ = Place.objects.get_or_create(
    code="530400", defaults={"name": "玉溪市", "level": Level.CITY})
county, _ = Place.objects.get_or_create(
    code="530402", defaults={"name": "红塔区", "level": Level.COUNTY, "parent": city})
town, _ = Place.objects.get_or_create(
    code="530402001", defaults={"name": "玉兴街道", "level": Level.TOWNSHIP, "parent": county})
Place.objects.get_or_create(
    code="530402001001", defaults={"name": "玉兴社区", "level": Level.VILLAGE, "parent": town})
from zongzhi.cases.models import DisputeType
print(DisputeType.objects.filter(is_active=True).order_by("sort_order").first().pk)
"""
COUNT_CASES = """
from zongzhi.cases.models import Case
from zongzhi.intake.models import SubmissionReceipt
print(Case.objects.count(), SubmissionReceipt.objects.filter(channel="h5").count())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "python"), str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class Tally:
    ok: int = 0
    errors: int = 0
    statuses: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ok: int, errors: int, statuses: dict) -> None:
        with self.lock:
            self.ok += ok
            self.errors += errors
            for status, count in statuses.items():
                self.statuses[status] = self.statuses.get(status, 0) + count


def multipart(fields: dict[str, str], boundary: str) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode()


class Client:
    """One keep-alive connection, reopened when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes, list]:
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                return response.status, data, response.getheaders()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")


def csrf_token(port: int) -> str:
    status, _, headers = Client(port).request("GET", "/intake/m/report/")
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";", 1)[0].split("=", 1)[1]
    sys.exit(f"no CSRF cookie from the report page (status {status})")


def hello_request(client: Client) -> bool:
    status, data, _ = client.request("GET", "/intake/m/ping")
    return status == 200 and data == b"ok"


def report_request_factory(token: str, dispute_type: str):
    boundary = "----zongzhibench" + uuid.uuid4().hex
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": f"csrftoken={token}",
        "Referer": "http://127.0.0.1/intake/m/report/",
    }
    code_pattern = re.compile(rb'id="query-code">([A-Z0-9]{8})<')

    def request(client: Client) -> bool:
        body = multipart(
            {
                "csrfmiddlewaretoken": token,
                "client_token": uuid.uuid4().hex,
                "dispute_type": dispute_type,
                "description": "隔壁装修每天晚上十点后还在施工，多次沟通无果，希望村里帮忙协调。",
                "place": "530402001001",
                "location_text": "三组村口",
                "contact_name": "王女士",
                "contact_phone": "13987654321",
            },
            boundary,
        )
        status, data, _ = client.request("POST", "/intake/m/report/", body=body, headers=headers)
        return status == 200 and code_pattern.search(data) is not None

    return request


def load(port: int, request, *, clients: int, warmup: float, seconds: float) -> tuple:
    """Run `clients` threads for warm-up + seconds; count only what finishes in the window."""
    tally = Tally()
    start_at = time.monotonic() + warmup
    stop_at = start_at + seconds

    def worker():
        client = Client(port)
        ok = errors = 0
        statuses: dict = {}
        while True:
            now = time.monotonic()
            if now >= stop_at:
                break
            try:
                good = request(client)
            except Exception as error:  # noqa: BLE001 - any failure counts as an error
                good = False
                statuses[type(error).__name__] = statuses.get(type(error).__name__, 0) + 1
            if time.monotonic() <= stop_at and now >= start_at:
                ok += good
                errors += not good
        tally.add(ok, errors, statuses)

    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (usage_after.ru_utime - usage_before.ru_utime) + (
        usage_after.ru_stime - usage_before.ru_stime
    )
    return tally, client_cpu / (warmup + seconds)


class DatabaseSampler(threading.Thread):
    """Samples what the server's database sessions are doing while the load runs, to show
    where a submission waits: on a lock, on the app (idle in transaction), or running."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.samples: dict[str, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg

        query = (
            "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.05):
                for state, wait_type, wait_event in conn.execute(query).fetchall():
                    if state == "idle":
                        continue
                    if state == "idle in transaction":
                        kind = "in transaction, waiting for the app"
                    elif wait_type == "Lock":
                        kind = f"waiting on a lock ({wait_event})"
                    elif wait_type:
                        kind = f"waiting on {wait_type}:{wait_event}"
                    else:
                        kind = "running a query"
                    self.samples[kind] = self.samples.get(kind, 0) + 1

    def summary(self) -> str:
        total = sum(self.samples.values()) or 1
        rows = sorted(self.samples.items(), key=lambda item: -item[1])
        return "; ".join(f"{100 * n / total:.0f}% {kind}" for kind, n in rows[:4])


@contextmanager
def non_durable(url: str):
    """The server's fsync, synchronous_commit and full_page_writes off, then back on."""
    import psycopg

    from bench.environment import DURABILITY_SETTINGS, durability

    with psycopg.connect(url, autocommit=True) as conn:
        for name in DURABILITY_SETTINGS:
            conn.execute(f"ALTER SYSTEM SET {name} = off")
        conn.execute("SELECT pg_reload_conf()")
        time.sleep(1)  # the reload reaches every session
        try:
            yield durability(conn.cursor())[0]
        finally:
            conn.execute("ALTER SYSTEM RESET ALL")
            conn.execute("SELECT pg_reload_conf()")


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited during start-up")
        try:
            if hello_request(Client(port)):
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer /intake/m/ping in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per target")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured start per target")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        wrapper = ROOT / "scripts" / "with-postgres"
        if not wrapper.exists():
            sys.exit("scripts/with-postgres is missing: it provides the throw-away PostgreSQL")
        os.execv(str(wrapper), [str(wrapper), "--durable", sys.executable, *sys.argv])

    import psycopg

    sys.path.insert(0, str(ROOT))
    from bench.environment import durability, run_keys

    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        server_settings, durable = durability(conn.cursor())
    if not durable:
        print(f"WARNING: the server is not durable ({server_settings}): figures are not comparable")
    media = tempfile.mkdtemp(prefix="zongzhi-bench-media-")
    env = {
        **os.environ,
        **run_keys(),
        "DJANGO_SETTINGS_MODULE": "zongzhi.settings",
        "ZONGZHI_DEBUG": "0",
        "ZONGZHI_PUBLIC_RATE_LIMITS": "0",
        "ZONGZHI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZONGZHI_CONN_MAX_AGE": "600",
        "ZONGZHI_MEDIA_ROOT": media,
        "ZONGZHI_LOG_LEVEL": "ERROR",
        # WhiteNoise warns that STATIC_ROOT was never collected; irrelevant here.
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    manage(env, "migrate", "--no-input")
    dispute_type = manage(env, "shell", "-v", "0", "-c", PLACE_SETUP).strip().splitlines()[-1]

    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), "zongzhi.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    command += ["--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "5"]
    server = subprocess.Popen(
        [*command, "--log-level", "warning"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        wait_until_up(port, server)
        token = csrf_token(port)
        options = {"clients": args.clients, "warmup": args.warmup, "seconds": args.seconds}
        hello, hello_cpu = load(port, hello_request, **options)
        sampler = DatabaseSampler(os.environ["DATABASE_URL"])
        sampler.start()
        report, report_cpu = load(port, report_request_factory(token, dispute_type), **options)
        sampler.stop.set()
        sampler.join(timeout=5)
        unsafe = None
        if durable and os.environ.get("ZONGZHI_PG_SOCKET_DIR"):
            # Our own throw-away server: the same load with the tests' unsafe settings, to
            # show in this run what durability costs on this machine.
            with non_durable(os.environ["DATABASE_URL"]) as unsafe_settings:
                unsafe, _ = load(port, report_request_factory(token, dispute_type), **options)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(media, ignore_errors=True)

    counts = manage(env, "shell", "-v", "0", "-c", COUNT_CASES).strip().splitlines()[-1]
    cases, receipts = map(int, counts.split())
    hello_rate = hello.ok / args.seconds
    report_rate = report.ok / args.seconds
    ratio = report_rate / hello_rate if hello_rate else 0.0
    print(
        f"server: gunicorn gthread {args.workers} workers x {args.threads} threads, "
        f"PostgreSQL ({server_settings}), {os.cpu_count()} CPUs shared with "
        f"{args.clients} client threads; {args.seconds:.0f} s measured after {args.warmup:.0f} s"
    )
    print(
        f"hello  GET  /intake/m/ping     {hello_rate:9.1f} req/s  "
        f"({hello.ok} ok, {hello.errors} errors; client used {hello_cpu:.2f} CPU)"
    )
    print(
        f"report POST /intake/m/report/  {report_rate:9.1f} req/s  "
        f"({report.ok} ok, {report.errors} errors; client used {report_cpu:.2f} CPU)"
    )
    verdict = "meets" if ratio >= GOAL else "below"
    print(f"ratio report/hello: {ratio:.2f} ({verdict} the goal of {GOAL:.2f})")
    # Every acknowledged submission stored once: cases = receipts >= acknowledged (some
    # finish in the warm-up or after the window closes, and are stored but not counted).
    print(f"busy database sessions during the report load: {sampler.summary()}")
    acknowledged = report.ok
    if unsafe is not None:
        acknowledged += unsafe.ok
        print(
            f"for comparison, the same server with {unsafe_settings}: "
            f"report {unsafe.ok / args.seconds:.1f} req/s "
            f"({unsafe.ok} ok, {unsafe.errors} errors)"
        )
    print(f"stored: {cases} cases, {receipts} receipts for {acknowledged} acknowledged")
    if hello.statuses or report.statuses:
        print(f"client exceptions: hello {hello.statuses}, report {report.statuses}")
    if cases != receipts or cases < acknowledged:
        sys.exit("LOST OR DUPLICATED SUBMISSIONS")


if __name__ == "__main__":
    main()
