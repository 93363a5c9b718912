"""Declarative content: ``syllabus load SUB FILE.yaml`` (the format is in docs/load-format.md).

A file describes what must exist. Each top-level entry is upserted by its natural key, so
loading the same file twice changes nothing. Entries the file does not mention are left alone.
Within an entry, a field the file omits keeps its stored value, and a list the file gives is set
exactly.

This module is the core and knows no resource by name: each top-level key of the file is a
``Section``, one module of ``syllabus.seed.sections`` (found there, not listed here) that
declares its entries' shape, natural key, references, checks and writes. The core reads the
document, checks every entry before the first write (its shape, duplicate natural keys, each
section's own rules, then references against the file and the site), and runs the sections'
write steps in an order derived from what each declares it needs. Any problem raises
``LoadError`` with every problem found, each naming its entry
(``courses[2].chapters[0].contents[1].type: ...``), and the caller's transaction rolls back.

The load runs in a ``Scope`` of the site, as the Admin API's writes do: the events it records are
the products' (``product.created`` and ``product.updated``) and what checkout records for the
orders it places. Nothing else a load writes records an event.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from types import GenericAlias
from typing import Annotated, Any, Generic, Protocol, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
)
from pydantic_core import ErrorDetails
from sqlalchemy import Column, delete, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.kit.schemas import InputTimestamp
from syllabus.models import Site
from syllabus.models.base import stamp
from syllabus.seed import sections as section_modules

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Keeps ``IN (...)`` lists well under SQLite's bound-parameter limit.
CHUNK = 500


class LoadError(ValueError):
    """A file that cannot be loaded; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# --- field types more than one section uses -------------------------------------------------


def _slug(value: str) -> str:
    if not SLUG_PATTERN.match(value):
        raise ValueError("must be lowercase letters, digits and single hyphens (like 'intro-101')")
    return value


Slug = Annotated[str, Field(max_length=255), AfterValidator(_slug)]


class Spec(BaseModel):
    """Every entry: unknown keys are errors (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    def given(self, names: Iterable[str], *, creating: bool) -> dict[str, Any]:
        """The values of ``names`` to write: all of them on create, only those in the file on update."""
        return {
            name: getattr(self, name) for name in names if creating or name in self.model_fields_set
        }


class Stamped(Spec):
    """An entry that may say when its row was made and last changed, as an export does
    (``syllabus export``), so that the loaded site answers with the same times."""

    created_at: InputTimestamp | None = None
    updated_at: InputTimestamp | None = None

    def times(self) -> dict[str, datetime]:
        """The times the entry gives: ``updated_at`` is ``created_at`` unless given."""
        times = {}
        if self.created_at is not None:
            times["created_at"] = times["updated_at"] = self.created_at
        if self.updated_at is not None:
            times["updated_at"] = self.updated_at
        return times


def times_of(row: Any) -> dict[str, datetime]:
    """A row's times as a ``Stamped`` entry gives them: ``updated_at`` only when it differs."""
    times = {"created_at": row.created_at}
    if row.updated_at != row.created_at:
        times["updated_at"] = row.updated_at
    return times


S = TypeVar("S", bound=Spec)


# --- what a section declares ----------------------------------------------------------------


def _same(value: str) -> str:
    return value


@dataclass(frozen=True)
class NaturalKey:
    """How a section's entries name their rows: one field, matched to one column of the site."""

    field: str
    # The rows' column the normalized field is matched to (the lowest id wins a shared value).
    column: InstrumentedAttribute[str]
    # How a problem names a missing one: "no {described} 'x' in the file or the site".
    described: str
    # What makes two values the same key (emails are compared case-insensitively).
    normalize: Callable[[str], str] = _same
    # Look up every row of the site, not only those the file names (a check needs them all).
    every_row: bool = False
    # Several rows of the site may share a key (promotions, site scripts, as the API makes
    # them): an entry that gives its ``created_at`` (an export's, ``Stamped``) names the row of
    # that key made then, and entries may share a key made at different times.
    shared: bool = False

    def of(self, entry: Spec) -> str:
        return self.normalize(getattr(entry, self.field))


