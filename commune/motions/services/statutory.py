"""Statutory industrial-action ballots: the terms a council sets when it refers an industrial-action motion
to the membership, the ballot's separate questions opened as votes of their own on one paper channel, and
the notice of the result sent to the members and to the employer once it is counted.

The UK's law (the Trade Union and Labour Relations (Consolidation) Act 1992, ss.226-234A) is the model:
separate questions on taking part in a strike and in action short of a strike (s.229(2)); the statement
that taking part may breach the contract of employment on every paper (s.229(4)); an independent
scrutineer (s.226B); the result's figures to the members (s.231) and the employer (s.231A). Whether the
law applies, and whether a ballot meets it, is the union's to decide with its own advice:
``docs/statutory-ballots.md``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.papers import paper_channel_open
from commune.federation.models import Member
from commune.motions.errors import MotionError
from commune.motions.models import Referral, StatutoryBallot, VoteElector, VotePurpose
from commune.motions.selectors.statutory import statutory_notice, statutory_notice_text
from commune.motions.services.motions import constitution_rules
from commune.motions.services.statutory_terms import SHORT_OF_STRIKE_QUESTION, STRIKE_QUESTION
from commune.motions.services.voting import vote_open
from commune.notifications.services import notification_send
from commune.translation import deferred


def statutory_ballot_open(
    *, referral: Referral, terms: dict[str, Any], actor: Actor = SYSTEM
) -> StatutoryBallot:
    """Open the referendum of ``referral`` as a statutory ballot under the ``terms`` its council decided:
    each question its own secret vote of every member within the council, all on one paper channel."""
    council, motion = referral.council, referral.motion
    asked = [
        (key, text)
        for key, text, on in (
            ("strike", STRIKE_QUESTION, terms["strike"]),
            ("short_of_strike", SHORT_OF_STRIKE_QUESTION, terms["short_of_strike"]),
        )
        if on
    ]
    votes = {
        key: vote_open(
            body=council,
            motion=motion,
            purpose=VotePurpose.REFERRAL,
            question=f"{text} ({motion.title})"[:300],
            member=None,
            closes_at=referral.closes_at,
            referral=referral,
            referendum=True,
            details={"statutory_question": key},
            actor=actor,
        )
        for key, text in asked
    }
    tellers = list(Member.objects.filter(pk__in=terms["tellers"]))
    channel = paper_channel_open(box_ids=[v.box_id for v in votes.values() if v.box_id], tellers=tellers)
    preset = constitution_rules(council.organisation_id).decisions.industrial_action_preset
    ballot = StatutoryBallot.objects.create(
        referral=referral,
        strike_vote=votes.get("strike"),
        short_of_strike_vote=votes.get("short_of_strike"),
        paper_channel=channel,
        scrutineer_id=terms["scrutineer"],
        employer=terms["employer"],
        employer_email=terms["employer_email"],
        important_public_services=preset == "tua-2016-important-public-services",
        return_instructions=terms["return_instructions"],
    )
    scrutineer = ballot.scrutineer
    log_entry_record(
        organisation=council.organisation,
        action="statutory_ballot.opened",
        body_id=council.pk,
        actor=actor,
        summary=f"Statutory ballot on “{motion.title}” ({', '.join(k.replace('_', ' ') for k, _ in asked)}), "
        f"employer {ballot.employer}, scrutineer {scrutineer.name}, tellers "
        + ", ".join(f"{t.person.name} ({t.number})" for t in tellers),
        payload={
            "statutory_ballot": ballot.pk,
            "referral": referral.pk,
            "votes": {k: v.pk for k, v in votes.items()},
            "channel": channel.pk,
            "scrutineer": scrutineer.pk,
            "tellers": [t.pk for t in tellers],
            "important_public_services": ballot.important_public_services,
        },
    )
    return ballot


def statutory_notice_send(*, ballot: StatutoryBallot, actor: Actor = SYSTEM) -> StatutoryBallot:
    """Send the notice of the result, once every question is counted: to every member entitled to vote
    (s.231), in the app and by email, and to the employer (s.231A) at the address the council gave. Once
    only; logged with the figures."""
    ballot = (
        StatutoryBallot.objects.select_for_update()
        .select_related("referral__council__organisation")
        .get(pk=ballot.pk)
    )
    if ballot.notice_sent_at is not None:
        return ballot
    notice = statutory_notice(ballot=ballot)
    if not notice["counted"]:
        raise MotionError(_("the notice of the result is sent once every question is counted"))
    # The employer is sent the notice in English, the language of the statute; each member reads it in their
    # own language, with the statutory English text after it.
    with override(None):
        text = statutory_notice_text(notice)
    council = ballot.referral.council
    first = ballot.strike_vote or ballot.short_of_strike_vote
    assert first is not None
    electors = VoteElector.objects.filter(vote=first).select_related("member__person")
    link = reverse("motions:statutory", kwargs={"slug": council.organisation.slug, "ballot_id": ballot.pk})
    subject = f"Result of the ballot on {ballot.referral.motion.title}"
    notification_send(
        people=[e.member.person for e in electors],
        kind="statutory.notice",
        subject=deferred(
            gettext_lazy("Result of the ballot on %(title)s"), title=ballot.referral.motion.title
        ),
        body=lazy(statutory_notice_text, str)(notice),
        link=link,
    )
    if ballot.employer_email:
        to = [ballot.employer_email]
        transaction.on_commit(
            lambda: send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, to, fail_silently=True)
        )
    ballot.notice_sent_at = timezone.now()
    ballot.save(update_fields=["notice_sent_at"])
    log_entry_record(
        organisation=council.organisation,
        action="statutory_ballot.notice_sent",
        body_id=council.pk,
        actor=actor,
        summary=f"Notice of the result of the ballot on “{ballot.referral.motion.title}” sent to the members "
        f"and to {ballot.employer}",
        payload={"statutory_ballot": ballot.pk, "questions": notice["questions"], "papers": notice["papers"]},
    )
    return ballot
