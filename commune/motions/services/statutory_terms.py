"""The terms of a statutory ballot, checked when a council is asked to refer an industrial-action motion
to the membership under them, and the words every paper carries (see ``statutory``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.models import Member
from commune.motions.errors import MotionError, TermsError
from commune.motions.models import Motion, ReferralKind

DEFAULT_RETURN_INSTRUCTIONS = (
    "Mark your paper, fold it, and return it in the envelope provided so that it arrives before the vote "
    "closes. Do not write your name on it. If it is spoiled or lost, ask a teller for a new one: this paper "
    "will then be cancelled. If you vote online, this paper is cancelled and will not be counted."
)
STRIKE_QUESTION = "Are you prepared to take part in a strike?"
SHORT_OF_STRIKE_QUESTION = "Are you prepared to take part in industrial action short of a strike?"
#: The statement s.229(4) requires on every voting paper, word for word.
CONTRACT_STATEMENT = (
    "If you take part in a strike or other industrial action, you may be in breach of your contract of "
    "employment. However, if you are dismissed for taking part in a strike or other industrial action which "
    "is called officially and is otherwise lawful, the dismissal will be unfair if it takes place fewer than "
    "twelve weeks after you started taking part in the action, and depending on the circumstances may be "
    "unfair if it takes place later."
)


def statutory_terms_check(*, motion: Motion, kind: str, terms: dict[str, Any]) -> dict[str, Any]:
    """The terms of a statutory ballot as the council's refer vote will store them, checked: a referendum
    on an industrial-action motion, asking one question or both, naming the employer, an independent
    scrutineer (someone with an account here who is not a member of the organisation) and at least three
    tellers (members, by number); and, if the ballot is to wait for the employer's notice of it, the day it
    opens."""
    if kind != ReferralKind.REFERENDUM or not motion.industrial_action:
        raise MotionError(_("a statutory ballot is a referendum on a motion that calls industrial action"))
    strike, short = bool(terms.get("strike", True)), bool(terms.get("short_of_strike", False))
    if not (strike or short):
        raise TermsError(
            _("a statutory ballot asks about a strike, action short of a strike, or both"), field="strike"
        )
    employer = str(terms.get("employer", "")).strip()
    if not employer or len(employer) > 200:
        raise TermsError(
            _("name the employer (up to 200 characters): the notice of the result goes to them"),
            field="employer",
        )
    employer_email = str(terms.get("employer_email", "")).strip()
    if employer_email and ("@" not in employer_email or len(employer_email) > 254):
        raise TermsError(
            _("%(email)r is not an email address") % {"email": employer_email}, field="employer_email"
        )
    scrutineer = User.objects.filter(email__iexact=str(terms.get("scrutineer_email", "")).strip()).first()
    if scrutineer is None:
        raise TermsError(
            _("name the scrutineer by the email of their account on this server"), field="scrutineer_email"
        )
    if Member.objects.filter(
        organisation_id=motion.organisation_id, person=scrutineer, current_unit__isnull=False
    ).exists():
        raise TermsError(
            _("the scrutineer is independent: not a member of the organisation"), field="scrutineer_email"
        )
    numbers = [str(n).strip() for n in terms.get("tellers", [])]
    tellers = list(
        Member.objects.filter(
            organisation_id=motion.organisation_id, number__in=numbers, current_unit__isnull=False
        ).values_list("pk", flat=True)
    )
    if len(set(numbers)) < 3 or len(tellers) != len(set(numbers)):
        raise TermsError(
            _("name at least three tellers by their membership numbers, each a current member"),
            field="tellers",
        )
    opens_on = terms.get("opens_on")
    if opens_on:
        try:
            opens_on = opens_on if isinstance(opens_on, date) else date.fromisoformat(str(opens_on))
        except ValueError:
            raise TermsError(_("the day the ballot opens is a date (YYYY-MM-DD)"), field="opens_on") from None
        if opens_on <= timezone.localdate():
            raise TermsError(
                _("the day the ballot opens is after today: the employer's notice of the ballot comes first"),
                field="opens_on",
            )
    instructions = str(terms.get("return_instructions", "")).strip() or DEFAULT_RETURN_INSTRUCTIONS
    if len(instructions) > 600:
        raise TermsError(_("keep the return instructions to 600 characters"), field="return_instructions")
    checked: dict[str, Any] = {
        "strike": strike,
        "short_of_strike": short,
        "employer": employer,
        "employer_email": employer_email,
        "scrutineer": scrutineer.pk,
        "tellers": tellers,
        "return_instructions": instructions,
    }
    if opens_on:
        # With a day to open on, the ballot waits for the employer's notice of it (s.226A) and opens at the
        # earliest on that day, and on the seventh day after the notice; without one it opens at once.
        checked["opens_on"] = opens_on.isoformat()
    return checked
