"""The ``syllabus`` command. Each command group lives in its own module."""

from __future__ import annotations

from syllabus.cli import apps as _apps  # noqa: F401  (registers apps)
from syllabus.cli import commerce as _commerce  # noqa: F401  (registers checkout)
from syllabus.cli import content as _content  # noqa: F401  (registers seed, load and demo)
from syllabus.cli import faults as _faults  # noqa: F401  (registers faults)
from syllabus.cli import requests as _requests  # noqa: F401  (registers requests)
from syllabus.cli import server as _server  # noqa: F401  (registers serve and migrate)
from syllabus.cli import simulate as _simulate  # noqa: F401  (registers simulate)
from syllabus.cli import sites as _sites  # noqa: F401  (registers sites, keys, tokens)
from syllabus.cli import snapshots as _snapshots  # noqa: F401  (registers snapshot, diff, export)
from syllabus.cli import webhooks as _webhooks  # noqa: F401  (registers webhooks, worker)
from syllabus.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
