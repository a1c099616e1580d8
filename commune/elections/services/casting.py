"""Casting in an election's ranked box, closing voting and publishing the bulletin.

The box itself (``commune.ballots``: ``RankedBox``, its register and its papers) knows nothing of the
election that owns it; the election decides who may vote (its electorate, with their weights), for whom
(its standing candidacies, whose ids the papers rank) and when, and writes the box under its own row lock.

Locking: a cast holds a *shared* lock on the election row for its transaction, so thousands of casts go
side by side; sealing takes an *exclusive* lock, so it waits for the casts in flight and every later cast
sees the election closed. (PostgreSQL: ``SELECT … FOR SHARE``, which Django's ORM cannot say. SQLite
serialises writers anyway, and the check of the status happens inside the writing transaction.)
"""

from __future__ import annotations

import functools
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commune.accounts.access import BearerToken
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.audit.verification import head_note
from commune.ballots.boxkeys import (
    RankedPaper,
    ranked_ballot_seal,
    ranked_paper_seal,
    register_pointer_open,
    register_pointer_seal,
)
from commune.ballots.models import (
    Ballot,
    BallotPaper,
    BulletinEntry,
    PaperChannel,
    PaperStatus,
    RegisterEntry,
)
from commune.ballots.services import (
    papers_cancel_for_vote_cast,
    ranked_bulletin_publish,
    ranked_register_close,
)
from commune.ballots.trackers import tracker_new
from commune.elections.access import voter_query
from commune.elections.errors import ElectionConflict, ElectionError, NotEligible
from commune.elections.models import Candidacy, CandidacyStatus, Election, ElectionStatus, Elector
from commune.federation.access import caster_token_noted_on_loop
from commune.federation.models import Member
from commune.notifications.mail import SECRET_HEADER
from commune.statements import LoopStatements, statement_cursor


@dataclass(frozen=True)
class CastReceipt:
    """What a voter is shown once: the tracker to find their ballot on the bulletin after close."""

    election_id: int
    tracker: str
    replaced_earlier_ballot: bool


_ELECTION_FIELDS = (
    "status",
    "voting_open_at",
    "voting_close_at",
    "allow_revote",
    "title",
    "organisation_id",
    "box_id",
)

#: Each election's box, as cast into before: an election's box never changes, so the one-statement cast
#: can bind its ciphertext to the box without asking first. The statement checks the pair and writes
#: nothing if it is stale (a database rebuilt under a running server), and the general path then asks.
_BOX_OF: dict[int, int] = {}


def _casting_context(election_id: int, member: Member) -> tuple[Election, int | None, set[int]]:
    """The election row (read under a shared row lock held to the end of the transaction), the member's
    weight as an elector (``None``: not one) and the standing candidates' ids.

    On PostgreSQL this is one round trip, as casting is the hottest write there is."""
    if connection.vendor == "postgresql":
        fields = ", ".join(f"e.{f}" for f in _ELECTION_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {fields}, "
                f"(SELECT weight FROM {Elector._meta.db_table} WHERE election_id = e.id AND member_id = %s), "
                f"ARRAY(SELECT id FROM {Candidacy._meta.db_table} WHERE election_id = e.id AND status = %s) "
                f"FROM {Election._meta.db_table} e WHERE e.id = %s FOR SHARE OF e",
                [member.pk, CandidacyStatus.STANDING, election_id],
            )
            row = cursor.fetchone()
        if row is None:
            raise ElectionError(_("no such election"))
        *values, weight, standing = row
        return (
            Election(id=election_id, **dict(zip(_ELECTION_FIELDS, values, strict=True))),
            weight,
            set(standing),
        )
    found = Election.objects.filter(pk=election_id).only(*_ELECTION_FIELDS).first()
    if found is None:
        raise ElectionError(_("no such election"))
    weight = (
        Elector.objects.filter(election_id=election_id, member=member)
        .values_list("weight", flat=True)
        .first()
    )
    standing = set(
        Candidacy.objects.filter(election_id=election_id, status=CandidacyStatus.STANDING).values_list(
            "id", flat=True
        )
    )
    return found, weight, standing


