"""``FaultBook``: this process's copy of every site's live fault rules.

A request looks its site up in a dict: a site without rules costs that lookup. The copy is read
again, all sites in one query, by the first request that finds it older than ``TTL_SECONDS``:
a rule added, used up or cleared by another process (another worker, the CLI) applies here
within that time. The process that changes rules through the control plane reads them again
before it answers (``middleware.py``), so its own changes apply at once. Counting a match is
one statement in the database (``consume``), so processes agree on a ``times`` rule's count.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Any, Final

from syllabus.db import Database
from syllabus.faults import repository
from syllabus.faults.rules import Rule, glob_pattern

logger = logging.getLogger("syllabus.faults")

TTL_SECONDS: Final = 1.0

RulesBySite = dict[int, tuple[Rule, ...]]


def _rule(row: Any) -> Rule:
    return Rule(
        id=row.id,
        site_id=row.site_id,
        method=row.method,
        pattern=glob_pattern(row.path),
        action=row.action,
        status=row.status,
        delay_ms=row.delay_ms,
        times=row.times,
        probability=row.probability,
        seed=row.seed or 0,
    )


class FaultBook:
    def __init__(self, database: Database) -> None:
        # An engine of its own, as the journal's (journal/recorder.py): the rules' reads stay out
        # of the requests' pool and of what watches a request's statements.
        self.database = Database(database.url, sqlite_synchronous=database.sqlite_synchronous)
        self.by_site: RulesBySite = {}
        # When the read that `by_site` came from began (monotonic).
        self._read_at = -math.inf
        self._reading: asyncio.Future[RulesBySite] | None = None

    def fresh(self) -> bool:
        return time.monotonic() - self._read_at < TTL_SECONDS

    async def refresh(self) -> RulesBySite:
        """The rules, read again unless a read is under way (then its result)."""
        reading = self._reading
        if (
            reading is None
            or reading.done()
            or reading.get_loop() is not asyncio.get_running_loop()
        ):
            reading = self._reading = asyncio.ensure_future(self._read())
        return await asyncio.shield(reading)

    async def reread(self) -> None:
        """Read the rules now, after a change this process committed: a read already under way
        may have begun before it."""
        self._reading = asyncio.ensure_future(self._read())
        await asyncio.shield(self._reading)

    async def _read(self) -> RulesBySite:
        began = time.monotonic()
        try:
            rows = await self.database.run(repository.live_rules, write=False)
        except Exception:
            # The request goes on with the rules as last read; its own unit of work will tell
            # whether the database is away.
            logger.exception("fault rules: could not read them")
            return self.by_site
        by_site: dict[int, list[Rule]] = {}
        for row in rows:
            by_site.setdefault(row.site_id, []).append(_rule(row))
        # A slower read that began earlier must not replace a newer one.
        if began >= self._read_at:
            self.by_site = {site_id: tuple(rules) for site_id, rules in by_site.items()}
            self._read_at = began
        return self.by_site

    async def consume(self, rule: Rule) -> int | None:
        """Count a match of ``rule`` in the database: which match it is (from 1), or None if
        the rule was used up (here or elsewhere). A used-up rule leaves this process's copy."""
        match = await self.database.run(lambda session: repository.consume(session, rule.id))
        if match is None or rule.expired_by(match):
            self._forget(rule)
        return match

    def close(self) -> None:
        self.database.dispose()

    def _forget(self, rule: Rule) -> None:
        rules = tuple(kept for kept in self.by_site.get(rule.site_id, ()) if kept.id != rule.id)
        by_site = dict(self.by_site)
        if rules:
            by_site[rule.site_id] = rules
        else:
            by_site.pop(rule.site_id, None)
        self.by_site = by_site