@dataclass(frozen=True, init=False)
class Reference:
    """An entry's ``field`` names rows of ``sections`` by their natural keys.

    The field holds one key (or None), a list of keys, or a mapping keyed by them. A reference
    to several sections names a row of any of them, the first section holding the key winning
    (``Reference("products", "courses", "bundles")``); ``described`` then says what it names.
    """

    field: str
    sections: tuple[str, ...]
    described: str | None

    def __init__(self, field: str, *sections: str, described: str | None = None) -> None:
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "sections", sections)
        object.__setattr__(self, "described", described)

    def values(self, entry: Spec) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """Each key the entry names, with its path under the entry."""
        value = getattr(entry, self.field)
        if value is None:
            return
        if isinstance(value, str):
            yield (self.field,), value
        elif isinstance(value, dict):
            for key in value:
                yield (self.field,), key
        else:
            for position, key in enumerate(value):
                yield (self.field, position), key


@dataclass(frozen=True)
class Problem:
    """A section's problem with its entry number ``index``, at a path under the entry."""

    index: int
    message: str
    at: tuple[str | int, ...] = ()


class Refused(Exception):
    """A section's write that cannot be made (what its checks could not foresee): the load
    stops with these problems, and the caller's transaction rolls back."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Step:
    """One pass of a section's writes, run once the first step of each section in ``after`` has."""

    run: Callable[[Load, Sequence[Any]], None]
    after: tuple[str, ...] = ()


