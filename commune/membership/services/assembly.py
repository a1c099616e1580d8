"""Admission by the unit's general assembly, and the applicant's appeal to it against an officer's refusal.

Where the constitution says the assembly decides (``membership.admission: assembly``), a confirmed
application is put to the unit's general assembly by an officer of the unit who keeps its roll: they move,
in the assembly, a motion to admit the applicant, and from then on the motion takes the ordinary course of
any motion there (supporters, the agenda, the assembly's vote, ``commune.motions``). No new way of voting:
the motion's adoption admits the applicant, its rejection refuses them, with the vote's figures as the
reason. Where an officer decides, an applicant they refused may appeal, once, to the same assembly, and
the appeal itself puts the application there: lodging it moves the motion to admit by right
(``motion_move_by_right``, in no member's name: the motion and the log name the appeal and the
appellant as what moved it), places it on the agenda and opens the assembly's vote on it, for
``APPEAL_VOTE_DAYS``. No officer acts, so none can hold an appeal up; the assembly's decision is final.

Once an application is before the assembly, or appealed to it, no officer admits or refuses it (see
``applications._deciding``); under assembly admission the officer's part is only to move the motion, in
their own name. The applicant is not a member, so never votes on their own admission. Every step is on the
signed log: the appeal, the motion put, and the decision naming the motion and the vote that made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.accounts.services import token_digest
from commune.audit.services import Actor, log_entry_record
from commune.errors import DomainError
from commune.federation.access import member_manages_roll
from commune.federation.models import Member, OfficeTerm
from commune.federation.selectors import constitution_in_force
from commune.membership.errors import ApplicationClosed, ApplicationInvalid, NotFound, NotYours
from commune.membership.models import Application, ApplicationStatus
from commune.membership.selectors import APPEAL_DAYS
from commune.membership.services.applications import REASON_MAX, _admit, _mail
from commune.motions.errors import MotionError
from commune.motions.models import Motion, MotionStatus, Vote, VotePurpose
from commune.motions.services import motion_move, motion_move_by_right, vote_open
from commune.notifications.services import notification_send
from commune.translation import deferred

GROUNDS_MAX = 1000

#: How long the assembly's vote on an appeal stays open (never less than the constitution's
#: ``sessions.minimum_vote_minutes``): long enough for every member to hear of it and vote.
APPEAL_VOTE_DAYS = 7

#: The notification sent to a unit's roll officers when an applicant appeals.
NOTICE_APPEALED = "membership.application_appealed"


def _locked(pk: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit", "decided_by__person")
        .get(pk=pk)
    )


def application_put_to_assembly(*, application: Application, officer: Member) -> Application:
    """Under the constitution's assembly admission, an officer of the unit who keeps its roll puts a
    confirmed application to the unit's general assembly, by moving there a motion to admit the applicant.
    The motion then takes its ordinary course; its decision decides the application
    (``applications_settle``). An appeal needs no officer: it puts itself there (``application_appeal``)."""
    with transaction.atomic():
        locked = _locked(application.pk)
        if (
            not member_manages_roll(member=officer, unit=locked.unit)
            or officer.organisation_id != locked.organisation_id
        ):
            raise NotYours(
                _("only an officer of the unit who keeps its roll puts its applications to its assembly")
            )
        if officer.person.email.lower() == locked.email:
            raise NotYours(_("nobody decides their own application"))
        if locked.status == ApplicationStatus.APPEALED:
            raise ApplicationClosed(
                _("an appeal goes before the unit's general assembly by itself: no officer puts it there")
            )
        admission = constitution_in_force(organisation_id=locked.organisation_id).membership.admission
        if not (locked.status == ApplicationStatus.PENDING and admission == "assembly"):
            raise ApplicationClosed(
                _("the application is already %(status)s") % {"status": locked.get_status_display().lower()}
                if locked.status != ApplicationStatus.PENDING
                else _(
                    "under the constitution an officer of the unit decides this application: admit or refuse it"
                )
            )
        actor = Actor.of(officer.person, role=f"member {officer.number}, roll officer of {locked.unit.name}")
        motion = motion_move(
            body=locked.unit,
            member=officer,
            title=f"Admit {locked.name}"[:200],
            text=_motion_text(locked),
            actor=actor,
        )
        locked.status, locked.motion = ApplicationStatus.ASSEMBLY, motion
        locked.save(update_fields=["status", "motion"])
        log_entry_record(
            organisation=locked.organisation,
            action="application.put_to_assembly",
            body_id=locked.unit_id,
            actor=actor,
            summary=f"{locked.name}'s application put to the general assembly of {locked.unit.name} by "
            f"{_who(officer)}, as motion {motion.pk}",
            payload={
                "application": locked.pk,
                "unit": locked.unit.code,
                "motion": motion.pk,
                "appeal": False,
                "put_by": officer.number,
            },
        )
        _mail(
            locked.email,
            deferred(
                gettext_lazy("Your application to %(organisation)s"), organisation=locked.organisation.name
            ),
            deferred(
                gettext_lazy(
                    "Your application to join %(organisation)s in %(unit)s is now before the unit's general "
                    "assembly, as a motion to admit you. The members' vote on it decides it; the link you were "
                    "sent shows how it stands."
                ),
                organisation=locked.organisation.name,
                unit=locked.unit.name,
            ),
        )
        return locked


def _motion_text(application: Application) -> str:
    """The motion to admit: the applicant, their statement, and on appeal the refusal and the grounds."""
    text = f"{application.unit.name} admits {application.name} as a member."
    if application.statement:
        text += f"\n\nThe applicant says: {application.statement}"
    if application.appealed_at is not None:
        text += (
            f"\n\nOn appeal: the application was refused by {_who(application.decided_by)}, for this reason: "
            f"{application.reason}\n\nThe applicant's grounds of appeal: {application.appeal}"
        )
    return text


def _appellant(application: Application) -> Actor:
    return Actor(None, f"{application.name}, the applicant, by their appeal (application {application.pk})")


def _put_by_appeal(application: Application) -> Application:
    """Put the appealed application (locked) before the unit's general assembly by the appeal itself: the
    motion to admit is moved by right, placed on the agenda, and the assembly's vote on it opened, all in
    the act of appealing. Should the vote not open (a unit with nobody entitled to vote), the motion stays
    on the agenda, where any member may put it to the vote."""
    actor = _appellant(application)
    unit = application.unit
    moved_on = (
        f"the appeal of {application.name} (application {application.pk}) against the refusal by "
        f"{_who(application.decided_by)}"
    )
    motion = motion_move_by_right(
        body=unit,
        title=f"Appeal: admit {application.name}"[:200],
        text=_motion_text(application),
        moved_on=moved_on,
        actor=actor,
    )
    rules = constitution_in_force(organisation_id=application.organisation_id)
    closes_at = timezone.now() + max(
        timedelta(days=APPEAL_VOTE_DAYS), timedelta(minutes=rules.sessions.minimum_vote_minutes)
    )
    vote: Vote | None = None
    try:
        with transaction.atomic():
            vote = vote_open(
                body=unit,
                motion=motion,
                purpose=VotePurpose.ADOPT,
                question=f"Adopt the motion “{motion.title}”?",
                member=None,
                closes_at=closes_at,
                actor=actor,
            )
    except MotionError:
        vote = None
    application.status, application.motion = ApplicationStatus.ASSEMBLY, motion
    application.save(update_fields=["status", "motion"])
    log_entry_record(
        organisation=application.organisation,
        action="application.put_to_assembly",
        body_id=application.unit_id,
        actor=actor,
        summary=f"{application.name}'s application on appeal put to the general assembly of {unit.name} "
        f"by the appeal itself, as motion {motion.pk}"
        + (f", its vote #{vote.pk} open until {closes_at.isoformat()}" if vote else ", on its agenda"),
        payload={
            "application": application.pk,
            "unit": unit.code,
            "motion": motion.pk,
            "vote": vote.pk if vote else None,
            "appeal": True,
            "put_by": None,
        },
    )
    _mail(
        application.email,
        deferred(gettext_lazy("Your appeal to %(organisation)s"), organisation=application.organisation.name),
        deferred(
            gettext_lazy(
                "Your appeal is now before the general assembly of %(unit)s, as a motion to admit you to "
                "%(organisation)s, and its members vote on it until %(until)s (UTC). Their vote decides it, and "
                "is final; the link you were sent shows how it stands."
            )
            if vote
            else gettext_lazy(
                "Your appeal is now before the general assembly of %(unit)s, as a motion to admit you to "
                "%(organisation)s, on its agenda until its members vote on it. Their vote decides it, and is "
                "final; the link you were sent shows how it stands."
            ),
            organisation=application.organisation.name,
            unit=unit.name,
            until=closes_at.strftime("%Y-%m-%d %H:%M"),
        ),
    )
    return application


def _who(member: Member | None) -> str:
    return "the constitution" if member is None else f"{member.person.name} ({member.number})"


def application_appeal(*, token: str, grounds: str) -> Application:
    """The applicant, by their application's link, appeals an officer's refusal to the unit's general
    assembly, within ``APPEAL_DAYS`` of it and once. The appeal puts it there at once
    (``_put_by_appeal``): no officer need act. The unit's roll officers are told."""
    grounds = grounds.strip()
    if not grounds or len(grounds) > GROUNDS_MAX:
        raise ApplicationInvalid(
            _("say why the assembly should admit you (at most %(max)s characters)") % {"max": GROUNDS_MAX}
        )
    with transaction.atomic():
        found = (
            Application.objects.filter(token_digest=token_digest(token)).values_list("pk", flat=True).first()
        )
        if found is None:
            raise NotFound(_("no such application: the link may be mistyped"))
        locked = _locked(found)
        if locked.status != ApplicationStatus.REFUSED or locked.decided_by_id is None:
            raise ApplicationClosed(
                _("only an officer's refusal can be appealed; the assembly's decision is final")
                if locked.status == ApplicationStatus.REFUSED
                else _("only a refused application can be appealed")
            )
        if locked.appealed_at is not None:
            raise ApplicationClosed(_("this refusal was already appealed; the assembly's decision is final"))
        assert locked.decided_at is not None
        if timezone.now() > locked.decided_at + timedelta(days=APPEAL_DAYS):
            raise ApplicationClosed(
                _("a refusal may be appealed within %(days)s days of it; that time has passed")
                % {"days": APPEAL_DAYS}
            )
        locked.status, locked.appealed_at, locked.appeal = ApplicationStatus.APPEALED, timezone.now(), grounds
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "appealed_at", "appeal"])
        except IntegrityError as exc:
            raise ApplicationClosed(
                _("you have another application open in this organisation: it must be decided first")
            ) from exc
        log_entry_record(
            organisation=locked.organisation,
            action="application.appealed",
            body_id=locked.unit_id,
            actor=Actor(None, f"{locked.name}, the applicant, by their application's link"),
            summary=f"{locked.name} appealed to the general assembly of {locked.unit.name} against the refusal "
            f"by {_who(locked.decided_by)}: {grounds}",
            payload={
                "application": locked.pk,
                "unit": locked.unit.code,
                "refused_by": locked.decided_by.number if locked.decided_by else None,
                "grounds": grounds,
            },
        )
        _put_by_appeal(locked)
        officers = OfficeTerm.objects.filter(
            office__body=locked.unit, office__manages_roll=True, ended_at__isnull=True
        ).select_related("member__person")
        notification_send(
            people=[term.member.person for term in officers],
            kind=NOTICE_APPEALED,
            subject=deferred(
                gettext_lazy("%(name)s appeals to the general assembly of %(unit)s"),
                name=locked.name,
                unit=locked.unit.name,
            ),
            body=deferred(
                gettext_lazy(
                    "%(name)s appeals against the refusal of their application to %(unit)s. The appeal is now "
                    "before the unit's general assembly, as a motion to admit them, and its vote decides it.\n\n"
                    "They say: %(grounds)s"
                ),
                name=locked.name,
                unit=locked.unit.name,
                grounds=grounds,
            ),
            link=reverse("membership:applications", kwargs={"slug": locked.organisation.slug}),
        )
        return locked


