"""The notice of a statutory ballot to the employer (in the UK, TULRCA s.226A), and the opening of a ballot
that waits for it: a council that refers an industrial-action motion with a day for the ballot to open
gives the employer notice of the ballot, with the figures of the employees concerned from the roll, at
least seven days before; the ballot opens on the day set and the seventh day after the notice, whichever
is later, and not before. Whether the notice meets the law is for the union to judge with its own advice
(``docs/statutory-ballots.md``)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Member
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import BallotNotice, Referral, StatutoryBallot
from commune.motions.selectors.employer_notices import workforce_figures
from commune.motions.services.motions import member_sits_in
from commune.motions.services.statutory import statutory_ballot_open

#: s.226A(1)(a): the notice is given not later than the seventh day before the opening day of the ballot.
BALLOT_NOTICE_DAYS = 7


def ballot_waits_for_notice(referral: Referral) -> bool:
    """The referral is a statutory ballot that waits for the employer's notice and has not opened yet."""
    terms = referral.decided_by.details.get("statutory") or {}
    return bool(terms.get("opens_on")) and not StatutoryBallot.objects.filter(referral=referral).exists()


def _locked_waiting(referral: Referral, member: Member) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("council__organisation", "motion", "decided_by")
        .get(pk=referral.pk)
    )
    if not member_sits_in(member, referral.council):
        raise NotEntitled(
            _("only delegates seated on %(council)s act for it on its ballot")
            % {"council": referral.council.name}
        )
    if not ballot_waits_for_notice(referral):
        raise MotionConflict(
            _(
                "this referral has no statutory ballot waiting to open: the council set no day for it to open, or it is open"
            )
        )
    return referral


@transaction.atomic
def ballot_notice_issue(
    *, referral: Referral, member: Member, explanation: str = "", actor: Actor = SYSTEM
) -> BallotNotice:
    """Give the employer notice of the ballot (s.226A): the figures of the employees concerned as the roll
    holds them now, and the day the ballot opens (the day the council set, or the seventh day from now if
    that is later). Once per ballot; recorded on the log."""
    referral = _locked_waiting(referral, member)
    if BallotNotice.objects.filter(referral=referral).exists():
        raise MotionConflict(_("the employer has already been given notice of this ballot"))
    explanation = explanation.strip()
    if len(explanation) > 2000:
        raise MotionError(_("keep the explanation of the figures to 2000 characters"))
    terms = referral.decided_by.details["statutory"]
    today = timezone.localdate()
    opens_on = max(date.fromisoformat(terms["opens_on"]), today + timedelta(days=BALLOT_NOTICE_DAYS))
    notice = BallotNotice.objects.create(
        referral=referral,
        employer=terms["employer"],
        opens_on=opens_on,
        figures=workforce_figures(body=referral.council),
        explanation=explanation,
        issued_by=member,
        issued_at=timezone.now(),
    )
    log_entry_record(
        organisation=referral.council.organisation,
        action="statutory_ballot.ballot_notice_issued",
        body_id=referral.council_id,
        actor=actor,
        summary=f"Notice of the ballot on “{referral.motion.title}” given to {notice.employer}: "
        f"{notice.figures['total']} employees concerned, the ballot opening on {opens_on}",
        payload={
            "referral": referral.pk,
            "notice": notice.pk,
            "employer": notice.employer,
            "opens_on": opens_on.isoformat(),
            "figures": notice.figures,
            "explanation": explanation,
            "member": member.number,
        },
    )
    return notice


@transaction.atomic
def statutory_ballot_start(*, referral: Referral, member: Member, actor: Actor = SYSTEM) -> StatutoryBallot:
    """Open a statutory ballot that waited for the employer's notice, on or after the day the notice says
    it opens (at least seven days after the notice). It stays open as long as the council's referral gave
    it."""
    referral = _locked_waiting(referral, member)
    notice = BallotNotice.objects.filter(referral=referral).first()
    if notice is None:
        raise MotionConflict(
            _(
                "the employer has not been given notice of the ballot (TULRCA s.226A): give it, and the ballot opens on the seventh day after it at the earliest"
            )
        )
    today = timezone.localdate()
    if today < notice.opens_on:
        raise MotionConflict(
            _(
                "the employer was given notice of the ballot on %(given)s, saying it opens on %(opens)s: it cannot open before then (TULRCA s.226A: at least seven days after the notice)"
            )
            % {
                "given": timezone.localdate(notice.issued_at).isoformat(),
                "opens": notice.opens_on.isoformat(),
            }
        )
    # The membership has as long to vote as the council's referral gave it, from now.
    referral.closes_at = timezone.now() + (referral.closes_at - referral.opened_at)
    referral.save(update_fields=["closes_at"])
    ballot = statutory_ballot_open(
        referral=referral, terms=referral.decided_by.details["statutory"], actor=actor
    )
    return ballot
