"""``make bench``: load-test Syllabus against json-server and Prism, side by side, on 127.0.0.1,
and print every design target of issue 10 (and the toolkit's of issue 11) with a verdict.

Steps: prepare (or reuse) a seeded bench database; start ``syllabus serve`` on one worker, measure
its startup and idle RSS, discover real ids through the API and run wrk on every endpoint; then
the other worker counts (``--workers``), the same reads on PostgreSQL, the rate limiter's and the
request journal's cost, the anchors, and (``--scale``) a site of a million enrollments. Results
also go to ``var/bench/results.json``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import secrets
import signal
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import anchors, dataset, journal, limiter, report, scale, targets, webhooks
from bench.endpoints import (
    API,
    BY_COUPON,
    CHECKOUT,
    COURSES_BY_ID,
    JS_BY_ID,
    JS_LIST,
    PAGE_SIZE,
    PRISM_BY_ID,
    PRISM_LIST,
    PRODUCTS_LIST,
    SCALING_READS,
    USERS_CREATE,
    USERS_CREATE_BY_WORKER,
    USERS_CREATE_DELIVERED,
    USERS_CREATE_WRITES,
    Endpoint,
    reads,
)
from bench.procs import (
    BenchError,
    ManagedProcess,
    ProcessRegistry,
    RssSample,
    free_port,
    http_request,
    tree_rss,
    wait_for_200,
)
from bench.sequential import KeepAlive, Series
from bench.wrk import LoadSettings, WrkResult, run_wrk, wrk_version

RESULTS = dataset.BENCH_DIR / "results.json"
IDLE_SETTLE_S = 1.0
NOISY_CORES = targets.NOISY_CORES
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/syllabus_bench"
DEFAULT_TIMEOUT_S = 1800.0
SCALE_TIMEOUT_S = 5400.0
# A coupon the seed gives every site (its welcome offer applies to every product).
COUPON = "WELCOME10"
# Site creations made first and not counted (connection open, code warm); deleted too.
SITE_WARMUP = 5
SITE_BUDGET_S = 120.0
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")


class BenchTimeout(Exception):
    pass


def worker_counts(value: str) -> list[int]:
    """``--workers``: "1,2" (the first runs everything, the others the scaling reads) or "N"."""
    try:
        counts = [int(part) for part in value.replace(" ", "").split(",") if part]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of worker counts: {value!r}") from error
    if not counts or min(counts) < 1 or len(set(counts)) != len(counts):
        raise argparse.ArgumentTypeError(f"worker counts must be distinct and >= 1: {value!r}")
    return counts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Benchmark Syllabus with wrk against json-server and Prism (127.0.0.1 only), "
        "and print every design target with its verdict.",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per endpoint")
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="unmeasured seconds first (0: none)"
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--write-connections",
        type=int,
        default=8,
        help="wrk connections of the writes target's POST /users run",
    )
    parser.add_argument(
        "--workers",
        type=worker_counts,
        default=[1, 2],
        help="`syllabus serve --workers`, a comma-separated list (default 1,2): the first count "
        "gets the full run (every endpoint, startup, RSS), each other one GET /courses/{id}, "
        "GET /users/{id} and the enrollments list; a single count runs only the full run",
    )
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--enrollments", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1, help="`syllabus seed --seed`")
    parser.add_argument(
        "--anchors",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run json-server and Prism (npm-installed into bench/node_modules)",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="the main runs' database (postgresql://... on 127.0.0.1) instead of var/bench/*.db",
    )
    parser.add_argument(
        "--postgres",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the reads on one worker against PostgreSQL (--postgres-url)",
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help="the PostgreSQL of the PostgreSQL run and of the scale phase (127.0.0.1 only; the "
        "database is created if missing)",
    )
    parser.add_argument("--fresh", action="store_true", help="re-seed even if a dataset matches")
    parser.add_argument(
        "--limiter",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the rate limiter's cost on GET /courses/{id}, 1 worker: off, on in "
        "process, on through Redis",
    )
    parser.add_argument(
        "--limiter-rounds",
        type=int,
        default=2,
        help="rounds of the limiter's runs (each mode once per round)",
    )
    parser.add_argument(
        "--redis-url",
        default=limiter.DEFAULT_REDIS_URL,
        help="the Redis of the limiter's Redis run (127.0.0.1 only)",
    )
    parser.add_argument(
        "--journal",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the request journal's cost on GET /courses/{id}, 1 worker: off, on",
    )
    parser.add_argument(
        "--journal-rounds",
        type=int,
        default=2,
        help="rounds of the journal's runs (each mode once per round)",
    )
    parser.add_argument(
        "--site-creations",
        type=int,
        default=200,
        help="POST /_syllabus/sites timed one after another (0: skip); deleted afterwards",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="also the scale phase (slow, off by default): a site of --scale-enrollments "
        "enrollments and --scale-users users, seeded and compared with the normal site, on "
        "SQLite and on PostgreSQL",
    )
    parser.add_argument("--scale-users", type=int, default=100_000)
    parser.add_argument("--scale-enrollments", type=int, default=1_000_000)
    parser.add_argument(
        "--scale-requests",
        type=int,
        default=200,
        help="sequential requests per request kind and site in the scale phase",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help=f"overall limit in seconds, seeding included (default {DEFAULT_TIMEOUT_S:.0f}; "
        f"{SCALE_TIMEOUT_S:.0f} with --scale)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    if args.timeout is None:
        args.timeout = SCALE_TIMEOUT_S if args.scale else DEFAULT_TIMEOUT_S
    if args.duration <= 0 or args.connections < 1 or args.threads < 1:
        parser.error("--duration, --connections and --threads must be positive")
    if args.write_connections < 1 or args.site_creations < 0 or args.scale_requests < 1:
        parser.error("--write-connections and --scale-requests must be positive")
    if args.limiter_rounds < 1 or args.journal_rounds < 1:
        parser.error("--limiter-rounds and --journal-rounds must be at least 1")
    if min(args.users, args.courses, args.enrollments, args.scale_users) < 1:
        parser.error("--users, --courses, --enrollments and --scale-users must be at least 1")
    if args.scale_enrollments < 1:
        parser.error("--scale-enrollments must be at least 1")
    if urllib.parse.urlsplit(args.redis_url).hostname not in LOCAL_NAMES:
        parser.error("--redis-url must name a Redis on 127.0.0.1")
    postgres = urllib.parse.urlsplit(args.postgres_url)
    if not postgres.scheme.startswith("postgres") or postgres.hostname not in LOCAL_NAMES:
        parser.error("--postgres-url must name a PostgreSQL database on 127.0.0.1")
    return args


@contextmanager
def guarded(timeout: float) -> Iterator[None]:
    """SIGINT and SIGTERM become KeyboardInterrupt; the whole run gets a deadline (SIGALRM)."""

    def on_alarm(_signum: int, _frame: FrameType | None) -> None:
        raise BenchTimeout(f"the benchmark exceeded --timeout {timeout:.0f} s")

    def on_term(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous_alarm = signal.signal(signal.SIGALRM, on_alarm)
    previous_term = signal.signal(signal.SIGTERM, on_term)
    # Also when started in the background, where SIGINT arrives ignored.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_alarm)
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


@contextmanager
def shielded() -> Iterator[None]:
    """Let cleanup finish: a second Ctrl-C (or SIGTERM) must not leave servers behind."""
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.registry = ProcessRegistry()
        self.deadline: float = time.monotonic() + float(args.timeout)
        self.load = LoadSettings(
            duration=args.duration,
            connections=args.connections,
            threads=min(args.threads, args.connections),
            warmup=args.warmup,
        )
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.noisy: list[str] = []
        self.data: dataset.Dataset | None = None
        self.main_database = "SQLite" if args.database_url is None else "PostgreSQL"
        if args.database_url is not None and args.database_url.startswith("sqlite"):
            self.main_database = "SQLite"
        workers = args.workers[0]
        self.syllabus = report.ServerRun(
            f"syllabus, {_plural(workers, 'worker')}, {self.main_database}",
            workers=workers,
            database=self.main_database,
        )
        self.scaling: list[report.ServerRun] = []
        self.json_server: report.ServerRun | None = None
        self.prism: report.ServerRun | None = None
        self.anchors_missing: dict[str, str] = {}
        self.limiter_runs: list[report.ServerRun] = []
        self.limiter_cost: dict[str, Any] = {}
        self.journal_runs: list[report.ServerRun] = []
        self.journal_cost: dict[str, Any] = {}
        self.journal_missing = ""
        self.postgres: report.ServerRun | None = None
        self.postgres_data: dataset.Dataset | None = None
        self.postgres_ids: dict[str, Any] = {}
        self.postgres_missing = ""
        self.site_creation: Series | None = None
        self.site_deletion: Series | None = None
        self.site_creation_missing = ""
        self.scale_results: list[scale.ScaleResult] = []
        self.scale_missing = ""
        self.ids: dict[str, Any] = {}
        self.anchor_info: dict[str, Any] = {"enabled": bool(args.anchors)}
        self.run_token = secrets.token_hex(4)
        self.started = time.monotonic()
        self.wrk_runs = 0

    # -- helpers ------------------------------------------------------------------------------

    def remaining(self) -> float:
        return max(1.0, self.deadline - time.monotonic())

    def wrk(
        self,
        run: report.ServerRun,
        name: str,
        port: int,
        path: str,
        headers: dict[str, str],
        *,
        script: str = "get.lua",
        script_args: tuple[str, ...] = (),
        probe: dict[str, Any] | None = None,
        server_pid: int,
        settings: LoadSettings | None = None,
    ) -> WrkResult:
        load = settings or self.load
        common: dict[str, Any] = {
            "server_pid": server_pid,
            "port": port,
            "path": path,
            "settings": load,
            "headers": headers,
            "script": script,
            "script_args": script_args,
            "log_dir": dataset.LOG_DIR,
        }
        label = f"{run.name}: {name}" if run.workers is not None else name
        if load.warmup > 0:
            warm_args = tuple(arg.replace("{phase}", "warm") for arg in script_args)
            run_wrk(
                self.registry,
                name=f"{label} (warm-up)",
                duration=load.warmup,
                **{**common, "script_args": warm_args},
            )
        print(f"  wrk {load.duration:g}s -c{load.connections}  {name}", flush=True)
        common["script_args"] = tuple(arg.replace("{phase}", "run") for arg in script_args)
        result = run_wrk(self.registry, name=label, **common)
        result.name = name
        result.probe = probe or {}
        self.wrk_runs += 1
        run.results = [*(run.results or []), result]
        if result.other_cores > NOISY_CORES:
            self.noisy.append(f"{label} ({result.other_cores:g})")
        if result.requests == 0:
            self.errors.append(f"{label}: no request completed in {load.duration:g} s")
        elif result.error_count:
            self.errors.append(
                f"{label}: {result.non_2xx:,} non-2xx responses and "
                f"{sum(result.socket_errors.values()):,} socket errors "
                f"out of {result.requests:,} requests"
            )
        return result

    def skip(self, run: report.ServerRun, name: str, reason: str) -> None:
        run.skipped = [*(run.skipped or []), (name, reason)]
        self.errors.append(f"{run.name}: {name}: skipped, {reason}")
        print(f"  skipped {name}: {reason}", flush=True)

    def settle_rss(self, process: ManagedProcess) -> RssSample:
        """Idle RSS once it stops moving (workers still importing would make it too low)."""
        time.sleep(IDLE_SETTLE_S)
        sample = tree_rss(process.pid)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.5)
            again = tree_rss(process.pid)
            if again.processes == sample.processes and abs(again.total_mb - sample.total_mb) < 1:
                return again
            sample = again
        return sample

    # -- Syllabus -----------------------------------------------------------------------------

    def start_syllabus(
        self,
        data: dataset.Dataset,
        log_name: str,
        *,
        workers: int,
        env: dict[str, str] | None = None,
    ) -> tuple[ManagedProcess, int]:
        """``syllabus serve`` on the dataset with ``workers`` workers, limiting off unless
        ``env`` adds other settings."""
        port = free_port()
        argv = [
            dataset.syllabus_binary(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--database-url",
            data.database_url,
            "--log-level",
            "warning",
        ]
        process = self.registry.start(
            "syllabus serve",
            argv,
            log_path=dataset.LOG_DIR / log_name,
            env={**dataset.server_env(data.database_url), **(env or {})},
        )
        return process, port

    def start_measured(
        self, run: report.ServerRun, data: dataset.Dataset, log_name: str
    ) -> tuple[ManagedProcess, int]:
        """Start ``run``'s server; record its startup (to /healthz and to an authenticated
        read) and its idle RSS."""
        assert run.workers is not None
        user_id = dataset.first_user_id(data.database_url, data.subdomain)
        process, port = self.start_syllabus(data, log_name, workers=run.workers)
        run.startup_s = round(wait_for_200(process, port, "/healthz"), 3)
        if user_id is not None:
            run.auth_startup_s = round(
                wait_for_200(process, port, f"{API}/users/{user_id}", headers=data.headers), 3
            )
        run.rss_idle = self.settle_rss(process)
        print(
            f"  {run.name} up: /healthz {run.startup_s} s, authenticated GET "
            f"{run.auth_startup_s} s, idle RSS {run.rss_idle.total_mb} MB "
            f"over {run.rss_idle.processes} processes",
            flush=True,
        )
        return process, port

    def prepare_dataset(
        self, database_url: str | None, params: dataset.SeedParams
    ) -> dataset.Dataset:
        seed_available = dataset.seed_command_available()
        if not seed_available:
            self.notes.append(
                "`syllabus seed` is not available yet: users come from the bench-only "
                f"POST /users fallback (at most {dataset.FALLBACK_USER_CAP:,}), with no courses "
                "or enrollments. This is NOT the dataset the design asks for."
            )
        data = dataset.prepare(
            self.registry,
            database_url=database_url,
            params=params,
            fresh=self.args.fresh,
            seed_available=seed_available,
            timeout=self.remaining(),
        )
        if not data.reused and not seed_available:
            process, port = self.start_syllabus(data, "serve-fallback-seed.log", workers=1)
            try:
                wait_for_200(process, port, "/healthz")
                print("  seeding users through POST /users (fallback) ...", flush=True)
                dataset.fallback_seed_users(data, port)
            finally:
                self.registry.stop(process)
        verb = "reusing" if data.reused else "built"
        counts = dataset.site_counts(data.database_url, data.subdomain) or {}
        print(
            f"  {verb} dataset {dataset.redact(data.database_url)} site {data.subdomain!r}: "
            + ", ".join(f"{count:,} {table}" for table, count in counts.items())
            + (f" (seeded in {data.seed_seconds} s)" if data.seed_seconds is not None else ""),
            flush=True,
        )
        if counts.get("enrollments", 0) < params.enrollments:
            self.notes.append(
                f"{dataset.redact(data.database_url)} site {data.subdomain!r} holds "
                f"{counts.get('enrollments', 0):,} enrollments, fewer than the "
                f"{params.enrollments:,} asked for"
            )
        return data

    def params(
        self, users: int | None = None, enrollments: int | None = None
    ) -> dataset.SeedParams:
        return dataset.SeedParams(
            users=users or self.args.users,
            courses=self.args.courses,
            enrollments=enrollments or self.args.enrollments,
            seed=self.args.seed,
        )

    def discover(self, port: int, headers: dict[str, str]) -> dict[str, Any]:
        """Real ids through the API: a user, one from the middle (and its email), the busiest
        course, a product."""
        ids: dict[str, Any] = {}

        def get(path: str) -> Any:
            answer = http_request(port, "GET", f"{API}{path}", headers=headers, timeout=30)
            if not answer.ok:
                raise BenchError(f"GET {API}{path} answered {answer.status}: {answer.body[:200]!r}")
            return answer.json()

        first = get("/users?limit=5")
        if not first["items"]:
            raise BenchError("the bench site has no users")
        ids["user_id"] = first["items"][0]["id"]
        middle = max(1, first["meta"]["pagination"]["total_pages"] // 2)
        middle_user = get(f"/users?limit=5&page={middle}")["items"][0]
        ids["email"] = middle_user["email"]
        ids["middle_user_id"] = middle_user["id"]

        courses = http_request(port, "GET", f"{API}/courses?limit=250", headers=headers)
        if not courses.ok:
            ids["courses_error"] = f"GET /courses answered {courses.status}"
            return ids
        course_ids = [item["id"] for item in courses.json()["items"]]
        if not course_ids:
            ids["courses_error"] = "the bench site has no courses"
            return ids
        ids["course_id"] = course_ids[0]
        products = http_request(port, "GET", f"{API}/products?limit=1", headers=headers)
        if products.ok and products.json()["items"]:
            ids["product_id"] = products.json()["items"][0]["id"]
        else:
            ids["products_error"] = f"GET /products answered {products.status}, or nothing"
        best: tuple[int, int] | None = None
        for course_id in course_ids[:250]:
            answer = http_request(
                port,
                "GET",
                f"{API}/enrollments?query%5Bcourse_id%5D={course_id}&limit=1",
                headers=headers,
                timeout=30,
            )
            if not answer.ok:
                ids["enrollments_error"] = f"GET /enrollments answered {answer.status}"
                return ids
            total = int(answer.json()["meta"]["pagination"]["total_items"])
            if best is None or total > best[1]:
                best = (course_id, total)
        if best is None or best[1] == 0:
            ids["enrollments_error"] = "no course has enrollments"
            return ids
        ids["enrollments_course_id"] = best[0]
        ids["enrollments_total"] = best[1]
        ids["enrollments_pages"] = math.ceil(best[1] / PAGE_SIZE)
        return ids

    def probe(
        self, port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
    ) -> tuple[bool, dict[str, Any], str]:
        answer = http_request(port, method, path, headers=headers, body=body)
        info: dict[str, Any] = {"status": answer.status, "bytes": len(answer.body)}
        if answer.ok and answer.headers.get("content-type", "").startswith("application/json"):
            payload = answer.json()
            if isinstance(payload, dict) and isinstance(payload.get("items"), list):
                info["items"] = len(payload["items"])
        reason = "" if answer.ok else f"probe answered {answer.status}: {answer.body[:120]!r}"
        return answer.ok, info, reason

    def measure_reads(
        self,
        run: report.ServerRun,
        port: int,
        headers: dict[str, str],
        pid: int,
        found: list[Endpoint],
    ) -> None:
        """Probe, then wrk, each endpoint; skipped (with the reason) when it cannot be."""
        for endpoint in found:
            if endpoint.path is None:
                self.skip(run, endpoint.name, endpoint.reason)
                continue
            ok, info, reason = self.probe(port, "GET", endpoint.path, headers)
            if not ok:
                self.skip(run, endpoint.name, reason)
                continue
            if endpoint.full_page and info.get("items") != PAGE_SIZE:
                self.notes.append(
                    f"{run.name}: {endpoint.name}: page 1 held {info.get('items')} items"
                )
            if endpoint.script == "pages.lua":
                info["pages"] = int(endpoint.script_args[1])
            self.wrk(
                run,
                endpoint.name,
                port,
                endpoint.path,
                headers,
                script=endpoint.script,
                script_args=endpoint.script_args,
                probe=info,
                server_pid=pid,
            )

    def bench_syllabus(self, data: dataset.Dataset) -> None:
        """The main run: every endpoint, site creation and the writes, on ``--workers``' first
        count."""
        run = self.syllabus
        process, port = self.start_measured(run, data, "serve.log")
        try:
            self.ids.update(self.discover(port, data.headers))
            self.measure_reads(run, port, data.headers, process.pid, reads(self.ids))
            self.run_commerce(port, data.headers, process.pid)
            self.bench_site_creation(port)
            self.run_writes(port, data.headers, process.pid)
            run.rss_after = tree_rss(process.pid)
        finally:
            self.registry.stop(process)

    def run_writes(self, port: int, headers: dict[str, str], pid: int) -> None:
        """POST /users: at ``--connections``, at ``--write-connections`` (the writes target),
        and with its user.signup deliveries."""
        run = self.syllabus
        post_headers = {**headers, "Content-Type": "application/json"}
        body = (
            f'{{"first_name":"Bench","last_name":"Probe",'
            f'"email":"bench-{self.run_token}-probe@example.com"}}'
        ).encode()
        ok, info, reason = self.probe(port, "POST", f"{API}/users", post_headers, body)
        if not ok:
            self.skip(run, USERS_CREATE, reason)
            self.skip(run, USERS_CREATE_WRITES, reason)
            return
        writes = replace(
            self.load,
            connections=self.args.write_connections,
            threads=min(self.load.threads, self.args.write_connections),
        )
        for name, settings in ((USERS_CREATE, self.load), (USERS_CREATE_WRITES, writes)):
            self.wrk(
                run,
                name,
                port,
                f"{API}/users",
                headers,
                script="post_users.lua",
                # unique per wrk invocation
                script_args=(f"{self.run_token}-{len(run.results or [])}-{{phase}}",),
                probe=info,
                server_pid=pid,
                settings=settings,
            )
        self.run_delivered_writes(port, headers, pid, info)

    def bench_site_creation(self, port: int) -> None:
        """``POST /_syllabus/sites`` one after another over one connection, each timed; every
        site made is deleted (``DELETE /_syllabus/sites/{sub}``, timed too)."""
        count = self.args.site_creations
        if count == 0:
            self.site_creation_missing = "--site-creations 0"
            return
        if self.main_database != "SQLite":
            self.site_creation_missing = f"the main run is on {self.main_database}, not SQLite"
            return
        print(f"  {count} x POST /_syllabus/sites, then DELETE each", flush=True)
        admin = {"Authorization": f"Bearer {dataset.ADMIN_TOKEN}"}
        create = Series("POST /_syllabus/sites", [], {})
        delete = Series("DELETE /_syllabus/sites/{sub}", [], {})
        made: list[str] = []
        client = KeepAlive(port)
        deadline = time.monotonic() + SITE_BUDGET_S
        try:
            for number in range(SITE_WARMUP + count):
                if time.monotonic() > deadline:
                    self.notes.append(f"site creation stopped after {SITE_BUDGET_S:.0f} s")
                    break
                status, payload, elapsed = client.request(
                    "POST", "/_syllabus/sites", {**admin, "Content-Type": "application/json"}, b"{}"
                )
                if status == 201:
                    made.append(json.loads(payload)["subdomain"])
                if number >= SITE_WARMUP:
                    create.statuses[status] = create.statuses.get(status, 0) + 1
                    if status == 201:
                        create.samples.append(elapsed)
                elif status != 201:
                    raise BenchError(f"POST /_syllabus/sites answered {status}: {payload[:200]!r}")
        finally:
            for subdomain in made:
                status, _payload, elapsed = client.request(
                    "DELETE", f"/_syllabus/sites/{subdomain}", admin
                )
                delete.statuses[status] = delete.statuses.get(status, 0) + 1
                if status == 204:
                    delete.samples.append(elapsed)
            client.close()
        self.site_creation, self.site_deletion = create, delete
        for series in (create, delete):
            if series.failures:
                self.errors.append(f"{series.name}: {series.failures} answers not 2xx")

    def bench_scaling(self, data: dataset.Dataset, workers: int) -> None:
        """Another worker count: the by-id reads and the enrollments list."""
        run = report.ServerRun(
            f"syllabus, {_plural(workers, 'worker')}, {self.main_database}",
            workers=workers,
            database=self.main_database,
        )
        self.scaling.append(run)
        process, port = self.start_measured(run, data, f"serve-{workers}-workers.log")
        try:
            found = reads(self.ids, SCALING_READS)
            self.measure_reads(run, port, data.headers, process.pid, found)
            run.rss_after = tree_rss(process.pid)
        finally:
            self.registry.stop(process)

    def bench_postgres(self) -> None:
        """The reads on one worker against a PostgreSQL copy of the dataset (its own site)."""
        if not self.args.postgres:
            self.postgres_missing = "run without PostgreSQL (--no-postgres)"
            return
        url = self.args.postgres_url
        problem = dataset.ensure_postgres_database(url)
        if problem is not None:
            self.postgres_missing = problem
            self.notes.append(f"PostgreSQL not measured: {problem}")
            print(f"  skipped: {problem}", flush=True)
            return
        try:
            data = self.prepare_dataset(url, self.params())
        except BenchError as error:
            self.postgres_missing = f"the PostgreSQL dataset could not be prepared: {_short(error)}"
            self.errors.append(self.postgres_missing)
            return
        self.postgres_data = data
        run = report.ServerRun("syllabus, 1 worker, PostgreSQL", workers=1, database="PostgreSQL")
        self.postgres = run
        process, port = self.start_measured(run, data, "serve-postgres.log")
        try:
            self.postgres_ids = self.discover(port, data.headers)
            self.measure_reads(run, port, data.headers, process.pid, reads(self.postgres_ids))
            run.rss_after = tree_rss(process.pid)
        finally:
            self.registry.stop(process)

    def bench_separate_worker(self, data: dataset.Dataset) -> None:
        """POST /users with its deliveries sent by `syllabus worker`, another process, as a
        deployment runs them: the server only writes the outbox rows."""
        if "user_id" not in self.ids:
            return
        env = {"SYLLABUS_DELIVER_WEBHOOKS": "0"}
        process, port = self.start_syllabus(
            data, "serve-no-deliveries.log", workers=self.syllabus.workers or 1, env=env
        )
        worker = self.registry.start(
            "syllabus worker",
            [dataset.syllabus_binary(), "worker", "--database-url", data.database_url],
            log_path=dataset.LOG_DIR / "worker.log",
            env={**dataset.server_env(data.database_url), "SYLLABUS_LOG_LEVEL": "warning"},
        )
        try:
            wait_for_200(process, port, "/healthz")
            self.run_delivered_writes(
                port, data.headers, process.pid, {}, name=USERS_CREATE_BY_WORKER
            )
        finally:
            self.registry.stop(worker)
            self.registry.stop(process)

    def run_delivered_writes(
        self,
        port: int,
        headers: dict[str, str],
        pid: int,
        info: dict[str, Any],
        *,
        name: str = USERS_CREATE_DELIVERED,
    ) -> None:
        """POST /users again with an active subscription: every write's event is delivered
        while wrk runs (by the server's own worker, unless another process sends them), so the
        difference is what delivery costs writes."""
        with webhooks.receiver() as hook, webhooks.subscribed(port, headers, hook.url):
            result = self.wrk(
                self.syllabus,
                name,
                port,
                f"{API}/users",
                headers,
                script="post_users.lua",
                script_args=(f"{self.run_token}-{len(self.syllabus.results or [])}-{{phase}}",),
                probe=info,
                server_pid=pid,
            )
            deadline = time.monotonic() + 30
            while hook.count < result.requests and time.monotonic() < deadline:
                time.sleep(0.1)
            self.notes.append(
                f"{name}: {hook.count:,} deliveries received for "
                f"{result.requests:,} users created in the measured run and its warm-up"
            )

    def run_commerce(self, port: int, headers: dict[str, str], pid: int) -> None:
        """The products list, a coupon lookup, and checkout (the control plane's purchase)."""
        run = self.syllabus
        product = self.ids.get("product_id")
        if product is None:
            for name in (PRODUCTS_LIST, BY_COUPON, CHECKOUT):
                self.skip(run, name, self.ids.get("products_error", "no product"))
            return
        gets = (
            (PRODUCTS_LIST, f"{API}/products"),
            (BY_COUPON, f"{API}/promotions/by_coupon?product_id={product}&coupon_code={COUPON}"),
        )
        for name, path in gets:
            ok, info, reason = self.probe(port, "GET", path, headers)
            if ok:
                self.wrk(run, name, port, path, headers, probe=info, server_pid=pid)
            else:
                self.skip(run, name, reason)
        admin = {"Authorization": f"Bearer {dataset.ADMIN_TOKEN}"}
        path = f"/_syllabus/sites/{self.data.subdomain if self.data else ''}/checkout"
        body = f'{{"user_id":{self.ids["user_id"]},"product_id":{product}}}'
        ok, info, reason = self.probe(
            port, "POST", path, {**admin, "Content-Type": "application/json"}, body.encode()
        )
        if not ok:
            self.skip(run, CHECKOUT, reason)
            return
        self.wrk(
            run,
            CHECKOUT,
            port,
            path,
            admin,
            script="post.lua",
            script_args=(body,),
            probe=info,
            server_pid=pid,
        )

    def interleaved(
        self,
        data: dataset.Dataset,
        modes: list[limiter.Mode],
        kind: str,
        rounds: int,
        check: Callable[[limiter.Mode, ManagedProcess], None] | None = None,
    ) -> tuple[list[report.ServerRun], dict[str, list[WrkResult]]]:
        """``GET /courses/{id}`` on one server of one worker per mode, all started first, then
        measured in turn for ``rounds`` rounds, so that what the machine does meanwhile falls on
        every mode alike. ``check`` looks at each server before it is stopped."""
        course = self.ids.get("course_id")
        if course is None:
            raise BenchError(f"the {kind}'s cost cannot be measured: no course id")
        path = f"{API}/courses/{course}"
        runs: list[report.ServerRun] = []
        servers: list[tuple[limiter.Mode, report.ServerRun, ManagedProcess, int]] = []
        measured: dict[str, list[WrkResult]] = {}
        try:
            for mode in modes:
                slug = "".join(c if c.isalnum() else "-" for c in mode.label)
                process, port = self.start_syllabus(
                    data, f"serve-{kind}-{slug}.log", workers=1, env=mode.env
                )
                run = report.ServerRun(f"syllabus (1 worker), {kind} {mode.label}")
                run.startup_s = round(wait_for_200(process, port, "/healthz"), 3)
                servers.append((mode, run, process, port))
                runs.append(run)
            for round_ in range(1, rounds + 1):
                for mode, run, process, port in servers:
                    name = f"{COURSES_BY_ID}, {kind} {mode.label}, round {round_}"
                    ok, info, reason = self.probe(port, "GET", path, data.headers)
                    if not ok:
                        self.skip(run, name, reason)
                        continue
                    result = self.wrk(
                        run, name, port, path, data.headers, probe=info, server_pid=process.pid
                    )
                    measured.setdefault(mode.label, []).append(result)
            if check is not None:
                for mode, _run, process, _port in servers:
                    check(mode, process)
        finally:
            for _mode, _run, process, _port in servers:
                self.registry.stop(process)
        return runs, measured

    def bench_limiter(self, data: dataset.Dataset) -> None:
        """``GET /courses/{id}``: limiting off, on in the process, on through Redis."""
        if self.ids.get("course_id") is None:
            self.notes.append("the limiter's cost was not measured: no course id")
            return
        modes = []
        for mode in limiter.modes(self.args.redis_url):
            problem = limiter.redis_problem(self.args.redis_url) if mode.redis else None
            if problem is not None:
                self.notes.append(f"the limiter's cost through Redis was not measured: {problem}")
                print(f"  skipped limiter {mode.label}: {problem}", flush=True)
                continue
            modes.append(mode)

        def check(mode: limiter.Mode, process: ManagedProcess) -> None:
            if mode.redis and limiter.REDIS_DOWN in process.log_tail(200):
                self.errors.append(f"limiter {mode.label}: the server could not reach Redis")

        self.limiter_runs, measured = self.interleaved(
            data, modes, "limiter", self.args.limiter_rounds, check
        )
        self.limiter_cost = limiter.cost(measured)
        redis_url = None if limiter.redis_problem(self.args.redis_url) else self.args.redis_url
        self.limiter_cost["counting_cpu_us_per_request"] = limiter.counting_cost(redis_url)

    def bench_journal(self, data: dataset.Dataset) -> None:
        """``GET /courses/{id}``: the request journal off, and on at its default size."""
        if not self.args.journal:
            self.journal_missing = "run without the journal's cost (--no-journal)"
            return
        size, why = journal.default_size()
        if size is None:
            self.journal_missing = why
            self.notes.append(f"the journal's cost was not measured: {why}")
            print(f"  skipped: {why}", flush=True)
            return
        if self.ids.get("course_id") is None:
            self.journal_missing = "no course id"
            return
        self.journal_runs, measured = self.interleaved(
            data, journal.modes(size), "journal", self.args.journal_rounds
        )
        self.journal_cost = limiter.cost(measured, base=journal.OFF, labels=journal.LABELS)
        self.journal_cost["size"] = int(size)

    # -- scale --------------------------------------------------------------------------------

    def bench_scale(self) -> None:
        """A site of ``--scale-enrollments`` enrollments against the run's normal site, per
        database: the seed's time, and sequential latencies side by side."""
        if not self.args.scale:
            self.scale_missing = "run with --scale"
            return
        sides: list[tuple[str, str | None, dataset.Dataset | None, dict[str, Any], str]] = [
            (
                "SQLite",
                None,
                self.data if self.main_database == "SQLite" else None,
                self.ids,
                f"the main run is on {self.main_database} (--database-url)",
            ),
            (
                "PostgreSQL",
                self.args.postgres_url,
                self.postgres_data,
                self.postgres_ids,
                self.postgres_missing or "no PostgreSQL dataset",
            ),
        ]
        params = self.params(self.args.scale_users, self.args.scale_enrollments)
        for database, url, small, small_ids, why_not in sides:
            result = scale.ScaleResult(database)
            self.scale_results.append(result)
            if small is None or "enrollments_pages" not in small_ids:
                result.missing = why_not if small is None else "no enrollments on the small site"
                continue
            print(f"-- scale: {database}", flush=True)
            try:
                self.scale_one(result, url, small, small_ids, params)
            except BenchError as error:
                result.missing = f"failed: {_short(error)}"
                self.errors.append(f"scale, {database}: {_short(error)}")
                print(f"  scale, {database} failed: {_short(error)}", flush=True)

    def scale_one(
        self,
        result: scale.ScaleResult,
        url: str | None,
        small: dataset.Dataset,
        small_ids: dict[str, Any],
        params: dataset.SeedParams,
    ) -> None:
        large = self.prepare_dataset(url, params)
        result.seed_seconds = large.seed_seconds
        result.seed_reused = large.reused
        result.seeded_at = large.seeded_at
        result.small_counts = dataset.site_counts(small.database_url, small.subdomain) or {}
        result.large_counts = dataset.site_counts(large.database_url, large.subdomain) or {}
        slug = result.database.lower()
        small_process, small_port = self.start_syllabus(
            small, f"serve-scale-{slug}-small.log", workers=1
        )
        large_process, large_port = self.start_syllabus(
            large, f"serve-scale-{slug}-large.log", workers=1
        )
        try:
            wait_for_200(small_process, small_port, "/healthz")
            wait_for_200(large_process, large_port, "/healthz")
            large_ids = self.discover(large_port, large.headers)
            if "enrollments_pages" not in large_ids:
                raise BenchError(f"the large site: {large_ids.get('enrollments_error')}")
            result.small_pages = int(small_ids["enrollments_pages"])
            result.large_pages = int(large_ids["enrollments_pages"])
            print(
                f"  {self.args.scale_requests} sequential requests per request kind and site "
                f"({result.large_pages} pages against {result.small_pages})",
                flush=True,
            )
            result.comparisons = scale.compare(
                (small_port, small.headers, scale.paths(small_ids)),
                (large_port, large.headers, scale.paths(large_ids)),
                self.args.scale_requests,
            )
        finally:
            self.registry.stop(large_process)
            self.registry.stop(small_process)
        for row in result.comparisons:
            for series in (row.small, row.large):
                if series.failures:
                    self.errors.append(f"scale, {result.database}: {series.name}: not 2xx")

    # -- anchors ------------------------------------------------------------------------------

    def bench_anchors(self) -> None:
        install = anchors.ensure_installed(timeout=min(600, self.remaining()))
        self.anchor_info.update(asdict(install))
        if not install.ok:
            self.notes.append(f"anchors skipped: {install.reason}")
            print(f"  anchors skipped: {install.reason}", flush=True)
            self.anchors_missing = {"json-server": install.reason, "prism": install.reason}
            return
        self.bench_json_server()
        spec = anchors.prism_spec()
        if spec is None:
            reason = f"{anchors.PRISM_SPEC} (relative to the repo root) is absent"
            self.notes.append(f"Prism skipped: {reason}")
            print(f"  Prism skipped: {reason}", flush=True)
            self.anchors_missing["prism"] = f"Prism skipped: {reason}"
            return
        self.bench_prism(spec)

    def bench_json_server(self) -> None:
        run = report.ServerRun(f"json-server {self.anchor_info['versions']['json-server']}")
        self.json_server = run
        db_json = anchors.write_db_json(dataset.BENCH_DIR / "anchors" / "db.json")
        port = free_port()
        process = anchors.start_json_server(
            self.registry, port, db_json, dataset.LOG_DIR / "json-server.log"
        )
        try:
            run.startup_s = round(wait_for_200(process, port, "/users/1"), 3)
            run.rss_idle = self.settle_rss(process)
            for name, path in ((JS_BY_ID, "/users/1"), (JS_LIST, "/users?_page=2&_limit=25")):
                ok, info, reason = self.probe(port, "GET", path, {})
                if ok:
                    self.wrk(run, name, port, path, {}, probe=info, server_pid=process.pid)
                else:
                    self.skip(run, name, reason)
            run.rss_after = tree_rss(process.pid)
        finally:
            self.registry.stop(process)

    def bench_prism(self, spec: Path) -> None:
        version = self.anchor_info["versions"]["@stoplight/prism-cli"]
        run = report.ServerRun(f"prism {version}")
        self.prism = run
        # Prism validates the spec's security schemes: send the same headers as to Syllabus.
        headers = {"X-Auth-API-Key": "0" * 32, "X-Auth-Subdomain": "anchor"}
        port = free_port()
        process = anchors.start_prism(self.registry, port, spec, dataset.LOG_DIR / "prism.log")
        try:
            # Prism routes by the spec's paths; the server URL's /api/public/v1 is not a prefix it
            # serves. Use the prefixed path when it answers, else the bare one.
            prefix = API
            run.startup_s = round(
                wait_for_200(process, port, "/users/1", headers=headers, timeout=60), 3
            )
            if not http_request(port, "GET", f"{API}/users/1", headers=headers).ok:
                prefix = ""
                run.note = f"Prism serves the spec's paths without the server URL's {API} prefix"
            run.rss_idle = self.settle_rss(process)
            for name, path in ((PRISM_BY_ID, "/users/1"), (PRISM_LIST, "/enrollments")):
                ok, info, reason = self.probe(port, "GET", prefix + path, headers)
                if ok:
                    self.wrk(
                        run, name, port, prefix + path, headers, probe=info, server_pid=process.pid
                    )
                else:
                    self.skip(run, name, reason)
            run.rss_after = tree_rss(process.pid)
        finally:
            self.registry.stop(process)

    # -- report -------------------------------------------------------------------------------

    def measured(self) -> targets.Measured:
        missing = dict(self.anchors_missing)
        if not self.args.anchors:
            missing = {
                name: "run without anchors (--no-anchors)" for name in ("json-server", "prism")
            }
        return targets.Measured(
            syllabus=[self.syllabus, *self.scaling],
            json_server=self.json_server,
            prism=self.prism,
            anchors_missing=missing,
            postgres=self.postgres,
            postgres_missing=self.postgres_missing,
            main_database=self.main_database,
            scale=self.scale_results,
            scale_missing=self.scale_missing,
            scale_enrollments=self.args.scale_enrollments,
            site_creation=self.site_creation,
            site_deletion=self.site_deletion,
            site_creation_missing=self.site_creation_missing,
            journal=self.journal_cost,
            journal_missing=self.journal_missing,
        )

    def print_report(self, found: list[targets.Target]) -> None:
        anchor_runs = [run for run in (self.json_server, self.prism) if run is not None]
        ours = [self.syllabus, *self.scaling, *([self.postgres] if self.postgres else [])]
        load = self.load
        print()
        print(
            f"== Results: wrk {load.connections} connections, {load.threads} threads, "
            f"{load.duration:g} s per endpoint (after {load.warmup:g} s warm-up), "
            f"{os.cpu_count()} CPUs; {time.monotonic() - self.started:.0f} s in all"
        )
        for run in ours:
            print()
            print(f"{run.name}:")
            print(report.endpoint_table([run]))
        if self.postgres is None:
            print()
            print(f"PostgreSQL: not measured ({self.postgres_missing})")
        print()
        if anchor_runs:
            print("Anchors:")
            print(report.endpoint_table(anchor_runs))
            print()
        print("Servers (startup = spawn to first 200; RSS summed over the process tree):")
        print(report.server_table([*ours, *anchor_runs]))
        for series in (self.site_creation, self.site_deletion):
            if series is not None and series.count:
                print(
                    f"{series.name}: {series.count} one after another, median "
                    f"{series.median_ms:g} ms, p95 {series.p95_ms:g} ms, max {series.max_ms:g} ms"
                )
        if self.limiter_runs:
            print()
            print(
                f"Rate limiter cost ({limiter.HUGE_LIMIT} requests a minute, "
                f"{limiter.HUGE_IN_FLIGHT} in flight: counted, never refused; 1 worker):"
            )
            print(report.endpoint_table(self.limiter_runs))
            for line in limiter.lines(self.limiter_cost):
                print(f"  {line}")
        if self.journal_runs:
            print()
            print(
                f"Request journal cost ({journal.ENV}=0 against "
                f"{self.journal_cost.get('size')}; 1 worker):"
            )
            print(report.endpoint_table(self.journal_runs))
            for line in limiter.lines(self.journal_cost, base=journal.OFF, labels=journal.LABELS):
                print(f"  {line}")
        if self.scale_results:
            print()
            print(
                f"Scale: median of {self.args.scale_requests} sequential requests over one "
                "connection, 1 worker, the normal (small) site against the large one:"
            )
            print(scale.result_table(self.scale_results))
        print()
        print("Design targets:")
        print(targets.targets_table(found))
        print(f"  {targets.summary(found)}")
        for run in anchor_runs:
            if run.note:
                print(f"note: {run.name}: {run.note}")
        for note in self.notes:
            print(f"note: {note}")
        if self.postgres is not None or self.main_database != "SQLite":
            print(
                "note: PostgreSQL's own processes are not in the server's process tree: their "
                "CPU shows as 'other' (so its runs may be flagged noisy), and their memory is not "
                "in the RSS."
            )
        if self.noisy:
            named = ", ".join(self.noisy) if len(self.noisy) <= 6 else ", ".join(self.noisy[:3])
            more = "" if len(self.noisy) <= 6 else f" and {len(self.noisy) - 3} more (results.json)"
            print(
                f"WARNING: other work used more than {NOISY_CORES:g} CPU during "
                f"{len(self.noisy)} of the {self.wrk_runs} measurements: {named}{more}. "
                "Those numbers are noisy (compare the ratios, and server CPU ms/req); rerun on a "
                "quiet machine."
            )
        print()

    def results_json(self, status: str, found: list[targets.Target]) -> dict[str, Any]:
        return {
            "status": status,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "elapsed_s": round(time.monotonic() - self.started, 1),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "wrk": _safe(wrk_version),
            },
            "settings": {
                **asdict(self.load),
                "workers": self.args.workers,
                "write_connections": self.args.write_connections,
                "anchors": self.args.anchors,
                "limiter": self.args.limiter,
                "journal": self.args.journal,
                "postgres": self.args.postgres,
                "postgres_url": dataset.redact(self.args.postgres_url),
                "scale": self.args.scale,
                "site_creations": self.args.site_creations,
            },
            "dataset": self.data.describe() if self.data else None,
            "ids": self.ids,
            "targets": [target.to_json() for target in found],
            "syllabus": self.syllabus.to_json(),
            "scaling": [run.to_json() for run in self.scaling],
            "postgres": {
                "dataset": self.postgres_data.describe() if self.postgres_data else None,
                "ids": self.postgres_ids,
                "run": self.postgres.to_json() if self.postgres else None,
                "missing": self.postgres_missing,
            },
            "anchors": {
                **self.anchor_info,
                "json_server": self.json_server.to_json() if self.json_server else None,
                "prism": self.prism.to_json() if self.prism else None,
            },
            "site_creation": {
                "create": self.site_creation.to_json() if self.site_creation else None,
                "delete": self.site_deletion.to_json() if self.site_deletion else None,
                "missing": self.site_creation_missing,
            },
            "limiter": {
                "runs": [run.to_json() for run in self.limiter_runs],
                "cost": self.limiter_cost,
            },
            "journal": {
                "runs": [run.to_json() for run in self.journal_runs],
                "cost": self.journal_cost,
                "missing": self.journal_missing,
            },
            "scale": {
                "results": [result.to_json() for result in self.scale_results],
                "missing": self.scale_missing,
            },
            "errors": self.errors,
            "notes": self.notes,
            "noisy": self.noisy,
        }

    def run(self) -> int:
        status = "failed"
        found: list[targets.Target] = []
        args = self.args
        try:
            with guarded(args.timeout):
                print(f"== Bench ({_safe(wrk_version)}, run {self.run_token})", flush=True)
                print("-- dataset", flush=True)
                self.data = self.prepare_dataset(args.database_url, self.params())
                self.ids["site_counts"] = (
                    dataset.site_counts(self.data.database_url, self.data.subdomain) or {}
                )
                print(f"-- {self.syllabus.name}", flush=True)
                self.bench_syllabus(self.data)
                print("-- serve --no-deliver-webhooks beside syllabus worker", flush=True)
                self.bench_separate_worker(self.data)
                for workers in args.workers[1:]:
                    print(f"-- syllabus serve --workers {workers}", flush=True)
                    self.bench_scaling(self.data, workers)
                if args.postgres:
                    print("-- PostgreSQL (1 worker)", flush=True)
                self.bench_postgres()
                if args.limiter:
                    print("-- rate limiter cost (1 worker)", flush=True)
                    self.bench_limiter(self.data)
                if args.journal:
                    print("-- request journal cost (1 worker)", flush=True)
                self.bench_journal(self.data)
                if args.anchors:
                    print("-- anchors", flush=True)
                    self.bench_anchors()
                self.bench_scale()
                found = targets.design_targets(self.measured())
                status = "errors" if self.errors else "ok"
        except KeyboardInterrupt:
            status = "interrupted"
            print("\ninterrupted: stopping every server", file=sys.stderr, flush=True)
        except (BenchError, BenchTimeout) as error:
            status = f"failed: {error}"
            print(f"\nBENCH FAILED: {error}", file=sys.stderr, flush=True)
        finally:
            with shielded():
                self.registry.stop_all()
            if not found:
                found = targets.design_targets(self.measured())
            report.write_json(args.results, self.results_json(status, found))
        if status not in ("ok", "errors"):
            return 2 if status == "interrupted" else 1
        self.print_report(found)
        print(f"results: {_relative(args.results)}")
        if self.errors:
            banner = "!" * 78
            print(f"\n{banner}\n!! THIS RUN HAD ERRORS: its numbers do not count\n{banner}")
            for message in self.errors:
                print(f"!! {message}")
            print(banner)
            return 1
        return 0


def _short(error: Exception) -> str:
    """An error in one line (the whole of it, and the logs, are in var/bench/)."""
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:400]


def _safe(function: Any) -> str:
    try:
        return str(function())
    except (BenchError, OSError):
        return "unknown"


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(dataset.REPO_ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    return Bench(parse_args(argv)).run()


if __name__ == "__main__":
    sys.exit(main())
