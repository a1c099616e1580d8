"""Casting members' votes in an assembly's or the membership's vote (see ``votes``): on PostgreSQL a cast that
is allowed is one statement, with the caller's access too once the vote's shape is known; anything else takes
the general path, which says why."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.accounts.access import BearerToken
from commune.accounts.models import User
from commune.ballots.boxkeys import yes_no_paper_seal
from commune.ballots.models import (
    BallotPaper,
    PaperQuestion,
    PaperStatus,
    YesNoEncryptedPaper,
    YesNoRegisterEntry,
)
from commune.ballots.services import yes_no_cast
from commune.federation.access import CasterQuery, caster_of_row, caster_query, caster_token_noted_on_loop
from commune.federation.models import Member
from commune.motions.bars import vote_bars_check, vote_bars_may_apply_sql
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import (
    Choice,
    OpenChoice,
    Vote,
    VoteElector,
    VoteMode,
)
from commune.motions.services.live import vote_cast_publish
from commune.statements import LoopStatements, statement_cursor


def _open_for_casting(vote_id: int) -> Vote:
    vote = Vote.objects.select_for_update().get(pk=vote_id)
    if vote.closed_at is not None or timezone.now() >= vote.closes_at:
        raise MotionConflict(_("this vote has closed"))
    return vote


def _no_live_paper(member: str) -> str:
    """In a secret vote, the fast path is only for a member (the SQL ``member``) with no paper of theirs live
    on the box's paper channel: one who has (issued, or returned and awaiting the tellers) takes the general
    path, which cancels it (``yes_no_cast``), so that a vote is never counted both online and on paper."""
    return f"""AND v.box_id = %(box)s
                AND NOT EXISTS (
                    SELECT 1 FROM {BallotPaper._meta.db_table} p
                    JOIN {PaperQuestion._meta.db_table} q ON q.channel_id = p.channel_id
                    WHERE q.box_id = v.box_id AND p.member_id = {member}
                        AND p.status IN ('{PaperStatus.OUT}', '{PaperStatus.ENTERED}', '{PaperStatus.DISPUTED}')
                )"""


#: The choices a vote takes (``Choice.values`` builds its list on every call, and every cast asks).
_CHOICES = frozenset(Choice.values)


@functools.lru_cache(maxsize=64)
def _cast_statement(mode: str, member: str, caster: str = "", bars: str = "") -> str:
    """The SQL of a member's cast in one statement (``_cast_in_one_statement``), the member's id being
    the SQL ``member``; written once for each set of arguments, as every cast asks. ``caster``, if given,
    is ``access_caster``'s query: the statement then holds it as the CTE ``caster``, casts only for the
    member it finds, in a vote of that organisation on which the SQL condition ``bars`` (whether any
    installed bar can apply to the vote's motion, ``vote_bars_may_apply_sql``) is false, and answers the
    caster's row (``vote_cast_by_caller``)."""
    joined = f" JOIN caster ON caster.caster_owner = v.id AND NOT ({bars})" if caster else ""
    steps = [
        f"""open_vote AS (
            SELECT v.id, v.box_id, {member} AS member_id FROM {Vote._meta.db_table} v{joined}
            WHERE v.id = %(vote)s AND v.mode = %(mode)s AND v.closed_at IS NULL AND v.closes_at > %(now)s
                {_no_live_paper(member) if mode == VoteMode.SECRET else ""}
                AND EXISTS (
                    SELECT 1 FROM {VoteElector._meta.db_table} e WHERE e.vote_id = v.id AND e.member_id = {member}
                )
            FOR SHARE OF v
        )"""
    ]
    if mode == VoteMode.SECRET:
        # The paper carries no member and the register no choice: nothing in the statement links them
        # but this transaction, and its parameters hold the choice only as ciphertext.
        steps.append(
            f"""registered AS (
            INSERT INTO {YesNoRegisterEntry._meta.db_table} (box_id, member_id)
            SELECT box_id, member_id FROM open_vote
            ON CONFLICT (box_id, member_id) DO NOTHING
            RETURNING box_id
        )"""
        )
        recorded = f"""INSERT INTO {YesNoEncryptedPaper._meta.db_table} (id, box_id, encrypted)
        SELECT %(paper_id)s::uuid, box_id, %(paper)s::bytea FROM registered
        RETURNING box_id"""
    else:
        recorded = f"""INSERT INTO {OpenChoice._meta.db_table} (vote_id, member_id, choice, cast_at)
        SELECT id, member_id, %(choice)s, %(now)s FROM open_vote
        ON CONFLICT (vote_id, member_id) DO NOTHING
        RETURNING vote_id"""
    if caster:
        steps = [f"caster AS ({caster})", *steps, f"recorded AS ({recorded})"]
        return f"WITH {', '.join(steps)} SELECT caster.* FROM caster JOIN recorded ON TRUE"
    return f"WITH {', '.join(steps)} {recorded}"


def _cast_params(vote_id: int, mode: str, box_id: int | None, choice: str) -> dict[str, Any]:
    params: dict[str, Any] = {"vote": vote_id, "mode": mode, "now": timezone.now()}
    if mode == VoteMode.SECRET:
        assert box_id is not None
        params.update(box=box_id, paper_id=uuid.uuid4(), paper=yes_no_paper_seal(box_id, choice))
    else:
        params["choice"] = choice
    return params


def _cast_in_one_statement(vote: Vote, member: Member, choice: str) -> bool:
    """PostgreSQL, the common case in a single statement (one round trip, atomic on its own): take a
    *shared* lock on the vote row, check that it is still open, of the mode the caller saw, and that the
    member is on its electorate; then, in a secret vote, enter the member on the box's register and put the
    paper (encrypted under the box key) in the box only if the register row went in; in an open vote,
    record the choice. Thousands of casts go side by side; the close takes the row's exclusive lock, so it
    waits for those in flight and every later one finds the vote closed.

    ``False``, having written nothing, when anything is out of the ordinary (closed, not an elector, a
    second vote): the caller then takes the general path, which says why. Precondition: the installed bars
    have been checked, and ``choice`` is one of ``Choice``."""
    params = _cast_params(vote.pk, vote.mode, vote.box_id, choice)
    params["member"] = member.pk
    with statement_cursor() as cursor:
        cursor.execute(_cast_statement(vote.mode, "%(member)s"), params)
        recorded = cursor.fetchone() is not None
    _remember_shape(vote)
    return recorded


#: Each vote's mode and box as cast into before. Neither changes once a vote is open; the one-statement
#: cast by a caller (``vote_cast_by_caller``) checks both and writes nothing if they are stale (a database
#: rebuilt under a running server), and the general path then asks.
_SHAPE_OF: dict[int, tuple[str, int | None]] = {}
_SHAPE_FIELDS = ("id", "mode", "box_id")


def _remember_shape(vote: Vote) -> None:
    if len(_SHAPE_OF) > 10_000:
        _SHAPE_OF.clear()
    _SHAPE_OF[vote.pk] = (vote.mode, vote.box_id)


@dataclass(frozen=True)
class CallerCast:
    """The one statement of a member's vote with the caller's access (``vote_cast_by_caller``): its SQL and
    values, the caller's query within it, and the vote's mode and box it checks."""

    sql: str
    params: dict[str, Any]
    query: CasterQuery
    mode: str
    box_id: int | None


def _caller_cast(caller: User | BearerToken, slug: str, vote_id: int, choice: str) -> CallerCast | None:
    """The statement casting ``choice`` for ``caller`` in the vote ``vote_id`` of the organisation ``slug``,
    or ``None`` while this process has seen no cast into that vote, or for a choice not one of ``Choice``."""
    shape = _SHAPE_OF.get(vote_id)
    if shape is None or choice not in _CHOICES:
        return None
    mode, box_id = shape
    query = caster_query(
        caller,
        slug,
        owner_table=Vote._meta.db_table,
        owner_id=vote_id,
        electorate_table=VoteElector._meta.db_table,
        electorate_owner="vote_id",
    )
    return CallerCast(
        sql=_cast_statement(mode, "caster.caster_member", query.sql, vote_bars_may_apply_sql("v.motion_id")),
        params={**query.params, **_cast_params(vote_id, mode, box_id, choice)},
        query=query,
        mode=mode,
        box_id=box_id,
    )


def _cast_vote(cast: CallerCast, vote_id: int) -> Vote:
    """The vote a one-statement cast went into, built from the fields known (any other is read if asked):
    ``Vote(...)`` computes every field's default."""
    return Vote.from_db(DEFAULT_DB_ALIAS, _SHAPE_FIELDS, (vote_id, cast.mode, cast.box_id))


def vote_cast_by_caller(
    *, caller: User | BearerToken, slug: str, vote_id: int, choice: str
) -> tuple[Vote, Member] | None:
    """PostgreSQL: the caller's access to cast (``access_vote_caster``) and their vote (``vote_cast`` in
    an assembly's open or secret vote) in one statement, once a cast into the vote has been seen: the vote,
    holding only its id, mode and box, and the member, its ``person`` the caller.

    ``None``, having written nothing, for anything else (a caller or token not found, a vote not open or
    not the organisation's, one on which an installed bar may apply, not an elector, a second vote, a
    paper still live, a choice not one of ``Choice``, SQLite): the caller then takes the general path,
    which says why."""
    if connection.vendor != "postgresql" or (cast := _caller_cast(caller, slug, vote_id, choice)) is None:
        return None
    with statement_cursor() as cursor:
        cursor.execute(cast.sql, cast.params)
        row = cursor.fetchone()
    if row is None:
        return None
    member, _owner = caster_of_row(caller, cast.query, row)
    vote_cast_publish(vote_id)
    return _cast_vote(cast, vote_id), member


async def vote_cast_by_caller_on_loop(
    *, statements: LoopStatements, caller: BearerToken, slug: str, vote_id: int, choice: str
) -> CallerCast | None:
    """``vote_cast_by_caller``'s statement, the same text and values, run on an event loop's own
    PostgreSQL connection (``statements``), for a server answering a vote without handing it to a thread
    (``commune.api.casting.LoopCasts``): the cast (with the vote's mode and box; no ``Vote`` is built, as
    nothing more of it is read), once recorded and committed, its turnout offered to the live pages as the
    general path does; ``None``, having written nothing, for anything else, which the general path then
    answers.

    A statement that fails (a connection lost) raises, and may or may not have committed: the general path,
    asked again, then records the vote or finds it cast (a second vote, refused), never twice. The token's
    last use is noted as ``caster_of_row`` notes it, on the same connection; nothing else is read of the
    row."""
    cast = _caller_cast(caller, slug, vote_id, choice)
    if cast is None:
        return None
    row = await statements.row(cast.sql, cast.params)
    if row is None:
        return None
    await caster_token_noted_on_loop(statements, caller, cast.query, row)
    vote_cast_publish(vote_id, committed=True)
    return cast


def assembly_vote_cast(*, vote: Vote, member: Member, choice: str) -> None:
    """A member's vote in an assembly vote or a referendum. In an open vote the choice is on the record;
    in a secret one the register notes that the member voted and the box receives the choice, with
    nothing linking them. One vote each, final once cast.

    On PostgreSQL a cast that is allowed takes one statement after the bars'
    check (``_cast_in_one_statement``); a refusal, and every cast on SQLite, takes the general path."""
    if choice not in _CHOICES:
        raise MotionError(_("vote yes, no or abstain, not %(choice)r") % {"choice": choice})
    if connection.vendor == "postgresql" and vote.mode in (VoteMode.SECRET, VoteMode.OPEN):
        vote_bars_check(vote=vote, member=member)
        if _cast_in_one_statement(vote, member, choice):
            vote_cast_publish(vote.pk)
            return
    with transaction.atomic():
        vote = _open_for_casting(vote.pk)
        if vote.mode == VoteMode.COUNCIL:
            raise NotEntitled(_("in a council only the seats on the roll vote, on the record"))
        if not VoteElector.objects.filter(vote=vote, member=member).exists():
            raise NotEntitled(_("you are not entitled to vote on this question"))
        vote_bars_check(vote=vote, member=member)
        if vote.mode == VoteMode.SECRET:
            assert vote.box_id is not None
            if not yes_no_cast(box_id=vote.box_id, member=member, choice=choice):
                raise MotionConflict(_("you have already voted on this question"))
            vote_cast_publish(vote.pk)
            return
        try:
            with transaction.atomic():
                OpenChoice.objects.create(vote=vote, member=member, choice=choice, cast_at=timezone.now())
        except IntegrityError as exc:
            raise MotionConflict(_("you have already voted on this question")) from exc
        vote_cast_publish(vote.pk)
