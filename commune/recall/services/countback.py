"""Recall: removing the recalled holder and filling the seat, by countback of the original
election's ballots or by a by-election (see ``recall``)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.bulletin import bulletin_election
from commune.elections.errors import ElectionError
from commune.elections.models import (
    Candidacy,
    CandidacyOutcome,
    CandidacyStatus,
    ElectedSeat,
    Election,
    ElectionKind,
    ElectionStatus,
)
from commune.elections.selectors import bulletin_document
from commune.elections.services import election_call, timeline_default
from commune.federation.models import Delegation, Member, OfficeTerm
from commune.federation.services import delegation_seat, office_fill
from commune.notifications.services import notification_send
from commune.recall.models import (
    RecallBallot,
    RecallPetition,
    RecallReplacement,
    RecallStatus,
    ReplacementOutcome,
)
from commune.recall.services.common import (
    people_of,
    petition_link,
    petition_lock,
    recall_electorate,
    seat_label,
    seat_label_read,
    seat_term,
    seat_with_holder,
)
from commune.tally.countback import countback
from commune.tally.export import result_dict
from commune.tally.types import TallyError
from commune.translation import deferred

#: Why a recalled seat or office ended, as stored in ``end_reason``.
END_RECALLED = "recalled"


# --- Removal and replacement ----------------------------------------------------------------------------


def holder_remove(
    petition: RecallPetition,
    seat: ElectedSeat,
    now: datetime,
    actor: Actor = SYSTEM,
    ballot: RecallBallot | None = None,
) -> None:
    """End the recalled holder's seat or office, then fill it as the constitution says."""
    term = type(seat_term(seat)).objects.select_for_update().get(pk=seat_term(seat).pk)
    petition.decided_at = now
    if term.ended_at is not None:
        petition.status = RecallStatus.VACATED
        petition.replacement_note = (
            f"the seat had already ended ({term.end_reason}) when the recall was decided"
        )
        petition.save(update_fields=["status", "decided_at", "replacement_note", "threshold_reached_at"])
        return
    term.ended_at, term.end_reason = now, END_RECALLED
    term.save(update_fields=["ended_at", "end_reason"])
    petition.status = RecallStatus.RECALLED
    petition.save(update_fields=["status", "decided_at", "threshold_reached_at"])
    label = seat_label(seat)
    log_entry_record(
        organisation=petition.organisation,
        action="delegate.recalled" if seat.delegation is not None else "officer.recalled",
        body_id=seat.delegation.council_id if seat.delegation is not None else petition.body_id,
        actor=actor,
        summary=f"Member {petition.holder.number} recalled from their {label} by their electorate "
        f"(recall petition #{petition.pk}: {petition.signatures} of {petition.electorate_size} signed"
        + (f"; recall ballot carried {ballot.yes} to {ballot.no})" if ballot is not None else ")"),
        payload={
            "petition": petition.pk,
            "holder": petition.holder.number,
            "source": term.source,
            "election": seat.election_id,
            "end_reason": END_RECALLED,
        },
    )
    notification_send(
        people=[petition.holder.person],
        kind="recall.recalled",
        subject=deferred(
            gettext_lazy("You have been recalled from your %(seat)s"), seat=seat_label_read(seat)
        ),
        body=deferred(
            gettext_lazy(
                "The electorate that elected you has recalled you from your %(seat)s (recall petition #%(number)s). "
                "Your seat ended on %(date)s."
            ),
            seat=seat_label_read(seat),
            number=petition.pk,
            date=f"{now:%Y-%m-%d}",
        ),
        link=petition_link(petition),
    )
    if petition.replacement == RecallReplacement.COUNTBACK:
        note = _countback_fill(petition, seat, term, now, actor)
        if note is None:
            return
        petition.replacement_note = f"countback not possible: {note}; a by-election is called instead"
    _by_election_call(petition, seat, term, now, actor)


def _members_seated_already(member_ids: set[int], seat: ElectedSeat) -> set[int]:
    """Which of ``member_ids`` already hold a seat on the council of ``seat`` (none, for an office)."""
    if seat.delegation is None or not member_ids:
        return set()
    return set(
        Delegation.objects.filter(
            council_id=seat.delegation.council_id, member_id__in=member_ids, ended_at__isnull=True
        ).values_list("member_id", flat=True)
    )


