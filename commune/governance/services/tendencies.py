"""Tendencies belong to their members: founded freely, joined only as their own rules admit, dissolved
only by their own members, and always refounded by their founders.

There is deliberately no service by which a body, an officer or an executive dissolves, suspends or bans
a tendency. A member applies to join, and is a member once admitted by one of its members (or founders,
as the tendency's ``admission`` says). The one way a tendency ends is a dissolution proposed by one of its
members and decided by those who were its members when it was proposed — newcomers admitted since have no
vote on it — once more than the tendency's ``dissolution_majority`` of them have voted for it. A dissolved
tendency can always be refounded under its name by any of its founders.
"""

from __future__ import annotations

from fractions import Fraction

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commune.audit.capture import power_rows_note
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Member, Organisation
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.governance.models import (
    Tendency,
    TendencyAdmission,
    TendencyApplication,
    TendencyDissolution,
    TendencyDissolutionBallot,
    TendencyMembership,
)

PLATFORM_MAX = 20000


def _current(member: Member, organisation: Organisation) -> None:
    if member.organisation_id != organisation.pk or member.current_unit_id is None:
        raise NotEntitled(_("only current members of the organisation take part in its tendencies"))


def _live(tendency: Tendency) -> None:
    if tendency.dissolved_at is not None:
        raise GovernanceConflict(_("%(tendency)s was dissolved by its members") % {"tendency": tendency.name})


@transaction.atomic
def tendency_found(
    *,
    organisation: Organisation,
    member: Member,
    name: str,
    platform: str,
    admission: str = TendencyAdmission.MEMBERS,
    dissolution_majority: str = "1/2",
    actor: Actor = SYSTEM,
) -> Tendency:
    """A member founds a public tendency with a platform and its own rules (who admits members, the
    majority of its members that dissolves it), and is its first member and founder."""
    _current(member, organisation)
    if admission not in TendencyAdmission.values:
        raise GovernanceError(
            _("admission is by %(or)s, not %(admission)s")
            % {"or": " or ".join(TendencyAdmission.values), "admission": repr(admission)}
        )
    _majority(dissolution_majority)
    name, platform = name.strip(), platform.strip()
    if not name or not platform:
        raise GovernanceError(_("a tendency needs a name and a platform"))
    if len(platform) > PLATFORM_MAX:
        raise GovernanceError(
            _("the platform is too long (%(platform)s characters; at most %(platform_max)s)")
            % {"platform": len(platform), "platform_max": PLATFORM_MAX}
        )
    slug = slugify(name)[:80]
    if not slug:
        raise GovernanceError(_("the name needs letters or digits"))
    if Tendency.objects.filter(organisation=organisation, slug=slug).exists():
        raise GovernanceConflict(_("a tendency called %(name)s already exists") % {"name": repr(name)})
    now = timezone.now()
    tendency = Tendency.objects.create(
        organisation=organisation,
        slug=slug,
        name=name,
        platform=platform,
        founded_by=member,
        founded_at=now,
        admission=admission,
        dissolution_majority=dissolution_majority,
    )
    TendencyMembership.objects.create(tendency=tendency, member=member, joined_at=now, founder=True)
    log_entry_record(
        organisation=organisation,
        action="tendency.founded",
        actor=actor,
        summary=f"Tendency {name} founded by member {member.number}",
        payload={
            "tendency": slug,
            "member": member.number,
            "platform": platform,
            "admission": admission,
            "dissolution_majority": dissolution_majority,
        },
    )
    return tendency


def _majority(value: str) -> Fraction:
    try:
        share = Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise GovernanceError(
            _("the dissolution majority is a fraction such as 1/2 or 2/3, not %(value)s")
            % {"value": repr(value)}
        ) from exc
    if not Fraction(1, 2) <= share <= 1:
        raise GovernanceError(
            _("the dissolution majority is at least one half of the members and at most all")
        )
    return share


def _is_member(tendency: Tendency, member: Member) -> bool:
    return TendencyMembership.objects.filter(tendency=tendency, member=member, left_at__isnull=True).exists()


