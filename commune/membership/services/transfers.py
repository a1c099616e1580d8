"""Writes for moving and leaving: a member's request to move to another unit, the receiving unit's decision,
and a member's resignation.

A member asks to move (a new job, a new depot); the unit they would join admits them, as it admits
applicants: its officer who keeps the roll, or at once under the constitution's automatic admission
(``membership.admission``). Neither the unit they leave nor the member decides. The move itself is
``commune.federation.services.member_transfer``: the old period ends and a new one starts, history kept;
seats held for the bodies the member leaves (their old unit, and a district council not above the new
unit) and their offices there end and fall vacant for those constituencies to fill; seats and offices in
bodies above both units stay.

Open processes are untouched. Every election, vote, referral, petition and call-in fixed its electorate when
it opened, so the member keeps the votes they had (in their old unit's processes) and gains none in the new
unit's processes already open: nobody can vote twice on one question by moving. Every step is on the log.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.services import Actor, log_entry_record
from commune.elections.services import elections_call_for_vacancies
from commune.federation.access import member_manages_roll
from commune.federation.models import Body, BodyKind, Member, OfficeTerm
from commune.federation.selectors import constitution_in_force
from commune.federation.services import member_lapse, member_transfer
from commune.membership.errors import NotYours, TransferClosed, TransferInvalid
from commune.membership.models import Transfer, TransferStatus
from commune.notifications.services import notification_send
from commune.translation import deferred

STATEMENT_MAX = 1000
REASON_MAX = 1000

#: The notification kinds of moving and leaving.
NOTICE_TRANSFER_ASKED = "membership.transfer_requested"
NOTICE_TRANSFER_DECIDED = "membership.transfer_decided"

AUTOMATIC = Actor(None, "the constitution (automatic admission)")


def _member_actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _officer_actor(officer: Member, unit: Body) -> Actor:
    return Actor.of(officer.person, role=f"member {officer.number}, roll officer of {unit.name}")


def _roll_officers(unit: Body) -> list[Member]:
    return [
        term.member
        for term in OfficeTerm.objects.filter(
            office__body=unit, office__manages_roll=True, ended_at__isnull=True
        ).select_related("member__person")
    ]


def _link(transfer: Transfer) -> str:
    return reverse("membership:transfers", kwargs={"slug": transfer.organisation.slug})


def transfer_request(*, member: Member, to_unit_code: str, statement: str = "") -> Transfer:
    """The member asks to move to the unit ``to_unit_code`` of their organisation, saying why. Under the
    constitution's automatic admission they are moved at once; otherwise the request waits for an officer
    who keeps the receiving unit's roll, who is told of it. One request open at a time."""
    statement = statement.strip()
    if len(statement) > STATEMENT_MAX:
        raise TransferInvalid(_("say why in at most %(max)s characters") % {"max": STATEMENT_MAX})
    with transaction.atomic():
        member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("current_unit", "organisation", "person")
            .get(pk=member.pk)
        )
        from_unit = member.current_unit
        if from_unit is None:
            raise TransferInvalid(_("only a current member can ask to move; apply to join instead"))
        to_unit = Body.objects.filter(
            organisation_id=member.organisation_id, kind=BodyKind.UNIT, code=to_unit_code.strip().upper()
        ).first()
        if to_unit is None:
            raise TransferInvalid(_("choose one of the organisation's units"))
        if to_unit.pk == from_unit.pk:
            raise TransferInvalid(_("you are already a member of %(unit)s") % {"unit": to_unit.name})
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    organisation=member.organisation,
                    member=member,
                    from_unit=from_unit,
                    to_unit=to_unit,
                    statement=statement,
                    requested_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise TransferClosed(
                _("you already have a request to move open: withdraw it first to ask for another unit")
            ) from exc
        log_entry_record(
            organisation=member.organisation,
            action="transfer.requested",
            body_id=to_unit.pk,
            actor=_member_actor(member),
            summary=f"Member {member.number} asked to move from {from_unit.name} to {to_unit.name}",
            payload={
                "transfer": transfer.pk,
                "member": member.number,
                "from": from_unit.code,
                "to": to_unit.code,
            },
        )
        if constitution_in_force(organisation_id=member.organisation_id).membership.admission == "automatic":
            return _admit(transfer, officer=None, actor=AUTOMATIC)
        notification_send(
            people=[officer.person for officer in _roll_officers(to_unit)],
            kind=NOTICE_TRANSFER_ASKED,
            subject=deferred(
                gettext_lazy("%(name)s asks to move to %(unit)s"), name=member.person.name, unit=to_unit.name
            ),
            body=deferred(
                gettext_lazy(
                    "Member %(number)s asks to move from %(from)s to %(to)s.\n\nThey say: %(statement)s"
                )
                if statement
                else gettext_lazy("Member %(number)s asks to move from %(from)s to %(to)s."),
                number=member.number,
                statement=statement,
                **{"from": from_unit.name, "to": to_unit.name},
            ),
            link=_link(transfer),
        )
        return transfer


