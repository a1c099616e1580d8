"""The demo federation's dues, made through the real services.

Dues are by wage band, as the demo's constitution says. When the depots moved their books onto Commune,
some members already owed months under the paper ledgers: each depot's branch secretary brings those
arrears forward, with the reason, so the demo has members in and out of good standing. The first depot's
secretary then imports the month's payroll file, in which some of them pay part of what they owe, corrects
one of its payments, pays a member back money paid twice and puts a member promoted at the depot on a higher
wage band from this month; one of its members is exempted in hardship; and the scheduler gives notice of
lapsing to everyone as far behind as the constitution lets a member lapse for (none lapses: the notice has
weeks to run). The demo's rank-and-file, secretary and delegate members are left in good standing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.utils import timezone

from commune.audit.services import Actor
from commune.dues.models import DuesPayment
from commune.dues.services import (
    arrears_brought_forward_record,
    dues_exemption_record,
    dues_import,
    dues_payment_correct,
    dues_refund_record,
    dues_run_due,
    wage_band_change_record,
)
from commune.federation.models import Body, Member

#: The monthly dues of each of the roll's wage bands, lowest first.
DEMO_BAND_MONTHLY = {"Band 1": "9.50", "Band 2": "12.00", "Band 3": "14.50", "Band 4": "17.00"}
#: The demo constitution's dues: a monthly amount for each of the roll's wage bands.
DEMO_DUES = {
    "basis": "wage-band",
    "flat_monthly": "12.00",
    "band_monthly": DEMO_BAND_MONTHLY,
    "percent_of_wage": "0",
    "good_standing_months": 3,
    "voting_requires_good_standing": False,
    "lapse_after_months": 6,
    "lapse_notice_days": 28,
}
#: The share of each depot's members (beyond the demo's own sign-ins) with arrears from the paper ledgers.
IN_ARREARS_PER_HUNDRED = 6


def demo_dues_hold(
    *, depots: Sequence[Body], secretaries: Sequence[Member], keep: Sequence[Member], rng: random.Random
) -> None:
    """``secretaries[i]`` keeps ``depots[i]``'s roll; ``keep`` are the demo's sign-ins, left alone."""
    kept = {m.pk for m in keep}
    behind: dict[int, list[tuple[Member, int]]] = {}
    for depot, secretary in zip(depots, secretaries, strict=True):
        members = [
            m
            for m in Member.objects.filter(current_unit=depot).select_related("person").order_by("number")
            if m.pk not in kept and m.pk != secretary.pk
        ]
        chosen = rng.sample(members, max(1, len(members) * IN_ARREARS_PER_HUNDRED // 100))
        for member in sorted(chosen, key=lambda m: m.number):
            months = rng.choice((2, 3, 4, 5, 7, 8))
            arrears_brought_forward_record(
                officer=secretary,
                member=member,
                months=months,
                reason="owed under the branch's paper ledger when its books moved onto Commune",
            )
            behind.setdefault(depot.pk, []).append((member, months))
    first, secretary = depots[0], secretaries[0]
    today = timezone.localdate()
    lines = ["number,amount,paid_on,reference"]
    for member, months in behind.get(first.pk, [])[::2]:
        lines.append(f"{member.number},{9.5 * min(months, 2):.2f},{today:%Y-%m-%d},PAYROLL-{member.number}")
    dues_import(
        unit=first,
        csv_text="\n".join(lines) + "\n",
        dry_run=False,
        actor=Actor.of(secretary.person, role=f"member {secretary.number}, roll officer of {first.name}"),
        officer=secretary,
    )
    hardship = behind.get(first.pk, [])[-1][0]
    dues_exemption_record(
        officer=secretary,
        member=hardship,
        first_month=today,
        last_month=today.replace(month=today.month % 12 + 1, year=today.year + today.month // 12),
        reason="off work after an injury at the depot; the branch reviews it in two months",
    )
    _corrections_and_a_band(
        depot=first, secretary=secretary, kept=kept, paid=[m for m, _ in behind.get(first.pk, [])[::2]]
    )
    dues_run_due(sweep=True)


def _corrections_and_a_band(
    *, depot: Body, secretary: Member, kept: set[int], paid: Sequence[Member]
) -> None:
    """The secretary corrects a payroll payment recorded wrongly, pays a member back what they paid twice,
    and puts a member promoted at the depot on a higher wage band from this month."""
    today = timezone.localdate()
    first_payment = DuesPayment.objects.filter(member=paid[0]).order_by("pk").first()
    assert first_payment is not None, "the payroll file paid the first member in arrears"
    dues_payment_correct(
        officer=secretary,
        payment=first_payment,
        amount=first_payment.amount / 2,
        reason="the payroll deducted one month, not two: corrected from the employer's statement",
    )
    refunded = paid[-1]
    dues_refund_record(
        officer=secretary,
        member=refunded,
        amount="9.50",
        refunded_on=today,
        reason="paid one month twice, by payroll and in cash at the branch; the cash paid back",
    )
    bands = list(DEMO_BAND_MONTHLY)
    promoted = (
        Member.objects.filter(current_unit=depot, wage_band__in=bands[:-1], wage_band_changes__isnull=True)
        .exclude(pk__in=[*kept, secretary.pk, *(m.pk for m in paid)])
        .order_by("number")
        .first()
    )
    assert promoted is not None, "the depot has members on a band below the highest"
    wage_band_change_record(
        officer=secretary,
        member=promoted,
        band=bands[bands.index(promoted.wage_band) + 1],
        from_month=today,
        reason="promoted to shift lead at the depot this month",
    )
