"""The servers under test, their tables, and the JSON file (the design targets: targets.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.procs import RssSample
from bench.wrk import WrkResult


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
    # Syllabus's runs: `serve --workers`, and the database ("SQLite" or "PostgreSQL").
    workers: int | None = None
    database: str | None = None

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
            "workers": self.workers,
            "database": self.database,
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


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
