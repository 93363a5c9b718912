"""The bench database: migrate, create a site with a known key, seed, and reuse it next time.

The default is a SQLite file under ``var/bench/`` named after the seed parameters, so a second run
with the same parameters skips the (slow) seed. A ``--database-url`` given by the user is never
deleted: there, every fresh dataset gets its own site (subdomain) instead.

Seeding uses ``syllabus seed``. Until that command exists, a bench-only fallback creates users
through ``POST /users`` on a running server (no courses or enrollments: those endpoints then
report "skipped").
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.procs import BenchError, ProcessRegistry, http_request, run_checked

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "var" / "bench"
LOG_DIR = BENCH_DIR / "logs"
FALLBACK_USER_CAP = 2_000
# A reused site is re-seeded once its users (grown by the writes of earlier runs) pass this many
# times the seeded count (plus 10,000).
GROWTH = 2
LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}


def syllabus_binary() -> str:
    candidate = Path(sys.executable).parent / "syllabus"
    if candidate.exists():
        return str(candidate)
    raise BenchError(f"no `syllabus` next to {sys.executable}: run `make install` first")


# Bumped whenever `syllabus seed` writes something new, so that an older dataset is re-seeded.
SEED_VERSION = 2  # 2: commerce (products' prices, bundles, promotions, orders)
# The control plane's token in every bench server: checkout is measured through it.
ADMIN_TOKEN = "bench-admin-token"


def server_env(database_url: str) -> dict[str, str]:
    """The environment for every syllabus process: no rate limit, no Redis, this database."""
    env = dict(os.environ)
    env.pop("SYLLABUS_REDIS_URL", None)
    env["SYLLABUS_ADMIN_TOKEN"] = ADMIN_TOKEN
    env["SYLLABUS_DATABASE_URL"] = database_url
    env["SYLLABUS_RATE_LIMIT_PER_MINUTE"] = "off"
    env["SYLLABUS_LOG_LEVEL"] = "warning"
    return env


def seed_command_available() -> bool:
    completed = subprocess.run(
        [syllabus_binary(), "seed", "--help"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return completed.returncode == 0


@dataclass(frozen=True)
class SeedParams:
    users: int
    courses: int
    enrollments: int
    seed: int

    @property
    def slug(self) -> str:
        return f"u{self.users}-c{self.courses}-e{self.enrollments}-s{self.seed}"


@dataclass
class Dataset:
    database_url: str
    subdomain: str
    api_key: str
    params: SeedParams
    method: str  # "syllabus seed" or "api fallback"
    reused: bool
    seed_seconds: float | None
    marker: Path
    # When the seed ran (ISO 8601, UTC): a reused dataset's seed time is that run's.
    seeded_at: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Auth-API-Key": self.api_key, "X-Auth-Subdomain": self.subdomain}

    def describe(self) -> dict[str, Any]:
        return {
            "database_url": redact(self.database_url),
            "subdomain": self.subdomain,
            "params": asdict(self.params),
            "method": self.method,
            "reused": self.reused,
            "seed_seconds": self.seed_seconds,
            "seeded_at": self.seeded_at,
        }

    @property
    def kind(self) -> str:
        return "SQLite" if self.database_url.startswith("sqlite") else "PostgreSQL"


def redact(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def check_local(url: str) -> None:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return
    if parsed.host not in LOCAL_HOSTS and not str(parsed.host).startswith("/"):
        raise BenchError(
            f"the bench only talks to 127.0.0.1; {redact(url)} names host {parsed.host!r}"
        )


def _sqlalchemy_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def ensure_postgres_database(url: str) -> str | None:
    """Create the PostgreSQL database ``url`` names if it is missing (connecting to the server's
    ``postgres`` database to do it). Returns why it cannot be used, or None."""
    check_local(url)
    parsed = make_url(url)
    name = parsed.database
    if not name:
        return f"{redact(url)} names no database"
    admin = parsed.set(drivername="postgresql", database="postgres")
    try:
        with psycopg.connect(
            admin.render_as_string(hide_password=False), connect_timeout=3, autocommit=True
        ) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if found is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"  created PostgreSQL database {name!r}", flush=True)
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"PostgreSQL at {redact(admin.render_as_string())} does not answer ({first})"
    return None


def site_counts(database_url: str, subdomain: str) -> dict[str, int] | None:
    """Rows of the site per table, or None when the site (or the schema) does not exist."""
    engine = create_engine(_sqlalchemy_url(database_url))
    try:
        with engine.connect() as connection:
            site_id = connection.execute(
                text("SELECT id FROM sites WHERE subdomain = :sub"), {"sub": subdomain}
            ).scalar()
            if site_id is None:
                return None
            counts = {}
            for table in ("users", "courses", "enrollments"):
                counts[table] = int(
                    connection.execute(
                        text(f"SELECT count(*) FROM {table} WHERE site_id = :site"),
                        {"site": site_id},
                    ).scalar_one()
                )
            return counts
    except Exception:  # a missing file or schema: simply no such dataset yet
        return None
    finally:
        engine.dispose()


def first_user_id(database_url: str, subdomain: str) -> int | None:
    engine = create_engine(_sqlalchemy_url(database_url))
    try:
        with engine.connect() as connection:
            value = connection.execute(
                text(
                    "SELECT min(users.id) FROM users JOIN sites ON sites.id = users.site_id "
                    "WHERE sites.subdomain = :sub"
                ),
                {"sub": subdomain},
            ).scalar()
            return int(value) if value is not None else None
    finally:
        engine.dispose()


def grown_limit(params: SeedParams) -> int:
    """The users a reused site may hold: every run's writes add users (POST /users), and a
    site grown far past its seed would no longer be the dataset asked for."""
    return params.users * GROWTH + 10_000


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _marker_path(database_url: str | None, params: SeedParams) -> Path:
    if database_url is None:
        return BENCH_DIR / f"bench-{params.slug}.json"
    digest = hashlib.sha256(redact(database_url).encode()).hexdigest()[:10]
    return BENCH_DIR / f"dataset-{digest}-{params.slug}.json"


def prepare(
    registry: ProcessRegistry,
    *,
    database_url: str | None,
    params: SeedParams,
    fresh: bool,
    seed_available: bool,
    timeout: float,
) -> Dataset:
    """Reuse a matching bench dataset, or build one (everything but the API fallback)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    marker = _marker_path(database_url, params)
    method = "syllabus seed" if seed_available else "api fallback"
    if database_url is None:
        sqlite_path = BENCH_DIR / f"bench-{params.slug}.db"
        url = f"sqlite:///{sqlite_path}"
    else:
        sqlite_path = None
        url = database_url
    check_local(url)

    if not fresh and marker.exists():
        saved = json.loads(marker.read_text())
        counts = (
            site_counts(url, saved["subdomain"])
            if saved.get("params") == asdict(params)
            and saved.get("seed_version") == SEED_VERSION
            and saved.get("method") == method
            and saved.get("complete")
            else None
        )
        if counts is not None and counts["users"] > grown_limit(params):
            print(
                f"  the site has grown to {counts['users']:,} users through earlier runs' "
                f"writes (more than {grown_limit(params):,}): re-seeding",
                flush=True,
            )
        elif counts is not None:
            return Dataset(
                database_url=url,
                subdomain=saved["subdomain"],
                api_key=saved["api_key"],
                params=params,
                method=method,
                reused=True,
                seed_seconds=saved.get("seed_seconds"),
                marker=marker,
                seeded_at=saved.get("seeded_at"),
            )
    marker.unlink(missing_ok=True)

    if sqlite_path is not None:
        _remove_sqlite(sqlite_path)
        subdomain = "bench"
    else:
        subdomain = f"bench-{params.slug}"
    env = server_env(url)
    syllabus = syllabus_binary()
    tag = f"{'sqlite' if sqlite_path is not None else 'url'}-{params.slug}"
    run_checked(
        registry,
        "syllabus migrate",
        [syllabus, "migrate", "--database-url", url],
        env=env,
        timeout=min(timeout, 300),
        log_path=LOG_DIR / f"migrate-{tag}.log",
    )
    if sqlite_path is None and site_counts(url, subdomain) is not None:
        subdomain = f"{subdomain}-{int(time.time())}"  # never reuse a half-made site
    api_key = secrets.token_hex(16)
    run_checked(
        registry,
        "syllabus sites create",
        [syllabus, "sites", "create", subdomain, "--api-key", api_key, "--database-url", url],
        env=env,
        timeout=min(timeout, 120),
        log_path=LOG_DIR / f"sites-create-{tag}.log",
    )
    dataset = Dataset(
        database_url=url,
        subdomain=subdomain,
        api_key=api_key,
        params=params,
        method=method,
        reused=False,
        seed_seconds=None,
        marker=marker,
    )
    if seed_available:
        started = time.perf_counter()
        seed_log = LOG_DIR / f"seed-{tag}.log"
        print(
            f"  seeding {params.users:,} users, {params.courses:,} courses, "
            f"{params.enrollments:,} enrollments into {redact(url)} with `syllabus seed` "
            f"(log: {seed_log.relative_to(REPO_ROOT)}) ...",
            flush=True,
        )
        run_checked(
            registry,
            "syllabus seed",
            [
                syllabus,
                "seed",
                subdomain,
                "--users",
                str(params.users),
                "--courses",
                str(params.courses),
                "--enrollments",
                str(params.enrollments),
                "--seed",
                str(params.seed),
                "--database-url",
                url,
            ],
            env=env,
            timeout=timeout,
            log_path=seed_log,
        )
        dataset.seed_seconds = round(time.perf_counter() - started, 1)
        dataset.seeded_at = datetime.now(UTC).isoformat(timespec="seconds")
        save_marker(dataset)
    return dataset


