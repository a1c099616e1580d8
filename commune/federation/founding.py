"""Founding an organisation from a description: a JSON document naming the organisation, the changes it
makes to the default constitution, and its tree of councils and units with their offices.

The description is checked as a whole first, and every problem is reported with its JSON path
(``top.children[1].members_per_seat``), so a founding committee can fix the file in one pass. Then the
organisation is founded through the ordinary services in one transaction — founding, constitution, each
body, each office, and an apportionment of every council's seats — so each step is in the provenance log.
See ``docs/founding.md`` for the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from pydantic import ValidationError

from commune.audit.services import SYSTEM, Actor
from commune.errors import DomainError
from commune.federation.constitution import DEFAULT_RULES, Rules
from commune.federation.currency import CURRENCIES, DEFAULT_CURRENCY
from commune.federation.models import Body, BodyKind, Organisation
from commune.federation.services import (
    body_create,
    council_apportion,
    office_create,
    organisation_found,
)

TOP_KEYS = {"organisation", "constitution", "top"}
ORGANISATION_KEYS = {"name", "slug", "currency"}
BODY_KEYS = {
    "code",
    "name",
    "kind",
    "unit_type",
    "seats_fixed",
    "members_per_seat",
    "offices",
    "children",
}
OFFICE_KEYS = {"title", "manages_roll"}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
FOUNDING_REASON = "founding"


@dataclass(frozen=True)
class FoundingProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class FoundingError(DomainError, ValueError):
    """The description cannot be founded; ``problems`` lists every reason with its JSON path."""

    def __init__(self, problems: list[FoundingProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class FoundingReport:
    organisation: Organisation
    councils: list[Body] = field(default_factory=list)
    units: list[Body] = field(default_factory=list)
    offices: int = 0
    seats: dict[str, int] = field(default_factory=dict)  # council code -> seats apportioned


def _merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The default rules with the description's changes laid over them, section by section."""
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _unknown_keys(value: Mapping[str, Any], allowed: set[str], path: str) -> Iterator[FoundingProblem]:
    for key in value:
        if key not in allowed:
            yield FoundingProblem(
                f"{path}.{key}", f"unknown field (expected one of: {', '.join(sorted(allowed))})"
            )


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _check_text(
    value: Any, path: str, *, max_length: int, required: bool = True
) -> Iterator[FoundingProblem]:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        yield FoundingProblem(path, "must be a non-empty text")
    elif len(value) > max_length:
        yield FoundingProblem(path, f"must be at most {max_length} characters")


def _body_kind(spec: Mapping[str, Any]) -> str:
    """A body is a council if it says so or has bodies below it; otherwise a unit."""
    kind = spec.get("kind")
    if kind in (BodyKind.COUNCIL, BodyKind.UNIT):
        return str(kind)
    return BodyKind.COUNCIL if spec.get("children") else BodyKind.UNIT


def _check_body(spec: Any, path: str, codes: dict[str, str]) -> Iterator[FoundingProblem]:
    if not isinstance(spec, Mapping):
        yield FoundingProblem(path, "must be an object describing a council or unit")
        return
    yield from _unknown_keys(spec, BODY_KEYS, path)
    code = spec.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        yield FoundingProblem(f"{path}.code", "must be 1–40 letters, digits, hyphens or underscores")
    elif (first := codes.setdefault(code.upper(), path)) != path:
        yield FoundingProblem(f"{path}.code", f"{code.upper()} is already the code of {first}")
    yield from _check_text(spec.get("name"), f"{path}.name", max_length=200)
    kind = spec.get("kind")
    if kind is not None and kind not in (BodyKind.COUNCIL, BodyKind.UNIT):
        yield FoundingProblem(f"{path}.kind", 'must be "council" or "unit"')
        return
    kind = _body_kind(spec)
    sizing = [k for k in ("seats_fixed", "members_per_seat") if spec.get(k) is not None]
    for key in sizing:
        if not _is_count(spec[key]):
            yield FoundingProblem(f"{path}.{key}", "must be a whole number of at least 1")
    children = spec.get("children")
    if kind == BodyKind.COUNCIL:
        if len(sizing) != 1:
            yield FoundingProblem(
                path,
                "a council is sized by exactly one of seats_fixed (a fixed number of seats) or "
                "members_per_seat (one seat per so many members)",
            )
        if not isinstance(children, list) or not children:
            yield FoundingProblem(
                f"{path}.children", "a council needs at least one body below it to send it delegates"
            )
        if spec.get("unit_type") is not None:
            yield FoundingProblem(f"{path}.unit_type", "only units have a unit type")
    else:
        if sizing:
            yield FoundingProblem(
                f"{path}.{sizing[0]}", "a unit is a general assembly of all its members; it has no seats"
            )
        if children:
            yield FoundingProblem(f"{path}.children", 'only councils have bodies below them (kind is "unit")')
        yield from _check_text(spec.get("unit_type"), f"{path}.unit_type", max_length=40, required=False)
    offices = spec.get("offices", [])
    if not isinstance(offices, list):
        yield FoundingProblem(f"{path}.offices", "must be a list of offices")
    else:
        titles: dict[str, int] = {}
        for i, office in enumerate(offices):
            office_path = f"{path}.offices[{i}]"
            if not isinstance(office, Mapping):
                yield FoundingProblem(office_path, 'must be an object such as {"title": "Secretary"}')
                continue
            yield from _unknown_keys(office, OFFICE_KEYS, office_path)
            title = office.get("title")
            yield from _check_text(title, f"{office_path}.title", max_length=120)
            if isinstance(title, str) and (first_i := titles.setdefault(title.strip().lower(), i)) != i:
                yield FoundingProblem(f"{office_path}.title", f"{title!r} is also offices[{first_i}]")
            if not isinstance(office.get("manages_roll", False), bool):
                yield FoundingProblem(f"{office_path}.manages_roll", "must be true or false")
            elif office.get("manages_roll") and kind != BodyKind.UNIT:
                yield FoundingProblem(
                    f"{office_path}.manages_roll", "only a unit's officers keep a member roll"
                )
    if isinstance(children, list):
        for i, child in enumerate(children):
            yield from _check_body(child, f"{path}.children[{i}]", codes)
    elif children is not None:
        yield FoundingProblem(f"{path}.children", "must be a list of bodies")