@transaction.atomic
def tendency_join(*, tendency: Tendency, member: Member, actor: Actor = SYSTEM) -> TendencyApplication:
    """Apply to join: the member is a member once admitted as the tendency's own rules say."""
    tendency = Tendency.objects.select_for_update().select_related("organisation").get(pk=tendency.pk)
    _current(member, tendency.organisation)
    _live(tendency)
    if _is_member(tendency, member):
        raise GovernanceConflict(_("you are already in %(tendency)s") % {"tendency": tendency.name})
    try:
        with transaction.atomic():
            application = TendencyApplication.objects.create(
                tendency=tendency, member=member, applied_at=timezone.now()
            )
    except IntegrityError as exc:
        raise GovernanceConflict(
            _("you have already applied to join %(tendency)s") % {"tendency": tendency.name}
        ) from exc
    log_entry_record(
        organisation=tendency.organisation,
        action="tendency.applied",
        actor=actor,
        summary=f"Member {member.number} applied to join {tendency.name}",
        payload={"tendency": tendency.slug, "member": member.number},
    )
    return application


@transaction.atomic
def tendency_admit(
    *, tendency: Tendency, applicant: Member, member: Member, actor: Actor = SYSTEM
) -> TendencyMembership:
    """``member`` admits ``applicant``: any of the tendency's members, or only its founders, as its rules
    say. Nobody outside it admits anyone to it."""
    tendency = Tendency.objects.select_for_update().select_related("organisation").get(pk=tendency.pk)
    _live(tendency)
    admitting = TendencyMembership.objects.filter(
        tendency=tendency, member=member, left_at__isnull=True
    ).first()
    if admitting is None or (tendency.admission == TendencyAdmission.FOUNDERS and not admitting.founder):
        who = "its founders" if tendency.admission == TendencyAdmission.FOUNDERS else "its members"
        raise NotEntitled(
            _("only %(who)s admit members to %(tendency)s, under its own rules")
            % {"who": who, "tendency": tendency.name}
        )
    application = (
        TendencyApplication.objects.select_for_update()
        .filter(tendency=tendency, member=applicant, admitted_at__isnull=True)
        .first()
    )
    if application is None:
        raise GovernanceConflict(
            _("member %(applicant_number)s has not applied to join %(tendency)s")
            % {"applicant_number": applicant.number, "tendency": tendency.name}
        )
    _current(applicant, tendency.organisation)
    now = timezone.now()
    application.admitted_at = now
    application.save(update_fields=["admitted_at"])
    joined = TendencyMembership.objects.create(
        tendency=tendency, member=applicant, joined_at=now, admitted_by=member
    )
    log_entry_record(
        organisation=tendency.organisation,
        action="tendency.joined",
        actor=actor,
        summary=f"Member {applicant.number} joined {tendency.name}, admitted by member {member.number}",
        payload={"tendency": tendency.slug, "member": applicant.number, "admitted_by": member.number},
    )
    return joined


@transaction.atomic
def tendency_leave(*, tendency: Tendency, member: Member, actor: Actor = SYSTEM) -> TendencyMembership:
    tendency = Tendency.objects.select_for_update().select_related("organisation").get(pk=tendency.pk)
    _live(tendency)
    membership = TendencyMembership.objects.filter(
        tendency=tendency, member=member, left_at__isnull=True
    ).first()
    if membership is None:
        raise GovernanceConflict(_("you are not in %(tendency)s") % {"tendency": tendency.name})
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    log_entry_record(
        organisation=tendency.organisation,
        action="tendency.left",
        actor=actor,
        summary=f"Member {member.number} left {tendency.name}",
        payload={"tendency": tendency.slug, "member": member.number},
    )
    return membership


def tendency_members_count(tendency: Tendency) -> int:
    return TendencyMembership.objects.filter(tendency=tendency, left_at__isnull=True).count()


