"""Permission-checked fetches for elections. Missing and forbidden raise the same ``NotFound``.

Every current member of an organisation may see its elections, candidates, results and bulletins. Acting
for a body (calling its elections, publishing its endorsements) needs a current office of that body.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commune.accounts.access import BearerToken
from commune.accounts.models import User
from commune.accounts.services import caller_found, caller_not_found, caller_sql
from commune.elections.models import Candidacy, Election, Elector
from commune.federation.access import NotFound
from commune.federation.models import Body, Member, OfficeTerm, Organisation
from commune.rows import row_columns, row_instance


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


def access_voter(caller: User | BearerToken, slug: str, election_id: int) -> Member:
    """The caller's current membership of the organisation ``slug`` (or their membership that has ended
    since the election was called, if they are on its electorate), having checked in the same query that
    the election is one of its own: ``access_organisation`` and ``access_election`` in one round trip for
    casting, the busiest request there is (written out, as compiling the ORM query cost more than running
    it), which also checks a bearer token the endpoint left unchecked (``TokenRefused``). Raises the same
    ``NotFound`` as they do. The member's ``person`` is the caller."""
    who = caller_sql(caller, "m.person_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {row_columns(Member, 'm')}, EXISTS (SELECT 1 FROM {Election._meta.db_table} e "
            f"WHERE e.id = %(election)s AND e.organisation_id = m.organisation_id){who.columns} "
            f"FROM {Member._meta.db_table} m JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id"
            f"{who.joins} WHERE o.slug = %(slug)s AND {who.where} AND (m.current_unit_id IS NOT NULL OR EXISTS "
            f"(SELECT 1 FROM {Elector._meta.db_table} el WHERE el.election_id = %(election)s AND el.member_id = m.id))",
            {"election": election_id, "slug": slug, **who.params},
        )
        row = cursor.fetchone()
    if row is None:
        person = caller_not_found(caller)
        if person is not caller:
            return access_voter(person, slug, election_id)
        raise NotFound(_("no such organisation"))
    found_at = len(Member._meta.concrete_fields)
    person = caller_found(caller, row, found_at + 1)
    if not row[found_at]:
        raise NotFound(_("no such election"))
    member = row_instance(Member, row)
    member.person = person
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