def _register_new(box_id: int, member: Member, pointer: bytes | None) -> bool:
    """Enter the member on the register (with the encrypted ``pointer`` to their ballot where re-voting is
    allowed); ``False`` if they already are (a concurrent first cast by the same member waits for the
    other to commit, then finds it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {RegisterEntry._meta.db_table} (box_id, member_id, current_ballot_encrypted) "
                "VALUES (%s, %s, %s) ON CONFLICT (box_id, member_id) DO NOTHING RETURNING id",
                [box_id, member.pk, pointer],
            )
            return cursor.fetchone() is not None
    try:
        with transaction.atomic():
            RegisterEntry.objects.create(box_id=box_id, member=member, current_ballot_encrypted=pointer)
    except IntegrityError:
        return False
    return True


@functools.cache
def _first_ballot_sql() -> str:
    """The SQL of ``_first_ballot_statement``, written once, with the statuses it asks for as literals (as
    ``motions.services.casting`` writes them): values bound on each cast cost that cast their dumping."""
    live = ", ".join(
        f"'{status.value}'" for status in (PaperStatus.OUT, PaperStatus.ENTERED, PaperStatus.DISPUTED)
    )
    return f"""
        WITH open_election AS (
            SELECT e.id, e.box_id, e.allow_revote, elector.weight
            FROM {Election._meta.db_table} e
            JOIN {Elector._meta.db_table} elector
                ON elector.election_id = e.id AND elector.member_id = %(member)s
            WHERE e.id = %(election)s AND e.box_id = %(box)s
                AND e.status = '{ElectionStatus.VOTING.value}' AND e.voting_close_at > %(now)s
                AND %(ranked)s = (
                    SELECT count(*) FROM {Candidacy._meta.db_table} c
                    WHERE c.election_id = e.id AND c.status = '{CandidacyStatus.STANDING.value}'
                        AND c.id = ANY(%(ranking)s)
                )
                AND NOT EXISTS (
                    SELECT 1 FROM {BallotPaper._meta.db_table} p
                    JOIN {PaperChannel._meta.db_table} pc ON pc.id = p.channel_id
                    WHERE pc.ranked_box_id = e.box_id AND p.member_id = %(member)s
                        AND p.status IN ({live})
                )
            FOR SHARE OF e
        ),
        registered AS (
            INSERT INTO {RegisterEntry._meta.db_table} (box_id, member_id, current_ballot_encrypted)
            SELECT box_id, %(member)s, CASE WHEN allow_revote THEN %(pointer)s::bytea END FROM open_election
            ON CONFLICT (box_id, member_id) DO NOTHING
            RETURNING box_id
        )
        INSERT INTO {Ballot._meta.db_table} (id, box_id, encrypted, weight)
        SELECT %(ballot)s::uuid, open_election.box_id, %(paper)s::bytea, open_election.weight
        FROM open_election JOIN registered ON registered.box_id = open_election.box_id
        RETURNING box_id
        """


def _first_ballot_statement(
    election_id: int, box_id: int, member_id: int, ranking: Sequence[int]
) -> tuple[str, dict[str, Any], str]:
    """The statement of a member's first ballot (``_cast_first_ballot_in_one_statement``, which see), its
    values, and the ballot's tracker."""
    ballot_id = uuid.uuid4()
    tracker = tracker_new()
    paper, pointer = ranked_ballot_seal(box_id, RankedPaper(tracker, list(ranking)), member_id, ballot_id)
    params = {
        "election": election_id,
        "box": box_id,
        "member": member_id,
        "now": timezone.now(),
        "ranking": list(ranking),
        "ranked": len(ranking),
        "ballot": ballot_id,
        "paper": paper,
        "pointer": pointer,
    }
    return _first_ballot_sql(), params, tracker


def _cast_first_ballot_in_one_statement(
    election_id: int, box_id: int, member: Member, ranking: Sequence[int]
) -> CastReceipt | None:
    """PostgreSQL, the common case in a single statement (one round trip, atomic on its own or part of the
    caller's transaction): take the shared lock on the election row, check that voting is open, that the
    member is an elector and that every ranked candidate is standing, enter the member on the register and
    put the ballot in the box. Precondition: ``ranking`` is non-empty without repeats.

    Returns ``None``, having written nothing, when anything is out of the ordinary — a refusal, a member
    already on the register, or one holding a paper ballot still live — and the caller takes the general
    path, which says why, replaces the earlier ballot or cancels the paper. A close that holds the exclusive lock makes this wait, then see the election no longer voting.

    The statement carries the ballot and the register's pointer to it only as ciphertext under the box
    key, so that a server logging its statements (and their parameters) logs nothing of the vote."""
    sql, params, tracker = _first_ballot_statement(election_id, box_id, member.pk, ranking)
    with statement_cursor() as cursor:
        cursor.execute(sql, params)
        boxed = cursor.fetchone() is not None
    return CastReceipt(election_id, tracker, False) if boxed else None


