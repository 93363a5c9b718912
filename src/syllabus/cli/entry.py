"""The ``syllabus`` console script.

Importing the server builds hundreds of thousands of objects that live as long as the process
(models, schemas, routes, then typer's commands), and the collector's passes over them while
they are built cost a fifth of ``serve``'s startup. So the collector is off while the command
line is read; once the command is known, it collects as usual (``cli/app.py``), but ``serve``,
which keeps it off until its app has started (``main.py``'s lifespan freezes what startup built,
then collects). Code that imports ``syllabus.cli`` itself (tests) is left alone.
"""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    from syllabus.cli import main as run

    run()