def assembly_vote(motion: Motion) -> Vote | None:
    """The assembly's vote that decided the motion to admit (the last closed vote on adopting it)."""
    return (
        Vote.objects.filter(motion=motion, purpose=VotePurpose.ADOPT, closed_at__isnull=False)
        .order_by("-closed_at", "-pk")
        .first()
    )


def application_settle(*, application: Application, site: str = "") -> Application:
    """Do what the assembly decided on the application before it: its adopted motion admits the
    applicant, its rejected one refuses them, the vote's figures being the reason. Nothing while the
    motion is undecided; idempotent."""
    with transaction.atomic():
        locked = _locked(application.pk)
        if locked.status != ApplicationStatus.ASSEMBLY or locked.motion_id is None:
            return locked
        motion = Motion.objects.get(pk=locked.motion_id)
        if motion.status not in (MotionStatus.ADOPTED, MotionStatus.REJECTED):
            return locked
        vote = assembly_vote(motion)
        figures = f"{vote.yes} yes, {vote.no} no, {vote.abstain} abstain" if vote else "no vote"
        on = f"motion {motion.pk}" + (f", vote #{vote.pk}" if vote else "")
        actor = Actor(None, f"the general assembly of {locked.unit.name} ({on}: {figures})")
        appeal = " on appeal" if locked.appealed_at else ""
        if motion.status == MotionStatus.ADOPTED and motion.text != motion.original_text:
            return _amended(locked, motion, actor)
        if motion.status == MotionStatus.ADOPTED:
            locked.decided_by = None
            return _admit(
                locked,
                officer=None,
                actor=actor,
                site=site,
                by=f"by the general assembly{appeal}, which adopted {on} ({figures})",
            )
        reason = f"The general assembly of {locked.unit.name} did not carry the motion to admit ({figures})."[
            :REASON_MAX
        ]
        locked.status, locked.decided_at, locked.decided_by, locked.reason = (
            ApplicationStatus.REFUSED,
            timezone.now(),
            None,
            reason,
        )
        locked.save(update_fields=["status", "decided_at", "decided_by", "reason"])
        log_entry_record(
            organisation=locked.organisation,
            action="application.refused",
            body_id=locked.unit_id,
            actor=actor,
            summary=f"{locked.name}'s application to {locked.unit.name} refused by the general "
            f"assembly{appeal}, which rejected {on} ({figures})",
            payload={
                "application": locked.pk,
                "unit": locked.unit.code,
                "decided_by": None,
                "motion": motion.pk,
                "vote": vote.pk if vote else None,
                "appeal": bool(locked.appealed_at),
                "reason": reason,
            },
        )
        _mail(
            locked.email,
            deferred(
                gettext_lazy("Your application to %(organisation)s"), organisation=locked.organisation.name
            ),
            deferred(
                gettext_lazy(
                    "The general assembly of %(unit)s did not carry the motion to admit you to %(organisation)s: "
                    "%(yes)s yes, %(no)s no, %(abstain)s abstain. Its decision is final."
                ),
                organisation=locked.organisation.name,
                unit=locked.unit.name,
                yes=vote.yes if vote else 0,
                no=vote.no if vote else 0,
                abstain=vote.abstain if vote else 0,
            ),
        )
        return locked


