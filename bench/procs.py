"""Processes for the benchmark: start in their own process group, measure, always kill.

Every server the harness starts goes through a :class:`ProcessRegistry`, so that one ``finally``
(also reached on Ctrl-C, SIGTERM and the overall timeout) ends every process group it created.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

LOCALHOST = "127.0.0.1"


class BenchError(RuntimeError):
    """A step of the benchmark failed; the message says which and why."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class HttpAnswer:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def http_request(
    port: int,
    method: str,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 5.0,
) -> HttpAnswer:
    """One request to 127.0.0.1:``port`` (never anywhere else)."""
    connection = http.client.HTTPConnection(LOCALHOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return HttpAnswer(
            status=response.status,
            body=response.read(),
            headers={key.lower(): value for key, value in response.getheaders()},
        )
    finally:
        connection.close()


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields resume after the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    """``root`` and all of its descendants that are alive now."""
    children = _children_map()
    found: list[int] = []
    pending = [root]
    while pending:
        pid = pending.pop()
        if not Path(f"/proc/{pid}").exists():
            continue
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


@dataclass
class RssSample:
    total_mb: float
    largest_mb: float
    processes: int


def tree_rss(root: int) -> RssSample:
    sizes = [rss_kib(pid) for pid in process_tree(root)]
    sizes = [size for size in sizes if size > 0]
    return RssSample(
        total_mb=round(sum(sizes) / 1024, 1),
        largest_mb=round(max(sizes, default=0) / 1024, 1),
        processes=len(sizes),
    )


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds all CPUs spent busy since boot (everything in /proc/stat but idle and iowait)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(value) for value in fields[:8]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS


def tree_cpu_seconds(root: int) -> float:
    """User plus system CPU seconds of ``root`` and its live descendants."""
    total = 0
    for pid in process_tree(root):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime, stime, cutime, cstime: fields 14-17 of proc(5), here 11-14 after the name.
        total += sum(int(value) for value in fields[11:15])
    return total / CLOCK_TICKS


def children_cpu_seconds() -> float:
    """CPU seconds of this process and of its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class ManagedProcess:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path | None
    started_at: float
    log_file: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def log_error(self) -> str:
        """The last exception the log names (``SomeError: message``, and the line after it), or
        an empty string."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        lines = [
            line.strip(" │") for line in self.log_path.read_text(errors="replace").splitlines()
        ]
        for number in range(len(lines) - 1, -1, -1):
            name = lines[number].split(":", 1)[0]
            if ":" in lines[number] and " " not in name and name.endswith(("Error", "Exception")):
                found = " ".join(lines[number : number + 2]).strip()
                return found[:300]
        return ""

    def stop(self, grace: float = 8.0) -> None:
        """SIGTERM the whole process group, then SIGKILL whatever is left after ``grace``."""
        pgid = self.popen.pid  # start_new_session=True: the group id is the leader's pid
        members = process_tree(self.popen.pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if self.popen.poll() is not None and not _group_alive(pgid, members):
                break
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        for pid in members:  # descendants that left the group, if any
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)
        if self.log_file is not None:
            self.log_file.close()
            self.log_file = None


def _group_alive(pgid: int, members: Sequence[int]) -> bool:
    for pid in members:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


@dataclass
class ProcessRegistry:
    """Every process group the harness started; :meth:`stop_all` ends them all."""

    processes: list[ManagedProcess] = field(default_factory=list)

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path | None,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> ManagedProcess:
        log_file: IO[bytes] | None = None
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_file = log_path.open("wb")
        started_at = time.perf_counter()
        popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log_file if log_file is not None else None,
            stderr=subprocess.STDOUT if log_file is not None else None,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
        process = ManagedProcess(name, popen, log_path, started_at, log_file)
        self.processes.append(process)
        return process

    def stop(self, process: ManagedProcess) -> None:
        process.stop()
        if process in self.processes:
            self.processes.remove(process)

    def stop_all(self) -> None:
        while self.processes:
            self.stop(self.processes[-1])


def run_checked(
    registry: ProcessRegistry,
    name: str,
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float,
    log_path: Path | None = None,
    cwd: Path | None = None,
) -> ManagedProcess:
    """Run a command to completion in its own process group; raise with its output if it fails."""
    process = registry.start(name, argv, log_path=log_path, env=env, cwd=cwd)
    try:
        code = process.popen.wait(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        registry.stop(process)
        raise BenchError(f"{name} did not finish within {timeout:.0f} s") from error
    if process.log_file is not None:
        process.log_file.close()
        process.log_file = None
    registry.processes.remove(process)
    if code != 0:
        cause = process.log_error()
        raise BenchError(
            f"{name} failed with exit code {code}{': ' + cause if cause else ''} "
            f"(log: {log_path})\n{process.log_tail()}"
        )
    return process


def wait_for_200(
    process: ManagedProcess,
    port: int,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    interval: float = 0.01,
) -> float:
    """Poll until ``GET path`` answers 2xx; return seconds since the process started."""
    deadline = time.perf_counter() + timeout
    last = "no answer"
    while time.perf_counter() < deadline:
        if not process.alive():
            raise BenchError(
                f"{process.name} exited with code {process.popen.returncode} before answering "
                f"{path}:\n{process.log_tail()}"
            )
        try:
            answer = http_request(port, "GET", path, headers=headers, timeout=1.0)
        except OSError as error:
            last = f"{type(error).__name__}: {error}"
        else:
            if answer.ok:
                return time.perf_counter() - process.started_at
            last = f"HTTP {answer.status}: {answer.body[:200]!r}"
        time.sleep(interval)
    raise BenchError(
        f"{process.name} did not answer 2xx on {path} within {timeout:.0f} s (last: {last})\n"
        f"{process.log_tail()}"
    )
