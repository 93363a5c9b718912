"""``make bench``: load-test Syllabus against json-server and Prism, side by side, on 127.0.0.1.

Steps: prepare (or reuse) a seeded bench database, start ``syllabus serve`` and measure its
startup and idle RSS, discover real ids through the API, run wrk on five endpoints, then do the
same for the anchors, and print the tables and the ratios DESIGN.md targets. Results also go to
``var/bench/results.json``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import secrets
import signal
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import anchors, dataset, limiter, report, webhooks
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
from bench.wrk import LoadSettings, WrkResult, run_wrk, wrk_version

API = "/api/public/v1"
RESULTS = dataset.BENCH_DIR / "results.json"
IDLE_SETTLE_S = 1.0
# Other work on the machine, in CPUs, above which a measurement is flagged as noisy.
NOISY_CORES = 0.25

# Endpoint names: the keys of the tables and of the ratios.
COURSES_BY_ID = "GET /courses/{id}"
USERS_BY_ID = "GET /users/{id}"
USERS_BY_EMAIL = "GET /users?query[email]"
ENROLLMENTS_LIST = "GET /enrollments?query[course_id]&page=N"
USERS_CREATE = "POST /users"
USERS_CREATE_DELIVERED = "POST /users, user.signup delivered"
USERS_CREATE_BY_WORKER = "POST /users, delivered by syllabus worker"
PRODUCTS_LIST = "GET /products"
BY_COUPON = "GET /promotions/by_coupon"
CHECKOUT = "POST /_syllabus/.../checkout"
# A coupon the seed gives every site (its welcome offer applies to every product).
COUPON = "WELCOME10"
JS_BY_ID = "json-server GET /users/1"
JS_LIST = "json-server GET /users?_page=2&_limit=25"
PRISM_BY_ID = "prism GET /users/1"
PRISM_LIST = "prism GET /enrollments"


class BenchTimeout(Exception):
    pass


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Benchmark Syllabus with wrk against json-server and Prism (127.0.0.1 only).",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per endpoint")
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="unmeasured seconds first (0: none)"
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="`syllabus serve --workers`")
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--enrollments", type=int, default=100_000)
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
        help="use this database (postgresql://... on 127.0.0.1) instead of var/bench/*.db",
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
        "--timeout", type=float, default=1800.0, help="overall limit in seconds (seeding included)"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.connections < 1 or args.workers < 1 or args.threads < 1:
        parser.error("--duration, --connections, --threads and --workers must be positive")
    if args.limiter_rounds < 1:
        parser.error("--limiter-rounds must be at least 1")
    if min(args.users, args.courses, args.enrollments) < 1:
        parser.error("--users, --courses and --enrollments must be at least 1")
    if urllib.parse.urlsplit(args.redis_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--redis-url must name a Redis on 127.0.0.1")
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
        self.syllabus = report.ServerRun(f"syllabus ({args.workers} worker(s))")
        self.json_server: report.ServerRun | None = None
        self.prism: report.ServerRun | None = None
        self.limiter_runs: list[report.ServerRun] = []
        self.limiter_cost: dict[str, Any] = {}
        self.ids: dict[str, Any] = {}
        self.anchor_info: dict[str, Any] = {"enabled": bool(args.anchors)}
        self.run_token = secrets.token_hex(4)

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
    ) -> WrkResult:
        common: dict[str, Any] = {
            "server_pid": server_pid,
            "port": port,
            "path": path,
            "settings": self.load,
            "headers": headers,
            "script": script,
            "script_args": script_args,
            "log_dir": dataset.LOG_DIR,
        }
        if self.load.warmup > 0:
            warm_args = tuple(arg.replace("{phase}", "warm") for arg in script_args)
            run_wrk(
                self.registry,
                name=f"{name} (warm-up)",
                duration=self.load.warmup,
                **{**common, "script_args": warm_args},
            )
        print(f"  wrk {self.load.duration:g}s  {name}", flush=True)
        common["script_args"] = tuple(arg.replace("{phase}", "run") for arg in script_args)
        result = run_wrk(self.registry, name=name, **common)
        result.probe = probe or {}
        run.results = [*(run.results or []), result]
        if result.other_cores > NOISY_CORES:
            self.noisy.append(f"{name} ({result.other_cores:g})")
        if result.error_count:
            self.errors.append(
                f"{name}: {result.non_2xx:,} non-2xx responses and "
                f"{sum(result.socket_errors.values()):,} socket errors "
                f"out of {result.requests:,} requests"
            )
        return result

    def skip(self, run: report.ServerRun, name: str, reason: str) -> None:
        run.skipped = [*(run.skipped or []), (name, reason)]
        self.errors.append(f"{name}: skipped, {reason}")
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
        workers: int | None = None,
        env: dict[str, str] | None = None,
    ) -> tuple[ManagedProcess, int]:
        """``syllabus serve`` on the dataset: ``--workers`` workers unless ``workers`` says, with
        limiting off unless ``env`` adds other settings."""
        port = free_port()
        argv = [
            dataset.syllabus_binary(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers or self.args.workers),
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

    def prepare_dataset(self) -> dataset.Dataset:
        params = dataset.SeedParams(
            users=self.args.users,
            courses=self.args.courses,
            enrollments=self.args.enrollments,
            seed=self.args.seed,
        )
        seed_available = dataset.seed_command_available()
        if not seed_available:
            self.notes.append(
                "`syllabus seed` is not available yet: users come from the bench-only "
                f"POST /users fallback (at most {dataset.FALLBACK_USER_CAP:,}), with no courses "
                "or enrollments. This is NOT the ≥100,000-enrollment dataset the design asks for."
            )
        data = dataset.prepare(
            self.registry,
            database_url=self.args.database_url,
            params=params,
            fresh=self.args.fresh,
            seed_available=seed_available,
            timeout=self.remaining(),
        )
        if not data.reused and not seed_available:
            process, port = self.start_syllabus(data, "serve-fallback-seed.log")
            try:
                wait_for_200(process, port, "/healthz")
                print("  seeding users through POST /users (fallback) ...", flush=True)
                dataset.fallback_seed_users(data, port)
            finally:
                self.registry.stop(process)
        verb = "reusing" if data.reused else "built"
        counts = dataset.site_counts(data.database_url, data.subdomain) or {}
        self.ids["site_counts"] = counts
        print(
            f"  {verb} dataset {dataset.redact(data.database_url)} site {data.subdomain!r}: "
            + ", ".join(f"{count:,} {table}" for table, count in counts.items())
            + (f" (seeded in {data.seed_seconds} s)" if data.seed_seconds is not None else ""),
            flush=True,
        )
        if counts.get("enrollments", 0) < self.args.enrollments:
            self.notes.append(
                f"the site holds {counts.get('enrollments', 0):,} enrollments, "
                f"fewer than --enrollments {self.args.enrollments:,}"
            )
        return data

    def discover(self, port: int, headers: dict[str, str]) -> None:
        """Real ids through the API: a user, an email from the middle, the busiest course."""

        def get(path: str) -> Any:
            answer = http_request(port, "GET", f"{API}{path}", headers=headers)
            if not answer.ok:
                raise BenchError(f"GET {API}{path} answered {answer.status}: {answer.body[:200]!r}")
            return answer.json()

        first = get("/users?limit=5")
        if not first["items"]:
            raise BenchError("the bench site has no users")
        self.ids["user_id"] = first["items"][0]["id"]
        middle = max(1, first["meta"]["pagination"]["total_pages"] // 2)
        self.ids["email"] = get(f"/users?limit=5&page={middle}")["items"][0]["email"]

        courses = http_request(port, "GET", f"{API}/courses?limit=250", headers=headers)
        if not courses.ok:
            self.ids["courses_error"] = f"GET /courses answered {courses.status}"
            return
        course_ids = [item["id"] for item in courses.json()["items"]]
        if not course_ids:
            self.ids["courses_error"] = "the bench site has no courses"
            return
        self.ids["course_id"] = course_ids[0]
        products = http_request(port, "GET", f"{API}/products?limit=1", headers=headers)
        if products.ok and products.json()["items"]:
            self.ids["product_id"] = products.json()["items"][0]["id"]
        else:
            self.ids["products_error"] = f"GET /products answered {products.status}, or nothing"
        best: tuple[int, int] | None = None
        for course_id in course_ids[:250]:
            answer = http_request(
                port,
                "GET",
                f"{API}/enrollments?query%5Bcourse_id%5D={course_id}&limit=1",
                headers=headers,
            )
            if not answer.ok:
                self.ids["enrollments_error"] = f"GET /enrollments answered {answer.status}"
                return
            total = int(answer.json()["meta"]["pagination"]["total_items"])
            if best is None or total > best[1]:
                best = (course_id, total)
        if best is None or best[1] == 0:
            self.ids["enrollments_error"] = "no course has enrollments"
            return
        self.ids["enrollments_course_id"] = best[0]
        self.ids["enrollments_total"] = best[1]
        self.ids["enrollments_pages"] = math.ceil(best[1] / 25)

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

    def bench_syllabus(self, data: dataset.Dataset) -> None:
        run = self.syllabus
        headers = data.headers
        user_id = dataset.first_user_id(data.database_url, data.subdomain)
        process, port = self.start_syllabus(data, "serve.log")
        try:
            run.startup_s = round(wait_for_200(process, port, "/healthz"), 3)
            if user_id is not None:
                run.auth_startup_s = round(
                    wait_for_200(process, port, f"{API}/users/{user_id}", headers=headers), 3
                )
            run.rss_idle = self.settle_rss(process)
            print(
                f"  syllabus up: /healthz {run.startup_s} s, authenticated GET "
                f"{run.auth_startup_s} s, idle RSS {run.rss_idle.total_mb} MB "
                f"over {run.rss_idle.processes} processes",
                flush=True,
            )
            self.discover(port, headers)
            self.run_endpoints(port, headers, process.pid)
            run.rss_after = tree_rss(process.pid)
        finally:
            self.registry.stop(process)

    def run_endpoints(self, port: int, headers: dict[str, str], pid: int) -> None:
        run = self.syllabus
        ids = self.ids
        targets: list[tuple[str, str, str | None]] = [
            (
                COURSES_BY_ID,
                f"{API}/courses/{ids.get('course_id')}",
                ids.get("courses_error") if "course_id" not in ids else None,
            ),
            (USERS_BY_ID, f"{API}/users/{ids['user_id']}", None),
            (
                USERS_BY_EMAIL,
                f"{API}/users?query%5Bemail%5D={urllib.parse.quote(ids['email'], safe='')}",
                None,
            ),
        ]
        for name, path, missing in targets:
            if missing:
                self.skip(run, name, missing)
                continue
            ok, info, reason = self.probe(port, "GET", path, headers)
            if not ok:
                self.skip(run, name, reason)
                continue
            self.wrk(run, name, port, path, headers, probe=info, server_pid=pid)

        if "enrollments_pages" in ids:
            prefix = f"{API}/enrollments?query%5Bcourse_id%5D={ids['enrollments_course_id']}&page="
            ok, info, reason = self.probe(port, "GET", f"{prefix}1", headers)
            if not ok:
                self.skip(run, ENROLLMENTS_LIST, reason)
            else:
                if info.get("items") != 25:
                    self.notes.append(f"{ENROLLMENTS_LIST}: page 1 held {info.get('items')} items")
                self.wrk(
                    run,
                    ENROLLMENTS_LIST,
                    port,
                    f"{prefix}1",
                    headers,
                    script="pages.lua",
                    script_args=(prefix, str(ids["enrollments_pages"])),
                    probe={**info, "pages": ids["enrollments_pages"]},
                    server_pid=pid,
                )
        else:
            reason = ids.get("enrollments_error") or ids.get("courses_error") or "no course id"
            self.skip(run, ENROLLMENTS_LIST, reason)

        self.run_commerce(port, headers, pid)

        post_headers = {**headers, "Content-Type": "application/json"}
        body = (
            f'{{"first_name":"Bench","last_name":"Probe",'
            f'"email":"bench-{self.run_token}-probe@example.com"}}'
        ).encode()
        ok, info, reason = self.probe(port, "POST", f"{API}/users", post_headers, body)
        if not ok:
            self.skip(run, USERS_CREATE, reason)
        else:
            self.wrk(
                run,
                USERS_CREATE,
                port,
                f"{API}/users",
                headers,
                script="post_users.lua",
                script_args=(f"{self.run_token}-{{phase}}",),  # unique per wrk invocation
                probe=info,
                server_pid=pid,
            )
            self.run_delivered_writes(port, headers, pid, info)

    def bench_separate_worker(self, data: dataset.Dataset) -> None:
        """POST /users with its deliveries sent by `syllabus worker`, another process, as a
        deployment runs them: the server only writes the outbox rows."""
        if "user_id" not in self.ids:
            return
        env = {"SYLLABUS_DELIVER_WEBHOOKS": "0"}
        process, port = self.start_syllabus(data, "serve-no-deliveries.log", env=env)
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

    def bench_limiter(self, data: dataset.Dataset) -> None:
        """``GET /courses/{id}``: limiting off, on in the process, on through Redis; one worker
        each, all started first, then measured in turn for ``--limiter-rounds`` rounds."""
        course = self.ids.get("course_id")
        if course is None:
            self.notes.append("the limiter's cost was not measured: no course id")
            return
        path = f"{API}/courses/{course}"
        servers: list[tuple[limiter.Mode, report.ServerRun, ManagedProcess, int]] = []
        try:
            for mode in limiter.modes(self.args.redis_url):
                problem = limiter.redis_problem(self.args.redis_url) if mode.redis else None
                if problem is not None:
                    self.notes.append(
                        f"the limiter's cost through Redis was not measured: {problem}"
                    )
                    print(f"  skipped limiter {mode.label}: {problem}", flush=True)
                    continue
                slug = "".join(c if c.isalnum() else "-" for c in mode.label)
                process, port = self.start_syllabus(
                    data, f"serve-limiter-{slug}.log", workers=1, env=mode.env
                )
                run = report.ServerRun(f"syllabus (1 worker), limiter {mode.label}")
                run.startup_s = round(wait_for_200(process, port, "/healthz"), 3)
                servers.append((mode, run, process, port))
                self.limiter_runs.append(run)
            measured: dict[str, list[WrkResult]] = {}
            for round_ in range(1, self.args.limiter_rounds + 1):
                for mode, run, process, port in servers:
                    name = f"{COURSES_BY_ID}, limiter {mode.label}, round {round_}"
                    ok, info, reason = self.probe(port, "GET", path, data.headers)
                    if not ok:
                        self.skip(run, name, reason)
                        continue
                    result = self.wrk(
                        run, name, port, path, data.headers, probe=info, server_pid=process.pid
                    )
                    measured.setdefault(mode.label, []).append(result)
            for mode, _run, process, _port in servers:
                if mode.redis and limiter.REDIS_DOWN in process.log_tail(200):
                    self.errors.append(f"limiter {mode.label}: the server could not reach Redis")
        finally:
            for _mode, _run, process, _port in servers:
                self.registry.stop(process)
        self.limiter_cost = limiter.cost(measured)
        redis_url = None if limiter.redis_problem(self.args.redis_url) else self.args.redis_url
        self.limiter_cost["counting_cpu_us_per_request"] = limiter.counting_cost(redis_url)

    # -- anchors ------------------------------------------------------------------------------

    def bench_anchors(self) -> None:
        install = anchors.ensure_installed(timeout=min(600, self.remaining()))
        self.anchor_info.update(asdict(install))
        if not install.ok:
            self.notes.append(f"anchors skipped: {install.reason}")
            print(f"  anchors skipped: {install.reason}", flush=True)
            return
        self.bench_json_server()
        spec = anchors.prism_spec()
        if spec is None:
            reason = f"{anchors.PRISM_SPEC} (relative to the repo root) is absent"
            self.notes.append(f"Prism skipped: {reason}")
            print(f"  Prism skipped: {reason}", flush=True)
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

    def ratios(self) -> list[report.Ratio]:
        return report.ratios(
            self.syllabus,
            self.json_server,
            self.prism,
            {
                "js_by_id": JS_BY_ID,
                "prism_list": PRISM_LIST,
                "courses_by_id": COURSES_BY_ID,
                "users_by_id": USERS_BY_ID,
                "enrollments_list": ENROLLMENTS_LIST,
                "products_list": PRODUCTS_LIST,
            },
        )

    def print_report(self, found: list[report.Ratio]) -> None:
        anchor_runs = [run for run in (self.json_server, self.prism) if run is not None]
        load = self.load
        print()
        print(
            f"== Results: wrk {load.connections} connections, {load.threads} threads, "
            f"{load.duration:g} s per endpoint (after {load.warmup:g} s warm-up), "
            f"{os.cpu_count()} CPUs"
        )
        print()
        print(f"Syllabus, {self.args.workers} worker(s):")
        print(report.endpoint_table([self.syllabus]))
        print()
        if anchor_runs:
            print("Anchors:")
            print(report.endpoint_table(anchor_runs))
            print()
        print("Servers (startup = spawn to first 200; RSS summed over the process tree):")
        print(report.server_table([self.syllabus, *anchor_runs]))
        print()
        print("Design targets:")
        print(report.ratio_table(found))
        if self.limiter_runs:
            print()
            print(
                f"Rate limiter cost ({limiter.HUGE_LIMIT} requests a minute, "
                f"{limiter.HUGE_IN_FLIGHT} in flight: counted, never refused; 1 worker):"
            )
            print(report.endpoint_table(self.limiter_runs))
            for line in limiter.lines(self.limiter_cost):
                print(f"  {line}")
        for run in anchor_runs:
            if run.note:
                print(f"note: {run.name}: {run.note}")
        for note in self.notes:
            print(f"note: {note}")
        if self.data is not None and not self.data.database_url.startswith("sqlite"):
            print(
                "note: PostgreSQL's own processes are not in the server's process tree: their "
                "CPU shows as 'other', and their memory is not in the RSS."
            )
        if self.noisy:
            print(
                f"WARNING: other work used more than {NOISY_CORES:g} CPU during: "
                + ", ".join(self.noisy)
                + ". Those numbers are noisy; rerun on a quiet machine."
            )
        print()

    def results_json(self, status: str, found: list[report.Ratio]) -> dict[str, Any]:
        return {
            "status": status,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "wrk": _safe(wrk_version),
            },
            "settings": {
                **asdict(self.load),
                "workers": self.args.workers,
                "anchors": self.args.anchors,
                "limiter": self.args.limiter,
            },
            "dataset": self.data.describe() if self.data else None,
            "ids": self.ids,
            "syllabus": self.syllabus.to_json(),
            "anchors": {
                **self.anchor_info,
                "json_server": self.json_server.to_json() if self.json_server else None,
                "prism": self.prism.to_json() if self.prism else None,
            },
            "ratios": [ratio.to_json() for ratio in found],
            "limiter": {
                "runs": [run.to_json() for run in self.limiter_runs],
                "cost": self.limiter_cost,
            },
            "errors": self.errors,
            "notes": self.notes,
            "noisy": self.noisy,
        }

    def run(self) -> int:
        status = "failed"
        found: list[report.Ratio] = []
        try:
            with guarded(self.args.timeout):
                print(f"== Bench ({_safe(wrk_version)}, run {self.run_token})", flush=True)
                print("-- dataset", flush=True)
                self.data = self.prepare_dataset()
                print(f"-- syllabus serve --workers {self.args.workers}", flush=True)
                self.bench_syllabus(self.data)
                print("-- serve --no-deliver-webhooks beside syllabus worker", flush=True)
                self.bench_separate_worker(self.data)
                if self.args.limiter:
                    print("-- rate limiter cost (1 worker)", flush=True)
                    self.bench_limiter(self.data)
                if self.args.anchors:
                    print("-- anchors", flush=True)
                    self.bench_anchors()
                found = self.ratios()
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
            report.write_json(self.args.results, self.results_json(status, found))
        if status not in ("ok", "errors"):
            return 2 if status == "interrupted" else 1
        self.print_report(found)
        print(f"results: {_relative(self.args.results)}")
        if self.errors:
            banner = "!" * 78
            print(f"\n{banner}\n!! THIS RUN HAD ERRORS: its numbers do not count\n{banner}")
            for message in self.errors:
                print(f"!! {message}")
            print(banner)
            return 1
        return 0


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