def _amended(application: Application, motion: Motion, actor: Actor) -> Application:
    """The assembly adopted the motion as amended: another decision than the motion to admit as moved, so
    it neither admits nor refuses. The application goes back to wait to be put to the assembly again; an
    appeal puts it there again itself."""
    application.status = (
        ApplicationStatus.APPEALED if application.appealed_at is not None else ApplicationStatus.PENDING
    )
    application.motion = None
    application.save(update_fields=["status", "motion"])
    log_entry_record(
        organisation=application.organisation,
        action="application.not_decided",
        body_id=application.unit_id,
        actor=actor,
        summary=f"{application.name}'s application to {application.unit.name} is not decided: the general "
        f"assembly adopted motion {motion.pk} as amended, which is not the motion to admit as moved; "
        + (
            "the appeal puts it to the assembly again"
            if application.appealed_at is not None
            else "it waits to be put to the assembly again"
        ),
        payload={"application": application.pk, "unit": application.unit.code, "motion": motion.pk},
    )
    if application.appealed_at is not None:
        return _put_by_appeal(application)
    return application


@dataclass
class ApplicationsRunReport:
    """What one scheduler pass did to applications before an assembly, and the problems met."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def applications_run_due() -> ApplicationsRunReport:
    """Decide every application whose assembly has decided the motion to admit, and put before its
    assembly any appeal lodged before appeals put themselves there (for the scheduler)."""
    report = ApplicationsRunReport()
    waiting = Application.objects.filter(status=ApplicationStatus.APPEALED).values_list("pk", flat=True)
    for pk in list(waiting):
        try:
            with transaction.atomic():
                locked = _locked(pk)
                if locked.status == ApplicationStatus.APPEALED:
                    _put_by_appeal(locked)
        except DomainError as exc:
            report.problems.append(f"application #{pk}: {exc}")
            continue
        report.done.append(f"application #{pk}: its appeal put to the unit's general assembly")
    decided = Application.objects.filter(
        status=ApplicationStatus.ASSEMBLY,
        motion__status__in=[MotionStatus.ADOPTED, MotionStatus.REJECTED],
    ).values_list("pk", flat=True)
    for pk in list(decided):
        try:
            settled = application_settle(application=Application(pk=pk))
        except DomainError as exc:
            report.problems.append(f"application #{pk}: {exc}")
            continue
        report.done.append(f"application #{pk}: {settled.status} by the unit's general assembly")
    return report
