"""Permission-checked fetches for elections. Missing and forbidden raise the same ``NotFound``.

Every current member of an organisation may see its elections, candidates, results and bulletins. Acting
for a body (calling its elections, publishing its endorsements) needs a current office of that body.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commune.accounts.access import BearerToken
from commune.accounts.models import User
from commune.elections.models import Candidacy, Election, Elector
from commune.federation.access import CasterQuery, NotFound, access_caster, caster_query
from commune.federation.models import Body, Member, OfficeTerm, Organisation


def election_electors(*, election_id: int, **_: Any) -> QuerySet[Any]:
    """The member ids of the election's electorate, fixed when it was called: they alone vote in it, and
    one whose membership has ended since still does (``access_organisation``'s ``electorate``)."""
    return Elector.objects.filter(election_id=election_id).values("member_id")


def access_election(user: User, organisation: Organisation, election_id: int) -> Election:
    """An election of an organisation the caller belongs to (``access_organisation`` checked that)."""
    election = (
        Election.objects.select_related("organisation", "body", "council", "office")
        .filter(pk=election_id, organisation=organisation)
        .first()
    )
    if election is None:
        raise NotFound(_("no such election"))
    return election


def _election_owned(election_id: int) -> dict[str, Any]:
    """What ``caster_query`` and ``access_caster`` are told of an election: its table, id and electorate."""
    return {
        "owner_table": Election._meta.db_table,
        "owner_id": election_id,
        "electorate_table": Elector._meta.db_table,
        "electorate_owner": "election_id",
    }


def voter_query(caller: User | BearerToken, slug: str, election_id: int) -> CasterQuery:
    """``access_voter``'s query, to run elsewhere (an event loop's connection): its first columns are the
    membership's id and the election's (``NULL`` if not the organisation's)."""
    return caster_query(caller, slug, **_election_owned(election_id))


def access_voter(caller: User | BearerToken, slug: str, election_id: int) -> Member:
    """The caller's current membership of the organisation ``slug`` (or their membership that has ended
    since the election was called, if they are on its electorate), having checked in the same query that
    the election is one of its own: ``access_organisation`` and ``access_election`` in one round trip
    (``access_caster``), which also checks a bearer token the endpoint left unchecked (``TokenRefused``).
    Raises the same ``NotFound`` as they do. The member's ``person`` is the caller."""
    member, (found,) = access_caster(caller, slug, **_election_owned(election_id))
    if found is None:
        raise NotFound(_("no such election"))
    return member


def access_candidacy(user: User, election: Election, candidacy_id: int) -> Candidacy:
    candidacy = (
        Candidacy.objects.select_related("member__person").filter(pk=candidacy_id, election=election).first()
    )
    if candidacy is None:
        raise NotFound(_("no such candidate"))
    return candidacy


def officer_of(member: Member, body: Body) -> OfficeTerm | None:
    """The member's current office in ``body``, if they hold one."""
    return (
        OfficeTerm.objects.select_related("office")
        .filter(member=member, office__body=body, ended_at__isnull=True)
        .first()
    )


def access_body_as_officer(member: Member, body: Body) -> OfficeTerm:
    """Act for ``body``: only one of its current officers may. Anyone else gets ``NotFound``, as if the body
    had no such power to exercise."""
    term = officer_of(member, body)
    if term is None:
        raise NotFound(_("no such body you hold office in: %(code)s") % {"code": body.code})
    return term