class Section(Generic[S]):
    """One top-level key of the file. A module of ``syllabus.seed.sections`` defines one, as
    ``SECTION``; the core finds it there.

    The default ``write`` upserts each entry: ``find`` its row (by default, the row of its
    natural key in the site or written by this load), or make one with ``new``, then ``upsert``
    the entry's values into it (by default, ``fields`` as ``Spec.given`` picks them).
    """

    key: str  # the file's key, and the section's rows in ``Load.rows``
    spec: type[S]  # an entry's shape
    natural: NaturalKey | None = None  # None: the section looks its rows up itself
    references: tuple[Reference, ...] = ()
    after: tuple[str, ...] = ()  # the sections whose rows ``write`` needs
    fields: tuple[str, ...] = ()  # an entry's fields that are the row's columns as they are
    tallies: tuple[str, ...] = ()  # the summary's rows; the first counts the section's entries

    @property
    def tally_names(self) -> tuple[str, ...]:
        return self.tallies or (self.key.replace("_", " "),)

    def tally(self, load: Load) -> Tally:
        return load.tallies[self.tally_names[0]]

    def steps(self) -> tuple[Step, ...]:
        """The section's writes, in order; a later step may need other sections' rows."""
        return (Step(self.write, self.after),)

    def check(self, entries: Sequence[S]) -> Iterable[Problem]:
        """Rules that need no database, beyond the shape and duplicate natural keys."""
        return ()

    def check_site(self, entries: Sequence[S], load: Load) -> Iterable[Problem]:
        """Rules that need the site's rows (``load.rows``) and the file (``load.content``)."""
        return ()

    def repeated_keys(
        self, entries: Sequence[S], describe: Callable[[S], str], *at: str
    ) -> Iterator[Problem]:
        """The entries whose ``key_of`` an earlier entry has, in a section without a
        ``natural`` key (the core reports those): ``describe(entry)`` says what repeats."""
        for index, earlier in repeats(map(self.key_of, entries)):
            message = f"{describe(entries[index])} is already given by {self.key}[{earlier}]"
            yield Problem(index, message, at)

    def key_of(self, spec: S) -> Hashable:
        """The entry's natural key, which its tally counts (with its ``created_at`` when the
        key is ``shared`` and the entry gives it)."""
        assert self.natural is not None, f"{self.key} has no natural key: define key_of"
        key = self.natural.of(spec)
        made = getattr(spec, "created_at", None)
        return (key, made) if self.natural.shared and made is not None else key

    def find(self, load: Load, spec: S) -> Any:
        key = self.key_of(spec)
        row = load.rows[self.key].get(key)
        if row is None and isinstance(key, tuple) and self.natural is not None:
            row = load.made_at(self.natural, *key)
        return row

    def new(self, load: Load, spec: S) -> Any:
        raise NotImplementedError(f"{self.key}: define new")

    def upsert(self, load: Load, spec: S, row: Any, creating: bool) -> bool:
        """Write ``spec`` into ``row``, new or stored; say whether a stored row changed."""
        return load.save(row, spec.given(self.fields, creating=creating), creating=creating)

    def stamped(self, load: Load, spec: S) -> list[Any]:
        """The rows that take the entry's times: by default its own row, made by this load
        (the write keeps it in ``load.rows``) or found."""
        row = load.rows[self.key].get(self.key_of(spec))
        if row is None:
            row = self.find(load, spec)
        return [] if row is None else [row]

    def stamp(self, load: Load, spec: S) -> bool:
        """Give the entry's rows the times it gives (``Stamped``), once every section is
        written; say whether a stored row's times changed."""
        times = spec.times() if isinstance(spec, Stamped) else {}
        changed = False
        for row in self.stamped(load, spec) if times else []:
            changed = load.restamp(row, times) or changed
        return changed

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        """The site's rows as this section's entries, in the order the load makes them (the
        ids' order), for ``syllabus export``: what loading them into a new site needs to
        answer as this site does (docs/load-format.md)."""
        raise NotImplementedError(f"{self.key}: define export")

    def write(self, load: Load, entries: Sequence[S]) -> None:
        tally = self.tally(load)
        for spec in entries:
            key = self.key_of(spec)
            row = self.find(load, spec)
            creating = row is None
            if row is None:
                row = load.rows[self.key][key] = self.new(load, spec)
                if getattr(spec, "created_at", None) is not None:
                    # Made at the entry's time: a later step may look for it by that time.
                    row.created_at = spec.created_at  # type: ignore[attr-defined]
            changed = self.upsert(load, spec, row, creating)
            tally.mark(key, created=creating, changed=changed)
        load.session.flush()


# --- the sections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    """The sections, in load order, and their write steps in the order they run."""

    sections: tuple[Section[Any], ...]
    steps: tuple[tuple[Section[Any], Step], ...]
    document: type[BaseModel]  # the file's shape: each section's key, a list of its entries

    def natural(self, key: str) -> NaturalKey:
        """The natural key of a section that references name (``_validate`` made sure of it)."""
        natural = next(section.natural for section in self.sections if section.key == key)
        assert natural is not None
        return natural


class _Document(Spec):
    @field_validator("*", mode="before")
    @classmethod
    def _empty_section(cls, value: Any) -> Any:
        # `users:` with nothing under it is an empty section, not an error.
        return [] if value is None else value


@cache
def _format() -> _Format:
    found: list[Section[Any]] = []
    for module_info in pkgutil.iter_modules(section_modules.__path__):
        if not module_info.name.startswith("_"):
            module = importlib.import_module(f"{section_modules.__name__}.{module_info.name}")
            found.append(module.SECTION)
    _validate(found)
    steps = _order(found)
    first: dict[str, int] = {}
    for position, (section, _) in enumerate(steps):
        first.setdefault(section.key, position)
    sections = tuple(sorted(found, key=lambda section: first[section.key]))
    fields: dict[str, Any] = {
        section.key: (GenericAlias(list, (section.spec,)), []) for section in sections
    }
    document = create_model("ContentFile", __base__=_Document, **fields)
    return _Format(sections, tuple(steps), document)


