"""A site's fault rules: add (checked), list, clear. Each function is one step of the caller's
unit of work; a server process applies a change within ``book.TTL_SECONDS`` (at once in the
process that made it through the control plane)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from syllabus.clock import clock
from syllabus.errors import Unprocessable, found
from syllabus.faults import repository
from syllabus.faults.schemas import FAULT_STATUSES, FaultCreate
from syllabus.kit.routing import ADMIN_PREFIX, V2_PREFIX
from syllabus.kit.wire import JSONObject
from syllabus.models import FaultRule
from syllabus.pagination import PageParams
from syllabus.sites.service import find_site

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _site_id(session: Session, subdomain: str) -> int:
    return found(find_site(session, subdomain)).id


def problems(data: FaultCreate) -> dict[str, list[str]]:
    """What is wrong with a rule beyond its fields' own types and ranges, by field."""
    found_problems: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        found_problems.setdefault(field, []).append(message)

    if data.method is not None and data.method.strip().upper() not in METHODS:
        problem("method", "is not included in the list")
    if not data.path.startswith(("/", "*")):
        problem("path", "must start with / or *")
    elif data.path.startswith((ADMIN_PREFIX, V2_PREFIX)):
        problem("path", f"is the path after {ADMIN_PREFIX} or {V2_PREFIX}")
    if data.action == "status":
        if data.status is None:
            problem("status", "can't be blank")
        elif data.status not in FAULT_STATUSES:
            problem("status", "must be 429, 500, 502 or 503")
    elif data.status is not None:
        problem("status", "is only for action status")
    if data.action == "delay" and data.delay_ms is None:
        problem("delay_ms", "can't be blank")
    if data.times is not None and data.probability is not None:
        problem("probability", "cannot be set with times")
    if data.seed is not None and data.probability is None:
        problem("seed", "is only for probability")
    return found_problems


def create_fault(session: Session, subdomain: str, data: FaultCreate) -> JSONObject:
    site_id = _site_id(session, subdomain)
    wrong = problems(data)
    if wrong:
        raise Unprocessable(wrong)
    rule = FaultRule(
        site_id=site_id,
        created_at=clock.now(),
        method=None if data.method is None else data.method.strip().upper(),
        path=data.path,
        action=data.action,
        status=data.status,
        delay_ms=data.delay_ms,
        times=data.times,
        probability=data.probability,
        seed=None if data.probability is None else (data.seed or 0),
        matched=0,
    )
    return repository.add(session, rule)


def list_faults(session: Session, subdomain: str, params: PageParams) -> JSONObject:
    return repository.page(session, _site_id(session, subdomain), params)


def clear_faults(session: Session, subdomain: str) -> None:
    repository.clear(session, _site_id(session, subdomain))
