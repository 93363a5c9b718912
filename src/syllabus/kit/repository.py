"""``Repository[M]``: the SQL every site-owned table shares, scoped to one site.

A repository is built once per unit of work (by its service) and holds all of its resource's SQL:

* reads return wire bodies, through the resource's ``Wire`` (kit/wire.py): ``read(id)`` and
  ``page(criteria, params)``, rows straight to dicts with no ORM objects;
* writes work on ORM rows: ``get``, ``add``, ``touch``, ``delete`` and ``flush``.

Tenancy lives here: every statement carries ``site_id = :site_id``, bound from the unit of work,
so another site's id finds nothing and answers 404 exactly like a missing one.

Hot statements are built once and executed with bound parameters: building a ``select()`` and
computing its cache key costs more than running the query on SQLite (about 100 us against 25 us),
so lookups are module or class constants rather than built per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from sqlalchemy import Executable, Select, bindparam, select
from sqlalchemy.exc import IntegrityError

from syllabus.errors import ApiError, RecordNotFound
from syllabus.kit.filters import Criteria
from syllabus.kit.schemas import INT64_MAX
from syllabus.kit.wire import JSONObject, Wire
from syllabus.models.base import SiteRecord, stamp
from syllabus.pagination import PageParams

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from syllabus.context import Scope

M = TypeVar("M", bound=SiteRecord)


def fits(id: int) -> bool:
    """Whether ``id`` can be an id at all (a 64-bit column); anything else finds nothing."""
    return -INT64_MAX <= id <= INT64_MAX


class Repository(Generic[M]):
    model: ClassVar[type[SiteRecord]]
    # The resource's API body; other bodies (webhook payloads) are passed by name.
    wire: ClassVar[Wire]

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.site_id = scope.site.id

    @property
    def session(self) -> Session:
        """The unit's ORM session (writes; a read that asks makes one, ``Scope.session``)."""
        return self.scope.session

    # -- reads: wire bodies --------------------------------------------------------------------

    def read(self, id: int, wire: Wire | None = None) -> JSONObject | None:
        """The body of row ``id`` (the resource's own, or ``wire``'s), or None."""
        bodies = self.read_as(id, wire or self.wire)
        return None if bodies is None else bodies[0]

    def read_as(self, id: int, *wires: Wire) -> list[JSONObject] | None:
        """Row ``id`` rendered by each of ``wires`` from one fetch (the wire and its payload,
        ``Wire.alphabetical``), or None."""
        if not fits(id):
            return None
        values = {"site_id": self.site_id, "id": id}
        return wires[0].read(self.scope.connection, values, self.scope, wires[1:])

    def page(self, criteria: Criteria, params: PageParams, wire: Wire | None = None) -> JSONObject:
        """A page of bodies in the list envelope, in the wire's order."""
        values = {"site_id": self.site_id}
        return (wire or self.wire).page(self.scope.connection, criteria, params, values, self.scope)

    def value(self, statement: Executable, **values: Any) -> Any:
        """The first column of the first row of a prebuilt statement (``:site_id`` is bound)."""
        params = {"site_id": self.site_id, **values}
        return self.scope.connection.execute(statement, params).scalar()

    # -- writes: ORM rows ----------------------------------------------------------------------

    def exists(self, id: int) -> bool:
        """Whether row ``id`` is the site's."""
        return fits(id) and self.value(self._statements()[1], id=id) is not None

    def require(self, id: int) -> None:
        """A 404 unless row ``id`` is the site's: a child list's parent must exist to answer."""
        if not self.exists(id):
            raise RecordNotFound()

    @classmethod
    def _statements(cls) -> tuple[Select[Any], Select[Any]]:
        """The ORM row and the bare id of one row by ``:id`` and ``:site_id``, built once."""
        statements: tuple[Select[Any], Select[Any]] | None = cls.__dict__.get("_prebuilt")
        if statements is None:
            where = (cls.model.site_id == bindparam("site_id"), cls.model.id == bindparam("id"))
            statements = (select(cls.model).where(*where), select(cls.model.id).where(*where))
            cls._prebuilt = statements  # type: ignore[attr-defined]
        return statements

    def get(self, id: int) -> M | None:
        if not fits(id):
            return None
        params = {"site_id": self.site_id, "id": id}
        row = self.session.scalars(self._statements()[0], params).first()
        return cast("M | None", row)

    def add(self, row: M) -> M:
        stamp(row, self.site_id, self.scope.now)
        self.session.add(row)
        return row

    def touch(self, row: M) -> None:
        row.updated_at = self.scope.now

    def delete(self, row: M) -> None:
        self.session.delete(row)

    def flush(self, *, on_conflict: ApiError | None = None) -> None:
        """Write pending changes now (new rows get their ids).

        With ``on_conflict``, a unique constraint that a concurrent request got to first (after
        the service's own check) raises that error: the same 422 the check gives, never a 500.
        The unit of work then rolls back whole, so no savepoint is needed.
        """
        try:
            self.session.flush()
        except IntegrityError as error:
            if on_conflict is None:
                raise
            raise on_conflict from error
