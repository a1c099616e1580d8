"""Recall: the electorate that conferred a seat takes it back.

A petition is opened and signed only by the electors of the election that conferred the seat (its
``Elector`` snapshot) who are still members within the body that held it. Its threshold, window,
procedure and replacement are the constitution's when it opens. At the threshold the holder is removed at
once, or a secret recall ballot of the same electorate decides under its own majority; once removed, the
seat is filled by countback of the original election's published ballots (``commune.tally.countback``)
or by a by-election, as the constitution says.

There is deliberately no service to pause, void, delay or withdraw a petition or a ballot: a petition
ends only by reaching its threshold or lapsing at its deadline, a ballot only by being counted. Signers
are not recorded by name anywhere (``RecallSignature`` keeps a keyed digest); the log records counts.
See ``docs/recall.md``.
"""

from __future__ import annotations

import math
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

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
    Elector,
)
from commune.elections.selectors import bulletin_document
from commune.elections.services import election_call, timeline_default
from commune.federation.constitution import rules_validate
from commune.federation.models import ConstitutionVersion, Delegation, Member, OfficeTerm
from commune.federation.services import delegation_seat, office_fill
from commune.mandates.errors import RecallConflict, RecallError, RecallNotEntitled
from commune.mandates.models import (
    RecallBallot,
    RecallBallotPaper,
    RecallBallotRegister,
    RecallPetition,
    RecallProcedure,
    RecallReplacement,
    RecallSignature,
    RecallStatus,
    ReplacementOutcome,
)
from commune.motions.models import Choice
from commune.notifications.services import notification_send
from commune.tally.countback import countback
from commune.tally.render import result_dict
from commune.tally.types import TallyError
from commune.tally.yes_no import YesNoRule, yes_no

#: How long a recall ballot stays open once the petition reaches its threshold.
RECALL_BALLOT_PERIOD = timedelta(days=7)

#: Why a recalled seat or office ended, as stored in ``end_reason``.
END_RECALLED = "recalled"

#: Who the log names for acts of the electorate's members in a recall: never the person (docs/recall.md).
ELECTORATE_ACTOR = Actor(None, "a member of the electorate (not named: recall signers are protected)")

_SIGNATURE_SALT = "commune.mandates.recall.signature"


# --- Who may take part ----------------------------------------------------------------------------------


def recall_electorate(*, seat: ElectedSeat) -> QuerySet[Member]:
    """The members who may petition and vote to recall ``seat``'s holder: the electors of the election
    that conferred it who are still current members within the body that held it."""
    election = seat.election
    return Member.objects.filter(
        pk__in=Elector.objects.filter(election_id=election.pk).values("member_id"),
        organisation_id=election.organisation_id,
        current_unit__path__startswith=election.body.path,
    )


def recall_may_take_part(*, seat: ElectedSeat, member: Member) -> bool:
    return recall_electorate(seat=seat).filter(pk=member.pk).exists()


def _signer_keys(petition_id: int, member_id: int) -> list[str]:
    """The member's signature digest under the current secret key first, then under each fallback key,
    so that rotating the key (with the old one kept as a fallback) still finds earlier signatures."""
    value = f"{petition_id}:{member_id}"
    return [
        salted_hmac(_SIGNATURE_SALT, value, secret=key, algorithm="sha256").hexdigest()
        for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    ]


def recall_signed(*, petition: RecallPetition, member: Member) -> bool:
    """Whether ``member`` has signed: for the member themself only (never list others with it)."""
    return RecallSignature.objects.filter(
        petition_id=petition.pk, signer_key__in=_signer_keys(petition.pk, member.pk)
    ).exists()


# --- Seats ----------------------------------------------------------------------------------------------


def _term(seat: ElectedSeat) -> Delegation | OfficeTerm:
    term: Delegation | OfficeTerm | None = seat.delegation or seat.office_term
    if term is None:
        raise RecallError(
            "this election conferred no seat on a council and no office, so there is none to recall"
        )
    return term