def sections() -> tuple[Section[Any], ...]:
    """The format's sections, in load order."""
    return _format().sections


def _validate(sections: Sequence[Section[Any]]) -> None:
    """A section that names a section that does not exist is a bug, not a bad file."""
    keys = [section.key for section in sections]
    natural = {section.key for section in sections if section.natural is not None}
    tallies = [name for section in sections for name in section.tally_names]
    errors = [f"two sections are {key!r}" for key in keys if keys.count(key) > 1]
    errors += [f"two sections count {name!r}" for name in tallies if tallies.count(name) > 1]
    for section in sections:
        for step in section.steps():
            errors += [
                f"{section.key} writes after unknown {k!r}" for k in step.after if k not in keys
            ]
        for reference in section.references:
            errors += [
                f"{section.key}.{reference.field}: {key!r} has no key"
                for key in reference.sections
                if key not in natural
            ]
    if errors:
        raise RuntimeError("; ".join(sorted(set(errors))))


def _order(sections: Sequence[Section[Any]]) -> list[tuple[Section[Any], Step]]:
    """Every section's steps, each after what it needs, and each as late as that allows.

    A step needs the section's previous step and the first step of each section in its
    ``after``. The order is built from its end: of the steps no remaining step needs, the first
    by (section key, step number) goes last. So definitions come before the users that fill them
    in, and users' administered courses are written once the courses exist.
    """
    steps: dict[tuple[str, int], tuple[Section[Any], Step]] = {}
    needs: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for section in sections:
        for number, step in enumerate(section.steps()):
            node = (section.key, number)
            steps[node] = (section, step)
            needs[node] = {(key, 0) for key in step.after}
            if number:
                needs[node].add((section.key, number - 1))
    remaining = set(steps)
    backwards = []
    while remaining:
        needed = {node for later in remaining for node in needs[later]}
        free = sorted(remaining - needed)
        if not free:
            raise RuntimeError(f"sections need each other in a cycle: {sorted(remaining)}")
        backwards.append(free[0])
        remaining.remove(free[0])
    return [steps[node] for node in reversed(backwards)]


# --- the file's shape -----------------------------------------------------------------------


@dataclass(frozen=True)
class ContentFile:
    """A checked file: each section's entries, by the section's key."""

    entries: dict[str, list[Any]]

    def __getitem__(self, key: str) -> list[Any]:
        return self.entries.get(key, [])


