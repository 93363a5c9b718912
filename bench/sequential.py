"""Requests one after another over one keep-alive connection, each timed: the latency of a single
client, with no queue in front of the server (what wrk's 32 connections measure instead).

Used where a count of requests matters more than a rate: site creation (200 ``POST
/_syllabus/sites``) and the scale phase (the median of 200 ``GET`` on a small and a large site).
Every request goes to 127.0.0.1; every series is bounded in count and in time.
"""

from __future__ import annotations

import http.client
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import median
from typing import Any

from bench.procs import LOCALHOST, BenchError


class KeepAlive:
    """One HTTP/1.1 connection to 127.0.0.1:``port``, reopened if the server closes it."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.port = port
        self.timeout = timeout
        self.connection = http.client.HTTPConnection(LOCALHOST, port, timeout=timeout)

    def request(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: bytes | None = None,
    ) -> tuple[int, bytes, float]:
        """Status, body, and milliseconds from sending the request to the last byte read."""
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=dict(headers))
                response = self.connection.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.will_close:
                self.connection.close()
            return response.status, payload, elapsed
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


@dataclass
class Series:
    """Latencies of one series of requests, in milliseconds."""

    name: str
    samples: list[float]
    statuses: dict[int, int]

    @property
    def count(self) -> int:
        return len(self.samples)

    @property
    def median_ms(self) -> float | None:
        return round(median(self.samples), 3) if self.samples else None

    @property
    def p95_ms(self) -> float | None:
        return percentile(self.samples, 95)

    @property
    def max_ms(self) -> float | None:
        return round(max(self.samples), 3) if self.samples else None

    @property
    def failures(self) -> int:
        return sum(count for status, count in self.statuses.items() if not 200 <= status < 300)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "count": self.count,
            "median_ms": self.median_ms,
            "p95_ms": self.p95_ms,
            "max_ms": self.max_ms,
            "min_ms": round(min(self.samples), 3) if self.samples else None,
            "statuses": {str(status): count for status, count in self.statuses.items()},
        }


def percentile(samples: list[float], p: float) -> float | None:
    """The nearest-rank percentile."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return round(ordered[rank - 1], 3)


def timed(
    client: KeepAlive,
    series: Series,
    method: str,
    path: str,
    headers: Mapping[str, str],
    count: int,
    *,
    deadline: float,
    body: bytes | None = None,
) -> list[bytes]:
    """``count`` requests, one after another, added to ``series``; stops at ``deadline``
    (``time.monotonic()``). Returns the bodies of the 2xx answers."""
    bodies = []
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        status, payload, elapsed = client.request(method, path, headers, body)
        series.statuses[status] = series.statuses.get(status, 0) + 1
        if 200 <= status < 300:
            series.samples.append(elapsed)
            bodies.append(payload)
    return bodies


def warm(client: KeepAlive, path: str, headers: Mapping[str, str], count: int) -> None:
    """Unmeasured requests: caches filled, connection open."""
    for _ in range(count):
        status, payload, _elapsed = client.request("GET", path, headers)
        if not 200 <= status < 300:
            raise BenchError(f"GET {path} answered {status}: {payload[:200]!r}")