def _deciding(transfer: Transfer, officer: Member) -> Transfer:
    """Lock the request and check the officer may decide it: an officer who keeps the receiving unit's
    roll, never the member themself."""
    locked = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("organisation", "member__person", "member__current_unit", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )
    if officer.organisation_id != locked.organisation_id or not member_manages_roll(
        member=officer, unit=locked.to_unit
    ):
        raise NotYours(
            _("only an officer who keeps the receiving unit's roll decides a request to move there")
        )
    if officer.pk == locked.member_id:
        raise NotYours(_("nobody decides their own request to move"))
    if locked.status != TransferStatus.PENDING:
        raise TransferClosed(
            _("the request is already %(status)s") % {"status": locked.get_status_display().lower()}
        )
    return locked


def _decided(transfer: Transfer, status: str, officer: Member | None, reason: str = "") -> None:
    transfer.status, transfer.decided_at, transfer.decided_by, transfer.reason = (
        status,
        timezone.now(),
        officer,
        reason,
    )
    transfer.save(update_fields=["status", "decided_at", "decided_by", "reason"])


def _admit(transfer: Transfer, *, officer: Member | None, actor: Actor) -> Transfer:
    member = transfer.member
    if member.current_unit_id != transfer.from_unit_id:
        # The member lapsed, resigned or moved since asking: the request no longer describes a move.
        _decided(transfer, TransferStatus.WITHDRAWN, None)
        raise TransferClosed(
            _("member %(number)s is no longer in %(unit)s, so the request was closed")
            % {"number": member.number, "unit": transfer.from_unit.name}
        )
    _decided(transfer, TransferStatus.ADMITTED, officer)
    by = "as the constitution says" if officer is None else f"by {officer.person.name} ({officer.number})"
    log_entry_record(
        organisation=transfer.organisation,
        action="transfer.admitted",
        body_id=transfer.to_unit_id,
        actor=actor,
        summary=f"Member {member.number}'s move from {transfer.from_unit.name} to {transfer.to_unit.name} "
        f"admitted {by}",
        payload={
            "transfer": transfer.pk,
            "member": member.number,
            "from": transfer.from_unit.code,
            "to": transfer.to_unit.code,
            "decided_by": officer.number if officer else None,
        },
    )
    member_transfer(member=member, to_unit=transfer.to_unit, actor=actor)
    vacancies_fill(organisation_id=transfer.organisation_id, member_id=member.pk)
    notification_send(
        people=[member.person],
        kind=NOTICE_TRANSFER_DECIDED,
        subject=deferred(gettext_lazy("You are now a member of %(unit)s"), unit=transfer.to_unit.name),
        body=deferred(
            gettext_lazy(
                "Your move from %(from)s to %(to)s was admitted as the constitution says. Any seat or office you "
                "held for the unit you left has ended; your votes in processes already open stay where they were."
            )
            if officer is None
            else gettext_lazy(
                "Your move from %(from)s to %(to)s was admitted by %(officer)s (%(number)s). Any seat or office "
                "you held for the unit you left has ended; your votes in processes already open stay where they "
                "were."
            ),
            officer=officer.person.name if officer else "",
            number=officer.number if officer else "",
            **{"from": transfer.from_unit.name, "to": transfer.to_unit.name},
        ),
        link=_link(transfer),
    )
    return transfer


def transfer_admit(*, transfer: Transfer, officer: Member) -> Transfer:
    """An officer who keeps the receiving unit's roll admits the member, who moves there at once."""
    with transaction.atomic():
        locked = _deciding(transfer, officer)
        return _admit(locked, officer=officer, actor=_officer_actor(officer, locked.to_unit))