@transaction.atomic
def tendency_dissolution_vote(*, tendency: Tendency, member: Member, actor: Actor = SYSTEM) -> Tendency:
    """Vote to dissolve the tendency. With no dissolution before it, a current member proposes one, and its
    electorate is fixed: the members at that moment. Only they vote on it, whoever joins or leaves since;
    it carries, and the tendency dissolves, once more than the tendency's majority of them have voted for
    it. Nobody outside the tendency — member, officer, council or executive — can."""
    tendency = Tendency.objects.select_for_update().select_related("organisation").get(pk=tendency.pk)
    _live(tendency)
    now = timezone.now()
    dissolution = TendencyDissolution.objects.filter(tendency=tendency, decided_at__isnull=True).first()
    if dissolution is None:
        if not _is_member(tendency, member):
            raise NotEntitled(
                _(
                    "only the members of %(tendency)s can dissolve it; no body, officer or executive can dissolve or ban a tendency"
                )
                % {"tendency": tendency.name}
            )
        electorate = sorted(
            TendencyMembership.objects.filter(tendency=tendency, left_at__isnull=True).values_list(
                "member_id", flat=True
            )
        )
        dissolution = TendencyDissolution.objects.create(
            tendency=tendency,
            proposed_by=member,
            proposed_at=now,
            electorate=electorate,
            majority=tendency.dissolution_majority,
        )
        log_entry_record(
            organisation=tendency.organisation,
            action="tendency.dissolution_proposed",
            actor=actor,
            summary=f"Member {member.number} proposes to dissolve {tendency.name}: its {len(electorate)} "
            f"members decide, by more than {tendency.dissolution_majority} of them",
            payload={"tendency": tendency.slug, "member": member.number, "electorate": len(electorate)},
        )
    elif member.pk not in dissolution.electorate:
        raise NotEntitled(
            _(
                "only the members of %(tendency)s when its dissolution was proposed decide it; no body, officer, executive or newcomer can dissolve or ban a tendency"
            )
            % {"tendency": tendency.name}
        )
    try:
        with transaction.atomic():
            TendencyDissolutionBallot.objects.create(dissolution=dissolution, member=member, cast_at=now)
    except IntegrityError as exc:
        raise GovernanceConflict(_("you have already voted to dissolve this tendency")) from exc
    votes = dissolution.ballots.count()
    members = len(dissolution.electorate)
    majority = _majority(dissolution.majority)
    log_entry_record(
        organisation=tendency.organisation,
        action="tendency.dissolution_vote",
        actor=actor,
        summary=f"Member {member.number} votes to dissolve {tendency.name} ({votes} of {members})",
        payload={"tendency": tendency.slug, "member": member.number, "votes": votes, "members": members},
    )
    if Fraction(votes, members) > majority or (majority == 1 and votes == members):
        dissolution.decided_at = now
        dissolution.save(update_fields=["decided_at"])
        tendency.dissolved_at = now
        tendency.save(update_fields=["dissolved_at"])
        log_entry_record(
            organisation=tendency.organisation,
            action="tendency.dissolved",
            actor=actor,
            summary=f"{tendency.name} dissolved by {votes} of its {members} members",
            payload={"tendency": tendency.slug, "votes": votes, "members": members},
        )
    return tendency


@transaction.atomic
def tendency_refound(*, tendency: Tendency, member: Member, actor: Actor = SYSTEM) -> Tendency:
    """A founder of a dissolved tendency refounds it under its name, with its founders as its members."""
    tendency = Tendency.objects.select_for_update().select_related("organisation").get(pk=tendency.pk)
    _current(member, tendency.organisation)
    if tendency.dissolved_at is None:
        raise GovernanceConflict(_("%(tendency)s has not been dissolved") % {"tendency": tendency.name})
    if not TendencyMembership.objects.filter(tendency=tendency, member=member, founder=True).exists():
        raise NotEntitled(
            _("only the founders of %(tendency)s refound it under its name") % {"tendency": tendency.name}
        )
    now = timezone.now()
    # It starts again from its founders; those who joined later apply again, under its rules.
    joined_later = TendencyMembership.objects.filter(tendency=tendency, left_at__isnull=True, founder=False)
    power_rows_note(joined_later)
    joined_later.update(left_at=now)
    if not _is_member(tendency, member):
        TendencyMembership.objects.create(tendency=tendency, member=member, joined_at=now, founder=True)
    tendency.dissolved_at = None
    tendency.save(update_fields=["dissolved_at"])
    log_entry_record(
        organisation=tendency.organisation,
        action="tendency.refounded",
        actor=actor,
        summary=f"{tendency.name} refounded by its founder, member {member.number}",
        payload={"tendency": tendency.slug, "member": member.number},
    )
    return tendency
