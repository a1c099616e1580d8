"""Putting questions to a body (see ``votes``); casting the votes is ``casting``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.capture import power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.services import yes_no_box_open
from commune.federation.constitution import Rules
from commune.federation.electorate import electorate_digest
from commune.federation.models import Body, BodyKind, Member
from commune.federation.standing import electors_in_standing
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import (
    Amendment,
    AmendmentStatus,
    CouncilSession,
    Motion,
    MotionStatus,
    Referral,
    ReferralKind,
    Vote,
    VoteElector,
    VoteMode,
    VotePurpose,
    in_english,
)
from commune.motions.services.motions import constitution_rules, member_sits_in
from commune.motions.services.sessions import delegates_notify, seat_weights, seats_quorum, when_read
from commune.motions.services.statutory_terms import statutory_terms_check
from commune.motions.thresholds import decision_rule, rule_to_json
from commune.notifications.services import notification_send
from commune.translation import deferred


def _members_within(body: Body, rules: Rules) -> list[int]:
    """The members within ``body`` the constitution lets vote now (see ``federation.standing``)."""
    return electors_in_standing(
        rules=rules,
        organisation_id=body.organisation_id,
        member_ids=Member.objects.filter(
            organisation_id=body.organisation_id, current_unit__path__startswith=body.path
        ).values_list("id", flat=True),
    )


def _sitting_check(body: Body, session: CouncilSession, rules: Rules, now: datetime) -> None:
    """A vote at a sitting opens only in an open, started and quorate sitting of the body itself."""
    if session.council_id != body.pk or session.closed_at is not None:
        raise MotionConflict(_("%(body)s votes only in an open session of its own") % {"body": body.name})
    if now < session.starts_at:
        raise MotionConflict(
            _("this session of %(body)s has not started: no vote opens before it sits") % {"body": body.name}
        )
    quorum = seats_quorum(session=session, percent=rules.sessions.quorum_percent)
    if not quorum.met:
        raise MotionConflict(
            _(
                "%(body)s is not quorate, so no vote opens: %(present)s of the council's %(seats)s seats' "
                "votes are on the roll; the constitution's quorum (sessions.quorum_percent) is %(percent)s%%"
            )
            % {"body": body.name, "present": quorum.present, "seats": quorum.seats, "percent": quorum.percent}
        )


@transaction.atomic
def vote_open(
    *,
    body: Body,
    motion: Motion,
    purpose: str,
    question: str,
    member: Member | None,
    closes_at: datetime,
    session: CouncilSession | None = None,
    amendment: Amendment | None = None,
    referral: Referral | None = None,
    referendum: bool = False,
    details: dict[str, Any] | None = None,
    actor: Actor = SYSTEM,
) -> Vote:
    """Put a question to ``body``. ``member`` (who puts it) must sit in the body; ``None`` only when the
    body's own earlier decision puts it (a referral) or a right the rules give does (an applicant's appeal,
    ``motion_move_by_right``). A unit votes as a general assembly, secretly or
    openly as the constitution says; a council votes on the record, in an open ``session``; a
    ``referendum`` is a secret ballot of every member within the body."""
    now = timezone.now()
    if closes_at <= now:
        raise MotionError(_("the vote must close in the future"))
    if member is not None and not member_sits_in(member, body):
        raise NotEntitled(_("only those who sit in %(body)s may put a question to it") % {"body": body.name})
    rules = constitution_rules(body.organisation_id)
    minimum = rules.sessions.minimum_vote_minutes
    # A minute's grace: a closing time is given in minutes, and reckoned a moment before this write.
    if closes_at < now + timedelta(minutes=minimum - 1):
        raise MotionError(
            _(
                "a vote stays open at least %(minimum)s minutes under the constitution "
                "(sessions.minimum_vote_minutes), so that everyone entitled can cast it"
            )
            % {"minimum": minimum}
        )
    present: int | None = None
    if referendum:
        mode, electors = VoteMode.SECRET, _members_within(body, rules)
        session = None
    elif body.kind == BodyKind.UNIT:
        mode = VoteMode.SECRET if rules.ballots.member_votes_secret else VoteMode.OPEN
        electors = _members_within(body, rules)
        if session is not None:
            # At its sitting, an assembly's vote is the vote of the members present when it opens.
            _sitting_check(body, session, rules, now)
            present_ids = set(session.roll.values_list("attended_by_id", flat=True))
            electors = [m for m in electors if m in present_ids]
    else:
        mode, electors = VoteMode.COUNCIL, []
        if session is None:
            raise MotionConflict(_("%(body)s votes only in an open session of its own") % {"body": body.name})
        _sitting_check(body, session, rules, now)
    if mode != VoteMode.COUNCIL and not electors:
        raise MotionError(_("%(body)s has no members to vote") % {"body": body.name})
    weights = seat_weights(council=body) if mode == VoteMode.COUNCIL else {}
    constitutional = motion.constitutional and purpose in (VotePurpose.ADOPT, VotePurpose.REFERRAL)
    rule = decision_rule(
        rules.decisions,
        constitutional=constitutional,
        referendum=referendum,
        industrial_action=motion.industrial_action,
    )
    vote = Vote.objects.create(
        organisation_id=body.organisation_id,
        body=body,
        motion=motion,
        amendment=amendment,
        session=session,
        referral=referral,
        purpose=purpose,
        mode=mode,
        question=question,
        rule=rule_to_json(rule),
        details={
            **(details or {}),
            # The standing orders this vote must meet when it closes, fixed as it opens.
            "minimum_minutes": minimum,
            **(
                {"seats_quorum_percent": str(rules.sessions.quorum_percent)}
                if mode == VoteMode.COUNCIL
                else {}
            ),
        },
        opened_at=now,
        opened_by=actor.label,
        closes_at=closes_at,
        box=yes_no_box_open() if mode == VoteMode.SECRET else None,
        electorate=sum(weights.values()) if mode == VoteMode.COUNCIL else len(electors),
        present=present,
    )
    power_rows_saved(
        VoteElector.objects.bulk_create(
            [VoteElector(vote=vote, member_id=mid) for mid in electors], batch_size=2000
        )
    )
    log_entry_record(
        organisation=body.organisation,
        action="vote.opened",
        body_id=body.pk,
        actor=actor,
        summary=f"{body.name} votes ({in_english(VoteMode(mode).label).lower()}): {question}",
        payload={
            "vote": vote.pk,
            "motion": motion.pk,
            "purpose": purpose,
            "mode": mode,
            "electorate": vote.electorate,
            # Who may vote, fixed now: the members, or in a council the seats (delegation ids) and weights.
            "electorate_digest": electorate_digest(weights if mode == VoteMode.COUNCIL else electors),
            "rule": vote.rule,
            "closes_at": closes_at.isoformat(),
            "session": session.pk if session else None,
        },
    )
    # Every elector is told the vote is open (a council's seats, or each member of an assembly or a
    # referendum): the notice the constitution requires before anyone's vote counts against them.
    link = reverse("motions:vote", kwargs={"slug": body.organisation.slug, "vote_id": vote.pk})
    words = {"actor": actor.label, "body": body.name, "question": question, "until": when_read(closes_at)}
    subject = deferred(
        gettext_lazy("%(body)s votes until %(until)s: %(question)s"),
        body=body.name,
        until=when_read(closes_at, "d M H:i"),
        question=question,
    )
    if mode == VoteMode.COUNCIL:
        delegates_notify(
            council=body,
            kind="vote.opened",
            subject=subject,
            body=deferred(
                gettext_lazy(
                    "%(actor)s put a question to %(body)s in session: %(question)s Cast your seat's vote before "
                    "%(until)s."
                ),
                **words,
            ),
            link=link,
        )
    else:
        if referendum:
            text = gettext_lazy(
                "%(actor)s put a question to every member within %(body)s: %(question)s Cast your secret vote "
                "before %(until)s."
            )
        elif mode == VoteMode.SECRET:
            text = gettext_lazy(
                "%(actor)s put a question to the general assembly of %(body)s: %(question)s Cast your secret "
                "vote before %(until)s."
            )
        else:
            text = gettext_lazy(
                "%(actor)s put a question to the general assembly of %(body)s: %(question)s Cast your vote "
                "before %(until)s."
            )
        notification_send(
            people=[m.person for m in Member.objects.filter(pk__in=electors).select_related("person")],
            kind="vote.opened",
            subject=subject,
            body=deferred(text, **words),
            link=link,
        )
    return vote


def _no_vote_pending(motion: Motion) -> None:
    if motion.votes.filter(
        closed_at__isnull=True, purpose__in=[VotePurpose.ADOPT, VotePurpose.REFER]
    ).exists():
        raise MotionConflict(_("a vote on this motion is already open"))


@transaction.atomic
def motion_vote_open(
    *,
    motion: Motion,
    member: Member,
    closes_at: datetime,
    session: CouncilSession | None = None,
    actor: Actor = SYSTEM,
) -> Vote:
    """Put a motion on the agenda to its body's vote: adopt it or not."""
    motion = (
        Motion.objects.select_for_update(of=("self",)).select_related("body__organisation").get(pk=motion.pk)
    )
    if motion.status != MotionStatus.ON_AGENDA:
        raise MotionConflict(_("only a motion on the agenda can be put to the vote"))
    _no_vote_pending(motion)
    return vote_open(
        body=motion.body,
        motion=motion,
        purpose=VotePurpose.ADOPT,
        question=f"Adopt the motion “{motion.title}”?",
        member=member,
        closes_at=closes_at,
        session=session,
        actor=actor,
    )


