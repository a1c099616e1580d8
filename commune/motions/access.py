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
from commune.federation.access import NotFound, access_caster, access_organisation
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
    (``access_caster``), which also checks a bearer token the endpoint left unchecked (``TokenRefused``).
    The vote holds only ``_CASTING_FIELDS``; the services casting it read it again under its lock. The same
    query asks whether any installed bar on voting can apply to the vote's motion
    (``vote_bars_may_apply_sql``): where none can, the vote is marked ``BARS_CLEAR`` and the bars' own
    queries are not made. The member's ``person`` is the caller."""
    member, values = access_caster(
        caller,
        slug,
        owner_table=Vote._meta.db_table,
        owner_id=vote_id,
        owner_columns=_CASTING_FIELDS,
        electorate_table=VoteElector._meta.db_table,
        electorate_owner="vote_id",
        extra=vote_bars_may_apply_sql("x.motion_id"),
    )
    if values[0] is None:
        raise NotFound(_("no such vote"))
    vote = Vote.from_db(connection.alias, _CASTING_FIELDS, values[:-1])
    if not values[-1]:
        setattr(vote, BARS_CLEAR, True)
    return vote, member


def access_vote_follow(user: User, vote_id: int) -> None:
    """May ``user`` follow a vote's live events: exactly those who may open its page (a current member of
    its organisation). Registered with ``commune.live.access`` as the ``vote`` topics' check."""
    slug = Vote.objects.filter(pk=vote_id).values_list("organisation__slug", flat=True).first()
    if slug is None:
        raise NotFound(_("no such vote"))
    access_organisation(user, slug)  # the vote is the organisation's: ``access_vote`` would read it again


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
