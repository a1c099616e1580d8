"""Putting questions to a body and casting members' votes (see ``votes``)."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.accounts.access import BearerToken
from commune.accounts.models import User
from commune.audit.capture import power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.boxkeys import yes_no_paper_seal
from commune.ballots.models import (
    BallotPaper,
    PaperQuestion,
    PaperStatus,
    YesNoEncryptedPaper,
    YesNoRegisterEntry,
)
from commune.ballots.services import yes_no_box_open, yes_no_cast
from commune.federation.access import caster_of_row, caster_query
from commune.federation.constitution import Rules
from commune.federation.electorate import electorate_digest
from commune.federation.models import Body, BodyKind, Member
from commune.federation.standing import electors_in_standing
from commune.motions.bars import vote_bars_check, vote_bars_may_apply_sql
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import (
    Amendment,
    AmendmentStatus,
    Choice,
    CouncilSession,
    Motion,
    MotionStatus,
    OpenChoice,
    Referral,
    ReferralKind,
    Vote,
    VoteElector,
    VoteMode,
    VotePurpose,
    in_english,
)
from commune.motions.services.live import vote_cast_publish
from commune.motions.services.motions import constitution_rules, member_sits_in
from commune.motions.services.sessions import delegates_notify, seat_weights, seats_quorum, when_read
from commune.motions.services.statutory_terms import statutory_terms_check
from commune.motions.thresholds import decision_rule, rule_to_json
from commune.notifications.services import notification_send
from commune.statements import statement_cursor
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


def _open_for_casting(vote_id: int) -> Vote:
    vote = Vote.objects.select_for_update().get(pk=vote_id)
    if vote.closed_at is not None or timezone.now() >= vote.closes_at:
        raise MotionConflict(_("this vote has closed"))
    return vote


def _no_live_paper(member: str) -> str:
    """In a secret vote, the fast path is only for a member (the SQL ``member``) with no paper of theirs live
    on the box's paper channel: one who has (issued, or returned and awaiting the tellers) takes the general
    path, which cancels it (``yes_no_cast``), so that a vote is never counted both online and on paper."""
    return f"""AND v.box_id = %(box)s
                AND NOT EXISTS (
                    SELECT 1 FROM {BallotPaper._meta.db_table} p
                    JOIN {PaperQuestion._meta.db_table} q ON q.channel_id = p.channel_id
                    WHERE q.box_id = v.box_id AND p.member_id = {member}
                        AND p.status IN ('{PaperStatus.OUT}', '{PaperStatus.ENTERED}', '{PaperStatus.DISPUTED}')
                )"""


#: The choices a vote takes (``Choice.values`` builds its list on every call, and every cast asks).
_CHOICES = frozenset(Choice.values)


@functools.lru_cache(maxsize=64)
def _cast_statement(mode: str, member: str, caster: str = "", bars: str = "") -> str:
    """The SQL of a member's cast in one statement (``_cast_in_one_statement``), the member's id being
    the SQL ``member``; written once for each set of arguments, as every cast asks. ``caster``, if given,
    is ``access_caster``'s query: the statement then holds it as the CTE ``caster``, casts only for the
    member it finds, in a vote of that organisation on which the SQL condition ``bars`` (whether any
    installed bar can apply to the vote's motion, ``vote_bars_may_apply_sql``) is false, and answers the
    caster's row (``vote_cast_by_caller``)."""
    joined = f" JOIN caster ON caster.caster_owner = v.id AND NOT ({bars})" if caster else ""
    steps = [
        f"""open_vote AS (
            SELECT v.id, v.box_id, {member} AS member_id FROM {Vote._meta.db_table} v{joined}
            WHERE v.id = %(vote)s AND v.mode = %(mode)s AND v.closed_at IS NULL AND v.closes_at > %(now)s
                {_no_live_paper(member) if mode == VoteMode.SECRET else ""}
                AND EXISTS (
                    SELECT 1 FROM {VoteElector._meta.db_table} e WHERE e.vote_id = v.id AND e.member_id = {member}
                )
            FOR SHARE OF v
        )"""
    ]
    if mode == VoteMode.SECRET:
        # The paper carries no member and the register no choice: nothing in the statement links them
        # but this transaction, and its parameters hold the choice only as ciphertext.
        steps.append(
            f"""registered AS (
            INSERT INTO {YesNoRegisterEntry._meta.db_table} (box_id, member_id)
            SELECT box_id, member_id FROM open_vote
            ON CONFLICT (box_id, member_id) DO NOTHING
            RETURNING box_id
        )"""
        )
        recorded = f"""INSERT INTO {YesNoEncryptedPaper._meta.db_table} (id, box_id, encrypted)
        SELECT %(paper_id)s::uuid, box_id, %(paper)s::bytea FROM registered
        RETURNING box_id"""
    else:
        recorded = f"""INSERT INTO {OpenChoice._meta.db_table} (vote_id, member_id, choice, cast_at)
        SELECT id, member_id, %(choice)s, %(now)s FROM open_vote
        ON CONFLICT (vote_id, member_id) DO NOTHING
        RETURNING vote_id"""
    if caster:
        steps = [f"caster AS ({caster})", *steps, f"recorded AS ({recorded})"]
        return f"WITH {', '.join(steps)} SELECT caster.* FROM caster JOIN recorded ON TRUE"
    return f"WITH {', '.join(steps)} {recorded}"


def _cast_params(vote_id: int, mode: str, box_id: int | None, choice: str) -> dict[str, Any]:
    params: dict[str, Any] = {"vote": vote_id, "mode": mode, "now": timezone.now()}
    if mode == VoteMode.SECRET:
        assert box_id is not None
        params.update(box=box_id, paper_id=uuid.uuid4(), paper=yes_no_paper_seal(box_id, choice))
    else:
        params["choice"] = choice
    return params


def _cast_in_one_statement(vote: Vote, member: Member, choice: str) -> bool:
    """PostgreSQL, the common case in a single statement (one round trip, atomic on its own): take a
    *shared* lock on the vote row, check that it is still open, of the mode the caller saw, and that the
    member is on its electorate; then, in a secret vote, enter the member on the box's register and put the
    paper (encrypted under the box key) in the box only if the register row went in; in an open vote,
    record the choice. Thousands of casts go side by side; the close takes the row's exclusive lock, so it
    waits for those in flight and every later one finds the vote closed.

    ``False``, having written nothing, when anything is out of the ordinary (closed, not an elector, a
    second vote): the caller then takes the general path, which says why. Precondition: the installed bars
    have been checked, and ``choice`` is one of ``Choice``."""
    params = _cast_params(vote.pk, vote.mode, vote.box_id, choice)
    params["member"] = member.pk
    with statement_cursor() as cursor:
        cursor.execute(_cast_statement(vote.mode, "%(member)s"), params)
        recorded = cursor.fetchone() is not None
    _remember_shape(vote)
    return recorded


#: Each vote's mode and box as cast into before. Neither changes once a vote is open; the one-statement
#: cast by a caller (``vote_cast_by_caller``) checks both and writes nothing if they are stale (a database
#: rebuilt under a running server), and the general path then asks.
_SHAPE_OF: dict[int, tuple[str, int | None]] = {}
_SHAPE_FIELDS = ("id", "mode", "box_id")


def _remember_shape(vote: Vote) -> None:
    if len(_SHAPE_OF) > 10_000:
        _SHAPE_OF.clear()
    _SHAPE_OF[vote.pk] = (vote.mode, vote.box_id)


def vote_cast_by_caller(
    *, caller: User | BearerToken, slug: str, vote_id: int, choice: str
) -> tuple[Vote, Member] | None:
    """PostgreSQL: the caller's access to cast (``access_vote_caster``) and their vote (``vote_cast`` in
    an assembly's open or secret vote) in one statement, once a cast into the vote has been seen: the vote,
    holding only its id, mode and box, and the member, its ``person`` the caller.

    ``None``, having written nothing, for anything else (a caller or token not found, a vote not open or
    not the organisation's, one on which an installed bar may apply, not an elector, a second vote, a
    paper still live, a choice not one of ``Choice``, SQLite): the caller then takes the general path,
    which says why."""
    shape = _SHAPE_OF.get(vote_id)
    if shape is None or choice not in _CHOICES or connection.vendor != "postgresql":
        return None
    mode, box_id = shape
    query = caster_query(
        caller,
        slug,
        owner_table=Vote._meta.db_table,
        owner_id=vote_id,
        electorate_table=VoteElector._meta.db_table,
        electorate_owner="vote_id",
    )
    params = {**query.params, **_cast_params(vote_id, mode, box_id, choice)}
    with statement_cursor() as cursor:
        sql = _cast_statement(mode, "caster.caster_member", query.sql, vote_bars_may_apply_sql("v.motion_id"))
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    member, _owner = caster_of_row(caller, query, row)
    # Built from the fields known (any other is read if asked): ``Vote(...)`` computes every field's default.
    vote = Vote.from_db(connection.alias, _SHAPE_FIELDS, (vote_id, mode, box_id))
    vote_cast_publish(vote)
    return vote, member


def assembly_vote_cast(*, vote: Vote, member: Member, choice: str) -> None:
    """A member's vote in an assembly vote or a referendum. In an open vote the choice is on the record;
    in a secret one the register notes that the member voted and the box receives the choice, with
    nothing linking them. One vote each, final once cast.

    On PostgreSQL a cast that is allowed takes one statement after the bars'
    check (``_cast_in_one_statement``); a refusal, and every cast on SQLite, takes the general path."""
    if choice not in _CHOICES:
        raise MotionError(_("vote yes, no or abstain, not %(choice)r") % {"choice": choice})
    if connection.vendor == "postgresql" and vote.mode in (VoteMode.SECRET, VoteMode.OPEN):
        vote_bars_check(vote=vote, member=member)
        if _cast_in_one_statement(vote, member, choice):
            vote_cast_publish(vote)
            return
    with transaction.atomic():
        vote = _open_for_casting(vote.pk)
        if vote.mode == VoteMode.COUNCIL:
            raise NotEntitled(_("in a council only the seats on the roll vote, on the record"))
        if not VoteElector.objects.filter(vote=vote, member=member).exists():
            raise NotEntitled(_("you are not entitled to vote on this question"))
        vote_bars_check(vote=vote, member=member)
        if vote.mode == VoteMode.SECRET:
            assert vote.box_id is not None
            if not yes_no_cast(box_id=vote.box_id, member=member, choice=choice):
                raise MotionConflict(_("you have already voted on this question"))
            vote_cast_publish(vote)
            return
        try:
            with transaction.atomic():
                OpenChoice.objects.create(vote=vote, member=member, choice=choice, cast_at=timezone.now())
        except IntegrityError as exc:
            raise MotionConflict(_("you have already voted on this question")) from exc
        vote_cast_publish(vote)
