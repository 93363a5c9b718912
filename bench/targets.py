"""The design targets (issue 10, and the toolkit's of issue 11): every one a row, in every run,
with its value, its ratio to what it is measured against, the target and a verdict: "ok",
"MISS", "n/a (why it was not measured)", or "info" for a figure reported without a target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench import endpoints as ep
from bench import journal, scale
from bench.report import ServerRun, table
from bench.sequential import Series
from bench.wrk import WrkResult

BY_ID_MIN = 1.0  # one worker, by id, against json-server's by id
LIST_MIN = 1.0  # one worker, lists, against Prism's static list
TWO_WORKERS_MIN = 1.5  # two workers, by id, against json-server's by id
P99_MAX = 3.0  # one worker's worst GET p99, against json-server's by-id p99
PRODUCTS_MIN = 0.9  # the products list against the enrollments list
WRITE_P99_MS = 50.0  # POST /users, 8 connections, one worker
POSTGRES_MIN = 0.5  # PostgreSQL against SQLite, one worker
STARTUP_S = 1.0
RSS_MB = 120.0
SITE_CREATE_MS = 5.0
# Other work on the machine, in CPUs, above which a measurement is flagged as noisy.
NOISY_CORES = 0.25


@dataclass
class Target:
    name: str
    value: float | None
    unit: str
    ratio: float | None
    target: str
    passed: bool | None
    reason: str = ""  # why it was not measured
    detail: str = ""
    info: bool = False  # reported, without a target

    @property
    def verdict(self) -> str:
        if self.value is None or (self.passed is None and not self.info):
            return f"n/a ({self.reason or 'not measured'})"
        if self.info:
            return "info"
        return "ok" if self.passed else "MISS"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "ratio": self.ratio,
            "target": self.target,
            "verdict": self.verdict,
            "passed": self.passed,
            "reason": self.reason,
            "detail": self.detail,
        }


def missing(name: str, unit: str, target: str, reason: str) -> Target:
    return Target(name, None, unit, None, target, None, reason=reason)


@dataclass
class Measured:
    """Everything a run measured that a target reads; a reason where something did not run."""

    syllabus: list[ServerRun]  # SQLite (or --database-url) runs, one per worker count
    json_server: ServerRun | None = None
    prism: ServerRun | None = None
    anchors_missing: dict[str, str] = field(default_factory=dict)  # "json-server", "prism"
    postgres: ServerRun | None = None
    postgres_missing: str = ""
    main_database: str = "SQLite"
    scale: list[scale.ScaleResult] = field(default_factory=list)
    scale_missing: str = ""
    scale_enrollments: int = 1_000_000
    site_creation: Series | None = None
    site_deletion: Series | None = None
    site_creation_missing: str = ""
    journal: dict[str, Any] = field(default_factory=dict)
    journal_missing: str = ""

    def run(self, workers: int) -> ServerRun | None:
        for run in self.syllabus:
            if run.workers == workers:
                return run
        return None

    def workers_missing(self, workers: int) -> str:
        counts = ",".join(str(run.workers) for run in self.syllabus)
        return f"no {workers}-worker run (--workers {counts or '-'})"


def _result(run: ServerRun | None, name: str, run_missing: str) -> tuple[WrkResult | None, str]:
    if run is None:
        return None, run_missing
    found = run.result(name)
    if found is not None:
        return found, ""
    for skipped, reason in run.skipped or []:
        if skipped == name:
            return None, f"{name} skipped: {reason}"
    return None, f"{name} not measured"


def _anchor(m: Measured, which: str, name: str) -> tuple[WrkResult | None, str]:
    run = m.json_server if which == "json-server" else m.prism
    missing_reason = m.anchors_missing.get(which, f"{which} did not run")
    return _result(run, name, missing_reason)


def _runs_label(run: ServerRun | None) -> str:
    if run is None:
        return "syllabus"
    workers = f"{run.workers} worker{'s' if run.workers != 1 else ''}"
    return f"syllabus {workers}, {run.database}"


def throughput(
    name: str,
    ours: tuple[WrkResult | None, str],
    theirs: tuple[WrkResult | None, str],
    minimum: float,
    ours_label: str,
    theirs_label: str,
    against: str,
) -> Target:
    target = f">= {minimum:.2f}x {against}"
    mine, why_not_mine = ours
    anchor, why_not_anchor = theirs
    if mine is None or anchor is None or not anchor.rps:
        return missing(name, "req/s", target, why_not_mine or why_not_anchor or "no requests")
    ratio = round(mine.rps / anchor.rps, 2)
    detail = (
        f"{ours_label} {mine.rps:,.0f} req/s vs {theirs_label} {anchor.rps:,.0f} req/s; server "
        f"CPU {mine.server_ms_per_request:.2f} vs {anchor.server_ms_per_request:.2f} ms/req"
        + _noisy(mine, anchor)
    )
    return Target(name, mine.rps, "req/s", ratio, target, ratio >= minimum, detail=detail)


def _noisy(*results: WrkResult) -> str:
    """A warning for the detail when other work took CPU during either measurement."""
    if max(result.other_cores for result in results) <= NOISY_CORES:
        return ""
    cores = "/".join(f"{result.other_cores:g}" for result in results)
    return f"; NOISY: other work {cores} CPU"


def one_worker(m: Measured) -> list[Target]:
    run = m.run(1)
    why = m.workers_missing(1)
    label = _runs_label(run)
    js = _anchor(m, "json-server", ep.JS_BY_ID)
    prism = _anchor(m, "prism", ep.PRISM_LIST)
    found = [
        throughput(
            "1 worker: GET /courses/{id} / json-server by id",
            _result(run, ep.COURSES_BY_ID, why),
            js,
            BY_ID_MIN,
            label,
            "json-server",
            "json-server",
        ),
        throughput(
            "1 worker: GET /users/{id} / json-server by id",
            _result(run, ep.USERS_BY_ID, why),
            js,
            BY_ID_MIN,
            label,
            "json-server",
            "json-server",
        ),
        throughput(
            "1 worker: GET /courses / Prism list",
            _result(run, ep.COURSES_LIST, why),
            prism,
            LIST_MIN,
            label,
            "Prism GET /enrollments",
            "Prism",
        ),
        throughput(
            "1 worker: GET /enrollments?query[course_id]&page=N / Prism list",
            _result(run, ep.ENROLLMENTS_LIST, why),
            prism,
            LIST_MIN,
            label,
            "Prism GET /enrollments",
            "Prism",
        ),
    ]
    found.append(p99(m, run, why, js))
    products, products_why = _result(run, ep.PRODUCTS_LIST, why)
    lists, lists_why = _result(run, ep.ENROLLMENTS_LIST, why)
    name = "1 worker: GET /products / enrollments list"
    target = f">= {PRODUCTS_MIN:.2f}x the enrollments list"
    if products is None or lists is None or not lists.rps:
        found.append(missing(name, "req/s", target, products_why or lists_why))
    else:
        ratio = round(products.rps / lists.rps, 2)
        found.append(
            Target(
                name,
                products.rps,
                "req/s",
                ratio,
                target,
                ratio >= PRODUCTS_MIN,
                detail=f"{label}: {products.rps:,.0f} vs {lists.rps:,.0f} req/s",
            )
        )
    return found


def p99(m: Measured, run: ServerRun | None, why: str, js: tuple[WrkResult | None, str]) -> Target:
    name = "1 worker: worst GET p99 / json-server by-id p99"
    target = f"<= {P99_MAX:.2f}x json-server, 32 connections"
    gets = (
        [result for result in (run.results or []) if result.name.startswith("GET ")] if run else []
    )
    anchor, anchor_why = js
    if not gets or anchor is None or not anchor.p99_ms:
        return missing(name, "ms", target, why if run is None else (anchor_why or "no GET run"))
    worst = max(gets, key=lambda result: result.p99_ms)
    ratio = round(worst.p99_ms / anchor.p99_ms, 2)
    detail = (
        f"{_runs_label(run)}: {worst.name} p99 {worst.p99_ms:g} ms ({worst.rps:,.0f} req/s) vs "
        f"json-server by id p99 {anchor.p99_ms:g} ms ({anchor.rps:,.0f} req/s)"
        + _noisy(worst, anchor)
    )
    return Target(name, worst.p99_ms, "ms", ratio, target, ratio <= P99_MAX, detail=detail)


def two_workers(m: Measured) -> list[Target]:
    run = m.run(2)
    why = m.workers_missing(2)
    js = _anchor(m, "json-server", ep.JS_BY_ID)
    one = m.run(1)
    found = []
    for endpoint in (ep.COURSES_BY_ID, ep.USERS_BY_ID):
        target = throughput(
            f"2 workers: {endpoint} / json-server by id",
            _result(run, endpoint, why),
            js,
            TWO_WORKERS_MIN,
            _runs_label(run),
            "json-server",
            "json-server",
        )
        single = one.result(endpoint) if one else None
        if target.value is not None and single is not None:
            target.detail += f" (1 worker {single.rps:,.0f} req/s)"
        found.append(target)
    return found


def writes(m: Measured) -> Target:
    name = "writes: POST /users p99, 8 connections, 1 worker"
    target = f"< {WRITE_P99_MS:.0f} ms"
    result, why = _result(m.run(1), ep.USERS_CREATE_WRITES, m.workers_missing(1))
    if result is None:
        return missing(name, "ms", target, why)
    detail = (
        f"{result.rps:,.0f} req/s, p50 {result.p50_ms:g} ms, 1 worker, {m.main_database}"
        + _noisy(result)
    )
    return Target(
        name, result.p99_ms, "ms", None, target, result.p99_ms < WRITE_P99_MS, detail=detail
    )


def postgres(m: Measured) -> list[Target]:
    sqlite = m.run(1)
    why_sqlite = m.workers_missing(1)
    if m.main_database != "SQLite":
        why_sqlite = f"the main run is on {m.main_database} (--database-url), not SQLite"
        sqlite = None
    found = []
    for endpoint in ep.READS:
        name = f"PostgreSQL: {endpoint} / SQLite, 1 worker"
        if m.postgres is None:
            found.append(
                missing(name, "req/s", f">= {POSTGRES_MIN:.2f}x SQLite", m.postgres_missing)
            )
            continue
        found.append(
            throughput(
                name,
                _result(m.postgres, endpoint, m.postgres_missing),
                _result(sqlite, endpoint, why_sqlite),
                POSTGRES_MIN,
                "PostgreSQL 1 worker",
                "SQLite 1 worker",
                "SQLite",
            )
        )
    return found


def startup(m: Measured) -> list[Target]:
    run = m.run(1)
    why = m.workers_missing(1)
    anchors = [anchor for anchor in (m.json_server, m.prism) if anchor is not None]
    found = []
    value = run.startup_s if run else None
    target = f"< {STARTUP_S:.1f} s"
    name = "startup to first 200, 1 worker"
    if value is None:
        found.append(missing(name, "s", target, why if run is None else "not measured"))
    else:
        found.append(
            Target(
                name,
                value,
                "s",
                None,
                target,
                value < STARTUP_S,
                detail=_versus(value, [(a.name, a.startup_s) for a in anchors], "s"),
            )
        )
    idle = run.rss_idle.total_mb if run and run.rss_idle else None
    name = "idle RSS, all processes, 1 worker"
    target = f"< {RSS_MB:.0f} MB"
    if idle is None:
        found.append(missing(name, "MB", target, why if run is None else "not measured"))
    else:
        theirs = [(a.name, a.rss_idle.total_mb if a.rss_idle else None) for a in anchors]
        found.append(
            Target(
                name,
                idle,
                "MB",
                None,
                target,
                idle < RSS_MB,
                detail=_versus(idle, theirs, "MB"),
            )
        )
    return found


def _versus(ours: float, theirs: Sequence[tuple[str, float | None]], unit: str) -> str:
    return "; ".join(
        f"{name} {value:g} {unit} ({ours / value:.2f}x)" for name, value in theirs if value
    )


def scale_targets(m: Measured) -> list[Target]:
    found = []
    by_database = {result.database: result for result in m.scale}
    for database in ("SQLite", "PostgreSQL"):
        result = by_database.get(database)
        why = m.scale_missing or (
            result.missing if result else f"{database} was not part of the scale phase"
        )
        name = f"scale, {database}: `syllabus seed` {m.scale_enrollments:,} enrollments"
        target = f"< {scale.SEED_TARGET_S:.0f} s"
        if result is None or result.seed_seconds is None:
            found.append(missing(name, "s", target, why))
        else:
            counts = result.large_counts
            detail = (
                f"{counts.get('enrollments', 0):,} enrollments, {counts.get('users', 0):,} "
                f"users, {counts.get('courses', 0):,} courses"
            )
            if result.seed_reused:
                detail += f"; seeded by an earlier run ({result.seeded_at}; --fresh re-seeds)"
            found.append(
                Target(
                    name,
                    result.seed_seconds,
                    "s",
                    None,
                    target,
                    result.seed_seconds < scale.SEED_TARGET_S,
                    detail=detail,
                )
            )
        for row in scale.ROWS:
            name = f"scale, {database}: {row}, large / small site"
            target = f"<= {scale.LATENCY_TARGET:.1f}x"
            comparison = result.comparison(row) if result and not result.missing else None
            if result is None or comparison is None or comparison.ratio is None:
                found.append(missing(name, "ms", target, why or "not measured"))
                continue
            large, small = result.large_counts, result.small_counts
            detail = (
                f"median of {comparison.large.count}, 1 worker: {comparison.large.median_ms:g} ms "
                f"on {large.get('enrollments', 0):,} enrollments, {large.get('users', 0):,} "
                f"users vs {comparison.small.median_ms:g} ms on "
                f"{small.get('enrollments', 0):,}, {small.get('users', 0):,}"
            )
            if row in (scale.FIRST_PAGE, scale.MIDDLE_PAGE, scale.LAST_PAGE):
                detail += f" (pages: {result.large_pages} vs {result.small_pages})"
            found.append(
                Target(
                    name,
                    comparison.large.median_ms,
                    "ms",
                    comparison.ratio,
                    target,
                    comparison.ratio <= scale.LATENCY_TARGET,
                    detail=detail,
                )
            )
    return found


def site_creation(m: Measured) -> list[Target]:
    found = []
    series = m.site_creation
    for label, attribute in (("median", "median_ms"), ("p95", "p95_ms")):
        name = f"toolkit: POST /_syllabus/sites, {label}, SQLite"
        target = f"< {SITE_CREATE_MS:.0f} ms"
        value = getattr(series, attribute) if series else None
        if series is None or value is None:
            found.append(missing(name, "ms", target, m.site_creation_missing or "not measured"))
            continue
        workers = m.syllabus[0].workers if m.syllabus else None
        detail = f"{series.count} sites, one after another, {workers} worker"
        detail += "s" if workers != 1 else ""
        deletion = m.site_deletion
        if deletion is not None and deletion.median_ms is not None:
            detail += f"; DELETE median {deletion.median_ms:g} ms, p95 {deletion.p95_ms:g} ms"
        found.append(Target(name, value, "ms", None, target, value < SITE_CREATE_MS, detail=detail))
    return found


def journal_cost(m: Measured) -> Target:
    name = "toolkit: request journal cost, GET /courses/{id}, 1 worker"
    on = m.journal.get(journal.ON) if m.journal else None
    if not on:
        return missing(name, "% req/s", "reported", m.journal_missing or "not measured")
    detail = (
        f"journal on {on['rps']:,.0f} req/s, {on['server_ms_per_request']:.3f} CPU ms/req vs off "
        f"{m.journal['off_rps']:,.0f} req/s, {m.journal['off_server_ms_per_request']:.3f} CPU "
        f"ms/req ({on['server_us_per_request_added']:+d} µs, "
        f"{on['server_cpu_change_percent']:+.1f}% CPU/req; off rounds differ by "
        f"{m.journal['off_spread_percent']:.1f}%)"
    )
    return Target(
        name, on["rps_change_percent"], "% req/s", None, "reported", None, detail=detail, info=True
    )


def design_targets(m: Measured) -> list[Target]:
    return [
        *one_worker(m),
        *two_workers(m),
        writes(m),
        *postgres(m),
        *startup(m),
        *scale_targets(m),
        *site_creation(m),
        journal_cost(m),
    ]


def _value(target: Target) -> str:
    if target.value is None:
        return "-"
    if target.unit == "req/s":
        return f"{target.value:,.0f} req/s"
    if target.unit == "% req/s":
        return f"{target.value:+.1f}% req/s"
    if target.unit == "ms":
        return f"{target.value:,.2f} ms"
    if target.unit == "s":
        return f"{target.value:,.2f} s"
    return f"{target.value:,.1f} {target.unit}"


def targets_table(found: Sequence[Target]) -> str:
    rows = [
        [
            target.name,
            _value(target),
            "-" if target.ratio is None else f"{target.ratio:.2f}x",
            target.target,
            target.verdict,
            target.detail,
        ]
        for target in found
    ]
    header = ["design target", "value", "ratio", "target", "verdict", "detail"]
    return table(rows, header, right={1, 2})


def summary(found: Sequence[Target]) -> str:
    counts = {"ok": 0, "MISS": 0, "n/a": 0, "info": 0}
    for target in found:
        counts[target.verdict.split(" ")[0]] += 1
    return (
        f"{counts['ok']} ok, {counts['MISS']} MISS, {counts['n/a']} n/a, "
        f"{counts['info']} reported without a target"
    )
