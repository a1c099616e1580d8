"""Closing nominations, counting, declaring the result and seating the winners."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from commune.audit.capture import power_rows_note, power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.bulletin import BulletinError, bulletin_count
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
from commune.elections.services.casting import bulletin_publish
from commune.federation.models import Delegation, OfficeTerm
from commune.federation.services import delegation_seat, office_fill
from commune.tally.export import result_dict
from commune.tally.types import Result


def _labels(candidacies: Sequence[Candidacy]) -> None:
    """Names on the ballot; where two candidates share a name, their membership numbers tell them apart."""
    names: dict[str, int] = {}
    for c in candidacies:
        names[c.member.person.name] = names.get(c.member.person.name, 0) + 1
    for c in candidacies:
        name = c.member.person.name
        c.ballot_label = f"{name} ({c.member.number})" if names[name] > 1 else name


def nominations_close(*, election: Election, actor: Actor = SYSTEM) -> Election:
    """Fix the ballot: drop nominations short of seconders, name the candidates; with no valid nomination
    the election fails, with no more candidates than seats they are elected unopposed. Call inside the
    election's row lock."""
    standing = list(
        Candidacy.objects.filter(election=election, status=CandidacyStatus.STANDING)
        .select_related("member__person")
        .annotate(seconded=Count("seconders"))
        .order_by("member__person__name", "member__number")
    )
    short = [c for c in standing if c.seconded < election.seconders_required]
    if short:
        power_rows_note(Candidacy.objects.filter(pk__in=[c.pk for c in short]))
        Candidacy.objects.filter(pk__in=[c.pk for c in short]).update(status=CandidacyStatus.INVALID)
    valid = [c for c in standing if c.seconded >= election.seconders_required]
    _labels(valid)
    Candidacy.objects.bulk_update(valid, ["ballot_label"])
    power_rows_saved(valid)
    log_entry_record(
        organisation=election.organisation,
        action="election.nominations_closed",
        body_id=election.body_id,
        actor=actor,
        summary=f"Nominations closed in {election.title}: {len(valid)} candidate{'s' * (len(valid) != 1)}",
        payload={
            "election": election.pk,
            "candidates": [c.ballot_label for c in valid],
            "not_validly_nominated": [c.member.person.name for c in short],
        },
    )
    if not valid:
        election.status = ElectionStatus.FAILED
        election.failure_reason = "no valid nominations"
        election.declared_at = timezone.now()
        election.save(update_fields=["status", "failure_reason", "declared_at"])
        log_entry_record(
            organisation=election.organisation,
            action="election.failed",
            body_id=election.body_id,
            actor=actor,
            summary=f"{election.title} failed: no valid nominations",
            payload={"election": election.pk},
        )
        return election
    if len(valid) <= election.seats:
        election.uncontested = True
        election.result = {
            "method": "uncontested",
            "seats": election.seats,
            "elected": [c.ballot_label for c in valid],
            "stages": [],
        }
        _declare(election=election, elected=valid, alternates=[], actor=actor)
        return election
    election.status = ElectionStatus.NOMINATIONS_CLOSED
    election.save(update_fields=["status"])
    return election


def _final_totals(result: Result) -> Mapping[str, Decimal]:
    return result.stages[-1].totals if result.stages else {}


def runners_up(result: Result) -> list[str]:
    """The candidates not elected, strongest first: those still continuing at the end by their final
    votes, then the excluded, the last excluded first. This is the order alternates stand in."""
    excluded_at: dict[str, int] = {}
    for stage in result.stages:
        for name in stage.excluded:
            excluded_at[name] = stage.number
    totals = _final_totals(result)
    others = [c for c in result.candidates if c not in result.elected]
    return sorted(
        others,
        key=lambda c: (
            c in excluded_at,
            -excluded_at.get(c, 0),
            -totals.get(c, Decimal(0)),
            c,
        ),
    )


def election_count(*, election: Election, actor: Actor = SYSTEM) -> Election:
    """Publish the bulletin and count it, in one transaction: the shuffled bulletin, its Merkle root in the
    provenance log, the result with its stages, the winners and the alternates."""
    with transaction.atomic():
        entries, root = bulletin_publish(election=election)
        election = (
            Election.objects.select_for_update(of=("self",))
            .select_related("organisation", "body")
            .get(pk=election.pk)
        )
        election.merkle_root = root
        election.ballots_counted = len(entries)
        document = bulletin_document(election=election, entries=entries, with_result=False)
        log_entry_record(
            organisation=election.organisation,
            action="election.bulletin_published",
            body_id=election.body_id,
            actor=actor,
            summary=f"Bulletin of {election.title} published: {len(entries)} ballots, Merkle root {root[:16]}…",
            payload={
                "election": election.pk,
                "ballots": len(entries),
                "merkle_root": root,
                "seed": election.tie_seed,
            },
        )
        try:
            result = bulletin_count(document)
        except BulletinError as exc:
            election.status = ElectionStatus.FAILED
            election.failure_reason = str(exc) if entries else "no ballots were cast"
            election.declared_at = timezone.now()
            election.save(
                update_fields=["status", "failure_reason", "declared_at", "merkle_root", "ballots_counted"]
            )
            log_entry_record(
                organisation=election.organisation,
                action="election.failed",
                body_id=election.body_id,
                actor=actor,
                summary=f"{election.title} failed: {election.failure_reason}",
                payload={"election": election.pk},
            )
            return election
        election.result = result_dict(result, title=election.title)
        by_label = {
            c.ballot_label: c
            for c in Candidacy.objects.filter(
                election=election, status=CandidacyStatus.STANDING
            ).select_related("member__person")
        }
        _declare(
            election=election,
            elected=[by_label[name] for name in result.elected],
            alternates=[by_label[name] for name in runners_up(result)],
            actor=actor,
        )
    return election


