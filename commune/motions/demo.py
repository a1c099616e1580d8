"""The demo's statutory strike ballot, run through the real services: Congress's referral of the strike
motion is held as a hybrid statutory ballot (``commune.mandates.demo`` refers it), and this casts it.

About half the members vote online on both questions; every other member is sent a paper. Two
papers come back spoiled and are replaced under new codes; two members who were sent papers vote online
instead, so their papers are cancelled (one comes back anyway and is rejected); a tenth of the papers
are returned and entered by two tellers, who read two of them differently, each settled by the third
teller. The count reconciles every paper, the scrutineer's report says so, and the notice goes to the
members and the employer. Choices are sampled from a seeded ``random.Random``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.urls import reverse

from commune.audit.services import Actor
from commune.federation.models import Member
from commune.motions.models import Choice, Referral, StatutoryBallot, VoteElector
from commune.motions.selectors.statutory import statutory_votes
from commune.motions.services import assembly_vote_cast
from commune.motions.services.papers import (
    vote_paper_dispute_resolve,
    vote_paper_enter,
    vote_paper_replace,
    vote_papers_issue,
)

ONLINE_SHARE = 0.48
RETURNED_SHARE = 0.1
EMPLOYER = "Metropolitan Transit Authority"
EMPLOYER_EMAIL = "industrial.relations@metrotransit.example"
#: Yes, no, void weights: for a strike, and for action short of a strike.
WEIGHTS = ((70, 28, 2), (78, 19, 3))


def demo_statutory_terms(*, tellers: Sequence[Member], scrutineer_email: str) -> dict[str, object]:
    """The terms Congress refers the strike motion under: both questions, the employer, the scrutineer,
    three tellers."""
    return {
        "strike": True,
        "short_of_strike": True,
        "employer": EMPLOYER,
        "employer_email": EMPLOYER_EMAIL,
        "scrutineer_email": scrutineer_email,
        "tellers": [t.number for t in tellers],
    }


def _as(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def demo_statutory_ballot_cast(
    *, referral: Referral, rng: random.Random, skip: Sequence[Member]
) -> StatutoryBallot:
    """Cast the statutory ballot of ``referral`` as described above, leaving ``skip`` out of it."""
    ballot = StatutoryBallot.objects.select_related("paper_channel").get(referral=referral)
    votes = statutory_votes(ballot)
    skipped = {m.pk for m in skip}
    electors = [
        m
        for m in Member.objects.filter(pk__in=VoteElector.objects.filter(vote=votes[0]).values("member_id"))
        .select_related("person")
        .order_by("number")
        if m.pk not in skipped
    ]
    choices = (Choice.YES, Choice.NO, Choice.ABSTAIN)
    for member in rng.sample(electors, round(len(electors) * ONLINE_SHARE)):
        for vote, weights in zip(votes, WEIGHTS, strict=False):
            assembly_vote_cast(vote=vote, member=member, choice=rng.choices(choices, weights)[0])
    first, second, third = ballot.paper_channel.tellers.select_related("person").order_by("number")[:3]
    papers = vote_papers_issue(vote=votes[0], teller=first, actor=_as(first))
    papers = [p for p in papers if p.member_id not in skipped]
    rng.shuffle(papers)
    for index, paper in enumerate(papers[:2]):
        papers[index] = vote_paper_replace(
            vote=votes[0], teller=first, code=paper.code, spoiled=True, actor=_as(first)
        )
    changed_minds = papers[2:4]
    for paper in changed_minds:
        for vote in votes:
            assembly_vote_cast(vote=vote, member=paper.member, choice=Choice.YES)
    vote_paper_enter(
        vote=votes[0], teller=first, code=changed_minds[0].code, answers=["yes", "yes"], actor=_as(first)
    )
    answers = ("yes", "no", "void")
    for index, paper in enumerate(papers[4 : 4 + round(len(papers) * RETURNED_SHARE)]):
        read = [rng.choices(answers, weights)[0] for weights in WEIGHTS[: len(votes)]]
        vote_paper_enter(vote=votes[0], teller=first, code=paper.code, answers=read, actor=_as(first))
        if index % 60 == 5:
            misread = ["no" if a == "yes" else "yes" for a in read]
            vote_paper_enter(
                vote=votes[0], teller=second, code=paper.code, answers=misread, actor=_as(second)
            )
            vote_paper_dispute_resolve(
                vote=votes[0],
                teller=third,
                code=paper.code,
                answers=read,
                reason="mark_clear",
                actor=_as(third),
            )
        else:
            vote_paper_enter(vote=votes[0], teller=second, code=paper.code, answers=read, actor=_as(second))
    return ballot


def demo_scrutiny_path(*, organisation_slug: str) -> str | None:
    """Where the demo's scrutineer reads their report, once seeded."""
    ballot = StatutoryBallot.objects.filter(referral__council__organisation__slug=organisation_slug).first()
    if ballot is None:
        return None
    return reverse("motions:statutory_scrutiny", kwargs={"slug": organisation_slug, "ballot_id": ballot.pk})