@transaction.atomic
def transfer_refuse(*, transfer: Transfer, officer: Member, reason: str) -> Transfer:
    """An officer who keeps the receiving unit's roll refuses the move, for a reason the member is told and
    the log keeps. The member stays where they are."""
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise TransferInvalid(
            _("give the member a reason for the refusal (at most %(max)s characters)") % {"max": REASON_MAX}
        )
    locked = _deciding(transfer, officer)
    _decided(locked, TransferStatus.REFUSED, officer, reason)
    log_entry_record(
        organisation=locked.organisation,
        action="transfer.refused",
        body_id=locked.to_unit_id,
        actor=_officer_actor(officer, locked.to_unit),
        summary=f"Member {locked.member.number}'s move to {locked.to_unit.name} refused by "
        f"{officer.person.name} ({officer.number}): {reason}",
        payload={
            "transfer": locked.pk,
            "member": locked.member.number,
            "to": locked.to_unit.code,
            "decided_by": officer.number,
            "reason": reason,
        },
    )
    notification_send(
        people=[locked.member.person],
        kind=NOTICE_TRANSFER_DECIDED,
        subject=deferred(gettext_lazy("Your move to %(unit)s was refused"), unit=locked.to_unit.name),
        body=deferred(
            gettext_lazy(
                "An officer of %(to)s refused your move, for this reason:\n\n%(reason)s\n\n"
                "You remain a member of %(from)s."
            ),
            reason=reason,
            **{"from": locked.from_unit.name, "to": locked.to_unit.name},
        ),
        link=_link(locked),
    )
    return locked


@transaction.atomic
def transfer_withdraw(*, transfer: Transfer, member: Member) -> Transfer:
    """The member withdraws their own request while it waits."""
    locked = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("organisation", "member", "to_unit")
        .get(pk=transfer.pk)
    )
    if locked.member_id != member.pk:
        raise NotYours(_("only the member who asked may withdraw a request to move"))
    if locked.status != TransferStatus.PENDING:
        raise TransferClosed(
            _("the request is already %(status)s") % {"status": locked.get_status_display().lower()}
        )
    _decided(locked, TransferStatus.WITHDRAWN, None)
    log_entry_record(
        organisation=locked.organisation,
        action="transfer.withdrawn",
        body_id=locked.to_unit_id,
        actor=_member_actor(locked.member),
        summary=f"Member {locked.member.number} withdrew their request to move to {locked.to_unit.name}",
        payload={"transfer": locked.pk, "member": locked.member.number, "to": locked.to_unit.code},
    )
    return locked


#: The reason a resignation gives ``member_lapse``, in the log and the membership's history.
RESIGNED = "resigned"


@transaction.atomic
def member_resign(*, member: Member, statement: str = "") -> Member:
    """The member resigns: their membership ends now, with every seat and office they hold (as on lapsing:
    ``commune.federation.services.member_lapse``), and any request to move they had open is closed. Votes
    they have cast stay counted; their history stays. Only the member resigns themself: nobody else's
    word ends a membership this way."""
    statement = statement.strip()
    if len(statement) > STATEMENT_MAX:
        raise TransferInvalid(_("say why in at most %(max)s characters") % {"max": STATEMENT_MAX})
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("current_unit", "organisation", "person")
        .get(pk=member.pk)
    )
    unit = member.current_unit
    if unit is None:
        raise TransferClosed(_("you are not a current member, so there is nothing to resign"))
    actor = _member_actor(member)
    Transfer.objects.filter(member=member, status=TransferStatus.PENDING).update(
        status=TransferStatus.WITHDRAWN, decided_at=timezone.now()
    )
    log_entry_record(
        organisation=member.organisation,
        action="member.resigned",
        body_id=unit.pk,
        actor=actor,
        summary=f"Member {member.number} resigned from {member.organisation.name}"
        + (f": {statement}" if statement else ""),
        payload={"member": member.number, "unit": unit.code, "statement": statement},
    )
    lapsed = member_lapse(member=member, reason=RESIGNED, actor=actor)
    vacancies_fill(organisation_id=member.organisation_id, member_id=member.pk)
    return lapsed


def vacancies_fill(*, organisation_id: int, member_id: int) -> None:
    """Call at once the election of every seat and office the member's move or resignation left vacant, as
    the scheduler would on its next pass (``elections_call_for_vacancies``), so no constituency is left
    without a process under way to fill its seat. One that cannot be called (a constituency with no members
    left) is reported by the scheduler on every pass until it can."""
    elections_call_for_vacancies(now=timezone.now(), organisation_id=organisation_id, member_id=member_id)