@transaction.atomic
def amendment_vote_open(
    *,
    amendment: Amendment,
    member: Member,
    closes_at: datetime,
    session: CouncilSession | None = None,
    actor: Actor = SYSTEM,
) -> Vote:
    """Put an amendment to the body's vote."""
    amendment = Amendment.objects.select_related("motion__body__organisation").get(pk=amendment.pk)
    motion = amendment.motion
    if amendment.status != AmendmentStatus.PROPOSED or motion.status != MotionStatus.ON_AGENDA:
        raise MotionConflict(_("this amendment is no longer before the body"))
    if amendment.votes.filter(closed_at__isnull=True).exists():
        raise MotionConflict(_("a vote on this amendment is already open"))
    return vote_open(
        body=motion.body,
        motion=motion,
        purpose=VotePurpose.AMEND,
        amendment=amendment,
        question=f"Accept amendment {amendment.pk} to “{motion.title}”?",
        member=member,
        closes_at=closes_at,
        session=session,
        actor=actor,
    )


@transaction.atomic
def motion_refer_vote_open(
    *,
    motion: Motion,
    member: Member,
    session: CouncilSession,
    kind: str,
    closes_at: datetime,
    referral_closes_at: datetime,
    statutory: dict[str, Any] | None = None,
    actor: Actor = SYSTEM,
) -> Vote:
    """Ask a council, in session, to refer a motion on its agenda down: to every unit's general
    assembly, or to the whole membership as a referendum. Carried, the referral opens at once. A
    referendum on industrial action may be held as a ``statutory`` ballot under the terms given
    (``statutory_terms.statutory_terms_check``), which the council's vote decides with the rest."""
    motion = (
        Motion.objects.select_for_update(of=("self",)).select_related("body__organisation").get(pk=motion.pk)
    )
    if motion.body.kind != BodyKind.COUNCIL:
        raise MotionError(_("only a council refers questions down; a unit's assembly decides them itself"))
    if motion.status != MotionStatus.ON_AGENDA:
        raise MotionConflict(_("only a motion on the agenda can be referred"))
    if kind not in ReferralKind.values:
        raise MotionError(
            _("refer to %(kinds)s, not %(kind)r") % {"kinds": " / ".join(ReferralKind.values), "kind": kind}
        )
    if referral_closes_at <= closes_at:
        raise MotionError(_("the referral must close after the council's vote to make it"))
    _no_vote_pending(motion)
    details: dict[str, Any] = {"kind": kind, "closes_at": referral_closes_at.isoformat()}
    question = f"Refer “{motion.title}” {in_english(ReferralKind(kind).label).lower()}?"
    if statutory is not None:
        details["statutory"] = statutory_terms_check(motion=motion, kind=kind, terms=statutory)
        question = f"Refer “{motion.title}” to the membership as a statutory industrial-action ballot?"
    return vote_open(
        body=motion.body,
        motion=motion,
        purpose=VotePurpose.REFER,
        question=question,
        member=member,
        closes_at=closes_at,
        session=session,
        details=details,
        actor=actor,
    )
