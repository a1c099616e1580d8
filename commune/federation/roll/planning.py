"""Comparing a roll with the unit's membership: what happens to every row and every member."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.models import Body, Member
from commune.federation.roll.reading import RollProblem, Row

# Rows per query when looking up numbers and addresses, well under every database's parameter limit.
LOOKUP_CHUNK = 500

Progress = Callable[[int, int], None]
T = TypeVar("T")


@dataclass
class Plan:
    new_people: list[Row] = field(default_factory=list)  # admitted with a new account
    new_members: list[tuple[Row, User]] = field(default_factory=list)  # admitted, person already known
    readmit: list[tuple[Row, Member, list[str]]] = field(default_factory=list)
    update: list[tuple[Row, Member, list[str]]] = field(default_factory=list)
    lapse: list[Member] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[RollProblem] = field(default_factory=list)


def chunks(items: list[T], size: int = LOOKUP_CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_make(unit: Body, rows: list[Row], progress: Progress | None) -> tuple[Plan, list[RollProblem]]:
    """Compare the file with the database and decide what happens to every row and member."""
    org_id = unit.organisation_id
    members_by_number: dict[str, Member] = {}
    for chunk in chunks([r.number for r in rows]):
        for m in Member.objects.filter(organisation_id=org_id, number__in=chunk).select_related(
            "person", "current_unit"
        ):
            members_by_number[m.number] = m
    users_by_email: dict[str, User] = {}
    for chunk in chunks([r.email for r in rows]):
        for u in User.objects.filter(email__in=chunk):
            users_by_email[u.email.lower()] = u
    member_by_person: dict[int, Member] = {}
    for ids in chunks([u.pk for u in users_by_email.values()]):
        for m in Member.objects.filter(organisation_id=org_id, person_id__in=ids):
            member_by_person[m.person_id] = m

    plan = Plan()
    problems: list[RollProblem] = []
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        if progress is not None:
            progress(done, total)
        member = members_by_number.get(row.number)
        account = users_by_email.get(row.email)
        if member is not None and member.current_unit_id not in (None, unit.pk):
            assert member.current_unit is not None
            problems.append(
                RollProblem(
                    row.line,
                    _(
                        "member number %(number)s (%(name)s) is a current member of %(other)s (%(other_code)s), "
                        "another unit; transfer them to %(code)s first (a member belongs to one unit at a time), "
                        "or remove this line"
                    )
                    % {
                        "number": row.number,
                        "name": member.person.name,
                        "other": member.current_unit.name,
                        "other_code": member.current_unit.code,
                        "code": unit.code,
                    },
                )
            )
            continue
        if account is not None:
            holder = member_by_person.get(account.pk)
            if holder is not None and holder.number != row.number:
                message = (
                    _(
                        "the address %(email)s belongs to member number %(holder)s (%(name)s), not %(number)s; "
                        "each member needs an address of their own"
                    )
                    if holder.current_unit_id
                    else _(
                        "the address %(email)s belongs to member number %(holder)s (%(name)s, a former member), "
                        "not %(number)s; each member needs an address of their own"
                    )
                )
                problems.append(
                    RollProblem(
                        row.line,
                        message
                        % {
                            "email": row.email,
                            "holder": holder.number,
                            "name": account.name,
                            "number": row.number,
                        },
                    )
                )
                continue
            if member is not None and account.pk != member.person_id:
                problems.append(
                    RollProblem(
                        row.line,
                        _(
                            "the address %(email)s is already used by another person's account, so member "
                            "%(number)s cannot be given it"
                        )
                        % {"email": row.email, "number": row.number},
                    )
                )
                continue
        if member is None:
            if account is None:
                plan.new_people.append(row)
            else:
                plan.new_members.append((row, account))
            continue
        changes = changes_of(row, member)
        if "email" in changes and member.person.has_usable_password():
            changes.remove("email")
            plan.warnings.append(
                RollProblem(
                    row.line,
                    _(
                        "member number %(number)s (%(name)s) signs in with another address, so %(email)s is not "
                        "applied: the member changes their own sign-in address"
                    )
                    % {"number": row.number, "name": member.person.name, "email": row.email},
                )
            )
        if "wage_band" in changes and member.wage_band:
            changes.remove("wage_band")
            plan.warnings.append(
                RollProblem(
                    row.line,
                    _(
                        "member number %(number)s (%(name)s) stays on wage band %(band)s, not %(new_band)s: the "
                        "officers' pay cap is computed from the members' bands, so a band once recorded changes "
                        "only by a motion of the body the constitution names"
                    )
                    % {
                        "number": row.number,
                        "name": member.person.name,
                        "band": member.wage_band,
                        "new_band": row.wage_band,
                    },
                )
            )
        if member.current_unit_id is None:
            plan.readmit.append((row, member, changes))
        elif changes:
            plan.update.append((row, member, changes))
        else:
            plan.unchanged += 1
    listed = {r.number for r in rows}
    plan.lapse = [
        m for m in Member.objects.filter(current_unit=unit).order_by("number") if m.number not in listed
    ]
    return plan, problems


def changes_of(row: Row, member: Member) -> list[str]:
    """The fields the row would change, before the sign-in address rule is applied."""
    changed = []
    if member.person.name != row.name:
        changed.append("name")
    if member.person.email.lower() != row.email:
        changed.append("email")
    if row.wage_band is not None and member.wage_band != row.wage_band:
        changed.append("wage_band")
    return changed