def save_marker(dataset: Dataset) -> None:
    dataset.marker.write_text(
        json.dumps(
            {
                "complete": True,
                "seed_version": SEED_VERSION,
                "subdomain": dataset.subdomain,
                "api_key": dataset.api_key,
                "params": asdict(dataset.params),
                "method": dataset.method,
                "seed_seconds": dataset.seed_seconds,
                "seeded_at": dataset.seeded_at,
                "database_url": redact(dataset.database_url),
            },
            indent=2,
        )
    )


def fallback_seed_users(dataset: Dataset, port: int) -> int:
    """Create users through ``POST /users`` (bench-only stand-in until ``syllabus seed`` exists)."""
    count = min(dataset.params.users, FALLBACK_USER_CAP)
    started = time.perf_counter()
    headers = {**dataset.headers, "Content-Type": "application/json"}
    for number in range(1, count + 1):
        body = json.dumps(
            {
                "first_name": f"Seed{number}",
                "last_name": "Fallback",
                "email": f"seed-{number}@example.com",
            }
        ).encode()
        answer = http_request(port, "POST", "/api/public/v1/users", headers=headers, body=body)
        if answer.status != 201:
            raise BenchError(
                f"fallback seeding: POST /users answered {answer.status}: {answer.body[:300]!r}"
            )
    dataset.seed_seconds = round(time.perf_counter() - started, 1)
    dataset.seeded_at = datetime.now(UTC).isoformat(timespec="seconds")
    save_marker(dataset)
    return count