def recall_countback_standing(*, petition: RecallPetition) -> tuple[Election, str, list[str]]:
    """The original election, the recalled holder's name on its ballot, and the unsuccessful candidates
    who may still fill the seat (current members within the body, not holding a seat on that council)."""
    seat = seat_with_holder(petition.seat_id)
    election = seat.election
    candidacies = list(
        Candidacy.objects.filter(election=election, status=CandidacyStatus.STANDING).select_related("member")
    )
    departed = next((c.ballot_label for c in candidacies if c.member_id == petition.holder_id), "")
    unsuccessful = [
        c
        for c in candidacies
        if c.outcome != CandidacyOutcome.ELECTED and c.member.current_unit_id is not None
    ]
    # Two queries however many candidates stood: who is still within the body, and who sits already.
    ids = {c.member_id for c in unsuccessful}
    within = (
        set(
            Member.objects.filter(pk__in=ids, current_unit__path__startswith=election.body.path).values_list(
                "pk", flat=True
            )
        )
        if ids
        else set()
    )
    seated = _members_seated_already(within, seat)
    standing = [c.ballot_label for c in unsuccessful if c.member_id in within and c.member_id not in seated]
    return election, departed, standing


def _countback_fill(
    petition: RecallPetition, seat: ElectedSeat, term: Delegation | OfficeTerm, now: datetime, actor: Actor
) -> str | None:
    """Fill the seat by countback of the original election's bulletin; ``None`` when filled, else why
    it could not be."""
    election, departed, standing = recall_countback_standing(petition=petition)
    if election.status != ElectionStatus.DECLARED or election.uncontested or not election.ballots_counted:
        return "the original election was not decided by a count of ballots"
    if not departed:
        return "the recalled holder was not a candidate on the original ballot"
    if not standing:
        return "no unsuccessful candidate of the original election can take the seat"
    document = bulletin_document(election=election, with_result=False)
    tally_election = bulletin_election(document)
    unsuccessful_all = {c for c in tally_election.candidates if c != departed} - set(
        Candidacy.objects.filter(election=election, outcome=CandidacyOutcome.ELECTED).values_list(
            "ballot_label", flat=True
        )
    )
    try:
        outcome = countback(
            tally_election,
            departed=departed,
            seats=election.seats,
            seed=election.tie_seed or 0,
            standing=None if set(standing) == unsuccessful_all else standing,
        )
    except TallyError as exc:
        return str(exc)
    winner = Candidacy.objects.select_related("member__person").get(
        election=election, ballot_label=outcome.filled_by, status=CandidacyStatus.STANDING
    )
    source = (
        f"countback of election #{election.pk} ({election.title}) after the recall of member "
        f"{petition.holder.number} (recall petition #{petition.pk})"
    )[:200]
    new_seat = _seat_winner(seat, term, winner.member, source, now, actor)
    petition.replacement_outcome = ReplacementOutcome.COUNTBACK
    petition.replaced_by = winner.member
    petition.replacement_seat = new_seat
    petition.countback = result_dict(outcome.recount, title=f"Countback of {election.title}")
    petition.save(update_fields=["replacement_outcome", "replaced_by", "replacement_seat", "countback"])
    label = seat_label(seat)
    log_entry_record(
        organisation=petition.organisation,
        action="recall.countback",
        body_id=petition.body_id,
        actor=actor,
        summary=f"{winner.ballot_label} fills the {label} by countback of election #{election.pk}, "
        f"after the recall of member {petition.holder.number}",
        payload={
            "petition": petition.pk,
            "election": election.pk,
            "departed": departed,
            "filled_by": outcome.filled_by,
            "member": winner.member.number,
            "merkle_root": election.merkle_root,
            "seed": election.tie_seed,
            "rounds": len(outcome.recount.stages),
        },
    )
    notification_send(
        people=[*people_of(recall_electorate(seat=seat)), winner.member.person, petition.holder.person],
        kind="recall.replaced",
        subject=deferred(
            gettext_lazy("%(name)s fills the %(seat)s by countback"),
            name=winner.member.person.name,
            seat=seat_label_read(seat),
        ),
        body=deferred(
            gettext_lazy(
                "After the recall of %(holder)s, the ballots of %(election)s were counted again without them: "
                "%(name)s fills the %(seat)s until %(date)s."
            ),
            holder=petition.holder.person.name,
            election=election.title,
            name=winner.member.person.name,
            seat=seat_label_read(seat),
            date=f"{term.term_end:%Y-%m-%d}",
        ),
        link=petition_link(petition),
    )
    return None


def _seat_winner(
    seat: ElectedSeat, term: Delegation | OfficeTerm, member: Member, source: str, now: datetime, actor: Actor
) -> ElectedSeat:
    """Seat ``member`` in the recalled holder's place for the rest of the term. The new seat belongs to
    the same election, so the same electorate can recall its new holder."""
    if isinstance(term, Delegation):
        delegation = delegation_seat(
            council=term.council,
            constituency=term.constituency,
            member=member,
            term_start=now.date(),
            term_end=term.term_end,
            source=source,
            actor=actor,
        )
        return ElectedSeat.objects.create(
            election=seat.election,
            member=member,
            delegation=delegation,
            represents_members=seat.represents_members,
        )
    office_term = office_fill(
        office=term.office,
        member=member,
        term_start=now.date(),
        term_end=term.term_end,
        source=source,
        actor=actor,
    )
    return ElectedSeat.objects.create(
        election=seat.election,
        member=member,
        office_term=office_term,
        represents_members=seat.represents_members,
    )


