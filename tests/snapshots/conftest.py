"""The ``syllabus`` command on the test database, as tests/cli runs it."""

from tests.cli.conftest import cli  # noqa: F401