def _seat_label(seat: ElectedSeat) -> str:
    if seat.delegation is not None:
        d = seat.delegation
        return f"seat on {d.council.name} for {d.constituency.name}"
    term = _term(seat)
    assert isinstance(term, OfficeTerm)
    return f"office of {term.office.title} of {term.office.body.name}"


def _seat_for_update(seat_id: int) -> ElectedSeat:
    return ElectedSeat.objects.select_related(
        "election__organisation",
        "election__body",
        "member__person",
        "delegation__council",
        "delegation__constituency",
        "office_term__office__body",
    ).get(pk=seat_id)


def _rules(organisation_id: int) -> tuple[Any, int]:
    version = ConstitutionVersion.objects.filter(organisation_id=organisation_id).order_by("-number").first()
    if version is None:
        raise RecallError("the organisation has no constitution")
    return rules_validate(version.rules).recall, version.number


def _people(members: QuerySet[Member]) -> list[Any]:
    return [m.person for m in members.select_related("person")]


def _link(petition: RecallPetition) -> str:
    """The petition's page, where the notified can read the count, sign, vote or see the result."""
    return f"/o/{petition.organisation.slug}/recalls/{petition.pk}/"


# --- Petitions ------------------------------------------------------------------------------------------


@transaction.atomic
def recall_petition_open(*, seat: ElectedSeat, member: Member, grounds: str = "") -> RecallPetition:
    """Open a petition to recall ``seat``'s holder; the member opening it is its first signer.

    Only a member of the seat's electorate may open one, only while the seat is held, and only one
    petition per seat runs at a time. The log names no one: the opener is a signer like any other.
    """
    seat = _seat_for_update(seat.pk)
    term = type(_term(seat)).objects.select_for_update().get(pk=_term(seat).pk)
    if term.ended_at is not None:
        raise RecallConflict("this seat has already ended; there is nobody to recall")
    electorate = list(recall_electorate(seat=seat).values_list("id", flat=True))
    if member.pk not in electorate:
        raise RecallNotEntitled("only the electorate that elected this holder may petition to recall them")
    rules, version = _rules(seat.election.organisation_id)
    now = timezone.now()
    required = max(1, math.ceil(Decimal(len(electorate)) * rules.petition_threshold_percent / 100))
    try:
        with transaction.atomic():
            petition = RecallPetition.objects.create(
                organisation_id=seat.election.organisation_id,
                seat=seat,
                holder=seat.member,
                body=seat.election.body,
                grounds=grounds.strip(),
                opened_at=now,
                deadline=now + timedelta(days=rules.petition_window_days),
                constitution_version=version,
                threshold_percent=rules.petition_threshold_percent,
                procedure=rules.procedure,
                ballot_majority=rules.recall_ballot_majority,
                replacement=rules.replacement,
                electorate_size=len(electorate),
                signatures_required=required,
            )
    except IntegrityError as exc:
        raise RecallConflict("a recall petition against this seat is already running: sign that one") from exc
    label = _seat_label(seat)
    log_entry_record(
        organisation=seat.election.organisation,
        action="recall.petition_opened",
        body_id=seat.election.body_id,
        actor=ELECTORATE_ACTOR,
        summary=f"Recall petition #{petition.pk} opened against member {seat.member.number}'s {label}: "
        f"{required} of {len(electorate)} electors must sign by {petition.deadline:%Y-%m-%d %H:%M} UTC",
        payload={
            "petition": petition.pk,
            "holder": seat.member.number,
            "election": seat.election_id,
            "electorate": len(electorate),
            "signatures_required": required,
            "threshold_percent": str(rules.petition_threshold_percent),
            "deadline": petition.deadline.isoformat(),
            "procedure": rules.procedure,
            "replacement": rules.replacement,
            "constitution_version": version,
        },
    )
    return _sign(petition, member, now)


def _petition_for_update(petition_id: int) -> RecallPetition:
    return (
        RecallPetition.objects.select_for_update(of=("self",))
        .select_related("organisation", "holder__person", "body")
        .get(pk=petition_id)
    )