def _path(location: Sequence[int | str]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif IDENTIFIER.match(part):
            path += f".{part}" if path else part
        else:
            path += f"[{part!r}]"
    return path or "(top level)"


def _problem(key: str, problem: Problem) -> str:
    return f"{_path((key, problem.index, *problem.at))}: {problem.message}"


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    context = error.get("ctx", {})
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "literal_error":
        return f"must be one of {context.get('expected')} (got {error['input']!r})"
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    message = error["msg"]
    return message[:1].lower() + message[1:]


def parse_content(data: Any) -> ContentFile:
    """Check a parsed YAML document's shape; raise ``LoadError`` naming every bad entry."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LoadError(
            ["(top level): must be a mapping with sections like 'courses:' and 'users:'"]
        )
    form = _format()
    try:
        document = form.document.model_validate(data)
    except ValidationError as error:
        problems = [f"{_path(d['loc'])}: {_message(d)}" for d in error.errors()]
        raise LoadError(problems) from error
    content = ContentFile(
        {section.key: getattr(document, section.key) for section in form.sections}
    )
    problems = _check_entries(form, content)
    if problems:
        raise LoadError(problems)
    return content


def read_content(path: Path) -> ContentFile:
    """Read and check a content file; YAML syntax errors say where they are."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LoadError([f"{path}: {error.strerror or error}"]) from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise LoadError([f"{path}: {where}{problem}"]) from error
    return parse_content(data)


def repeats(keys: Iterable[Hashable]) -> Iterator[tuple[int, int]]:
    """``(position, earlier)`` for each of ``keys`` equal to the one at an earlier position."""
    first: dict[Hashable, int] = {}
    for position, key in enumerate(keys):
        if key in first:
            yield position, first[key]
        else:
            first[key] = position


def repeated(index: int, field: str, values: Sequence[Hashable], *under: str) -> Iterator[Problem]:
    """Entry ``index``'s problems with its list ``field``: each item (or each item's ``under``
    field) that repeats an earlier one."""
    for position, earlier in repeats(values):
        message = f"{values[position]!r} is already given by {field}[{earlier}]"
        yield Problem(index, message, (field, position, *under))


def _duplicates(
    entries: Sequence[Any], section: Section[Any], natural: NaturalKey
) -> list[Problem]:
    keys = [section.key_of(entry) for entry in entries]
    return [
        Problem(
            index,
            f"{natural.of(entries[index])!r} is already given by {section.key}[{earlier}]",
            (natural.field,),
        )
        for index, earlier in repeats(keys)
    ]


def _check_entries(form: _Format, content: ContentFile) -> list[str]:
    """Rules that need no database: duplicate natural keys, then each section's own."""
    problems = []
    for section in form.sections:
        entries = content[section.key]
        found = _duplicates(entries, section, section.natural) if section.natural else []
        found += section.check(entries)
        problems += [_problem(section.key, problem) for problem in found]
    return problems


# --- what the site already has --------------------------------------------------------------


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _by_key(
    session: Session, site_id: int, column: InstrumentedAttribute[str], keys: set[str] | None
) -> dict[Hashable, Any]:
    """The site's rows whose ``column`` is one of ``keys`` (None: every row), by that column.

    The lowest id wins a shared key.
    """
    model: Any = column.class_
    found: dict[Hashable, Any] = {}
    for chunk in [None] if keys is None else _chunks(keys):
        statement = select(model).where(model.site_id == site_id).order_by(model.id.desc())
        if chunk is not None:
            statement = statement.where(column.in_(chunk))
        found.update((getattr(row, column.key), row) for row in session.scalars(statement))
    return found


def _existing(
    session: Session, site_id: int, form: _Format, content: ContentFile
) -> dict[str, dict[Hashable, Any]]:
    """Each section's rows that the file names, as its entries or in references to them."""
    named: dict[str, set[str]] = defaultdict(set)
    for section in form.sections:
        if section.natural is not None:
            named[section.key].update(map(section.natural.of, content[section.key]))
        for reference in section.references:
            for other in reference.sections:
                natural = form.natural(other)
                for entry in content[section.key]:
                    named[other].update(
                        natural.normalize(value) for _, value in reference.values(entry)
                    )
    rows: dict[str, dict[Hashable, Any]] = {}
    for section in form.sections:
        key = section.natural
        rows[section.key] = (
            _by_key(session, site_id, key.column, None if key.every_row else named[section.key])
            if key is not None
            else {}
        )
    return rows


def _check_references(form: _Format, load: Load) -> list[str]:
    """References to rows neither in the file nor in the site, and the rules that need the site.

    An entry's problems come in the order of its fields and of a list's items, a reference's
    before a rule's at the same place.
    """
    known = {
        section.key: set(load.rows[section.key])
        | {section.natural.of(entry) for entry in load.content[section.key]}
        for section in form.sections
        if section.natural is not None
    }
    problems = []
    for section in form.sections:
        fields: dict[str | int, int] = {name: n for n, name in enumerate(section.spec.model_fields)}
        entries = load.content[section.key]
        own: dict[int, list[Problem]] = defaultdict(list)
        for problem in section.check_site(entries, load):
            own[problem.index].append(problem)
        for index, entry in enumerate(entries):
            found = []
            for reference in section.references:
                naturals = [(key, form.natural(key)) for key in reference.sections]
                described = reference.described or naturals[0][1].described
                for at, value in reference.values(entry):
                    if all(natural.normalize(value) not in known[key] for key, natural in naturals):
                        message = f"no {described} {value!r} in the file or the site"
                        found.append(Problem(index, message, at))
            found += own.pop(index, [])
            found.sort(key=lambda problem: _place(fields, problem))
            problems += [_problem(section.key, problem) for problem in found]
    return problems


def _place(fields: dict[str | int, int], problem: Problem) -> tuple[int, tuple[int, ...]]:
    """Where a problem comes among its entry's: by field, then by the items of a list."""
    if not problem.at:
        return -1, ()
    head, *rest = problem.at
    return fields.get(head, -1), tuple(part for part in rest if isinstance(part, int))


# --- writing --------------------------------------------------------------------------------


@dataclass
class Tally:
    """What happened to one kind of row, by natural key."""

    created: set[Any] = field(default_factory=set)
    updated: set[Any] = field(default_factory=set)
    unchanged: set[Any] = field(default_factory=set)
    deleted: int = 0

    def mark(self, key: Any, *, created: bool = False, changed: bool = False) -> None:
        if created:
            self.created.add(key)
            self.updated.discard(key)
            self.unchanged.discard(key)
        elif key in self.created:
            pass
        elif changed:
            self.updated.add(key)
            self.unchanged.discard(key)
        elif key not in self.updated:
            self.unchanged.add(key)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated) + self.deleted


