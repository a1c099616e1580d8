"""Writes for joining: applying, confirming the email address, and the decision on an application.

Anyone may apply to a unit. The application counts only once the applicant follows the link emailed to
them; then it is admitted at once or waits for an officer of the unit who keeps its roll, as the
constitution says (``membership.admission``). The answer to an application is the same whether or not
the address already belongs to a member or has an application open, so nobody learns from it who
belongs: what differs is only what is emailed to that address. Every decision is recorded on the signed
log, naming the applicant and the officer by name and membership number, never by email address.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.accounts.models import User
from commune.accounts.services import (
    sign_in_failed,
    sign_in_keys,
    sign_in_wait,
    token_digest,
    user_create,
)
from commune.audit.services import Actor, log_entry_record
from commune.federation.access import member_manages_roll
from commune.federation.models import Body, BodyKind, Member, Organisation
from commune.federation.selectors import constitution_in_force
from commune.federation.services import member_admit
from commune.membership.errors import (
    ApplicationClosed,
    ApplicationInvalid,
    NotFound,
    NotYours,
    TooManyApplications,
)
from commune.membership.models import Application, ApplicationStatus
from commune.membership.selectors import member_number_next
from commune.notifications.mail import SECRET_HEADER
from commune.translation import deferred

#: Days an applicant has to follow the link; an application never confirmed then no longer counts.
LINK_DAYS = 7
NAME_MAX = 150
STATEMENT_MAX = 1000
REASON_MAX = 1000
WAGE_BAND_MAX = 40

#: What the applicant is told, whatever became of the application (see the module's docstring).
RECEIVED = gettext_lazy(
    "Thank you. We have sent a message to that address: follow the link in it to confirm your application."
)

AUTOMATIC = Actor(None, "the constitution (admission on confirming the email address)")


def _mail(address: str, subject: str, body: str, *, secret: bool = False) -> None:
    """Email once the transaction commits. A message holding an applicant's link is marked secret, so a
    server without a mail server never prints the link into its log.

    ``subject`` and ``body`` may be lazy: they are read in the language of the account the address belongs
    to, if it chose one, else in the language active now (the applicant's own, while they apply)."""
    headers = {SECRET_HEADER: "application link"} if secret else {}
    chosen = (
        User.objects.filter(email=address).exclude(language="").values_list("language", flat=True).first()
    )
    with translation.override(chosen or translation.get_language()):
        subject, body = str(subject), str(body)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address], headers=headers
    )
    transaction.on_commit(lambda: message.send(fail_silently=True))


def _status_link(site: str, organisation: Organisation, token: str) -> str:
    return f"{site}{reverse('membership:status', kwargs={'slug': organisation.slug, 'token': token})}"


def application_submit(
    *,
    organisation: Organisation,
    unit_code: str,
    name: str,
    email: str,
    address: str,
    wage_band: str = "",
    statement: str = "",
    site: str = "",
) -> str:
    """Apply to join ``unit_code`` of the organisation. Returns what the applicant is told, always the same
    words (``RECEIVED``).

    Every try counts against the email address and the address it came from (the sign-in throttle's keyed
    digests, ``commune.accounts.services.SIGN_IN_LIMITS``), before anything else is looked at; too many
    raise ``TooManyApplications``. A new application waits for the applicant to follow the emailed link
    (``application_confirm``). An address that is already a member's, or already has an application open in
    the organisation, gets a message saying so instead, and nothing is made.
    """
    email = email.strip().lower()
    keys = sign_in_keys(application_email=email, application_address=address)
    if sign_in_wait(keys=keys) is not None:
        raise TooManyApplications(
            _("too many applications from here or for this email address: try again later")
        )
    sign_in_failed(keys=keys)
    name, wage_band, statement = name.strip(), wage_band.strip(), statement.strip()
    if not name or len(name) > NAME_MAX:
        raise ApplicationInvalid(_("give your name (at most %(max)s characters)") % {"max": NAME_MAX})
    if "@" not in email or len(email) > 254:
        raise ApplicationInvalid(_("give an email address you can read"))
    if len(statement) > STATEMENT_MAX or len(wage_band) > WAGE_BAND_MAX:
        raise ApplicationInvalid(
            _("the statement may be at most %(statement)s characters, the wage band %(band)s")
            % {"statement": STATEMENT_MAX, "band": WAGE_BAND_MAX}
        )
    unit = Body.objects.filter(organisation=organisation, kind=BodyKind.UNIT, code=unit_code.upper()).first()
    if unit is None:
        raise ApplicationInvalid(_("choose one of the organisation's units"))
    with transaction.atomic():
        _submit(
            organisation=organisation,
            unit=unit,
            name=name,
            email=email,
            wage_band=wage_band,
            statement=statement,
            site=site,
        )
    return str(RECEIVED)