def _gathering(petition: RecallPetition, now: datetime) -> None:
    if petition.status != RecallStatus.GATHERING:
        raise RecallConflict(
            f"this petition is no longer gathering signatures ({petition.get_status_display()})"
        )
    if now >= petition.deadline:
        raise RecallConflict("this petition's window has closed")


def _sign(petition: RecallPetition, member: Member, now: datetime) -> RecallPetition:
    keys = _signer_keys(petition.pk, member.pk)
    if RecallSignature.objects.filter(petition=petition, signer_key__in=keys).exists():
        raise RecallConflict("you have already signed this petition")
    try:
        with transaction.atomic():
            RecallSignature.objects.create(petition=petition, signer_key=keys[0])
    except IntegrityError as exc:
        raise RecallConflict("you have already signed this petition") from exc
    petition.signatures += 1
    petition.save(update_fields=["signatures"])
    if petition.signatures >= petition.signatures_required:
        _threshold_reach(petition, now)
    return petition


@transaction.atomic
def recall_petition_sign(*, petition: RecallPetition, member: Member) -> RecallPetition:
    """Add the member's signature: once each, only by the seat's electorate, only while it gathers.

    At the threshold the constitution's procedure runs in the same transaction."""
    petition = _petition_for_update(petition.pk)
    now = timezone.now()
    _gathering(petition, now)
    seat = _seat_for_update(petition.seat_id)
    if not recall_may_take_part(seat=seat, member=member):
        raise RecallNotEntitled("only the electorate that elected this holder may sign")
    return _sign(petition, member, now)


@transaction.atomic
def recall_signature_withdraw(*, petition: RecallPetition, member: Member) -> RecallPetition:
    """Take back one's own signature, while the petition is still gathering (before the threshold)."""
    petition = _petition_for_update(petition.pk)
    _gathering(petition, timezone.now())
    deleted, _ = RecallSignature.objects.filter(
        petition=petition, signer_key__in=_signer_keys(petition.pk, member.pk)
    ).delete()
    if not deleted:
        raise RecallConflict("you have not signed this petition")
    petition.signatures -= 1
    petition.save(update_fields=["signatures"])
    return petition


def _threshold_reach(petition: RecallPetition, now: datetime) -> None:
    petition.threshold_reached_at = now
    seat = _seat_for_update(petition.seat_id)
    label = _seat_label(seat)
    if petition.procedure == RecallProcedure.BALLOT:
        petition.status = RecallStatus.BALLOTING
        petition.save(update_fields=["status", "threshold_reached_at"])
        ballot = _ballot_open(petition, seat, now)
        then = f"A secret recall ballot is open until {ballot.closes_at:%Y-%m-%d %H:%M} UTC."
    else:
        # Saved with the removal below: a petition at its threshold is never left gathering.
        then = "Under the constitution the holder is removed at once."
    log_entry_record(
        organisation=petition.organisation,
        action="recall.threshold_reached",
        body_id=petition.body_id,
        actor=SYSTEM,
        summary=f"Recall petition #{petition.pk} against member {petition.holder.number}'s {label} reached "
        f"its threshold: {petition.signatures} of {petition.electorate_size} electors signed. {then}",
        payload={
            "petition": petition.pk,
            "signatures": petition.signatures,
            "signatures_required": petition.signatures_required,
            "electorate": petition.electorate_size,
            "procedure": petition.procedure,
        },
    )
    notification_send(
        people=_people(recall_electorate(seat=seat)),
        kind="recall.threshold_reached",
        subject=f"A recall petition against your delegate {petition.holder.person.name} reached its threshold",
        body=f"The petition to recall {petition.holder.person.name} from their {label} reached its "
        f"threshold: {petition.signatures} of {petition.electorate_size} electors signed. {then}",
        link=_link(petition),
    )
    if petition.procedure == RecallProcedure.IMMEDIATE:
        _remove(petition, seat, now)


# --- The recall ballot ----------------------------------------------------------------------------------


def _ballot_rule(majority: str) -> YesNoRule:
    share = Fraction(majority)
    # As for every decision: a half is "more than", any larger share "at least".
    return YesNoRule(
        name=f"recall ballot majority ({majority})", majority=share, majority_strict=share == Fraction(1, 2)
    )


