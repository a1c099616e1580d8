"""Recall: the electorate that conferred a seat takes it back.

A petition is opened only by the electors of the election that conferred the seat (its ``Elector``
snapshot) who are still members within the body that held it; those members, fixed when it opens
(``RecallPetitionElector``), are its electorate: they alone sign it and vote in its recall ballot,
whatever the roll says afterwards. Its threshold, window,
procedure and replacement are the constitution's when it opens. At the threshold the holder is removed at
once, or a secret recall ballot of the same electorate decides under its own majority; once removed, the
seat is filled by countback of the original election's published ballots (``commune.tally.countback``)
or by a by-election, as the constitution says.

There is deliberately no service to pause, void, delay or withdraw a petition or a ballot: a petition
ends only by reaching its threshold or lapsing at its deadline, a ballot only by being counted. Signers
are not recorded by name anywhere (``RecallSignature`` keeps a keyed digest); the log records counts.
See ``docs/recall.md``.

This module holds the petitions and the scheduler; the recall ballot is in ``ballot``, removal and
replacement in ``countback``, and what they share in ``common``. All are re-exported by the package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.capture import power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.boxkeys import petition_key_destroy, petition_signer_digest
from commune.elections.models import ElectedSeat, ElectionStatus
from commune.federation.electorate import electorate_digest
from commune.federation.models import Member
from commune.federation.selectors import constitution_adopted
from commune.federation.standing import electors_in_standing
from commune.notifications.services import notification_send
from commune.recall.errors import RecallConflict, RecallNotEntitled
from commune.recall.models import (
    RecallPetition,
    RecallPetitionElector,
    RecallProcedure,
    RecallSignature,
    RecallStatus,
    ReplacementOutcome,
)
from commune.recall.services.ballot import (
    RECALL_BALLOT_PERIOD,
    recall_ballot_cast,
    recall_ballot_close,
    recall_ballot_open,
)
from commune.recall.services.common import (
    ELECTORATE_ACTOR,
    people_of,
    petition_electorate,
    petition_link,
    petition_lock,
    recall_electorate,
    recall_may_take_part,
    seat_label,
    seat_label_read,
    seat_term,
    seat_with_holder,
)
from commune.recall.services.countback import (
    END_RECALLED,
    holder_remove,
    recall_by_election_seat,
    recall_countback_standing,
)
from commune.translation import deferred

__all__ = [
    "ELECTORATE_ACTOR",
    "END_RECALLED",
    "RECALL_BALLOT_PERIOD",
    "RecallRunReport",
    "petition_electorate",
    "recall_ballot_cast",
    "recall_ballot_close",
    "recall_by_election_seat",
    "recall_countback_standing",
    "recall_electorate",
    "recall_may_take_part",
    "recall_petition_open",
    "recall_petition_sign",
    "recall_signature_withdraw",
    "recall_signed",
    "recalls_run_due",
]

#: Part of every stored signature digest: it keeps the name recall had inside the mandates app, as
#: changing it would let everyone who signed a live petition sign it again.
_SIGNATURE_SALT = "commune.mandates.recall.signature"


def _signer_keys(petition_id: int, member_id: int, *, create: bool = False) -> list[str]:
    """The member's signature digest under the petition's own key (``boxkeys.petition_signer_digest``,
    made on the first signature with ``create``, destroyed when the petition stops gathering) first; then,
    for signatures given before petitions had keys of their own, the digests under the current secret key
    and each fallback key."""
    value = f"{petition_id}:{member_id}"
    own = petition_signer_digest(petition_id, member_id, create=create)
    return [
        *([own] if own is not None else []),
        *(
            salted_hmac(_SIGNATURE_SALT, value, secret=key, algorithm="sha256").hexdigest()
            for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        ),
    ]


def recall_signed(*, petition: RecallPetition, member: Member) -> bool:
    """Whether ``member`` has signed: for the member themself only (never list others with it)."""
    return RecallSignature.objects.filter(
        petition_id=petition.pk, signer_key__in=_signer_keys(petition.pk, member.pk)
    ).exists()


# --- Petitions ------------------------------------------------------------------------------------------


@transaction.atomic
def recall_petition_open(*, seat: ElectedSeat, member: Member, grounds: str = "") -> RecallPetition:
    """Open a petition to recall ``seat``'s holder; the member opening it is its first signer.

    Only a member of the seat's electorate may open one, only while the seat is held, and only one
    petition per seat runs at a time. The log names no one: the opener is a signer like any other.
    """
    seat = seat_with_holder(seat.pk)
    term = type(seat_term(seat)).objects.select_for_update().get(pk=seat_term(seat).pk)
    if term.ended_at is not None:
        raise RecallConflict(_("this seat has already ended; there is nobody to recall"))
    constitution, version = constitution_adopted(organisation_id=seat.election.organisation_id)
    elected_by = list(recall_electorate(seat=seat).values_list("id", flat=True))
    if member.pk not in elected_by:
        raise RecallNotEntitled(_("only the electorate that elected this holder may petition to recall them"))
    electorate = electors_in_standing(
        rules=constitution, organisation_id=seat.election.organisation_id, member_ids=elected_by
    )
    if member.pk not in electorate:
        raise RecallNotEntitled(
            _(
                "only members in good standing may petition, as the constitution says (dues.voting_requires_good_standing)"
            )
        )
    rules = constitution.recall
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
        raise RecallConflict(
            _("a recall petition against this seat is already running: sign that one")
        ) from exc
    power_rows_saved(
        RecallPetitionElector.objects.bulk_create(
            [RecallPetitionElector(petition=petition, member_id=mid) for mid in electorate], batch_size=2000
        )
    )
    label = seat_label(seat)
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
            "electorate_digest": electorate_digest(electorate),
            "signatures_required": required,
            "threshold_percent": str(rules.petition_threshold_percent),
            "deadline": petition.deadline.isoformat(),
            "procedure": rules.procedure,
            "replacement": rules.replacement,
            "constitution_version": version,
        },
    )
    return _sign(petition, member, now)


def _gathering(petition: RecallPetition, now: datetime) -> None:
    if petition.status != RecallStatus.GATHERING:
        raise RecallConflict(
            _("this petition is no longer gathering signatures (%(status)s)")
            % {"status": petition.get_status_display()}
        )
    if now >= petition.deadline:
        raise RecallConflict(_("this petition's window has closed"))


def _sign(petition: RecallPetition, member: Member, now: datetime) -> RecallPetition:
    keys = _signer_keys(petition.pk, member.pk, create=True)
    if RecallSignature.objects.filter(petition=petition, signer_key__in=keys).exists():
        raise RecallConflict(_("you have already signed this petition"))
    try:
        with transaction.atomic():
            RecallSignature.objects.create(petition=petition, signer_key=keys[0])
    except IntegrityError as exc:
        raise RecallConflict(_("you have already signed this petition")) from exc
    petition.signatures += 1
    petition.save(update_fields=["signatures"])
    if petition.signatures >= petition.signatures_required:
        _threshold_reach(petition, now)
    return petition


@transaction.atomic
def recall_petition_sign(*, petition: RecallPetition, member: Member) -> RecallPetition:
    """Add the member's signature: once each, only by the seat's electorate, only while it gathers.

    At the threshold the constitution's procedure runs in the same transaction."""
    petition = petition_lock(petition.pk)
    now = timezone.now()
    _gathering(petition, now)
    if not recall_may_take_part(member=member, petition=petition):
        raise RecallNotEntitled(
            _("only the electorate that elected this holder, as it stood when the petition opened, may sign")
        )
    return _sign(petition, member, now)


