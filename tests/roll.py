"""Test set-up for roll imports whose subject is what an import writes, not the safeguards around lapses
(those have their own tests in tests/federation/test_roll_safeguards.py)."""

from __future__ import annotations

import re

from commune.audit.services import Actor
from commune.federation.models import Body, ConstitutionVersion, Organisation
from commune.federation.roll import Progress, RollReport, roll_import
from tests.records import recorded_update


def let_one_officer_lapse_any_share(org: Organisation) -> None:
    """Found ``org`` with a rule letting one officer, or the operator, lapse any share of a unit."""
    version = ConstitutionVersion.objects.get(organisation=org, number=1)
    rules = {**version.rules, "roll": {"second_officer_lapse_percent": "100"}}
    recorded_update(ConstitutionVersion.objects.filter(pk=version.pk), rules=rules)


def confirmation_code(output: str) -> str:
    """The lapse confirmation code ``commune import-members`` printed."""
    found = re.search(r"--confirm-lapses (\w+)", output)
    assert found, output
    return found.group(1)


def roll_import_confirmed(
    unit: Body, text: str, *, actor: Actor, dry_run: bool = False, progress: Progress | None = None
) -> RollReport:
    """Import as the operator would: a dry run, then the import confirming exactly the lapses it listed
    (with ``dry_run``, the dry run alone)."""
    dry = roll_import(unit=unit, csv_text=text, dry_run=True, actor=actor, progress=progress)
    if dry_run or not dry.ok:
        return dry
    return roll_import(unit=unit, csv_text=text, dry_run=False, actor=actor, confirm_lapses=dry.lapse_code)