def _first_ballot_box(election_id: int, ranking: Sequence[int], email_receipt: bool) -> int | None:
    """The box of an election cast into before (``_BOX_OF``) if a ballot of ``ranking`` may be a first
    ballot in one statement: no receipt to email, a ranking not empty, without repeats, of ids that can
    be ids; ``None`` for the general path."""
    if (
        email_receipt
        or not ranking
        or len(set(ranking)) != len(ranking)
        or not all(isinstance(c, int) and 0 < c < 2**63 for c in ranking)
    ):
        return None
    return _BOX_OF.get(election_id)


async def ballot_cast_by_caller_on_loop(
    *,
    statements: LoopStatements,
    caller: BearerToken,
    slug: str,
    election_id: int,
    ranking: Sequence[int],
    email_receipt: bool,
) -> CastReceipt | None:
    """A member's first ballot, as the API's cast takes it on PostgreSQL (``access_voter``'s query, then
    ``_cast_first_ballot_in_one_statement``'s), run on an event loop's own PostgreSQL connections
    (``statements``) for a server answering it without handing it to a thread
    (``commune.api.casting.LoopCasts``): the same two statements, text and values, in turn. The receipt,
    the ballot recorded and committed; ``None``, having written nothing but the token's last use, for
    anything else (a caller or an election not found, a refusal, a re-vote, a receipt to email, an election
    this process has not cast into), which the general path then answers.

    A statement that fails (a connection lost) raises, and may or may not have committed: the general path,
    asked again, then finds the ballot cast, never twice."""
    box_id = _first_ballot_box(election_id, ranking, email_receipt)
    if box_id is None:
        return None
    query = voter_query(caller, slug, election_id)
    row = await statements.row(query.sql, query.params)
    if row is None or row[1] is None:  # no such caller, or the election is not the organisation's
        return None
    await caster_token_noted_on_loop(statements, caller, query, row)
    sql, params, tracker = _first_ballot_statement(election_id, box_id, row[0], ranking)
    if await statements.row(sql, params) is None:
        return None
    return CastReceipt(election_id, tracker, False)


def ranking_check(ranking: Sequence[int], standing: set[int]) -> list[int]:
    """The ranking as a list of candidacy ids, or ``ElectionError`` saying what is wrong with it."""
    if not ranking:
        raise ElectionError(_("the ballot ranks no candidate: number at least one"))
    seen: set[int] = set()
    for candidate in ranking:
        if candidate not in standing:
            raise ElectionError(
                _("candidate %(candidate)s is not standing in this election") % {"candidate": candidate}
            )
        if candidate in seen:
            raise ElectionError(
                _("candidate %(candidate)s is ranked more than once: give each a single preference")
                % {"candidate": candidate}
            )
        seen.add(candidate)
    return list(ranking)