@transaction.atomic
def recall_signature_withdraw(*, petition: RecallPetition, member: Member) -> RecallPetition:
    """Take back one's own signature, while the petition is still gathering (before the threshold)."""
    petition = petition_lock(petition.pk)
    _gathering(petition, timezone.now())
    deleted, _by_kind = RecallSignature.objects.filter(
        petition=petition, signer_key__in=_signer_keys(petition.pk, member.pk)
    ).delete()
    if not deleted:
        raise RecallConflict(_("you have not signed this petition"))
    petition.signatures -= 1
    petition.save(update_fields=["signatures"])
    return petition


def _threshold_reach(petition: RecallPetition, now: datetime) -> None:
    petition.threshold_reached_at = now
    petition_id = petition.pk
    transaction.on_commit(lambda: petition_key_destroy(petition_id))
    seat = seat_with_holder(petition.seat_id)
    label = seat_label(seat)
    if petition.procedure == RecallProcedure.BALLOT:
        petition.status = RecallStatus.BALLOTING
        petition.save(update_fields=["status", "threshold_reached_at"])
        ballot = recall_ballot_open(petition, seat, now)
        then = f"A secret recall ballot is open until {ballot.closes_at:%Y-%m-%d %H:%M} UTC."
        then_read = deferred(
            gettext_lazy("A secret recall ballot is open until %(until)s UTC."),
            until=f"{ballot.closes_at:%Y-%m-%d %H:%M}",
        )
    else:
        # Saved with the removal below: a petition at its threshold is never left gathering.
        then = "Under the constitution the holder is removed at once."
        then_read = deferred(gettext_lazy("Under the constitution the holder is removed at once."))
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
        people=people_of(petition_electorate(petition=petition)),
        kind="recall.threshold_reached",
        subject=deferred(
            gettext_lazy("A recall petition against your delegate %(name)s reached its threshold"),
            name=petition.holder.person.name,
        ),
        body=deferred(
            gettext_lazy(
                "The petition to recall %(name)s from their %(seat)s reached its threshold: %(signatures)s of "
                "%(electorate)s electors signed. %(then)s"
            ),
            name=petition.holder.person.name,
            seat=seat_label_read(seat),
            signatures=petition.signatures,
            electorate=petition.electorate_size,
            then=then_read,
        ),
        link=petition_link(petition),
    )
    if petition.procedure == RecallProcedure.IMMEDIATE:
        holder_remove(petition, seat, now)


# --- The scheduler --------------------------------------------------------------------------------------


@dataclass
class RecallRunReport:
    """What one scheduler pass did to recalls: one line per transition, and the problems met."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


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
    transaction.on_commit(lambda: petition_key_destroy(petition_id))
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