def founding_check(description: Any) -> list[FoundingProblem]:
    """Every problem with a description, each with its JSON path; empty when it can be founded."""
    if not isinstance(description, Mapping):
        return [FoundingProblem("$", "the description must be a JSON object")]
    problems = list(_unknown_keys(description, TOP_KEYS, "$"))
    org = description.get("organisation")
    if not isinstance(org, Mapping):
        problems.append(FoundingProblem("organisation", 'must be an object such as {"name": "..."}'))
    else:
        problems += _unknown_keys(org, ORGANISATION_KEYS, "organisation")
        problems += _check_text(org.get("name"), "organisation.name", max_length=200)
        slug = org.get("slug")
        if slug is None and isinstance(org.get("name"), str):
            slug = slugify(org["name"])
        if not isinstance(slug, str) or not slug or slug != slugify(slug) or len(slug) > 80:
            problems.append(
                FoundingProblem(
                    "organisation.slug", "must be lower-case letters, digits and hyphens (at most 80)"
                )
            )
        elif Organisation.objects.filter(slug=slug).exists():
            problems.append(FoundingProblem("organisation.slug", f"an organisation {slug!r} already exists"))
        currency = org.get("currency", DEFAULT_CURRENCY)
        if not isinstance(currency, str) or currency not in CURRENCIES:
            problems.append(
                FoundingProblem(
                    "organisation.currency", "must be an ISO 4217 currency code such as GBP or EUR"
                )
            )
    constitution = description.get("constitution", {})
    if not isinstance(constitution, Mapping):
        problems.append(FoundingProblem("constitution", "must be an object of changes to the default rules"))
    else:
        try:
            Rules.model_validate(_merge(DEFAULT_RULES, constitution))
        except ValidationError as exc:
            for err in exc.errors():
                path = ".".join(["constitution", *(str(p) for p in err["loc"])])
                problems.append(FoundingProblem(path, str(err["msg"])))
    if "top" not in description:
        problems.append(
            FoundingProblem("top", "the description needs a top council (the body all others are under)")
        )
    else:
        problems += _check_body(description["top"], "top", {})
        if isinstance(description["top"], Mapping) and _body_kind(description["top"]) != BodyKind.COUNCIL:
            problems.append(FoundingProblem("top", "the top body must be a council with bodies below it"))
    return problems


def _create(
    spec: Mapping[str, Any],
    organisation: Organisation,
    parent: Body | None,
    actor: Actor,
    report: FoundingReport,
) -> Body:
    kind = _body_kind(spec)
    body = body_create(
        organisation=organisation,
        kind=kind,
        code=spec["code"],
        name=spec["name"].strip(),
        parent=parent,
        unit_type=(spec.get("unit_type") or "").strip(),
        seats_fixed=spec.get("seats_fixed"),
        members_per_seat=spec.get("members_per_seat"),
        actor=actor,
    )
    (report.councils if kind == BodyKind.COUNCIL else report.units).append(body)
    for office in spec.get("offices", []):
        office_create(
            body=body,
            title=office["title"].strip(),
            manages_roll=bool(office.get("manages_roll")),
            actor=actor,
        )
        report.offices += 1
    for child in spec.get("children") or []:
        _create(child, organisation, body, actor, report)
    return body


@transaction.atomic
def organisation_found_from_description(*, description: Any, actor: Actor = SYSTEM) -> FoundingReport:
    """Found the organisation a description describes, or raise ``FoundingError`` listing every problem."""
    problems = founding_check(description)
    if problems:
        raise FoundingError(problems)
    org_spec = description["organisation"]
    organisation = organisation_found(
        name=org_spec["name"].strip(),
        slug=org_spec.get("slug") or "",
        currency=org_spec.get("currency", DEFAULT_CURRENCY),
        rules=_merge(DEFAULT_RULES, description.get("constitution", {})),
        actor=actor,
    )
    report = FoundingReport(organisation=organisation)
    _create(description["top"], organisation, None, actor, report)
    # Deepest councils first, so each apportionment reads the bodies below it as they now stand.
    for council in sorted(report.councils, key=lambda c: -c.depth):
        apportionment = council_apportion(council=council, reason=FOUNDING_REASON, actor=actor)
        report.seats[council.code] = apportionment.total_seats
    return report