def ballot_cast(
    *, election_id: int, member: Member, ranking: Sequence[int], email_receipt: bool = False
) -> CastReceipt:
    """Cast (or, where re-voting is allowed, replace) a member's ballot.

    Writes the register entry and the ballot in one transaction. Refuses, changing nothing: a closed or
    not-yet-open election, a member not on the electorate, an unknown or repeated candidate, and a second
    ballot where re-voting is not allowed.

    On PostgreSQL a member's first ballot takes one round trip to the database; anything else (a refusal,
    a re-vote, a receipt to email) goes through the general path below.
    """
    if (
        connection.vendor == "postgresql"
        and (box_id := _first_ballot_box(election_id, ranking, email_receipt)) is not None
        and (receipt := _cast_first_ballot_in_one_statement(election_id, box_id, member, ranking)) is not None
    ):
        return receipt
    with transaction.atomic():
        election, weight, standing = _casting_context(election_id, member)
        box_id = election.box_id
        if len(_BOX_OF) > 10_000:
            _BOX_OF.clear()
        _BOX_OF[election_id] = box_id
        now = timezone.now()
        if election.status != ElectionStatus.VOTING or now >= election.voting_close_at:
            closed = now >= election.voting_close_at or election.status in (
                ElectionStatus.COUNTING,
                ElectionStatus.DECLARED,
            )
            raise ElectionConflict(
                _("voting in this election has closed")
                if closed
                else _("voting in this election is not open")
            )
        if weight is None:
            raise NotEligible(_("you are not on the electorate of this election"))
        checked = ranking_check(ranking, standing)
        ballot_id = uuid.uuid4()
        pointer = register_pointer_seal(box_id, member.pk, ballot_id) if election.allow_revote else None
        replaced = False
        if not _register_new(box_id, member, pointer):
            if not election.allow_revote:
                raise ElectionConflict(_("you have already voted in this election"))
            entry = RegisterEntry.objects.select_for_update().get(box_id=box_id, member=member)
            if entry.current_ballot_encrypted is None:
                # On the register with no ballot to replace: their paper was counted or rejected.
                raise ElectionConflict(_("you have already voted on paper: you cannot also vote online"))
            if entry.current_ballot_encrypted is not None:
                earlier = register_pointer_open(box_id, member.pk, entry.current_ballot_encrypted)
                Ballot.objects.filter(pk=earlier).delete()
            entry.current_ballot_encrypted = pointer
            entry.save(update_fields=["current_ballot_encrypted"])
            replaced = True
        tracker = tracker_new()
        Ballot.objects.create(
            id=ballot_id,
            box_id=box_id,
            encrypted=ranked_paper_seal(box_id, RankedPaper(tracker, checked)),
            weight=weight,
        )
        # One vote per member across channels: a paper of theirs still out is cancelled.
        papers_cancel_for_vote_cast(box_id=box_id, member=member, ranked=True)
        if email_receipt:
            address, title, org_id = member.person.email, election.title, election.organisation_id
            # In the language of the page the voter cast from.
            language = translation.get_language() or settings.LANGUAGE_CODE
            transaction.on_commit(lambda: _receipt_email(address, title, tracker, org_id, language))
    return CastReceipt(election_id, tracker, replaced)


def _receipt_email(address: str, title: str, tracker: str, organisation_id: int, language: str) -> None:
    """Mail the tracker to the voter, marked secret: the console backend the server uses when it has no
    mail server (``commune.notifications.mail``) prints that a receipt went, never what it says."""
    with translation.override(language):
        subject = _("Your ballot tracker: %(title)s") % {"title": title}
        body = "\n\n".join(
            [
                _("Your ballot in %(title)s was recorded.") % {"title": title},
                _("Tracker: %(tracker)s") % {"tracker": tracker},
                _(
                    "After voting closes, look this tracker up on the election's bulletin to see your ballot "
                    "exactly as it was counted. Nobody else can tell which ballot is yours unless you show them "
                    "this tracker."
                ),
                head_note(organisation_id=organisation_id),
            ]
        )
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={SECRET_HEADER: "ballot receipt"},
    ).send(fail_silently=True)


def box_seal(*, election_id: int, actor: Actor = SYSTEM) -> Election | None:
    """Close voting: wait for the casts in flight, refuse all later ones, and wipe the register's encrypted
    pointers to ballots. Returns ``None`` if it was not open. (The box key, without which nothing written
    while voting was open can be read, is destroyed once the bulletin is published.)"""
    with transaction.atomic():
        election = (
            Election.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=election_id)
        )
        if election.status != ElectionStatus.VOTING:
            return None
        election.status = ElectionStatus.COUNTING
        election.tie_seed = secrets.randbits(48)
        election.save(update_fields=["status", "tie_seed"])
        turnout = ranked_register_close(box_id=election.box_id)
        log_entry_record(
            organisation=election.organisation,
            action="election.voting_closed",
            body_id=election.body_id,
            actor=actor,
            summary=f"Voting closed in {election.title}: {turnout} of {election.electorate_size} electors voted",
            payload={"election": election.pk, "voted": turnout, "electorate": election.electorate_size},
        )
    return election


@transaction.atomic
def bulletin_publish(*, election: Election) -> tuple[list[BulletinEntry], str]:
    """Move the sealed box into the published bulletin: decrypted, shuffled with the operating system's
    CSPRNG, rewritten in plain with fresh random ids in this one transaction, the encrypted originals
    deleted and, once it commits, the box key destroyed. Returns the entries in bulletin order (by
    tracker) and their Merkle root. Call on a sealed (counting) election."""
    locked = Election.objects.select_for_update(of=("self",)).get(pk=election.pk)
    if locked.status != ElectionStatus.COUNTING:
        raise ElectionConflict(_("the bulletin is published only once voting has closed"))
    return ranked_bulletin_publish(box_id=locked.box_id)
