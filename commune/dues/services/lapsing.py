"""Lapsing for arrears, only ever after notice, each step on the log; and the bar on voting for members
out of good standing, where the constitution sets one.

With ``dues.lapse_after_months`` set, the scheduler (``dues_run_due``) sends every current member that many
months in arrears a notice: they lapse on its date, ``dues.lapse_notice_days`` later, unless by then they
have paid (or been exempted) back below it. A notice is withdrawn as soon as they are; a member lapses
only when a notice given to them has run its course and they are still as far behind. Giving notice,
withdrawing it and lapsing are each a log entry, and the member is told of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.dues.errors import DuesConflict
from commune.dues.models import LapseNotice, NoticeStatus
from commune.dues.selectors import members_out_of_standing, months_in_arrears_of, standings_of
from commune.dues.services.common import amount_words, date_words
from commune.federation.constitution import Rules
from commune.federation.models import Member, Organisation
from commune.federation.selectors import constitution_in_force
from commune.federation.services import member_lapse
from commune.notifications.services import notification_send
from commune.translation import deferred

SCHEDULER = Actor(None, "Commune (the constitution's rule on lapsing for arrears)")

#: How often a worker reckons every member's standing to find those due a notice: arrears move by the
#: month, and reckoning a large federation's every member on each pass of the scheduler would be waste.
NOTICE_SWEEP_INTERVAL = timedelta(hours=1)
_last_sweep: dict[int, datetime] = {}


def voting_standing_bar(rules: Rules, organisation_id: int, member_ids: list[int]) -> set[int]:
    """Installed in ``federation.standing``: where the constitution says only members in good standing
    vote, those among ``member_ids`` who are not, as the process opens."""
    if not rules.dues.voting_requires_good_standing or not member_ids:
        return set()
    return members_out_of_standing(organisation_id=organisation_id, member_ids=member_ids)


def _link(organisation: Organisation) -> str:
    from django.urls import reverse

    return reverse("dues:mine", kwargs={"slug": organisation.slug})


def _in_english(text: str) -> str:
    """What the signed log keeps of a reason: the source text, whatever language is active."""
    with translation.override("en"):
        return str(text)


def _notice_give(
    organisation: Organisation, member: Member, months: int, arrears: str, rules: Rules, now: datetime
) -> LapseNotice:
    notice = LapseNotice.objects.create(
        organisation=organisation,
        member=member,
        sent_at=now,
        lapse_due_at=now + timedelta(days=rules.dues.lapse_notice_days),
        months_in_arrears=months,
        arrears=arrears,
    )
    log_entry_record(
        organisation=organisation,
        action="dues.lapse_notice_given",
        body_id=member.current_unit_id,
        actor=SCHEDULER,
        summary=f"Member {member.number} given notice of lapsing for {months} months' dues unpaid ({arrears}): "
        f"they lapse on {notice.lapse_due_at:%Y-%m-%d} unless they pay or are exempted first",
        payload={
            "member": member.number,
            "notice": notice.pk,
            "months_in_arrears": months,
            "arrears": arrears,
            "lapse_due_at": notice.lapse_due_at.isoformat(),
        },
    )
    notification_send(
        people=[member.person],
        kind="dues.lapse_notice",
        subject=deferred(
            gettext_lazy("Notice: your membership of %(organisation)s lapses on %(date)s"),
            organisation=organisation.name,
            date=date_words(notice.lapse_due_at, "DATE_FORMAT"),
        ),
        body=deferred(
            ngettext_lazy(
                "You owe %(months)s month's dues (%(arrears)s). Under the constitution your membership lapses "
                "on %(date)s unless you pay enough to be less than %(after)s months behind before then. If you "
                "cannot pay, ask an officer of your unit about a hardship exemption.",
                "You owe %(months)s months' dues (%(arrears)s). Under the constitution your membership lapses "
                "on %(date)s unless you pay enough to be less than %(after)s months behind before then. If you "
                "cannot pay, ask an officer of your unit about a hardship exemption.",
                months,
            ),
            months=months,
            arrears=amount_words(Decimal(arrears), 2),
            date=date_words(notice.lapse_due_at, "DATE_FORMAT"),
            after=rules.dues.lapse_after_months,
        ),
        link=_link(organisation),
    )
    return notice


def _why_withdrawn(months: int | None) -> str:
    """Why a notice is withdrawn, as the member reads it: ``months`` still unpaid, or None when they are no
    longer a member."""
    if months is None:
        return deferred(gettext_lazy("they are no longer a member"))
    if months:
        return deferred(
            ngettext_lazy(
                "%(months)s month's dues is now unpaid", "%(months)s months' dues are now unpaid", months
            ),
            months=months,
        )
    return deferred(gettext_lazy("their dues are paid"))


def _notice_withdraw(notice: LapseNotice, member: Member, why: str, actor: Actor, now: datetime) -> None:
    """``why`` is lazy: the log keeps it in English, the member reads it in their language."""
    notice.status, notice.settled_at = NoticeStatus.WITHDRAWN, now
    notice.save(update_fields=["status", "settled_at"])
    organisation = Organisation.objects.get(pk=notice.organisation_id)
    log_entry_record(
        organisation=organisation,
        action="dues.lapse_notice_withdrawn",
        body_id=member.current_unit_id,
        actor=actor,
        summary=f"Notice of lapsing to member {member.number} withdrawn: {_in_english(why)}",
        payload={"member": member.number, "notice": notice.pk, "why": _in_english(why)},
    )
    if member.current_unit_id is not None:
        notification_send(
            people=[member.person],
            kind="dues.lapse_notice",
            subject=deferred(gettext_lazy("The notice of lapsing you were sent is withdrawn")),
            body=deferred(
                gettext_lazy("You will not lapse on %(date)s: %(why)s."),
                date=date_words(notice.lapse_due_at, "DATE_FORMAT"),
                why=why,
            ),
            link=_link(organisation),
        )


def notices_settle(*, organisation: Organisation, member_ids: list[int], actor: Actor = SYSTEM) -> int:
    """Withdraw the pending notices of those of ``member_ids`` no longer so far in arrears that they would
    lapse (after a payment, an exemption). Returns how many were withdrawn. Call inside the transaction
    that recorded the change."""
    pending = list(
        LapseNotice.objects.filter(
            organisation=organisation, status=NoticeStatus.PENDING, member_id__in=member_ids
        ).select_related("member__person")
        if len(member_ids) <= 500
        else LapseNotice.objects.filter(
            organisation=organisation, status=NoticeStatus.PENDING
        ).select_related("member__person")
    )
    wanted = set(member_ids)
    pending = [n for n in pending if n.member_id in wanted]
    if not pending:
        return 0
    rules = constitution_in_force(organisation_id=organisation.pk)
    standings = standings_of(organisation_id=organisation.pk, member_ids=[n.member_id for n in pending])
    now, withdrawn = timezone.now(), 0
    for notice in pending:
        months = standings[notice.member_id].months_in_arrears
        if not rules.dues.lapse_after_months or months < rules.dues.lapse_after_months:
            _notice_withdraw(notice, notice.member, _why_withdrawn(months), actor, now)
            withdrawn += 1
    return withdrawn


@transaction.atomic
def dues_lapse(*, notice: LapseNotice, actor: Actor = SCHEDULER) -> Member:
    """Lapse the member a notice was given to, once it has run its course and they are still as far in
    arrears as the constitution lets a member lapse for. Nobody lapses for arrears any other way."""
    notice = LapseNotice.objects.select_for_update().select_related("member__person").get(pk=notice.pk)
    now = timezone.now()
    if notice.status != NoticeStatus.PENDING:
        raise DuesConflict(
            _("this notice was already %(status)s") % {"status": notice.get_status_display().lower()}
        )
    if notice.lapse_due_at > now:
        raise DuesConflict(
            _("member %(number)s was given notice on %(sent)s: they cannot lapse before %(due)s UTC")
            % {
                "number": notice.member.number,
                "sent": f"{notice.sent_at:%Y-%m-%d}",
                "due": f"{notice.lapse_due_at:%Y-%m-%d %H:%M}",
            }
        )
    member = notice.member
    rules = constitution_in_force(organisation_id=notice.organisation_id)
    months = standings_of(organisation_id=notice.organisation_id, member_ids=[member.pk])[
        member.pk
    ].months_in_arrears
    if member.current_unit_id is None:
        _notice_withdraw(notice, member, _why_withdrawn(None), actor, now)
        raise DuesConflict(_("member %(number)s is no longer a member") % {"number": member.number})
    if not rules.dues.lapse_after_months or months < rules.dues.lapse_after_months:
        _notice_withdraw(notice, member, _why_withdrawn(months), actor, now)
        raise DuesConflict(
            _("member %(number)s is no longer so far in arrears; the notice is withdrawn")
            % {"number": member.number}
        )
    notice.status, notice.settled_at = NoticeStatus.LAPSED, now
    notice.save(update_fields=["status", "settled_at"])
    organisation = Organisation.objects.get(pk=notice.organisation_id)
    log_entry_record(
        organisation=organisation,
        action="dues.lapsed",
        body_id=member.current_unit_id,
        actor=actor,
        summary=f"Member {member.number} lapses for {months} months' dues unpaid, notice having been given "
        f"on {notice.sent_at:%Y-%m-%d}",
        payload={"member": member.number, "notice": notice.pk, "months_in_arrears": months},
    )
    notification_send(
        people=[member.person],
        kind="dues.lapsed",
        subject=deferred(
            gettext_lazy("Your membership of %(organisation)s has lapsed"), organisation=organisation.name
        ),
        body=deferred(
            ngettext_lazy(
                "Your membership has lapsed for %(months)s month's dues unpaid, as the notice sent on %(date)s "
                "said. An officer of your unit can re-admit you.",
                "Your membership has lapsed for %(months)s months' dues unpaid, as the notice sent on %(date)s "
                "said. An officer of your unit can re-admit you.",
                months,
            ),
            months=months,
            date=date_words(notice.sent_at, "DATE_FORMAT"),
        ),
    )
    return member_lapse(
        member=member,
        reason=f"{months} months' dues unpaid; notice given on {notice.sent_at:%Y-%m-%d}",
        actor=actor,
    )


@dataclass
class DuesRunReport:
    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def dues_run_due(*, actor: Actor = SCHEDULER, sweep: bool = False) -> DuesRunReport:
    """For the scheduler: lapse those whose notice has run its course (or withdraw it), and give notice
    to every current member as far in arrears as the constitution lets a member lapse for (at most every
    ``NOTICE_SWEEP_INTERVAL`` in one process, unless ``sweep``). Several workers may run at once: a notice
    is one per member (a database constraint) and a lapse locks its notice."""
    report = DuesRunReport()
    now = timezone.now()
    for organisation in Organisation.objects.order_by("pk"):
        rules = constitution_in_force(organisation_id=organisation.pk)
        due = list(
            LapseNotice.objects.filter(
                organisation=organisation, status=NoticeStatus.PENDING, lapse_due_at__lte=now
            ).values_list("pk", flat=True)
        )
        for notice_id in due:
            try:
                member = dues_lapse(notice=LapseNotice(pk=notice_id), actor=actor)
                report.done.append(f"member {member.number} of {organisation.slug} lapsed for arrears")
            except DuesConflict as exc:
                report.done.append(f"{organisation.slug}: {exc}")
        after = rules.dues.lapse_after_months
        last = _last_sweep.get(organisation.pk)
        if not after or (
            not sweep and last is not None and timedelta(0) <= now - last < NOTICE_SWEEP_INTERVAL
        ):
            continue
        _last_sweep[organisation.pk] = now
        months, _members = months_in_arrears_of(organisation_id=organisation.pk)
        behind = [mid for mid, count in months.items() if count >= after]
        if not behind:
            continue
        noticed = set(
            LapseNotice.objects.filter(organisation=organisation, status=NoticeStatus.PENDING).values_list(
                "member_id", flat=True
            )
        )
        to_notice = [m for m in behind if m not in noticed]
        standings = standings_of(organisation_id=organisation.pk, member_ids=to_notice) if to_notice else {}
        for member in (
            Member.objects.filter(pk__in=to_notice, current_unit__isnull=False)
            .select_related("person")
            .order_by("number")
        ):
            standing = standings[member.pk]
            try:
                with transaction.atomic():
                    notice = _notice_give(
                        organisation, member, standing.months_in_arrears, str(standing.arrears), rules, now
                    )
            except IntegrityError:  # another worker gave it first
                continue
            report.done.append(
                f"member {member.number} of {organisation.slug} given notice of lapsing on "
                f"{notice.lapse_due_at:%Y-%m-%d}"
            )
    return report
