"""Referrals: a council's question put to every unit's general assembly or to the whole membership, and
the aggregate decision once all their votes have closed (see ``votes``)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, BodyKind
from commune.motions.errors import MotionConflict
from commune.motions.models import (
    Motion,
    MotionStatus,
    Referral,
    ReferralKind,
    StatutoryBallot,
    Vote,
    VotePurpose,
    in_english,
)
from commune.motions.services.motions import amendments_lapse, constitution_rules
from commune.motions.services.statutory import statutory_ballot_open, statutory_notice_send
from commune.motions.services.voting import vote_open
from commune.motions.thresholds import decide, decision_rule, rule_to_json


def _referral_open(vote: Vote, motion: Motion, actor: Actor) -> Referral:
    council = motion.body
    kind = vote.details["kind"]
    closes_at = datetime.fromisoformat(vote.details["closes_at"])
    # The aggregate's rule is the one every vote of the referral opens under: the referendum's ballot, or
    # each unit's assembly (whose members' votes are summed), with the constitutional majority on a
    # constitutional motion.
    rule = decision_rule(
        constitution_rules(council.organisation_id).decisions,
        constitutional=motion.constitutional,
        referendum=kind == ReferralKind.REFERENDUM,
        industrial_action=motion.industrial_action,
    )
    referral = Referral.objects.create(
        motion=motion,
        council=council,
        kind=kind,
        decided_by=vote,
        opened_at=timezone.now(),
        closes_at=closes_at,
        rule=rule_to_json(rule),
    )
    motion.status = MotionStatus.REFERRED
    motion.decided_at = referral.opened_at
    motion.save(update_fields=["status", "decided_at"])
    amendments_lapse(motion=motion)
    question = f"{motion.title}: {motion.text}"[:290]
    if kind == ReferralKind.REFERENDUM and (vote.details.get("statutory") or {}).get("opens_on"):
        # It waits for the employer's notice of the ballot (``ballot_notice``), and opens after it.
        pass
    elif kind == ReferralKind.REFERENDUM and vote.details.get("statutory"):
        statutory_ballot_open(referral=referral, terms=vote.details["statutory"], actor=actor)
    elif kind == ReferralKind.REFERENDUM:
        vote_open(
            body=council,
            motion=motion,
            purpose=VotePurpose.REFERRAL,
            question=f"Referendum: {question}"[:300],
            member=None,
            closes_at=closes_at,
            referral=referral,
            referendum=True,
            actor=actor,
        )
    else:
        units = Body.objects.filter(
            organisation_id=council.organisation_id,
            kind=BodyKind.UNIT,
            path__startswith=council.path,
            member_count__gt=0,
        ).order_by("path")
        for unit in units:
            vote_open(
                body=unit,
                motion=motion,
                purpose=VotePurpose.REFERRAL,
                question=f"Referred by {council.name}: {question}"[:300],
                member=None,
                closes_at=closes_at,
                referral=referral,
                actor=actor,
            )
    log_entry_record(
        organisation=council.organisation,
        action="motion.referred",
        body_id=council.pk,
        actor=actor,
        summary=f"{council.name} referred “{motion.title}” {in_english(ReferralKind(kind).label).lower()}",
        payload={
            "motion": motion.pk,
            "referral": referral.pk,
            "kind": kind,
            "decided_by_vote": vote.pk,
            "rule": referral.rule,
        },
    )
    return referral


def referral_close(*, referral: Referral, actor: Actor = SYSTEM) -> Referral:
    """Aggregate a referral once all its votes have closed, under the rule stored when it opened. A
    referendum is decided by its one ballot; a referral to the assemblies by every member's vote summed
    across the units (each member counting once, whatever the size of their unit), with each unit's own
    decision shown."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("council__organisation", "motion")
            .get(pk=referral.pk)
        )
        if referral.closed_at is not None:
            return referral
        votes = list(Vote.objects.filter(referral=referral).select_related("body").order_by("body__path"))
        if any(v.closed_at is None for v in votes):
            raise MotionConflict(_("some votes of this referral are still open"))
        statutory = StatutoryBallot.objects.filter(referral=referral).first()
        if statutory is not None:
            # Each question of a statutory ballot is its own decision (s.229(2)): the action it asks about
            # is authorised if that question carried. The figures shown first are the first question's.
            votes.sort(key=lambda v: v.pk)
            yes, no, abstain, electorate = (
                getattr(votes[0], f) for f in ("yes", "no", "abstain", "electorate")
            )
            carried = any(v.carried for v in votes)
            explanation = "\n".join(f"{v.question}\n{v.explanation}" for v in votes)
        else:
            yes, no, abstain, electorate = (
                sum(getattr(v, f) for v in votes) for f in ("yes", "no", "abstain", "electorate")
            )
            result = decide(
                rule=referral.rule, yes=yes, no=no, abstain=abstain, electorate=electorate, present=None
            )
            carried, explanation = bool(result.passed), result.explanation
        referral.summary = {
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "electorate": electorate,
            "explanation": explanation,
            "units_carried": sum(1 for v in votes if v.carried),
            "units_not_carried": sum(1 for v in votes if not v.carried),
            "bodies": [
                {
                    "code": v.body.code,
                    "name": v.body.name,
                    "yes": v.yes,
                    "no": v.no,
                    "abstain": v.abstain,
                    "electorate": v.electorate,
                    "carried": v.carried,
                }
                for v in votes
            ],
        }
        if statutory is not None:
            referral.summary["questions"] = [
                {
                    "vote": v.pk,
                    "question": v.question,
                    "yes": v.yes,
                    "no": v.no,
                    "abstain": v.abstain,
                    "electorate": v.electorate,
                    "carried": v.carried,
                }
                for v in votes
            ]
        referral.carried = carried
        referral.closed_at = timezone.now()
        referral.save(update_fields=["summary", "carried", "closed_at"])
        log_entry_record(
            organisation=referral.council.organisation,
            action="referral.decided",
            body_id=referral.council_id,
            actor=actor,
            summary=f"The membership {'carried' if carried else 'did not carry'} “{referral.motion.title}”: "
            f"{yes} yes, {no} no, {abstain} abstain of {electorate}",
            payload={
                "referral": referral.pk,
                "motion": referral.motion_id,
                "carried": carried,
                **referral.summary,
            },
        )
        if statutory is not None:
            statutory_notice_send(ballot=statutory, actor=actor)
    return referral
