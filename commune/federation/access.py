"""Permission-checked fetches. Missing and forbidden raise the same ``NotFound``, so nothing leaks."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from commune.accounts.access import BearerToken
from commune.accounts.models import User
from commune.accounts.services import (
    api_token_touch_sql,
    caller_found,
    caller_not_found,
    caller_sql,
    caller_token_due,
)
from commune.federation.errors import NotFound as NotFound  # raised here, and imported from here
from commune.federation.models import Body, Member, OfficeTerm, Organisation
from commune.rows import row_columns, row_instance
from commune.statements import LoopStatements, statement_cursor

logger = logging.getLogger(__name__)


def _member(user: User, organisation_id: int, electorate: QuerySet[Any] | None = None) -> Member | None:
    if not user.is_authenticated:
        return None
    admitted = Q(current_unit__isnull=False)
    if electorate is not None:
        admitted |= Q(pk__in=electorate)
    return (
        Member.objects.select_related("current_unit")
        .filter(admitted, person=user, organisation_id=organisation_id)
        .first()
    )


def access_organisation(
    user: User, slug: str, *, electorate: QuerySet[Any] | None = None
) -> tuple[Organisation, Member]:
    """An organisation the user is a current member of, with their membership.

    ``electorate`` (the member ids of a process's electorate, fixed when it opened: a vote's, a
    petition's, a call-in's) also admits an elector of that process whose membership has ended since: the
    right to take part was fixed with the electorate, and that process alone decides who takes part."""
    org = Organisation.objects.filter(slug=slug).first()
    member = _member(user, org.pk, electorate) if org else None
    if org is None or member is None:
        raise NotFound(_("no such organisation"))
    return org, member


@dataclass(frozen=True)
class CasterQuery:
    """``access_caster``'s query, to run alone or inside a statement that also casts
    (``commune.motions.services.casting``, ``commune.elections.services.casting``): its SQL and values, and
    where its row's parts begin. Its first columns are ``caster_member`` (the membership's id) and
    ``caster_owner`` (the process's id, ``NULL`` if the organisation has no such process), named so that a
    statement holding it as a CTE can join on them."""

    sql: str
    params: dict[str, Any]
    owner_columns: int
    extra: bool


@functools.lru_cache(maxsize=64)
def _caster_sql(
    member_columns: str,
    caller_columns: str,
    caller_joins: str,
    caller_where: str,
    owner_table: str,
    owner_columns: tuple[str, ...],
    electorate_table: str,
    electorate_owner: str,
    extra: str,
) -> str:
    """``caster_query``'s text, written once for each kind of caller and process: every cast asks."""
    selected = ", ".join([*(f"x.{column}" for column in owner_columns), *([f"({extra})"] if extra else [])])
    return (
        f"SELECT m.id AS caster_member, x.id AS caster_owner, {member_columns}, {selected}{caller_columns} "
        f"FROM {Member._meta.db_table} m JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id"
        f"{caller_joins} LEFT JOIN {owner_table} x "
        "ON x.id = %(owner)s AND x.organisation_id = m.organisation_id "
        f"WHERE o.slug = %(slug)s AND {caller_where} AND (m.current_unit_id IS NOT NULL OR EXISTS "
        f"(SELECT 1 FROM {electorate_table} e WHERE e.{electorate_owner} = %(owner)s AND e.member_id = m.id))"
    )


def caster_query(
    caller: User | BearerToken,
    slug: str,
    *,
    owner_table: str,
    owner_id: int,
    owner_columns: Sequence[str] = ("id",),
    electorate_table: str,
    electorate_owner: str,
    extra: str = "",
) -> CasterQuery:
    """The query of ``access_caster`` (which see), written out: compiling the ORM query cost more than
    running it."""
    who = caller_sql(caller, "m.person_id")
    return CasterQuery(
        sql=_caster_sql(
            row_columns(Member, "m"),
            who.columns,
            who.joins,
            who.where,
            owner_table,
            tuple(owner_columns),
            electorate_table,
            electorate_owner,
            extra,
        ),
        params={"owner": owner_id, "slug": slug, **who.params},
        owner_columns=len(owner_columns),
        extra=bool(extra),
    )


def caster_of_row(
    caller: User | BearerToken, query: CasterQuery, row: Sequence[Any]
) -> tuple[Member, tuple[Any, ...]]:
    """The member (its ``person`` the caller, a token's last use noted) and the process's columns from
    the row ``query`` found."""
    owner_at = 2 + len(Member._meta.concrete_fields)
    caller_at = _caller_at(query)
    member = row_instance(Member, row, 2)
    member.person = caller_found(caller, row, caller_at)
    return member, tuple(row[owner_at:caller_at])


def _caller_at(query: CasterQuery) -> int:
    return 2 + len(Member._meta.concrete_fields) + query.owner_columns + (1 if query.extra else 0)


def caster_token_due(caller: User | BearerToken, query: CasterQuery, row: Sequence[Any]) -> int | None:
    """What ``caster_of_row`` notes of the row ``query`` found without building anything from it: the id
    of the caller's bearer token if its last use is due to be noted (``caller_token_due``), else ``None``."""
    return caller_token_due(caller, row, _caller_at(query))


async def caster_token_noted_on_loop(
    statements: LoopStatements, caller: User | BearerToken, query: CasterQuery, row: Sequence[Any]
) -> None:
    """What ``caster_of_row`` notes of a row ``query`` found on an event loop's connections
    (``statements``): the token's last use, if due, on the same connections. A failure is only logged: the
    cast stands, and the use is noted on the token's next cast."""
    token_id = caster_token_due(caller, query, row)
    if token_id is None:
        return
    try:
        await statements.row(*api_token_touch_sql(token_id=token_id))
    except Exception:
        logger.warning("the last use of API token %s was not noted", token_id, exc_info=True)


def access_caster(
    caller: User | BearerToken,
    slug: str,
    *,
    owner_table: str,
    owner_id: int,
    owner_columns: Sequence[str] = ("id",),
    electorate_table: str,
    electorate_owner: str,
    extra: str = "",
) -> tuple[Member, tuple[Any, ...]]:
    """The caller's membership of the organisation ``slug`` to cast in one of its processes (a vote, an
    election): ``access_organisation`` (with the process's ``electorate``) and the process's own access in
    one round trip, the busiest request there is, which also checks a bearer token the endpoint left
    unchecked (``TokenRefused``).

    The membership is a current one, or one that has ended since the process opened if it is on its
    electorate (``electorate_table``, whose ``electorate_owner`` column holds ``owner_id``). The process is
    the row ``owner_id`` of ``owner_table`` if it is one of the organisation's; its ``owner_columns``
    (``id`` first), then the SQL expression ``extra`` if given (on the process's row as ``x``), come back
    as the second value: all ``None`` when the organisation has no such process, for the caller to say so.
    ``NotFound("no such organisation")`` as ``access_organisation``; the member's ``person`` is the caller.
    """
    query = caster_query(
        caller,
        slug,
        owner_table=owner_table,
        owner_id=owner_id,
        owner_columns=owner_columns,
        electorate_table=electorate_table,
        electorate_owner=electorate_owner,
        extra=extra,
    )
    with statement_cursor() as cursor:
        cursor.execute(query.sql, query.params)
        row = cursor.fetchone()
    if row is None:
        person = caller_not_found(caller)
        if person is not caller:
            return access_caster(
                person,
                slug,
                owner_table=owner_table,
                owner_id=owner_id,
                owner_columns=owner_columns,
                electorate_table=electorate_table,
                electorate_owner=electorate_owner,
                extra=extra,
            )
        raise NotFound(_("no such organisation"))
    return caster_of_row(caller, query, row)


def access_body(user: User, organisation: Organisation, code: str) -> Body:
    body = Body.objects.filter(organisation=organisation, code=code.upper()).select_related("parent").first()
    if body is None:
        raise NotFound(_("no such body"))
    return body


def can_manage_roll(user: User, unit: Body) -> bool:
    """Only an elected officer of the unit whose office manages the roll may import it."""
    if not user.is_authenticated or not unit.is_unit:
        return False
    return Member.objects.filter(
        Q(
            office_terms__office__body=unit,
            office_terms__office__manages_roll=True,
            office_terms__ended_at__isnull=True,
        ),
        person=user,
        organisation_id=unit.organisation_id,
        current_unit__isnull=False,
    ).exists()


def member_manages_roll(*, member: Member, unit: Body) -> bool:
    """The member is a current member holding an office of ``unit`` that manages its roll."""
    return (
        member.current_unit_id is not None
        and OfficeTerm.objects.filter(
            member=member, office__body=unit, office__manages_roll=True, ended_at__isnull=True
        ).exists()
    )


def access_unit_roll(user: User, organisation: Organisation, code: str) -> Body:
    body = access_body(user, organisation, code)
    if not can_manage_roll(user, body):
        raise NotFound(_("no such body"))
    return body