def _declare(
    *, election: Election, elected: Sequence[Candidacy], alternates: Sequence[Candidacy], actor: Actor
) -> None:
    for order, c in enumerate(elected, start=1):
        c.outcome, c.elected_order, c.alternate_rank = CandidacyOutcome.ELECTED, order, None
    for rank, c in enumerate(alternates, start=1):
        c.outcome, c.elected_order, c.alternate_rank = CandidacyOutcome.ALTERNATE, None, rank
    Candidacy.objects.bulk_update([*elected, *alternates], ["outcome", "elected_order", "alternate_rank"])
    power_rows_saved([*elected, *alternates])
    election.status = ElectionStatus.DECLARED
    election.declared_at = timezone.now()
    election.save(
        update_fields=[
            "status",
            "declared_at",
            "result",
            "uncontested",
            "merkle_root",
            "ballots_counted",
        ]
    )
    log_entry_record(
        organisation=election.organisation,
        action="election.declared",
        body_id=election.body_id,
        actor=actor,
        summary=f"Result of {election.title}: "
        + ", ".join(c.ballot_label for c in elected)
        + (" elected unopposed" if election.uncontested else " elected"),
        payload={
            "election": election.pk,
            "elected": [c.ballot_label for c in elected],
            "alternates": [c.ballot_label for c in alternates],
            "uncontested": election.uncontested,
            "ballots": election.ballots_counted,
            "merkle_root": election.merkle_root,
            "seed": election.tie_seed,
        },
    )
    if election.term_start <= timezone.localdate():
        election_install(election=election, actor=actor)


def _represents(election: Election, winners: int) -> list[int]:
    base, extra = divmod(election.represented_members, max(winners, 1))
    return [base + 1 if i < extra else base for i in range(winners)]


@transaction.atomic
def election_install(*, election: Election, actor: Actor = SYSTEM) -> Election:
    """Start the new term: end the previous holders' terms and seat the winners, naming this election as
    the source of every seat (a by-election: seat its winner in the vacated seat, for the rest of its
    term, ending no other delegate's). Idempotent."""
    election = (
        Election.objects.select_for_update(of=("self",))
        .select_related("organisation", "body", "council", "office")
        .get(pk=election.pk)
    )
    if election.status != ElectionStatus.DECLARED or election.installed_at is not None:
        return election
    now = timezone.now()
    winners = list(
        Candidacy.objects.filter(election=election, outcome=CandidacyOutcome.ELECTED)
        .select_related("member__person")
        .order_by("elected_order")
    )
    represents = _represents(election, len(winners))
    if election.kind == ElectionKind.DELEGATES:
        assert election.council is not None
        # A by-election fills its one vacated seat: the constituency's other delegates keep theirs.
        ending = Delegation.objects.filter(
            (Q(constituency=election.body) if election.fills_id is None else Q(pk__in=[]))
            | Q(member__in=[w.member for w in winners]),
            council=election.council,
            ended_at__isnull=True,
        )
        _end_terms(election, list(ending.select_related("member")), now, actor)
        for winner, members in zip(winners, represents, strict=True):
            delegation = delegation_seat(
                council=election.council,
                constituency=election.body,
                member=winner.member,
                term_start=election.term_start,
                term_end=election.term_end,
                source=election.source_label,
                actor=actor,
            )
            ElectedSeat.objects.create(
                election=election, member=winner.member, delegation=delegation, represents_members=members
            )
    elif election.kind == ElectionKind.OFFICER:
        assert election.office is not None
        _end_terms(
            election,
            list(
                OfficeTerm.objects.filter(office=election.office, ended_at__isnull=True).select_related(
                    "member"
                )
            ),
            now,
            actor,
        )
        for winner, members in zip(winners, represents, strict=True):
            term = office_fill(
                office=election.office,
                member=winner.member,
                term_start=election.term_start,
                term_end=election.term_end,
                source=election.source_label,
                actor=actor,
            )
            ElectedSeat.objects.create(
                election=election, member=winner.member, office_term=term, represents_members=members
            )
    else:
        for winner, members in zip(winners, represents, strict=True):
            ElectedSeat.objects.create(election=election, member=winner.member, represents_members=members)
    election.installed_at = now
    election.save(update_fields=["installed_at"])
    return election


def _end_terms(election: Election, terms: Sequence[Delegation | OfficeTerm], now: Any, actor: Actor) -> None:
    for term in terms:
        term.ended_at, term.end_reason = now, "term ended"
        term.save(update_fields=["ended_at", "end_reason"])
        log_entry_record(
            organisation=election.organisation,
            action="term.ended",
            body_id=election.council_id or election.body_id,
            actor=actor,
            summary=f"Term of member {term.member.number} ended: {election.title} starts the next",
            payload={"election": election.pk, "member": term.member.number, "kind": election.kind},
        )
