"""The fault rules' SQL: a site's rules as wire bodies, every live rule for the middleware's
copy, and counting a match in one statement, so that processes agree on a rule's count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from syllabus.db import connection_of
from syllabus.faults.schemas import FaultRead
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject, Wire
from syllabus.models import FaultRule
from syllabus.pagination import PageParams

FAULT = Wire(FaultRead, FaultRule)

_LIVE = or_(FaultRule.times.is_(None), FaultRule.matched < FaultRule.times)
_LIVE_RULES = (
    select(
        FaultRule.id,
        FaultRule.site_id,
        FaultRule.method,
        FaultRule.path,
        FaultRule.action,
        FaultRule.status,
        FaultRule.delay_ms,
        FaultRule.times,
        FaultRule.probability,
        FaultRule.seed,
    )
    .where(_LIVE)
    .order_by(FaultRule.id)
)
# One more match, unless the rule is used up: the new count, or no row.
_CONSUME = (
    update(FaultRule)
    .where(FaultRule.id == bindparam("rule_id"), _LIVE)
    .values(matched=FaultRule.matched + 1)
    .returning(FaultRule.matched)
)
_CLEAR = delete(FaultRule).where(FaultRule.site_id == bindparam("site_id"))


def add(session: Session, rule: FaultRule) -> JSONObject:
    session.add(rule)
    session.flush()
    bodies = FAULT.read(session.connection(), {"id": rule.id, "site_id": rule.site_id}, None)
    assert bodies is not None  # just inserted
    return bodies[0]


def page(session: Session, site_id: int, params: PageParams) -> JSONObject:
    return FAULT.page(connection_of(session), Criteria(), params, {"site_id": site_id}, None)


def clear(session: Session, site_id: int) -> None:
    session.connection().execute(_CLEAR, {"site_id": site_id})


def live_rules(session: Session) -> Sequence[Any]:
    """Every rule of every site that may still act, oldest first."""
    return connection_of(session).execute(_LIVE_RULES).all()


def consume(session: Session, rule_id: int) -> int | None:
    """Count a match of the rule: its count now, or None if it was used up already."""
    matched: int | None = session.connection().execute(_CONSUME, {"rule_id": rule_id}).scalar()
    return matched
