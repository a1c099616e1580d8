"""Tendencies: founded, joined and left by members freely; dissolved only by their own members.

There is deliberately no service by which a body, an officer or an executive dissolves, suspends or bans
a tendency. The one way a tendency ends is the vote of its own members: each current member may cast an
open vote to dissolve it, and it dissolves when more than half of its current members have so voted.
A member who leaves takes their vote with them.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Member, Organisation
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.governance.models import Tendency, TendencyDissolutionVote, TendencyMembership

PLATFORM_MAX = 20000


def _current(member: Member, organisation: Organisation) -> None:
    if member.organisation_id != organisation.pk or member.current_unit_id is None:
        raise NotEntitled("only current members of the organisation take part in its tendencies")


def _live(tendency: Tendency) -> None:
    if tendency.dissolved_at is not None:
        raise GovernanceConflict(f"{tendency.name} was dissolved by its members")


@transaction.atomic
def tendency_found(
    *, organisation: Organisation, member: Member, name: str, platform: str, actor: Actor = SYSTEM
) -> Tendency:
    """A member founds a public tendency with a platform, and is its first member."""
    _current(member, organisation)
    name, platform = name.strip(), platform.strip()
    if not name or not platform:
        raise GovernanceError("a tendency needs a name and a platform")
    if len(platform) > PLATFORM_MAX:
        raise GovernanceError(
            f"the platform is too long ({len(platform)} characters; at most {PLATFORM_MAX})"
        )
    slug = slugify(name)[:80]
    if not slug:
        raise GovernanceError("the name needs letters or digits")
    if Tendency.objects.filter(organisation=organisation, slug=slug).exists():
        raise GovernanceConflict(f"a tendency called {name!r} already exists")
    now = timezone.now()
    tendency = Tendency.objects.create(
        organisation=organisation, slug=slug, name=name, platform=platform, founded_by=member, founded_at=now
    )
    TendencyMembership.objects.create(tendency=tendency, member=member, joined_at=now)
    log_entry_record(
        organisation=organisation,
        action="tendency.founded",
        actor=actor,
        summary=f"Tendency {name} founded by member {member.number}",
        payload={"tendency": slug, "member": member.number, "platform": platform},
    )
    return tendency


@transaction.atomic
def tendency_join(*, tendency: Tendency, member: Member, actor: Actor = SYSTEM) -> TendencyMembership:
    tendency = Tendency.objects.select_for_update().select_related("organisation").get(pk=tendency.pk)
    _current(member, tendency.organisation)
    _live(tendency)
    try:
        with transaction.atomic():
            joined = TendencyMembership.objects.create(
                tendency=tendency, member=member, joined_at=timezone.now()
            )
    except IntegrityError as exc:
        raise GovernanceConflict(f"you are already in {tendency.name}") from exc
    log_entry_record(
        organisation=tendency.organisation,
        action="tendency.joined",
        actor=actor,
        summary=f"Member {member.number} joined {tendency.name}",
        payload={"tendency": tendency.slug, "member": member.number},
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
        raise GovernanceConflict(f"you are not in {tendency.name}")
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    TendencyDissolutionVote.objects.filter(tendency=tendency, member=member).delete()
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
    """A member of the tendency votes to dissolve it; with more than half its current members so voting,
    it dissolves. Nobody outside the tendency — member, officer, council or executive — can."""
    tendency = Tendency.objects.select_for_update().select_related("organisation").get(pk=tendency.pk)
    _live(tendency)
    if not TendencyMembership.objects.filter(tendency=tendency, member=member, left_at__isnull=True).exists():
        raise NotEntitled(
            f"only the members of {tendency.name} can dissolve it; no body, officer or executive can dissolve "
            "or ban a tendency"
        )
    try:
        with transaction.atomic():
            TendencyDissolutionVote.objects.create(tendency=tendency, member=member, voted_at=timezone.now())
    except IntegrityError as exc:
        raise GovernanceConflict("you have already voted to dissolve this tendency") from exc
    members = tendency_members_count(tendency)
    votes = TendencyDissolutionVote.objects.filter(
        tendency=tendency,
        member__tendency_memberships__tendency=tendency,
        member__tendency_memberships__left_at__isnull=True,
    ).count()
    log_entry_record(
        organisation=tendency.organisation,
        action="tendency.dissolution_vote",
        actor=actor,
        summary=f"Member {member.number} votes to dissolve {tendency.name} ({votes} of {members})",
        payload={"tendency": tendency.slug, "member": member.number, "votes": votes, "members": members},
    )
    if votes * 2 > members:
        tendency.dissolved_at = timezone.now()
        tendency.save(update_fields=["dissolved_at"])
        log_entry_record(
            organisation=tendency.organisation,
            action="tendency.dissolved",
            actor=actor,
            summary=f"{tendency.name} dissolved by {votes} of its {members} members",
            payload={"tendency": tendency.slug, "votes": votes, "members": members},
        )
    return tendency
