"""Nominations: members stand, second, withdraw; bodies publish endorsements.

Only a member can put themselves on the ballot or take themselves off it. There is deliberately no
service by which anyone else — a council, an officer, a higher body — adds, strikes, reorders or imposes a
candidate. A body can only *endorse*, and an endorsement is shown as such beside the candidate.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import Actor, log_entry_record
from commune.elections.errors import ElectionConflict, ElectionError, NotEligible
from commune.elections.models import (
    Candidacy,
    CandidacyStatus,
    Election,
    ElectionStatus,
    Endorsement,
    Seconding,
)
from commune.elections.services.term_limits import term_limit_check
from commune.federation.models import Body, Member

STATEMENT_MAX = 5000


def _nominations_open(election: Election) -> None:
    now = timezone.now()
    if election.status != ElectionStatus.NOMINATIONS or not (
        election.nominations_open_at <= now < election.nominations_close_at
    ):
        raise ElectionConflict(
            _("nominations for %(title)s are not open (they run from %(opens)s to %(closes)s UTC)")
            % {
                "title": election.title,
                "opens": f"{election.nominations_open_at:%Y-%m-%d %H:%M}",
                "closes": f"{election.nominations_close_at:%Y-%m-%d %H:%M}",
            }
        )


def member_within(member: Member, body: Body) -> bool:
    """Whether the member currently belongs to a unit at or below ``body``."""
    unit = member.current_unit
    return (
        unit is not None and unit.organisation_id == body.organisation_id and unit.path.startswith(body.path)
    )


@transaction.atomic
def candidacy_nominate(
    *, election: Election, member: Member, statement: str = "", tendency: str = "", actor: Actor
) -> Candidacy:
    """Stand for election. Any current member of the election's constituency may; only for themselves."""
    election = (
        Election.objects.select_for_update(of=("self",))
        .select_related("body", "organisation")
        .get(pk=election.pk)
    )
    _nominations_open(election)
    if not member_within(member, election.body):
        raise NotEligible(
            _("only members of %(body)s may stand in this election") % {"body": election.body.name}
        )
    term_limit_check(election=election, member=member)
    if len(statement) > STATEMENT_MAX:
        raise ElectionError(
            _("the statement is too long (%(length)s characters; at most %(most)s)")
            % {"length": len(statement), "most": STATEMENT_MAX}
        )
    existing = Candidacy.objects.filter(election=election, member=member).first()
    now = timezone.now()
    if existing is not None:
        if existing.status == CandidacyStatus.STANDING:
            raise ElectionConflict(_("you are already standing in this election"))
        existing.status, existing.withdrawn_at = CandidacyStatus.STANDING, None
        existing.statement, existing.tendency, existing.nominated_at = statement, tendency.strip(), now
        existing.save(update_fields=["status", "withdrawn_at", "statement", "tendency", "nominated_at"])
        candidacy = existing
    else:
        candidacy = Candidacy.objects.create(
            election=election,
            member=member,
            statement=statement,
            tendency=tendency.strip(),
            nominated_at=now,
            ballot_label=member.person.name,
        )
    log_entry_record(
        organisation=election.organisation,
        action="candidate.nominated",
        body_id=election.body_id,
        actor=actor,
        summary=f"{member.person.name} stands in {election.title}"
        + (f" ({candidacy.tendency})" if candidacy.tendency else ""),
        payload={
            "election": election.pk,
            "candidacy": candidacy.pk,
            "member": member.number,
            "tendency": tendency,
        },
    )
    return candidacy


@transaction.atomic
def candidacy_withdraw(*, candidacy: Candidacy, member: Member, actor: Actor) -> Candidacy:
    """Withdraw one's own nomination while nominations are open."""
    if candidacy.member_id != member.pk:
        raise NotEligible(_("only the candidate can withdraw their nomination"))
    election = (
        Election.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=candidacy.election_id)
    )
    _nominations_open(election)
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.status != CandidacyStatus.STANDING:
        raise ElectionConflict(_("this nomination was already withdrawn"))
    candidacy.status, candidacy.withdrawn_at = CandidacyStatus.WITHDRAWN, timezone.now()
    candidacy.save(update_fields=["status", "withdrawn_at"])
    log_entry_record(
        organisation=election.organisation,
        action="candidate.withdrew",
        body_id=election.body_id,
        actor=actor,
        summary=f"{member.person.name} withdrew from {election.title}",
        payload={"election": election.pk, "candidacy": candidacy.pk, "member": member.number},
    )
    return candidacy


@transaction.atomic
def candidacy_second(*, candidacy: Candidacy, member: Member, actor: Actor) -> Seconding:
    """Second a candidate: any other current member of the constituency may, while nominations are open."""
    election = (
        Election.objects.select_for_update(of=("self",))
        .select_related("body", "organisation")
        .get(pk=candidacy.election_id)
    )
    _nominations_open(election)
    if candidacy.member_id == member.pk:
        raise ElectionError(_("candidates cannot second themselves"))
    if candidacy.status != CandidacyStatus.STANDING:
        raise ElectionConflict(_("this candidate is not standing"))
    if not member_within(member, election.body):
        raise NotEligible(
            _("only members of %(body)s may second candidates in this election")
            % {"body": election.body.name}
        )
    try:
        with transaction.atomic():
            seconding = Seconding.objects.create(
                candidacy=candidacy, member=member, seconded_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ElectionConflict(_("you have already seconded this candidate")) from exc
    log_entry_record(
        organisation=election.organisation,
        action="candidate.seconded",
        body_id=election.body_id,
        actor=actor,
        summary=f"Member {member.number} seconded {candidacy.ballot_label} in {election.title}",
        payload={"election": election.pk, "candidacy": candidacy.pk, "member": member.number},
    )
    return seconding


@transaction.atomic
def endorsement_publish(
    *, candidacy: Candidacy, body: Body, statement: str = "", actor: Actor
) -> Endorsement:
    """Publish a body's endorsement of a candidate. It is shown as the body's opinion and changes nothing
    on the ballot. Call only for an officer of ``body`` (see ``access``)."""
    election = Election.objects.select_related("organisation").get(pk=candidacy.election_id)
    if body.organisation_id != election.organisation_id:
        raise ElectionError(_("only bodies of the same organisation can endorse"))
    if election.status in (ElectionStatus.COUNTING, ElectionStatus.DECLARED, ElectionStatus.FAILED):
        raise ElectionConflict(_("voting in this election has closed"))
    if candidacy.status != CandidacyStatus.STANDING:
        raise ElectionConflict(_("this candidate is not standing"))
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                candidacy=candidacy,
                body=body,
                statement=statement,
                published_at=timezone.now(),
                published_by=actor.label,
            )
    except IntegrityError as exc:
        raise ElectionConflict(
            _("%(body)s has already endorsed this candidate") % {"body": body.name}
        ) from exc
    log_entry_record(
        organisation=election.organisation,
        action="candidate.endorsed",
        body_id=body.pk,
        actor=actor,
        summary=f"{body.name} endorses {candidacy.ballot_label} in {election.title}",
        payload={
            "election": election.pk,
            "candidacy": candidacy.pk,
            "body": body.code,
            "statement": statement,
        },
    )
    return endorsement
