"""Real servers for tests that need a socket: ``syllabus serve`` in a subprocess (kill -9,
restarts, several processes), or an app served by uvicorn in a thread (an app the test builds).

Both bind only 127.0.0.1, bound every wait, and are stopped by their fixture's finalizer.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

SYLLABUS = Path(sys.executable).with_name("syllabus")
HOST = "127.0.0.1"
STARTUP_SECONDS = 60.0
STOP_SECONDS = 15.0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL, like ``kill -9``, to the server and its worker processes: no shutdown
        hooks, no chance to flush anything, and no orphaned worker left serving."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"server {self.process.pid} survived SIGKILL for {STOP_SECONDS}s")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(
    database_url: str,
    log: Path,
    *,
    admin_token: str | None = None,
    env: dict[str, str] | None = None,
    arguments: Sequence[str] = (),
    host: str | None = HOST,
) -> Server:
    """``syllabus serve`` on a free port, once it has bound that port and answers /healthz.

    ``env`` adds to the process's environment and ``arguments`` to its command line. Rate limits
    are off (tests send bursts) unless one of them sets them; no Redis is used unless ``env`` sets
    ``SYLLABUS_REDIS_URL``. ``host=None`` gives no ``--host``: the server binds its default.
    """
    for _attempt in range(3):
        server = _spawn(database_url, log, free_port(), admin_token, env or {}, arguments, host)
        try:
            if wait_until_serving(server):
                return server
        except BaseException:
            server.kill()
            raise
        server.kill()  # another process took the port between probe and bind: try another
    pytest.fail(f"the server could not bind a free port in 3 attempts:\n{server.log_tail()}")


def _spawn(
    database_url: str,
    log: Path,
    port: int,
    admin_token: str | None,
    extra: dict[str, str],
    arguments: Sequence[str],
    host: str | None,
) -> Server:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SYLLABUS_LOG_LEVEL": "info"}
    env.pop("SYLLABUS_HOST", None)
    if admin_token is not None:
        env["SYLLABUS_ADMIN_TOKEN"] = admin_token
    env.pop("SYLLABUS_DATABASE_URL", None)
    env.pop("SYLLABUS_REDIS_URL", None)
    env["SYLLABUS_RATE_LIMIT_PER_MINUTE"] = "off"
    env.update(extra)
    with log.open("ab") as output:
        output.write(f"--- port {port}\n".encode())
        process = subprocess.Popen(
            [
                str(SYLLABUS),
                "serve",
                *(["--host", host] if host is not None else []),
                "--port",
                str(port),
                "--database-url",
                database_url,
                *arguments,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            # Its own process group, so that a kill reaches the workers of ``--workers N`` too.
            start_new_session=True,
        )
    return Server(process, port, log)


def wait_until_serving(server: Server) -> bool:
    """True once uvicorn says it listens on our port and /healthz answers 200; False if the port
    was taken. The log line proves the answer comes from our process, not a squatter."""
    listening = f"Uvicorn running on {server.url}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            if "address already in use" in server.log_tail().lower():
                return False
            pytest.fail(
                f"the server exited with {server.process.returncode} before answering "
                f"/healthz:\n{server.log_tail()}"
            )
        if listening in server.log_tail(lines=200):
            try:
                if httpx.get(f"{server.url}/healthz", timeout=2.0).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
        time.sleep(0.1)
    pytest.fail(f"/healthz did not answer 200 within {STARTUP_SECONDS}s:\n{server.log_tail()}")


@contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free port of 127.0.0.1: its base URL.

    Give the app a ``Database`` of its own: its lifespan disposes it on shutdown.
    """
    config = uvicorn.Config(app, log_level="warning", ws="none", lifespan="on")
    server = uvicorn.Server(config)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, 0))  # bound here, handed to uvicorn: no race for the port
    port = int(listener.getsockname()[1])
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="test-server", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started:
            if not thread.is_alive():
                pytest.fail("the server thread exited before it started")
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not start within {STARTUP_SECONDS}s")
            time.sleep(0.05)
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=STOP_SECONDS)
        listener.close()
        if thread.is_alive():
            pytest.fail(f"the server did not stop within {STOP_SECONDS}s")