def _submit(
    *,
    organisation: Organisation,
    unit: Body,
    name: str,
    email: str,
    wage_band: str,
    statement: str,
    site: str,
) -> None:
    now = timezone.now()
    Application.objects.filter(
        organisation=organisation,
        email=email,
        status=ApplicationStatus.UNCONFIRMED,
        created_at__lt=now - timedelta(days=LINK_DAYS),
    ).update(status=ApplicationStatus.EXPIRED)
    if Member.objects.filter(
        organisation=organisation, person__email=email, current_unit__isnull=False
    ).exists():
        _mail(
            email,
            deferred(gettext_lazy("Your application to %(organisation)s"), organisation=organisation.name),
            deferred(
                gettext_lazy(
                    "Someone, perhaps you, applied to join %(organisation)s with this address, which already "
                    "belongs to a member. Nothing was changed. If you cannot sign in, set a new password with "
                    "“Forgotten your password?”: %(link)s\n\nIf it was not you, you need do nothing."
                ),
                organisation=organisation.name,
                link=f"{site}{reverse('accounts:password_reset')}",
            ),
        )
        return
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            Application.objects.create(
                organisation=organisation,
                unit=unit,
                name=name,
                email=email,
                wage_band=wage_band,
                statement=statement,
                token_digest=token_digest(token),
                created_at=now,
            )
    except IntegrityError:  # one already open (the database allows one per address and organisation)
        _mail(
            email,
            deferred(gettext_lazy("Your application to %(organisation)s"), organisation=organisation.name),
            deferred(
                gettext_lazy(
                    "Someone, perhaps you, applied to join %(organisation)s with this address, which already has "
                    "an application open. Nothing new was made: follow the link in the first message you were "
                    "sent to confirm it or to see how it stands. An application never confirmed lapses after "
                    "%(days)s days, and you may then apply again."
                ),
                organisation=organisation.name,
                days=LINK_DAYS,
            ),
        )
        return
    _mail(
        email,
        deferred(
            gettext_lazy("Confirm your application to %(organisation)s"), organisation=organisation.name
        ),
        deferred(
            gettext_lazy(
                "You, or someone giving this address, applied to join %(organisation)s in %(unit)s.\n\n"
                "To confirm the application, follow this link within %(days)s days:\n%(link)s\n\n"
                "The same link shows how your application stands. If you did not apply, ignore this message: "
                "nothing happens unless the link is followed."
            ),
            organisation=organisation.name,
            unit=unit.name,
            days=LINK_DAYS,
            link=_status_link(site, organisation, token),
        ),
        secret=True,
    )


@transaction.atomic
def application_confirm(*, token: str, site: str = "") -> Application:
    """Confirm the application the emailed link belongs to: it now counts. Under the constitution's
    automatic admission the applicant is admitted there and then. Confirming twice changes nothing."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if application is None:
        raise NotFound(_("no such application: the link may be mistyped"))
    if application.status != ApplicationStatus.UNCONFIRMED:
        return application
    if application.created_at < timezone.now() - timedelta(days=LINK_DAYS):
        raise ApplicationClosed(
            _("the link was not followed within %(days)s days: apply again") % {"days": LINK_DAYS}
        )
    application.status, application.confirmed_at = ApplicationStatus.PENDING, timezone.now()
    application.save(update_fields=["status", "confirmed_at"])
    rules = constitution_in_force(organisation_id=application.organisation_id)
    if rules.membership.admission == "automatic":
        return _admit(application, officer=None, actor=AUTOMATIC, site=site)
    return application


def _deciding(application: Application, officer: Member) -> Application:
    """Lock the application and check the officer may decide it."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit")
        .get(pk=application.pk)
    )
    if (
        not member_manages_roll(member=officer, unit=locked.unit)
        or officer.organisation_id != locked.organisation_id
    ):
        raise NotYours(_("only an officer of the unit who keeps its roll decides its applications"))
    if officer.person.email.lower() == locked.email:
        raise NotYours(_("nobody decides their own application"))
    if locked.status in (ApplicationStatus.APPEALED, ApplicationStatus.ASSEMBLY) or (
        locked.status == ApplicationStatus.PENDING
        and constitution_in_force(organisation_id=locked.organisation_id).membership.admission == "assembly"
    ):
        raise ApplicationClosed(
            _(
                "the unit's general assembly decides this application, by its vote on a motion to admit: "
                "no officer admits or refuses it"
            )
        )
    if locked.status != ApplicationStatus.PENDING:
        raise ApplicationClosed(
            _("the applicant has not confirmed their email address yet")
            if locked.status == ApplicationStatus.UNCONFIRMED
            else _("the application is already %(status)s") % {"status": locked.get_status_display().lower()}
        )
    return locked


