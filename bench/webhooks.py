"""A webhook subscription for the bench: ``POST /users`` measured again while every user it
creates is delivered (``user.signup``) to a receiver in this process, to show what delivery
costs the request that caused it."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


class Receiver:
    """Answers every delivery 200 and counts them."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.count += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server((HOST, 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/hook"


@contextmanager
def receiver() -> Iterator[Receiver]:
    listening = Receiver()
    listening.thread.start()
    try:
        yield listening
    finally:
        listening.server.shutdown()
        listening.server.server_close()


def _call(method: str, url: str, headers: dict[str, str], body: dict[str, Any] | None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
    return json.loads(text) if text else None


@contextmanager
def subscribed(port: int, headers: dict[str, str], target_url: str) -> Iterator[str]:
    """A ``user.signup`` subscription made through ``/api/v2/webhooks``, deleted after."""
    base = f"http://{HOST}:{port}/api/v2/webhooks"
    sent = {**headers, "Content-Type": "application/json"}
    webhook = _call("POST", base, sent, {"topic": "user.signup", "target_url": target_url})
    try:
        yield str(webhook["id"])
    finally:
        _call("DELETE", f"{base}/{webhook['id']}", sent, None)
