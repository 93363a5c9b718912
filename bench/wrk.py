"""Run wrk against one 127.0.0.1 URL and read its JSON summary (printed by lua/report.lua)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.procs import (
    LOCALHOST,
    BenchError,
    ProcessRegistry,
    children_cpu_seconds,
    machine_busy_seconds,
    tree_cpu_seconds,
)

LUA_DIR = Path(__file__).resolve().parent / "lua"
MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class LoadSettings:
    duration: float
    connections: int
    threads: int
    warmup: float
    timeout: float = 5.0


@dataclass
class WrkResult:
    name: str
    target: str
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    non_2xx: int
    socket_errors: dict[str, int]
    bytes_per_request: float
    # CPU used during the run, in cores (1.0 = one CPU busy the whole time): by the server under
    # test, by wrk (and this harness), and by everything else on the machine.
    server_cores: float = 0.0
    wrk_cores: float = 0.0
    other_cores: float = 0.0
    probe: dict[str, Any] = field(default_factory=dict)

    @property
    def server_ms_per_request(self) -> float:
        """CPU milliseconds the server spent per request: steadier than req/s on a busy box."""
        return round(self.server_cores / self.rps * 1000, 3) if self.rps else 0.0

    @property
    def error_count(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["error_count"] = self.error_count
        data["server_ms_per_request"] = self.server_ms_per_request
        return data


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise BenchError(
            "wrk is not installed: run `make bench` (it apt-installs wrk) or install it"
        )
    return found


def wrk_version() -> str:
    completed = subprocess.run(
        [wrk_binary(), "--version"], capture_output=True, text=True, timeout=10, check=False
    )
    match = re.search(r"wrk \S+", completed.stdout + completed.stderr)
    return match.group(0) if match else "wrk (unknown version)"


def _seconds(value: float) -> str:
    return f"{max(1, round(value))}s"


def run_wrk(
    registry: ProcessRegistry,
    *,
    name: str,
    port: int,
    path: str,
    settings: LoadSettings,
    headers: Mapping[str, str],
    script: str = "get.lua",
    script_args: Sequence[str] = (),
    log_dir: Path,
    server_pid: int,
    duration: float | None = None,
) -> WrkResult:
    """One wrk run against ``http://127.0.0.1:port/path``; never another host."""
    url = f"http://{LOCALHOST}:{port}{path}"
    seconds = settings.duration if duration is None else duration
    argv = [
        wrk_binary(),
        f"-t{settings.threads}",
        f"-c{settings.connections}",
        f"-d{_seconds(seconds)}",
        f"--timeout={_seconds(settings.timeout)}",
        "--latency",
        "-s",
        str(LUA_DIR / script),
    ]
    for key, value in headers.items():
        argv += ["-H", f"{key}: {value}"]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
    log_path = log_dir / f"wrk-{safe}.log"
    busy_before = machine_busy_seconds()
    server_before = tree_cpu_seconds(server_pid)
    own_before = children_cpu_seconds()
    wall_before = time.perf_counter()
    process = registry.start(f"wrk {name}", argv, log_path=log_path)
    try:
        code = process.popen.wait(timeout=seconds + settings.timeout + 30)
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"wrk for {name} did not finish in time") from error
    finally:
        registry.stop(process)
    wall = time.perf_counter() - wall_before
    busy = machine_busy_seconds() - busy_before
    server = tree_cpu_seconds(server_pid) - server_before
    own = children_cpu_seconds() - own_before
    output = log_path.read_text(errors="replace")
    if code != 0:
        raise BenchError(f"wrk for {name} failed with exit code {code}:\n{output[-2000:]}")
    summary = None
    for line in output.splitlines():
        if line.startswith(MARKER):
            summary = json.loads(line[len(MARKER) :])
    if summary is None:
        raise BenchError(f"wrk for {name} printed no summary:\n{output[-2000:]}")
    result = _result(name, path, summary)
    result.server_cores = round(server / wall, 2)
    result.wrk_cores = round(own / wall, 2)
    result.other_cores = round(max(0.0, busy - server - own) / wall, 2)
    return result


def _result(name: str, target: str, summary: dict[str, Any]) -> WrkResult:
    latency = summary["latency_us"]
    errors = summary["errors"]
    requests = int(summary["requests"])
    duration_s = summary["duration_us"] / 1_000_000

    def ms(micros: float) -> float:
        return round(micros / 1000, 2)

    return WrkResult(
        name=name,
        target=target,
        requests=requests,
        duration_s=round(duration_s, 2),
        rps=round(requests / duration_s, 1) if duration_s else 0.0,
        p50_ms=ms(latency["p50"]),
        p75_ms=ms(latency["p75"]),
        p90_ms=ms(latency["p90"]),
        p99_ms=ms(latency["p99"]),
        max_ms=ms(latency["max"]),
        mean_ms=ms(latency["mean"]),
        non_2xx=int(errors["status"]),
        socket_errors={
            key: int(errors[key]) for key in ("connect", "read", "write", "timeout") if errors[key]
        },
        bytes_per_request=round(summary["bytes"] / requests, 1) if requests else 0.0,
    )