def _officer_named(officer: Member | None) -> str:
    return (
        "as the constitution says, on confirmation"
        if officer is None
        else (f"by {officer.person.name} ({officer.number})")
    )


def _admit(
    application: Application, *, officer: Member | None, actor: Actor, site: str, by: str = ""
) -> Application:
    """Admit the applicant; ``by`` says who decided when no officer did (else the constitution did, on
    confirmation)."""
    organisation = Organisation.objects.select_for_update().get(pk=application.organisation_id)
    person = User.objects.filter(email=application.email).first()
    if person is None:
        person = user_create(email=application.email, name=application.name, password=None)
    earlier = Member.objects.filter(organisation=organisation, person=person).first()
    number = earlier.number if earlier is not None else member_number_next(organisation=organisation)
    member = member_admit(
        unit=application.unit, person=person, number=number, wage_band=application.wage_band, actor=actor
    )
    now = timezone.now()
    application.status, application.decided_at = ApplicationStatus.ADMITTED, now
    application.decided_by, application.member = officer, member
    application.save(update_fields=["status", "decided_at", "decided_by", "member"])
    log_entry_record(
        organisation=organisation,
        action="application.admitted",
        body_id=application.unit_id,
        actor=actor,
        summary=f"{application.name} ({number}) admitted to {application.unit.name} "
        f"{by or _officer_named(officer)}",
        payload={
            "application": application.pk,
            "unit": application.unit.code,
            "member": number,
            "decided_by": officer.number if officer else None,
            **({"motion": application.motion_id} if application.motion_id else {}),
        },
    )
    _mail(
        application.email,
        deferred(gettext_lazy("Welcome to %(organisation)s"), organisation=organisation.name),
        deferred(
            gettext_lazy(
                "You are now a member of %(organisation)s, in %(unit)s. Your membership number is %(number)s."
                "\n\nTo sign in, choose a password first (unless you already have one here): ask for a link at "
                "%(link)s with this email address."
            ),
            organisation=organisation.name,
            unit=application.unit.name,
            number=number,
            link=f"{site}{reverse('accounts:password_reset')}",
        ),
    )
    return application


def application_admit(*, application: Application, officer: Member, site: str = "") -> Application:
    """An officer of the unit who keeps its roll admits a confirmed applicant with the organisation's next
    membership number (or their old one, if they were a member before). A person with no account gets one
    without a password, which they choose through the password reset the welcome email points to."""
    with transaction.atomic():
        locked = _deciding(application, officer)
        actor = Actor.of(officer.person, role=f"member {officer.number}, roll officer of {locked.unit.name}")
        return _admit(locked, officer=officer, actor=actor, site=site)


@transaction.atomic
def application_refuse(*, application: Application, officer: Member, reason: str) -> Application:
    """An officer of the unit who keeps its roll refuses a confirmed application, for a reason the applicant
    is sent and the log keeps."""
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise ApplicationInvalid(
            _("give the applicant a reason for the refusal (at most %(max)s characters)")
            % {"max": REASON_MAX}
        )
    locked = _deciding(application, officer)
    actor = Actor.of(officer.person, role=f"member {officer.number}, roll officer of {locked.unit.name}")
    locked.status, locked.decided_at, locked.decided_by, locked.reason = (
        ApplicationStatus.REFUSED,
        timezone.now(),
        officer,
        reason,
    )
    locked.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    log_entry_record(
        organisation=locked.organisation,
        action="application.refused",
        body_id=locked.unit_id,
        actor=actor,
        summary=f"{locked.name}'s application to {locked.unit.name} refused {_officer_named(officer)}: {reason}",
        payload={
            "application": locked.pk,
            "unit": locked.unit.code,
            "decided_by": officer.number,
            "reason": reason,
        },
    )
    _mail(
        locked.email,
        deferred(gettext_lazy("Your application to %(organisation)s"), organisation=locked.organisation.name),
        deferred(
            gettext_lazy(
                "Your application to join %(organisation)s in %(unit)s was refused by an officer of the unit, who "
                "gave this reason:\n\n%(reason)s"
            ),
            organisation=locked.organisation.name,
            unit=locked.unit.name,
            reason=reason,
        ),
    )
    return locked
