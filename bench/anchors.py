"""The anchor servers from DESIGN.md, installed with npm into ``bench/node_modules``.

* json-server 0.17.4 on a generated ``db.json`` (a ``users`` collection shaped like Thinkific's).
* Stoplight Prism, ``prism mock`` (static examples) on ``../shared/thinkific/admin-api-openapi.yml``.

Both bind 127.0.0.1 and run with request logging off, as Syllabus does (``access_log=False``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.procs import LOCALHOST, ManagedProcess, ProcessRegistry

BENCH_SRC = Path(__file__).resolve().parent
REPO_ROOT = BENCH_SRC.parent
NODE_BIN = BENCH_SRC / "node_modules" / ".bin"
JSON_SERVER = NODE_BIN / "json-server"
PRISM = NODE_BIN / "prism"
NPM_FLAGS = ("--no-audit", "--no-fund", "--ignore-scripts")
PRISM_SPEC = Path("../shared/thinkific/admin-api-openapi.yml")  # relative to the repo root

FIRST_NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Donald", "Frances"]
LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Hamilton", "Knuth"]


@dataclass
class AnchorInstall:
    ok: bool
    reason: str
    versions: dict[str, str]


def _installed() -> bool:
    return JSON_SERVER.exists() and PRISM.exists()


def _package_version(package: str) -> str:
    manifest = BENCH_SRC / "node_modules" / package / "package.json"
    try:
        return str(json.loads(manifest.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "?"


def ensure_installed(timeout: float = 600) -> AnchorInstall:
    """Install the pinned anchors with npm (once); report why not if that is impossible."""
    if not _installed():
        npm = shutil.which("npm")
        if npm is None:
            return AnchorInstall(False, "npm is not installed", {})
        command = "ci" if (BENCH_SRC / "package-lock.json").exists() else "install"
        print(f"  installing anchors: npm {command} --prefix bench ...", flush=True)
        try:
            completed = subprocess.run(
                [npm, command, "--prefix", str(BENCH_SRC), *NPM_FLAGS],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return AnchorInstall(False, f"npm {command} took longer than {timeout:.0f} s", {})
        if completed.returncode != 0 or not _installed():
            tail = (completed.stdout + completed.stderr).strip().splitlines()[-5:]
            return AnchorInstall(False, f"npm {command} failed: {' | '.join(tail)}", {})
    versions = {
        "json-server": _package_version("json-server"),
        "@stoplight/prism-cli": _package_version("@stoplight/prism-cli"),
    }
    return AnchorInstall(True, "", versions)


def prism_spec() -> Path | None:
    spec = (REPO_ROOT / PRISM_SPEC).resolve()
    return spec if spec.exists() else None


def thinkific_user(number: int) -> dict[str, Any]:
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[number % len(LAST_NAMES)]
    return {
        "id": number,
        "created_at": f"2024-01-{1 + number % 28:02d}T10:{number % 60:02d}:00.000Z",
        "first_name": first,
        "last_name": last,
        "full_name": f"{first} {last}",
        "company": "Example Co" if number % 3 == 0 else None,
        "email": f"{first.lower()}.{last.lower()}.{number}@example.com",
        "roles": ["affiliate"] if number % 10 == 0 else [],
        "avatar_url": None,
        "bio": None,
        "headline": None,
        "affiliate_code": None,
        "external_source": None,
        "affiliate_commission": None,
        "affiliate_commission_type": None,
        "affiliate_payout_email": None,
        "administered_course_ids": [],
        "custom_profile_fields": [],
    }


def write_db_json(path: Path, users: int = 300) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"users": [thinkific_user(n) for n in range(1, users + 1)]}))
    return path


def start_json_server(
    registry: ProcessRegistry, port: int, db_json: Path, log_path: Path
) -> ManagedProcess:
    return registry.start(
        "json-server",
        [str(JSON_SERVER), "--host", LOCALHOST, "--port", str(port), "--quiet", str(db_json)],
        log_path=log_path,
        cwd=db_json.parent,  # json-server looks for ./public and ./json-server.json here
    )


def start_prism(registry: ProcessRegistry, port: int, spec: Path, log_path: Path) -> ManagedProcess:
    return registry.start(
        "prism",
        [str(PRISM), "mock", "-h", LOCALHOST, "-p", str(port), "--verboseLevel", "warn", str(spec)],
        log_path=log_path,
        cwd=REPO_ROOT,
    )