def _by_election_call(
    petition: RecallPetition, seat: ElectedSeat, term: Delegation | OfficeTerm, now: datetime, actor: Actor
) -> None:
    label = seat_label(seat)
    who = Actor(None, f"Commune (automatic: recall petition #{petition.pk})")
    try:
        if isinstance(term, Delegation):
            election = election_call(
                body=term.constituency,
                kind=ElectionKind.OTHER,
                seats=1,
                title=f"By-election: a delegate of {term.constituency.name} to {term.council.name}",
                timeline=timeline_default(now=now),
                remainder_ending=term.term_end,
                actor=who,
            )
        else:
            election = election_call(
                body=term.office.body,
                kind=ElectionKind.OFFICER,
                office=term.office,
                title=f"By-election: {term.office.title} of {term.office.body.name}",
                timeline=timeline_default(now=now),
                remainder_ending=term.term_end,
                actor=who,
            )
    except ElectionError as exc:
        petition.replacement_outcome = ReplacementOutcome.VACANT
        petition.replacement_note = (
            petition.replacement_note + "; " if petition.replacement_note else ""
        ) + (f"no by-election could be called: {exc}; the seat stays vacant until the next election")
        petition.save(update_fields=["replacement_outcome", "replacement_note"])
        log_entry_record(
            organisation=petition.organisation,
            action="recall.vacant",
            body_id=petition.body_id,
            actor=actor,
            summary=f"The {label} left by recall petition #{petition.pk} stays vacant: {petition.replacement_note}",
            payload={"petition": petition.pk, "note": petition.replacement_note},
        )
        return
    petition.replacement_outcome = ReplacementOutcome.BY_ELECTION
    petition.by_election = election
    petition.save(update_fields=["replacement_outcome", "by_election", "replacement_note"])
    notification_send(
        people=[*people_of(recall_electorate(seat=seat)), petition.holder.person],
        kind="recall.replaced",
        subject=deferred(gettext_lazy("By-election called for the %(seat)s"), seat=seat_label_read(seat)),
        body=deferred(
            gettext_lazy(
                "After the recall of %(holder)s, a by-election fills the %(seat)s: %(election)s, voting closes "
                "%(closes)s UTC.%(note)s"
            ),
            holder=petition.holder.person.name,
            seat=seat_label_read(seat),
            election=election.title,
            closes=f"{election.voting_close_at:%Y-%m-%d %H:%M}",
            note=f" ({petition.replacement_note})" if petition.replacement_note else "",
        ),
        link=petition_link(petition),
    )


@transaction.atomic
def recall_by_election_seat(*, petition: RecallPetition, actor: Actor = SYSTEM) -> RecallPetition:
    """Once a recall's by-election has installed its winner, record it; for a delegate seat, seat the
    winner on the council for the rest of the recalled term. Idempotent; a failed by-election leaves
    the seat vacant until the next election."""
    petition = petition_lock(petition.pk)
    if petition.replacement_outcome != ReplacementOutcome.BY_ELECTION or petition.by_election_id is None:
        return petition
    election = Election.objects.select_related("organisation").get(pk=petition.by_election_id)
    if election.status == ElectionStatus.FAILED:
        petition.replacement_outcome = ReplacementOutcome.VACANT
        petition.replacement_note = f"the by-election failed ({election.failure_reason})"
        petition.save(update_fields=["replacement_outcome", "replacement_note"])
        return petition
    if election.installed_at is None:
        return petition
    won = ElectedSeat.objects.select_related("member__person").filter(election=election).first()
    if won is None:
        return petition
    seat = seat_with_holder(petition.seat_id)
    if seat.delegation is not None and won.delegation_id is None:
        term = seat.delegation
        won.delegation = delegation_seat(
            council=term.council,
            constituency=term.constituency,
            member=won.member,
            term_start=max(election.term_start, timezone.localdate()),
            term_end=election.term_end,
            source=election.source_label,
            actor=actor,
        )
        won.save(update_fields=["delegation"])
    petition.replacement_outcome = ReplacementOutcome.BY_ELECTION_SEATED
    petition.replaced_by = won.member
    petition.replacement_seat = won
    petition.save(update_fields=["replacement_outcome", "replaced_by", "replacement_seat"])
    log_entry_record(
        organisation=petition.organisation,
        action="recall.by_election_seated",
        body_id=petition.body_id,
        actor=actor,
        summary=f"Member {won.member.number} fills the {seat_label(seat)} by {election.title}, after the "
        f"recall of member {petition.holder.number}",
        payload={"petition": petition.pk, "election": election.pk, "member": won.member.number},
    )
    return petition
