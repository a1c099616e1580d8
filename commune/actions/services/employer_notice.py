"""The notice to the employer of industrial action (in the UK, TULRCA s.234A), given with a call of
industrial action on a statutory ballot: the action is continuous or on the days listed, it starts at
least fourteen days after the notice (ten where the employer agreed to it, which the notice records), and
the notice gives the figures of the employees concerned from the roll. A call that starts sooner is
refused. Whether the notice meets the law is for the union to judge (``docs/statutory-ballots.md``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from commune.actions.errors import ActionError
from commune.actions.models import ActionCall, ActionNotice
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, Member
from commune.motions.models import Referral, StatutoryBallot
from commune.motions.selectors.employer_notices import workforce_figures

#: s.234A(4)(b): the notice period, and the shorter one where the union and the employer agree to it.
NOTICE_DAYS = 14
AGREED_NOTICE_DAYS = 10


@dataclass(frozen=True)
class NoticeTerms:
    """What a caller of industrial action says for the employer's notice: the days of a discontinuous
    action (none: continuous), whether the employer agreed to ten days' notice, and what the union adds
    on how the figures were arrived at."""

    days: Sequence[date] = field(default_factory=tuple)
    employer_agreed: bool = False
    explanation: str = ""


def notice_ballot(referral: Referral | None) -> StatutoryBallot | None:
    """The statutory ballot behind a call's authority, if it was carried by one."""
    if referral is None:
        return None
    return StatutoryBallot.objects.filter(referral=referral).first()


def notice_check(
    *, ballot: StatutoryBallot | None, starts_on: date, ends_on: date, terms: NoticeTerms
) -> list[date]:
    """Refuse, before anything is recorded, a call that cannot be given the notice its ballot asks for:
    one that starts sooner than the notice period from today, or lists days outside the call. Returns the
    days of a discontinuous action, in order."""
    days = sorted(set(terms.days))
    if ballot is None:
        if days or terms.employer_agreed or terms.explanation.strip():
            raise ActionError(
                _(
                    "the days, the employer's agreement and the explanation are for the notice of industrial action, and this call is not on a statutory ballot"
                )
            )
        return days
    period = AGREED_NOTICE_DAYS if terms.employer_agreed else NOTICE_DAYS
    earliest = timezone.localdate() + timedelta(days=period)
    if starts_on < earliest:
        raise ActionError(
            _(
                "industrial action on a statutory ballot starts at least %(period)s days after the employer's notice of it (TULRCA s.234A), given with the call today: start on %(earliest)s or later"
            )
            % {"period": period, "earliest": earliest.isoformat()}
            + (
                ""
                if terms.employer_agreed
                else " " + _("(ten days where the employer agrees to it, and you record that it did)")
            )
        )
    outside = [d.isoformat() for d in days if not starts_on <= d <= ends_on]
    if outside:
        raise ActionError(
            _("the days of the action lie within the call, %(start)s to %(end)s; not: %(days)s")
            % {"start": starts_on.isoformat(), "end": ends_on.isoformat(), "days": ", ".join(outside)}
        )
    if days and days[0] != starts_on:
        raise ActionError(_("the first day of a discontinuous action is the day the call starts"))
    if len(terms.explanation) > 2000:
        raise ActionError(_("keep the explanation of the figures to 2000 characters"))
    return days


def action_notice_issue(
    *,
    call: ActionCall,
    ballot: StatutoryBallot,
    reach: Body,
    days: list[date],
    terms: NoticeTerms,
    member: Member,
    actor: Actor = SYSTEM,
) -> ActionNotice:
    """Record the employer's notice of the action, in the call's transaction, and log it."""
    notice = ActionNotice.objects.create(
        call=call,
        statutory_ballot=ballot,
        employer=ballot.employer,
        continuous=not days,
        days=[d.isoformat() for d in days],
        notice_days=AGREED_NOTICE_DAYS if terms.employer_agreed else NOTICE_DAYS,
        employer_agreed=terms.employer_agreed,
        figures=workforce_figures(body=reach),
        explanation=terms.explanation.strip(),
        issued_by=member,
        issued_at=timezone.now(),
    )
    log_entry_record(
        organisation=call.organisation,
        action="action.employer_notice_issued",
        body_id=call.body_id,
        actor=actor,
        summary=f"Notice of industrial action “{call.title}” given to {notice.employer}: "
        + ("continuous" if notice.continuous else f"on {len(days)} days")
        + f" from {call.starts_on}, {notice.notice_days} days' notice"
        + (" (the employer agreed to it)" if notice.employer_agreed else "")
        + f", {notice.figures['total']} employees concerned",
        payload={
            "call": call.pk,
            "notice": notice.pk,
            "statutory_ballot": ballot.pk,
            "employer": notice.employer,
            "continuous": notice.continuous,
            "days": notice.days,
            "starts_on": call.starts_on.isoformat(),
            "ends_on": call.ends_on.isoformat(),
            "notice_days": notice.notice_days,
            "employer_agreed": notice.employer_agreed,
            "figures": notice.figures,
            "explanation": notice.explanation,
        },
    )
    return notice
