"""Reads for motions, votes and council sessions, for the API and for pages. Each issues a fixed number of
queries, however many supporters, amendments, seats or votes there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from commune.ballots.access import access_sealed_yes_no_box
from commune.ballots.selectors import yes_no_bulletin
from commune.federation.access import NotFound
from commune.federation.models import Body, Organisation
from commune.motions.errors import MotionConflict
from commune.motions.models import (
    Amendment,
    CouncilSession,
    DelegateVote,
    Motion,
    MotionStatus,
    OpenChoice,
    Referral,
    RollEntry,
    Vote,
    VoteMode,
)


def motions_of_body(*, body: Body, status: str | None = None) -> QuerySet[Motion]:
    """The motions before a body, newest first, with their supporter counts."""
    qs = (
        Motion.objects.filter(body=body)
        .select_related("body", "moved_by__person", "forwarded_from__body")
        .annotate(supporter_count=Count("supports"))
        .order_by("-moved_at", "-id")
    )
    return qs.filter(status=status) if status else qs


def body_agenda(*, body: Body) -> QuerySet[Motion]:
    """The motions on a body's agenda, in the order they reached it."""
    return (
        Motion.objects.filter(body=body, status=MotionStatus.ON_AGENDA)
        .select_related("body", "moved_by__person", "forwarded_from__body")
        .annotate(supporter_count=Count("supports"))
        .order_by("placed_on_agenda_at", "id")
    )


def motion_provenance(*, motion: Motion) -> list[Motion]:
    """The motion's line, from the body it was first moved in up to the highest body it reached: each
    with its body, its mover (the first only) and the vote that adopted it there. One query."""
    line = list(
        Motion.objects.filter(origin_id=motion.origin_id or motion.pk)
        .select_related("body", "moved_by__person", "adopted_by")
        .order_by("body__depth")
    )
    return sorted(line, key=lambda m: -m.body.depth)


@dataclass(frozen=True)
class MotionDetail:
    motion: Motion
    provenance: list[Motion]
    supporters: int
    amendments: list[Amendment]
    votes: list[Vote]
    referrals: list[Referral]


def motion_detail(*, motion_id: int) -> MotionDetail | None:
    """A motion with its provenance, supporters, amendments, votes and referrals. Six queries."""
    motion = (
        Motion.objects.select_related("body", "moved_by__person", "adopted_by")
        .annotate(supporter_count=Count("supports"))
        .filter(pk=motion_id)
        .first()
    )
    if motion is None:
        return None
    return MotionDetail(
        motion=motion,
        provenance=motion_provenance(motion=motion),
        supporters=motion.supporter_count,
        amendments=list(
            Amendment.objects.filter(motion=motion)
            .select_related("proposed_by__person")
            .order_by("proposed_at", "id")
        ),
        votes=list(Vote.objects.filter(motion=motion).select_related("body").order_by("opened_at", "id")),
        referrals=list(
            Referral.objects.filter(motion=motion).select_related("council").order_by("opened_at")
        ),
    )


def vote_detail(*, vote_id: int) -> Vote | None:
    """A vote with its recorded choices: each seat's in a council, each member's in an open assembly
    (a secret vote has none to show). Three queries."""
    return (
        Vote.objects.select_related("body", "motion", "session", "amendment")
        .prefetch_related(
            Prefetch(
                "delegate_votes",
                queryset=DelegateVote.objects.select_related(
                    "delegation__constituency", "delegation__member__person", "cast_by__person"
                ).order_by("delegation__constituency__code", "delegation_id"),
            ),
            Prefetch(
                "open_choices",
                queryset=OpenChoice.objects.select_related("member__person").order_by("member__number"),
            ),
        )
        .filter(pk=vote_id)
        .first()
    )


def sessions_of_council(*, council: Body) -> QuerySet[CouncilSession]:
    return (
        CouncilSession.objects.filter(council=council)
        .annotate(present=Count("roll"))
        .order_by("-opened_at", "-id")
    )


def session_detail(*, session_id: int) -> CouncilSession | None:
    """A council session: its council, its roll (who is present for which seat, delegate or alternate),
    and every vote with every seat's choice. Four queries, however large the council."""
    return (
        CouncilSession.objects.select_related("council")
        .prefetch_related(
            Prefetch(
                "roll",
                queryset=RollEntry.objects.select_related(
                    "delegation__constituency", "delegation__member__person", "attended_by__person"
                ).order_by("delegation__constituency__code", "delegation_id"),
            ),
            Prefetch(
                "votes",
                queryset=Vote.objects.select_related("motion", "body").order_by("opened_at", "id"),
            ),
            Prefetch(
                "votes__delegate_votes",
                queryset=DelegateVote.objects.select_related(
                    "delegation__constituency", "delegation__member__person", "cast_by__person"
                ).order_by("delegation__constituency__code", "delegation_id"),
            ),
        )
        .filter(pk=session_id)
        .first()
    )


def referral_detail(*, referral_id: int) -> Referral | None:
    """A referral with each body's vote on it. Two queries."""
    return (
        Referral.objects.select_related("council", "motion", "decided_by")
        .prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("body").order_by("body__path"))
        )
        .filter(pk=referral_id)
        .first()
    )


def constitution_referendum_refusal(organisation_id: int, referral_id: int) -> str | None:
    """Why the referral ``referral_id`` cannot carry a new version of the organisation's constitution, or
    None if it can: it must be a closed, carried referendum of the whole membership (referred by the top
    council) on a constitutional motion. The federation asks this through the check the motions app
    installs (``federation.services.constitution_referendum_check_register``). One query."""
    referendum = (
        Referral.objects.filter(pk=referral_id)
        .select_related("council", "motion")
        .only(
            "kind",
            "closed_at",
            "carried",
            "council__organisation_id",
            "council__parent_id",
            "motion__constitutional",
        )
        .first()
    )
    if referendum is None:
        return "no such referendum"
    council = referendum.council
    if council.organisation_id != organisation_id or council.parent_id is not None:
        return "only a referendum of the whole membership can amend the constitution"
    if referendum.kind != "referendum":
        return "the constitution is amended by a referendum, not by the assemblies' votes"
    if not referendum.motion.constitutional:
        return "the referendum was not on a constitutional motion"
    if referendum.closed_at is None or not referendum.carried:
        return "the referendum has not carried"
    return None


def vote_bulletin(*, organisation: Organisation, vote: Vote) -> dict[str, Any]:
    """The bulletin of a counted secret vote (an assembly's secret ballot or a referendum): its box's
    papers as the seal shuffled and rewrote them, their weights and totals, and what the vote declared —
    enough for anyone to re-count it (``commune.ballots.bulletin.yes_no_bulletin_verify``). Refused while
    the vote is open (nothing of a box is read before its seal); an open or a council vote has no box, its
    choices being on the record. Two queries."""
    if vote.mode != VoteMode.SECRET or vote.box_id is None:
        raise NotFound(_("only a secret ballot has a bulletin: this vote's choices are on the record"))
    if vote.closed_at is None:
        raise MotionConflict(_("the bulletin is published when the vote is counted"))
    return {
        **yes_no_bulletin(box=access_sealed_yes_no_box(vote.box_id)),
        "organisation": organisation.slug,
        "vote": vote.pk,
        "question": vote.question,
        "result": {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain, "carried": vote.carried},
    }
