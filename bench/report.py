"""Tables, the ratios DESIGN.md asks for, and the JSON file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.procs import RssSample
from bench.wrk import WrkResult

P99_TARGET_MS = 50.0
STARTUP_TARGET_S = 1.0
RSS_TARGET_MB = 120.0


@dataclass
class ServerRun:
    """One server under test: how it started, its memory, and its endpoints."""

    name: str
    startup_s: float | None = None
    auth_startup_s: float | None = None
    rss_idle: RssSample | None = None
    rss_after: RssSample | None = None
    results: list[WrkResult] | None = None
    skipped: list[tuple[str, str]] | None = None
    note: str = ""

    def result(self, name: str) -> WrkResult | None:
        for result in self.results or []:
            if result.name == name:
                return result
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "startup_s": self.startup_s,
            "auth_startup_s": self.auth_startup_s,
            "rss_idle": asdict(self.rss_idle) if self.rss_idle else None,
            "rss_after_load": asdict(self.rss_after) if self.rss_after else None,
            "endpoints": [result.to_json() for result in self.results or []],
            "skipped": [{"endpoint": n, "reason": r} for n, r in self.skipped or []],
            "note": self.note,
        }


@dataclass
class Ratio:
    name: str
    value: float | None
    target: str
    passed: bool | None
    detail: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(rows: Sequence[Sequence[str]], header: Sequence[str], right: set[int]) -> str:
    widths = [len(h) for h in header]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def endpoint_table(runs: Sequence[ServerRun]) -> str:
    rows: list[list[str]] = []
    for run in runs:
        for result in run.results or []:
            errors = ", ".join(f"{k} {v}" for k, v in result.socket_errors.items()) or "0"
            rows.append(
                [
                    result.name,
                    _fmt(result.rps),
                    _fmt(result.p50_ms, 2),
                    _fmt(result.p99_ms, 2),
                    _fmt(result.max_ms, 1),
                    f"{result.non_2xx:,}",
                    errors,
                    f"{result.requests:,}",
                    f"{result.server_cores:.2f}/{result.wrk_cores:.2f}/{result.other_cores:.2f}",
                    f"{result.server_ms_per_request:.2f}",
                ]
            )
        for name, reason in run.skipped or []:
            rows.append([name, "SKIPPED", "", "", "", "", "", "", "", reason])
    header = [
        "endpoint",
        "req/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "non-2xx",
        "socket err",
        "requests",
        "CPU server/wrk/other",
        "server CPU ms/req",
    ]
    return table(rows, header, right={1, 2, 3, 4, 5, 7, 9})


def server_table(runs: Sequence[ServerRun]) -> str:
    rows = []
    for run in runs:
        rss = run.rss_idle
        after = run.rss_after
        rows.append(
            [
                run.name,
                _fmt(run.startup_s, 3),
                _fmt(run.auth_startup_s, 3),
                _fmt(rss.total_mb if rss else None),
                _fmt(rss.largest_mb if rss else None),
                str(rss.processes) if rss else "-",
                _fmt(after.total_mb if after else None),
            ]
        )
    header = [
        "server",
        "startup s",
        "auth GET s",
        "idle RSS MB",
        "largest proc MB",
        "procs",
        "RSS after load MB",
    ]
    return table(rows, header, right={1, 2, 3, 4, 5, 6})


def _throughput_ratio(
    name: str, ours: WrkResult | None, anchor: WrkResult | None, anchor_label: str
) -> Ratio:
    if ours is None or anchor is None or anchor.rps == 0:
        missing = "ours" if ours is None else "anchor"
        return Ratio(name, None, ">= 1.00x", None, f"not measured ({missing} missing)")
    value = round(ours.rps / anchor.rps, 2)
    detail = f"{ours.rps:,.0f} vs {anchor_label} {anchor.rps:,.0f} req/s"
    return Ratio(name, value, ">= 1.00x", value >= 1.0, detail)


def _within(name: str, ours: WrkResult | None, reference: WrkResult | None) -> Ratio:
    """A list's throughput against the enrollments list's: within 10% (the commerce target)."""
    if ours is None or reference is None or reference.rps == 0:
        return Ratio(name, None, ">= 0.90x", None, "not measured")
    value = round(ours.rps / reference.rps, 2)
    detail = f"{ours.rps:,.0f} vs {reference.rps:,.0f} req/s"
    return Ratio(name, value, ">= 0.90x", value >= 0.9, detail)


def ratios(
    syllabus: ServerRun,
    json_server: ServerRun | None,
    prism: ServerRun | None,
    names: dict[str, str],
) -> list[Ratio]:
    js_by_id = json_server.result(names["js_by_id"]) if json_server else None
    prism_list = prism.result(names["prism_list"]) if prism else None
    found: list[Ratio] = [
        _throughput_ratio(
            "courses-by-id / json-server-by-id",
            syllabus.result(names["courses_by_id"]),
            js_by_id,
            "json-server",
        ),
        _throughput_ratio(
            "users-by-id / json-server-by-id",
            syllabus.result(names["users_by_id"]),
            js_by_id,
            "json-server",
        ),
        _throughput_ratio(
            "enrollments-list / prism-list",
            syllabus.result(names["enrollments_list"]),
            prism_list,
            "Prism",
        ),
    ]
    found.append(
        _within(
            "products-list / enrollments-list",
            syllabus.result(names["products_list"]),
            syllabus.result(names["enrollments_list"]),
        )
    )
    worst = max(syllabus.results or [], key=lambda result: result.p99_ms, default=None)
    if worst is not None:
        found.append(
            Ratio(
                "worst p99 (ms), Syllabus",
                worst.p99_ms,
                f"< {P99_TARGET_MS:.0f} ms",
                worst.p99_ms < P99_TARGET_MS,
                worst.name,
            )
        )
    found.append(
        Ratio(
            "startup to first 200 (s)",
            syllabus.startup_s,
            f"< {STARTUP_TARGET_S:.1f} s",
            None if syllabus.startup_s is None else syllabus.startup_s < STARTUP_TARGET_S,
            _versus(syllabus.startup_s, json_server, prism, "startup_s", "s"),
        )
    )
    idle = syllabus.rss_idle.total_mb if syllabus.rss_idle else None
    found.append(
        Ratio(
            "idle RSS, all processes (MB)",
            idle,
            f"< {RSS_TARGET_MB:.0f} MB",
            None if idle is None else idle < RSS_TARGET_MB,
            _versus(idle, json_server, prism, "rss", "MB"),
        )
    )
    return found


def _versus(
    ours: float | None, json_server: ServerRun | None, prism: ServerRun | None, what: str, unit: str
) -> str:
    parts = []
    for run in (json_server, prism):
        if run is None:
            continue
        theirs = (
            run.startup_s
            if what == "startup_s"
            else (run.rss_idle.total_mb if run.rss_idle else None)
        )
        if ours is not None and theirs:
            parts.append(f"{run.name} {theirs:g} {unit} ({ours / theirs:.2f}x)")
    return "; ".join(parts)


def ratio_table(found: Sequence[Ratio]) -> str:
    rows = []
    for ratio in found:
        verdict = {True: "ok", False: "MISS", None: "n/a"}[ratio.passed]
        value = "-" if ratio.value is None else f"{ratio.value:g}"
        rows.append([ratio.name, value, ratio.target, verdict, ratio.detail])
    return table(rows, ["measure", "value", "target", "verdict", "detail"], right={1})


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
