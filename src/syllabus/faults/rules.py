"""A fault rule as the middleware applies it: its match, and whether a match fires."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# Where the fault middleware leaves the action of the rule that fired, for the journal.
FAULT_KEY = "syllabus.fault"


def glob_pattern(glob: str) -> re.Pattern[str]:
    """``glob`` as a regular expression: ``*`` any run of characters (slashes too), ``?`` one,
    every other character itself; case-sensitive, as the journal's path filter
    (``journal/filters.py``)."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile("".join(parts), re.DOTALL)


def draw(seed: int, match: int) -> float:
    """The number in [0, 1) that decides a probability rule's ``match``-th match (from 1): the
    same for the same seed, in every process and every run."""
    return random.Random(f"{seed}:{match}").random()


@dataclass(frozen=True, slots=True)
class Rule:
    id: int
    site_id: int
    method: str | None
    pattern: re.Pattern[str]
    action: str
    status: int | None
    delay_ms: int | None
    times: int | None
    probability: float | None
    seed: int

    def matches(self, method: str, path: str) -> bool:
        """Whether a request (``path`` after the API's prefix) is one the rule is about."""
        if self.method is not None and self.method != method:
            return False
        return self.pattern.fullmatch(path) is not None

    def fires(self, match: int) -> bool:
        """Whether the rule acts on its ``match``-th match."""
        return self.probability is None or draw(self.seed, match) < self.probability

    def expired_by(self, match: int) -> bool:
        return self.times is not None and match >= self.times
