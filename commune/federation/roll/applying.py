"""Writing an import: admissions, re-admissions, updates and lapses in bulk, and one log entry for it all."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.accounts.models import User
from commune.audit.capture import power_rows_note, power_rows_saved
from commune.audit.services import Actor, log_entry_record
from commune.federation.bands import BandSource, member_bands_move
from commune.federation.models import Body, Member, Membership, MembershipEnd
from commune.federation.roll.planning import LOOKUP_CHUNK, Plan, chunks
from commune.federation.roll.reading import Row
from commune.federation.services import END_LAPSED, member_power_end
from commune.translation import deferred


def _person_apply(row: Row, person: User, fields: list[str]) -> bool:
    """Give ``person`` the row's name and address where ``fields`` says so; whether anything changed."""
    if "name" in fields:
        person.name = row.name
    if "email" in fields:
        person.email = row.email
    return "name" in fields or "email" in fields


def _importer(proposed_by: Member | None, confirmed_by: Member | None, actor: Actor) -> str:
    """Who imported the roll, as its members are told: the roll officer (and the second who confirmed it),
    or whoever ran the import from the command line."""
    if proposed_by is None:
        return actor.label
    who = f"{proposed_by.person.name} ({proposed_by.number})"
    if confirmed_by is not None:
        who += f", {confirmed_by.person.name} ({confirmed_by.number})"
    return who


def plan_apply(
    *,
    unit: Body,
    plan: Plan,
    actor: Actor,
    digest: str,
    rows: int,
    proposed_by: Member | None = None,
    confirmed_by: Member | None = None,
) -> None:
    """Write the plan and log it as one act; a large lapse names the officer who proposed it and the second
    officer who confirmed it."""
    now = timezone.now()
    people = [
        User(email=r.email, name=r.name, password=make_password(None), date_joined=now)
        for r in plan.new_people
    ]
    User.objects.bulk_create(people, batch_size=LOOKUP_CHUNK)
    admissions = [(r, person) for r, person in zip(plan.new_people, people, strict=True)]
    admissions += plan.new_members
    new_members = [
        Member(
            organisation_id=unit.organisation_id,
            person=person,
            number=r.number,
            wage_band=r.wage_band or "",
            current_unit=unit,
        )
        for r, person in admissions
    ]
    Member.objects.bulk_create(new_members, batch_size=LOOKUP_CHUNK)
    power_rows_saved(new_members)

    people_changed: list[User] = []
    # Bands change only through member_bands_move, which keeps each change in the band history.
    band_moves: list[tuple[Member, str]] = []
    for r, member, fields in plan.readmit:
        member.current_unit = unit
        if "wage_band" in fields:
            band_moves.append((member, r.wage_band or ""))
        if _person_apply(r, member.person, fields):
            people_changed.append(member.person)
    Member.objects.bulk_update([m for _, m, _ in plan.readmit], ["current_unit"], batch_size=LOOKUP_CHUNK)
    power_rows_saved([m for _, m, _ in plan.readmit])
    power_rows_saved(
        Membership.objects.bulk_create(
            [
                Membership(member=m, unit=unit, started_at=now)
                for m in [*new_members, *(m for _, m, _ in plan.readmit)]
            ],
            batch_size=LOOKUP_CHUNK,
        )
    )

    for r, member, fields in plan.update:
        if _person_apply(r, member.person, fields):
            people_changed.append(member.person)
        if "wage_band" in fields:
            band_moves.append((member, r.wage_band or ""))
    User.objects.bulk_update(people_changed, ["name", "email"], batch_size=LOOKUP_CHUNK)
    member_bands_move(
        organisation=unit.organisation,
        moves=band_moves,
        reason=_("wage band from the roll imported for %(unit)s") % {"unit": unit.name},
        actor=actor,
        recorded_by=proposed_by,
        source=BandSource(
            deferred(
                gettext_lazy("the roll of %(unit)s imported on %(date)s UTC by %(who)s"),
                unit=unit.name,
                date=f"{now:%Y-%m-%d %H:%M}",
                who=_importer(proposed_by, confirmed_by, actor),
            )
        ),
        batch_size=LOOKUP_CHUNK,
    )

    for chunk in chunks([m.pk for m in plan.lapse]):
        current = Membership.objects.filter(member_id__in=chunk, ended_at__isnull=True)
        power_rows_note(current)
        current.update(ended_at=now, end_reason=MembershipEnd.LAPSE)
        power_rows_note(Member.objects.filter(pk__in=chunk))
        Member.objects.filter(pk__in=chunk).update(current_unit=None)

    delta = len(new_members) + len(plan.readmit) - len(plan.lapse)
    if delta:
        Body.objects.filter(pk__in=[*unit.ancestor_ids, unit.pk]).update(
            member_count=F("member_count") + delta
        )

    counts = {
        "admitted": len(new_members),
        "readmitted": len(plan.readmit),
        "updated": len(plan.update),
        "lapsed": len(plan.lapse),
        "unchanged": plan.unchanged,
    }
    log_entry_record(
        organisation=unit.organisation,
        action="roll.imported",
        body_id=unit.pk,
        actor=actor,
        summary=f"Roll of {unit.name} imported: "
        + ", ".join(f"{n} {what}" for what, n in counts.items() if n and what != "unchanged")
        + f" ({rows} on the roll)",
        payload={
            "unit": unit.code,
            "rows": rows,
            "file_sha256": digest,
            "counts": counts,
            "admitted": [m.number for m in new_members],
            "readmitted": [m.number for _, m, _ in plan.readmit],
            "updated": {m.number: fields for _, m, fields in plan.update},
            "lapsed": [m.number for m in plan.lapse],
            **(
                {"proposed_by": proposed_by.number, "confirmed_by": confirmed_by.number}
                if proposed_by is not None and confirmed_by is not None
                else {}
            ),
        },
    )
    # Recorded after the import itself, as the seats and offices end because of it.
    for chunk in chunks([m.pk for m in plan.lapse]):
        member_power_end(
            organisation=unit.organisation, member_ids=chunk, end_reason=END_LAPSED, actor=actor, at=now
        )
