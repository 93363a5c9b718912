"""The rate limiter's cost: ``GET /courses/{id}`` on three servers of one worker each, started
together: limiting off, on in the process, and on through Redis. wrk visits them in turn, round
after round, so that whatever the machine does meanwhile falls on all three alike; how far the
"off" rounds differ shows the noise that is left.

"On" is a limit no load reaches (``HUGE_LIMIT`` requests a minute, ``HUGE_IN_FLIGHT`` in flight),
so that every request pays for the counting and none is refused. The throughput tables above run
with limiting off: at Thinkific's 120 a minute, wrk would measure 429s.

Beside wrk, ``counting_cost`` times the limiter alone in this process: the CPU one request's admit
and release take.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from statistics import mean
from typing import Any

import redis

from bench.wrk import WrkResult
from syllabus.ratelimit.limiter import Limiter, LocalLimiter, Refused
from syllabus.ratelimit.shared import RedisLimiter

HUGE_LIMIT = "100000000"
HUGE_IN_FLIGHT = "100000"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# Requests the limiter alone is timed over (a tenth of them through Redis).
COUNTED = 20_000
# What a server logs when it cannot reach Redis (syllabus.ratelimit.limiter): it then counts in
# the process, and its numbers would not be Redis's.
REDIS_DOWN = "is unavailable"


@dataclass(frozen=True)
class Mode:
    label: str
    env: dict[str, str]
    redis: bool = False


def modes(redis_url: str) -> list[Mode]:
    on = {"SYLLABUS_RATE_LIMIT_PER_MINUTE": HUGE_LIMIT, "SYLLABUS_MAX_IN_FLIGHT": HUGE_IN_FLIGHT}
    off = {"SYLLABUS_RATE_LIMIT_PER_MINUTE": "off"}
    return [
        Mode("off", off),
        Mode("in process", on),
        Mode("Redis", {**on, "SYLLABUS_REDIS_URL": redis_url}, redis=True),
    ]


def redis_problem(url: str) -> str | None:
    """Why Redis at ``url`` cannot be used, or None when it answers."""
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer ({error})"
    finally:
        client.close()
    return None


LABELS = ("in process", "Redis")


def cost(
    results: dict[str, list[WrkResult]], base: str = "off", labels: tuple[str, ...] = LABELS
) -> dict[str, Any]:
    """Each of ``labels``' rounds against the ``base`` ones (the limiter's "on" modes against
    "off"; also the journal's "on" against its "off"): req/s and server CPU per request, means.
    The base's figures are kept under ``off_*``."""
    offs = results.get(base) or []
    if not offs:
        return {}
    base_rps = mean(result.rps for result in offs)
    base_ms = mean(result.server_ms_per_request for result in offs)
    summary: dict[str, Any] = {
        "rounds": len(offs),
        "off_rps": round(base_rps, 1),
        "off_server_ms_per_request": round(base_ms, 3),
        # How far apart the "off" rounds are: the noise floor of this comparison.
        "off_spread_percent": _percent(max(r.rps for r in offs), min(r.rps for r in offs)),
    }
    for label in labels:
        rounds = results.get(label)
        if not rounds or not base_rps or not base_ms:
            continue
        rps = mean(result.rps for result in rounds)
        server_ms = mean(result.server_ms_per_request for result in rounds)
        summary[label] = {
            "rps": round(rps, 1),
            "rps_change_percent": _percent(rps, base_rps),
            "server_ms_per_request": round(server_ms, 3),
            "server_us_per_request_added": round((server_ms - base_ms) * 1000),
            "server_cpu_change_percent": _percent(server_ms, base_ms),
        }
    return summary


def _percent(value: float, base: float) -> float:
    return round((value / base - 1) * 100, 1) if base else 0.0


def lines(
    summary: dict[str, Any], base: str = "off", labels: tuple[str, ...] = LABELS
) -> list[str]:
    """The cost, in words: wrk's runs against the ``base`` ones, then the limiter timed alone."""
    out: list[str] = []
    if "off_rps" in summary:
        out.append(
            f"{base}: {summary['off_rps']:,.1f} req/s, {summary['off_server_ms_per_request']:.3f} "
            f"server CPU ms/req (means of {summary['rounds']} rounds; the {base} rounds differ "
            f"by {summary['off_spread_percent']:.1f}% in req/s: the noise left)"
        )
    else:
        out.append(f"no '{base}' run to compare with")
    for label in labels:
        if label in summary:
            row = summary[label]
            out.append(
                f"{label}: {row['rps']:,.1f} req/s ({row['rps_change_percent']:+.1f}%), "
                f"{row['server_ms_per_request']:.3f} server CPU ms/req "
                f"({row['server_us_per_request_added']:+d} µs, "
                f"{row['server_cpu_change_percent']:+.1f}%)"
            )
    counting = summary.get("counting_cpu_us_per_request") or {}
    if counting:
        out.append(
            "the limiter alone, CPU per request: "
            + ", ".join(f"{label} {micros:g} µs" for label, micros in counting.items())
        )
    return out


async def _cpu_us_per_request(limiter: Limiter, in_flight: int, count: int) -> float:
    site = f"bench-{uuid.uuid4()}"  # a key of its own in Redis, gone a minute later

    async def one() -> None:
        admitted = await limiter.admit(site, 0.0, int(HUGE_LIMIT), in_flight)
        if not isinstance(admitted, Refused) and admitted.holder is not None:
            await admitted.holder.release(admitted)

    for _ in range(min(count, 500)):  # connections made, code warm
        await one()
    started = time.process_time()
    for _ in range(count):
        await one()
    return round((time.process_time() - started) / count * 1_000_000, 2)


def counting_cost(redis_url: str | None, count: int = COUNTED) -> dict[str, float]:
    """CPU microseconds per request of the limiter alone, on asyncio's loop as ``serve`` runs: in the
    process and through Redis (at ``redis_url``, if given), with the in-flight cap (a place taken
    and given back: two Redis round trips) and without (one)."""

    async def measure() -> dict[str, float]:
        local = LocalLimiter()
        found = {
            "in process": await _cpu_us_per_request(local, int(HUGE_IN_FLIGHT), count),
            "in process, no in-flight cap": await _cpu_us_per_request(local, 0, count),
        }
        if redis_url is not None:
            shared = RedisLimiter(redis_url)
            try:
                rounds = max(1, count // 10)
                found["Redis"] = await _cpu_us_per_request(shared, int(HUGE_IN_FLIGHT), rounds)
                found["Redis, no in-flight cap"] = await _cpu_us_per_request(shared, 0, rounds)
            finally:
                await shared.close()
        return found

    return asyncio.run(measure())