def _ballot_open(petition: RecallPetition, seat: ElectedSeat, now: datetime) -> RecallBallot:
    rule = _ballot_rule(petition.ballot_majority)
    return RecallBallot.objects.create(
        petition=petition,
        question=f"Recall {petition.holder.person.name} from their {_seat_label(seat)}?",
        rule={"name": rule.name, "majority": str(rule.majority), "majority_strict": rule.majority_strict},
        opened_at=now,
        closes_at=now + RECALL_BALLOT_PERIOD,
        electorate=recall_electorate(seat=seat).count(),
    )


def recall_ballot_cast(*, petition: RecallPetition, member: Member, choice: str) -> None:
    """A member's secret vote in the recall ballot: the register notes that they voted and the box
    receives the choice, with nothing linking them. One vote each, final once cast."""
    if choice not in Choice.values:
        raise RecallError(f"vote yes, no or abstain, not {choice!r}")
    with transaction.atomic():
        ballot = RecallBallot.objects.select_for_update().filter(petition_id=petition.pk).first()
        if ballot is None:
            raise RecallConflict("this petition has no recall ballot")
        if ballot.closed_at is not None or timezone.now() >= ballot.closes_at:
            raise RecallConflict("this recall ballot has closed")
        if not recall_may_take_part(seat=_seat_for_update(petition.seat_id), member=member):
            raise RecallNotEntitled("only the electorate that elected this holder may vote on recalling them")
        try:
            with transaction.atomic():
                RecallBallotRegister.objects.create(ballot=ballot, member=member)
        except IntegrityError as exc:
            raise RecallConflict("you have already voted in this recall ballot") from exc
        RecallBallotPaper.objects.create(id=uuid.uuid4(), ballot=ballot, choice=choice)


def recall_ballot_close(*, petition: RecallPetition, actor: Actor = SYSTEM) -> RecallPetition:
    """Count the recall ballot once its time is up or the whole electorate has voted, and carry out the
    result: removal and replacement, or the holder stays. Anyone may ask; nobody can close it early."""
    with transaction.atomic():
        petition = _petition_for_update(petition.pk)
        ballot = RecallBallot.objects.select_for_update().filter(petition=petition).first()
        if ballot is None:
            raise RecallConflict("this petition has no recall ballot")
        if ballot.closed_at is not None:
            raise RecallConflict("this recall ballot has already been counted")
        now = timezone.now()
        voted = RecallBallotRegister.objects.filter(ballot=ballot).count()
        if now < ballot.closes_at and voted < ballot.electorate:
            raise RecallConflict(
                "the recall ballot is still open: it is counted when its time is up or everyone has voted"
            )
        choices = list(RecallBallotPaper.objects.filter(ballot=ballot).values_list("choice", flat=True))
        # Rewritten shuffled with fresh keys, so not even the rows' order remembers the order of casting.
        secrets.SystemRandom().shuffle(choices)
        RecallBallotPaper.objects.filter(ballot=ballot).delete()
        RecallBallotPaper.objects.bulk_create(
            (RecallBallotPaper(id=uuid.uuid4(), ballot=ballot, choice=c) for c in choices), batch_size=2000
        )
        result = yes_no(
            yes=choices.count(Choice.YES),
            no=choices.count(Choice.NO),
            abstain=choices.count(Choice.ABSTAIN),
            electorate=ballot.electorate,
            rule=_ballot_rule(petition.ballot_majority),
        )
        ballot.yes, ballot.no, ballot.abstain = result.yes, result.no, result.abstain
        ballot.carried, ballot.explanation, ballot.closed_at = result.passed, result.explanation, now
        ballot.save(update_fields=["yes", "no", "abstain", "carried", "explanation", "closed_at"])
        seat = _seat_for_update(petition.seat_id)
        outcome = "carried: the holder is recalled" if ballot.carried else "not carried: the holder stays"
        log_entry_record(
            organisation=petition.organisation,
            action="recall.ballot_counted",
            body_id=petition.body_id,
            actor=actor,
            summary=f"Recall ballot on member {petition.holder.number}'s {_seat_label(seat)} {outcome} "
            f"({ballot.yes} yes, {ballot.no} no, {ballot.abstain} abstain of {ballot.electorate})",
            payload={
                "petition": petition.pk,
                "yes": ballot.yes,
                "no": ballot.no,
                "abstain": ballot.abstain,
                "electorate": ballot.electorate,
                "carried": ballot.carried,
                "explanation": ballot.explanation,
            },
        )
        notification_send(
            people=[*_people(recall_electorate(seat=seat)), petition.holder.person],
            kind="recall.ballot_result",
            subject=f"Recall ballot on {petition.holder.person.name}: {outcome}",
            body=f"{ballot.question} {ballot.yes} yes, {ballot.no} no, {ballot.abstain} abstain of "
            f"{ballot.electorate} electors. {ballot.explanation}",
            link=_link(petition),
        )
        if ballot.carried:
            _remove(petition, seat, now, actor, ballot)
        else:
            petition.status, petition.decided_at = RecallStatus.RETAINED, now
            petition.save(update_fields=["status", "decided_at"])
    return petition


