"""Permission-checked fetches. Every current member of an organisation may read its motions, votes,
sessions and referrals (councils vote on the record); anything of another organisation, or missing,
raises the same ``NotFound``. What a person may *do* is checked by the services."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commune.accounts.access import BearerToken
from commune.accounts.models import User
from commune.accounts.services import caller_found, caller_not_found, caller_sql
from commune.federation.access import NotFound, access_organisation
from commune.federation.models import Member, Organisation
from commune.motions.bars import BARS_CLEAR, vote_bars_may_apply_sql
from commune.motions.models import (
    Amendment,
    CouncilSession,
    Motion,
    Referral,
    StatutoryBallot,
    Vote,
    VoteElector,
)
from commune.rows import row_columns, row_instance


def vote_electors(*, vote_id: int, **_: Any) -> QuerySet[Any]:
    """The member ids of an assembly vote's or a referendum's electorate, fixed when it opened; one whose
    membership has ended since still votes (``access_organisation``'s ``electorate``). A council's vote
    has none: its seats on the roll vote."""
    return VoteElector.objects.filter(vote_id=vote_id).values("member_id")


def access_motion(user: User, organisation: Organisation, motion_id: int) -> Motion:
    motion = (
        Motion.objects.select_related("body__organisation")
        .filter(pk=motion_id, organisation=organisation)
        .first()
    )
    if motion is None:
        raise NotFound(_("no such motion"))
    return motion


def access_amendment(user: User, motion: Motion, amendment_id: int) -> Amendment:
    amendment = Amendment.objects.filter(pk=amendment_id, motion=motion).first()
    if amendment is None:
        raise NotFound(_("no such amendment"))
    return amendment


def access_vote(user: User, organisation: Organisation, vote_id: int) -> Vote:
    vote = Vote.objects.select_related("body", "motion").filter(pk=vote_id, organisation=organisation).first()
    if vote is None:
        raise NotFound(_("no such vote"))
    return vote


#: The vote's fields a cast needs before its own statement; any other is read if asked for.
_CASTING_FIELDS = ("id", "organisation_id", "motion_id", "mode", "box_id")


def access_vote_caster(caller: User | BearerToken, slug: str, vote_id: int) -> tuple[Vote, Member]:
    """The vote and the caller's membership of the organisation ``slug``: a current one, or one that has
    ended since the vote opened if they are on its electorate; the vote one of the organisation's. The same
    ``NotFound`` as ``access_organisation`` (with ``vote_electors``) and ``access_vote``, in one round trip
    for casting, the busiest request there is (written out, as compiling the ORM query cost more than
    running it), which also checks a bearer token the endpoint left unchecked (``TokenRefused``). The vote
    holds only ``_CASTING_FIELDS``; the services casting it read it again under its lock. The same query
    asks whether any installed bar on voting can apply to the vote's motion (``vote_bars_may_apply_sql``):
    where none can, the vote is marked ``BARS_CLEAR`` and the bars' own queries are not made. The member's
    ``person`` is the caller."""
    who = caller_sql(caller, "m.person_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {row_columns(Member, 'm')}, {', '.join(f'v.{f}' for f in _CASTING_FIELDS)}, "
            f"({vote_bars_may_apply_sql('v.motion_id')}){who.columns} "
            f"FROM {Member._meta.db_table} m JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id"
            f"{who.joins} LEFT JOIN {Vote._meta.db_table} v "
            "ON v.id = %(vote)s AND v.organisation_id = m.organisation_id "
            f"WHERE o.slug = %(slug)s AND {who.where} AND (m.current_unit_id IS NOT NULL OR EXISTS "
            f"(SELECT 1 FROM {VoteElector._meta.db_table} e WHERE e.vote_id = %(vote)s AND e.member_id = m.id))",
            {"vote": vote_id, "slug": slug, **who.params},
        )
        row = cursor.fetchone()
    if row is None:
        person = caller_not_found(caller)
        if person is not caller:
            return access_vote_caster(person, slug, vote_id)
        raise NotFound(_("no such organisation"))
    vote_at = len(Member._meta.concrete_fields)
    bars_at = vote_at + len(_CASTING_FIELDS)
    person = caller_found(caller, row, bars_at + 1)
    vote_values = row[vote_at:bars_at]
    if vote_values[0] is None:
        raise NotFound(_("no such vote"))
    member = row_instance(Member, row)
    member.person = person
    vote = Vote.from_db(connection.alias, _CASTING_FIELDS, vote_values)
    if not row[bars_at]:
        setattr(vote, BARS_CLEAR, True)
    return vote, member


def access_vote_follow(user: User, vote_id: int) -> None:
    """May ``user`` follow a vote's live events: exactly those who may open its page (a current member of
    its organisation). Registered with ``commune.live.access`` as the ``vote`` topics' check."""
    vote = Vote.objects.select_related("organisation").filter(pk=vote_id).first()
    if vote is None:
        raise NotFound(_("no such vote"))
    organisation, _member = access_organisation(user, vote.organisation.slug)
    access_vote(user, organisation, vote_id)


def access_session(user: User, organisation: Organisation, session_id: int) -> CouncilSession:
    session = (
        CouncilSession.objects.select_related("council")
        .filter(pk=session_id, council__organisation=organisation)
        .first()
    )
    if session is None:
        raise NotFound(_("no such session"))
    return session


def access_referral(user: User, organisation: Organisation, referral_id: int) -> Referral:
    referral = (
        Referral.objects.select_related("council", "motion")
        .filter(pk=referral_id, council__organisation=organisation)
        .first()
    )
    if referral is None:
        raise NotFound(_("no such referral"))
    return referral


def access_statutory_ballot(user: User, organisation: Organisation, ballot_id: int) -> StatutoryBallot:
    """A statutory ballot of the organisation, for any current member to read."""
    ballot = StatutoryBallot.objects.filter(
        pk=ballot_id, referral__council__organisation=organisation
    ).first()
    if ballot is None:
        raise NotFound(_("no such statutory ballot"))
    return ballot


def access_statutory_scrutiny(user: User, ballot_id: int, *, slug: str) -> StatutoryBallot:
    """A statutory ballot as its scrutineer reads it: its independent scrutineer, who is not a member and
    may read it and nothing else, or a current member of its organisation. Read only: every write asks for
    a membership (and a teller's place), which the scrutineer does not have."""
    ballot = (
        StatutoryBallot.objects.select_related("referral__council__organisation").filter(pk=ballot_id).first()
    )
    if ballot is None or ballot.referral.council.organisation.slug != slug:
        raise NotFound(_("no such statutory ballot"))
    if ballot.scrutineer_id != user.pk:
        access_organisation(user, ballot.referral.council.organisation.slug)
    return ballot