@dataclass
class LoadSummary:
    site: str
    tallies: dict[str, Tally]

    @property
    def changes(self) -> int:
        return sum(tally.changes for tally in self.tallies.values())


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


class _Named(Protocol):
    @property
    def name(self) -> str: ...


Named = TypeVar("Named", bound=_Named)


class Load:
    """One load in progress, which the sections' checks and writes share.

    ``rows[section][natural key]``: the site's rows the file names, found before any write;
    the writes add the rows they create. ``tallies``: the summary, by display name. ``scope``:
    the site's unit of work, for the services a write goes through and the events it records.
    """

    def __init__(self, scope: Scope, form: _Format, content: ContentFile) -> None:
        self.scope = scope
        self.session = scope.session
        self.site = scope.site
        self.content = content
        self.now: datetime = scope.now
        self.rows = _existing(self.session, self.site.id, form, content)
        self._form = form
        self.tallies = {name: Tally() for section in form.sections for name in section.tally_names}

    def named(self, sections: Sequence[str], value: str) -> Any:
        """The row of the first of ``sections`` that ``value`` names, or None: before the
        writes, a row of the site; after a section's writes, also the rows it created."""
        for section in sections:
            row = self.rows[section].get(self._form.natural(section).normalize(value))
            if row is not None:
                return row
        return None

    def referenced(self, section: str, value: str) -> Any:
        """The row of ``section`` that a reference names (the references were checked)."""
        return self.rows[section][self._form.natural(section).normalize(value)]

    def in_site(self, section: str, values: Iterable[str]) -> set[Hashable]:
        """Which of ``values`` name rows of ``section`` in the site (normalized)."""
        natural = self._form.natural(section)
        keys = {natural.normalize(value) for value in values}
        return set(_by_key(self.session, self.site.id, natural.column, keys)) if keys else set()

    def add(self, row: Any) -> None:
        """A new row: the site's, created now, added to the session."""
        stamp(row, self.site.id, self.now)
        self.session.add(row)

    def save(
        self, row: Any, values: dict[str, Any], *, creating: bool, changed: bool = False
    ) -> bool:
        """Apply ``values``; add a new row, or touch ``updated_at`` of a changed one.

        ``changed``: the caller has already changed the row.
        """
        changed = _assign(row, values) or changed
        if creating:
            self.add(row)
        elif changed:
            row.updated_at = self.now
        return changed

    def made_at(self, natural: NaturalKey, value: str, created_at: datetime) -> Any:
        """The site's row of a ``shared`` natural key made at ``created_at`` (the lowest id)."""
        model: Any = natural.column.class_
        return self.session.scalars(
            select(model)
            .where(
                model.site_id == self.site.id,
                natural.column == value,
                model.created_at == created_at,
            )
            .order_by(model.id)
        ).first()

    def restamp(self, row: Any, times: dict[str, datetime]) -> bool:
        """Give ``row`` the times an entry gives (``Stamped.times``); say if they changed."""
        return _assign(row, times)

    def links(
        self,
        parent: Column[int],
        child: Column[int],
        parent_id: int,
        ids: Sequence[int],
        *,
        position: Column[int] | None = None,
    ) -> bool:
        """Make a link table's rows of ``parent_id`` exactly ``ids``: in that order when the
        table keeps a ``position``, as a set otherwise. Say whether they changed."""
        order = child if position is None else position
        stored = list(
            self.session.scalars(select(child).where(parent == parent_id).order_by(order))
        )
        wanted = sorted(ids) if position is None else list(ids)
        if stored == wanted:
            return False
        self.session.execute(delete(parent.table).where(parent == parent_id))
        if wanted:
            rows = [{parent.key: parent_id, child.key: id} for id in wanted]
            if position is not None:
                for number, row in enumerate(rows):
                    row[position.key] = number
            self.session.execute(insert(parent.table), rows)
        return True

    def children(
        self,
        kind: str,
        parent: InstrumentedAttribute[int],
        parent_id: int,
        specs: Sequence[Named],
        write: Callable[[Any, int, Named, bool], bool],
        *,
        key: Callable[[int], Hashable],
        before_delete: Callable[[list[int]], None] | None = None,
    ) -> bool:
        """Make a parent's ordered children exactly ``specs``, matching stored ones by name.

        ``parent`` is the children's column naming the parent; ``write(row, position, spec,
        creating)`` applies one spec and says whether the row changed; stored children no spec
        names are deleted, after ``before_delete`` of their ids. The tally ``kind`` counts them.
        """
        model: Any = parent.class_
        tally = self.tallies[kind]
        stored = list(
            self.session.scalars(
                select(model).where(parent == parent_id).order_by(model.position, model.id)
            )
        )
        changed = False
        for position, spec in enumerate(specs):
            row = next((r for r in stored if r.name == spec.name), None)
            creating = row is None
            if row is None:
                row = model(**{parent.key: parent_id})
            else:
                stored.remove(row)
            row_changed = write(row, position, spec, creating)
            tally.mark(key(position), created=creating, changed=row_changed)
            changed = changed or creating or row_changed
        if stored:
            if before_delete is not None:
                before_delete([row.id for row in stored])
            for row in stored:
                self.session.delete(row)
            tally.deleted += len(stored)
            changed = True
        return changed


def load_content(
    session: Session, site: Site, content: ContentFile, settings: Settings
) -> LoadSummary:
    """Write ``content`` into ``site`` inside the caller's transaction.

    Raises ``LoadError`` before writing anything when the file names something that exists
    neither in the file nor in the site, or breaks a rule that needs the site; and, should a
    write still be refused (``Refused``), with its problems, for the caller to roll back.
    """
    form = _format()
    load = Load(Scope.for_site(session, site, settings), form, content)
    problems = _check_references(form, load)
    if problems:
        raise LoadError(problems)
    for section, step in form.steps:
        try:
            step.run(load, content[section.key])
        except Refused as refused:
            raise LoadError([_problem(section.key, p) for p in refused.problems]) from refused
    session.flush()
    # Last, so that what the file says of a row's times wins over the writes that touched it.
    for section in form.sections:
        for spec in content[section.key]:
            if section.stamp(load, spec):
                section.tally(load).mark(section.key_of(spec), changed=True)
    session.flush()
    return LoadSummary(site.subdomain, load.tallies)