# --- Removal and replacement ----------------------------------------------------------------------------


def _remove(
    petition: RecallPetition,
    seat: ElectedSeat,
    now: datetime,
    actor: Actor = SYSTEM,
    ballot: RecallBallot | None = None,
) -> None:
    """End the recalled holder's seat or office, then fill it as the constitution says."""
    term = type(_term(seat)).objects.select_for_update().get(pk=_term(seat).pk)
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
    label = _seat_label(seat)
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
        subject=f"You have been recalled from your {label}",
        body=f"The electorate that elected you has recalled you from your {label} "
        f"(recall petition #{petition.pk}). Your seat ended on {now:%Y-%m-%d}.",
        link=_link(petition),
    )
    if petition.replacement == RecallReplacement.COUNTBACK:
        note = _countback_fill(petition, seat, term, now, actor)
        if note is None:
            return
        petition.replacement_note = f"countback not possible: {note}; a by-election is called instead"
    _by_election_call(petition, seat, term, now, actor)


def _holds_seat_already(member_id: int, seat: ElectedSeat) -> bool:
    if seat.delegation is not None:
        return Delegation.objects.filter(
            council_id=seat.delegation.council_id, member_id=member_id, ended_at__isnull=True
        ).exists()
    return False


def recall_countback_standing(*, petition: RecallPetition) -> tuple[Election, str, list[str]]:
    """The original election, the recalled holder's name on its ballot, and the unsuccessful candidates
    who may still fill the seat (current members within the body, not holding a seat on that council)."""
    seat = _seat_for_update(petition.seat_id)
    election = seat.election
    candidacies = list(
        Candidacy.objects.filter(election=election, status=CandidacyStatus.STANDING).select_related("member")
    )
    departed = next((c.ballot_label for c in candidacies if c.member_id == petition.holder_id), "")
    standing = [
        c.ballot_label
        for c in candidacies
        if c.outcome != CandidacyOutcome.ELECTED
        and c.member.current_unit_id is not None
        and Member.objects.filter(pk=c.member_id, current_unit__path__startswith=election.body.path).exists()
        and not _holds_seat_already(c.member_id, seat)
    ]
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
    label = _seat_label(seat)
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
        people=[*_people(recall_electorate(seat=seat)), winner.member.person, petition.holder.person],
        kind="recall.replaced",
        subject=f"{winner.member.person.name} fills the {label} by countback",
        body=f"After the recall of {petition.holder.person.name}, the ballots of {election.title} were "
        f"counted again without them: {winner.member.person.name} fills the {label} until "
        f"{term.term_end:%Y-%m-%d}.",
        link=_link(petition),
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
    label = _seat_label(seat)
    who = Actor(None, f"Commune (automatic: recall petition #{petition.pk})")
    try:
        if isinstance(term, Delegation):
            election = election_call(
                body=term.constituency,
                kind=ElectionKind.OTHER,
                seats=1,
                title=f"By-election: a delegate of {term.constituency.name} to {term.council.name}",
                timeline=timeline_default(now=now),
                term_end=term.term_end,
                actor=who,
            )
        else:
            election = election_call(
                body=term.office.body,
                kind=ElectionKind.OFFICER,
                office=term.office,
                title=f"By-election: {term.office.title} of {term.office.body.name}",
                timeline=timeline_default(now=now),
                term_end=term.term_end,
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
        people=[*_people(recall_electorate(seat=seat)), petition.holder.person],
        kind="recall.replaced",
        subject=f"By-election called for the {label}",
        body=f"After the recall of {petition.holder.person.name}, a by-election fills the {label}: "
        f"{election.title}, voting closes {election.voting_close_at:%Y-%m-%d %H:%M} UTC."
        + (f" ({petition.replacement_note})" if petition.replacement_note else ""),
        link=_link(petition),
    )


