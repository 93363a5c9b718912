"""examples/test_with_syllabus.py, run as a user's project runs it: pytest finds the fixtures
through the ``pytest11`` entry point alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "test_with_syllabus.py"


def test_the_example_passes_with_nothing_but_the_installed_plugin() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SYLLABUS_URL", "SYLLABUS_ADMIN_TOKEN")}
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(EXAMPLE), "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