@transaction.atomic
def recall_by_election_seat(*, petition: RecallPetition, actor: Actor = SYSTEM) -> RecallPetition:
    """Once a recall's by-election has installed its winner, record it; for a delegate seat, seat the
    winner on the council for the rest of the recalled term. Idempotent; a failed by-election leaves
    the seat vacant until the next election."""
    petition = _petition_for_update(petition.pk)
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
    seat = _seat_for_update(petition.seat_id)
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
        summary=f"Member {won.member.number} fills the {_seat_label(seat)} by {election.title}, after the "
        f"recall of member {petition.holder.number}",
        payload={"petition": petition.pk, "election": election.pk, "member": won.member.number},
    )
    return petition


# --- The scheduler --------------------------------------------------------------------------------------


@dataclass
class RecallRunReport:
    done: list[str] = field(default_factory=list)


@transaction.atomic
def _lapse(petition_id: int, now: datetime) -> bool:
    petition = (
        RecallPetition.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("organisation", "holder")
        .filter(pk=petition_id, status=RecallStatus.GATHERING, deadline__lte=now)
        .first()
    )
    if petition is None:
        return False
    petition.status, petition.decided_at = RecallStatus.LAPSED, now
    petition.save(update_fields=["status", "decided_at"])
    log_entry_record(
        organisation=petition.organisation,
        action="recall.petition_lapsed",
        body_id=petition.body_id,
        actor=SYSTEM,
        summary=f"Recall petition #{petition.pk} against member {petition.holder.number} lapsed: "
        f"{petition.signatures} of the {petition.signatures_required} signatures needed by its deadline",
        payload={
            "petition": petition.pk,
            "signatures": petition.signatures,
            "signatures_required": petition.signatures_required,
        },
    )
    return True


def recalls_run_due(*, now: datetime | None = None, actor: Actor = SYSTEM) -> RecallRunReport:
    """Every recall transition that has fallen due (for ``commune election worker``): petitions past
    their window lapse, recall ballots past their close are counted and carried out, and recall
    by-elections whose winners are installed are recorded and seated."""
    moment = now or timezone.now()
    report = RecallRunReport()
    for petition_id in list(
        RecallPetition.objects.filter(status=RecallStatus.GATHERING, deadline__lte=moment).values_list(
            "id", flat=True
        )
    ):
        if _lapse(petition_id, moment):
            report.done.append(f"recall petition #{petition_id}: lapsed")
    for petition in RecallPetition.objects.filter(
        status=RecallStatus.BALLOTING, ballot__closed_at__isnull=True, ballot__closes_at__lte=moment
    ):
        try:
            recall_ballot_close(petition=petition, actor=actor)
        except RecallConflict:
            continue  # another worker counted it first
        report.done.append(f"recall petition #{petition.pk}: recall ballot counted")
    for petition in RecallPetition.objects.filter(
        replacement_outcome=ReplacementOutcome.BY_ELECTION,
        by_election__status__in=[ElectionStatus.DECLARED, ElectionStatus.FAILED],
    ):
        before = petition.replacement_outcome
        if recall_by_election_seat(petition=petition, actor=actor).replacement_outcome != before:
            report.done.append(f"recall petition #{petition.pk}: by-election result recorded")
    return report
