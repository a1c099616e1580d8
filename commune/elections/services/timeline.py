"""Moving elections along their timelines, on time, whether or not anyone is using the site.

``elections_run_due`` does every transition that has fallen due; ``commune election worker`` calls it in a
loop (see ``docs/elections.md`` for why a loop driven by the database rather than a task queue). Every
transition is idempotent and claims its election with a row lock, so any number of workers may run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.boxkeys import BoxKeyMissing
from commune.ballots.services import box_vacuum
from commune.elections.errors import ElectionError
from commune.elections.models import Election, ElectionStatus
from commune.elections.services.calling import elections_call_successors, terms_expire
from commune.elections.services.casting import box_seal
from commune.elections.services.results import election_count, election_install, nominations_close
from commune.elections.services.vacancies import elections_call_for_vacancies

logger = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What one pass did: one line per transition, and the problems met."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _claim(election_id: int, status: str) -> Election | None:
    """The election, row-locked, if it is still at ``status`` and no other worker holds it."""
    return (
        Election.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("organisation", "body")
        .filter(pk=election_id, status=status)
        .first()
    )


def _open_nominations(election: Election, actor: Actor) -> None:
    election.status = ElectionStatus.NOMINATIONS
    election.save(update_fields=["status"])
    log_entry_record(
        organisation=election.organisation,
        action="election.nominations_opened",
        body_id=election.body_id,
        actor=actor,
        summary=f"Nominations open in {election.title}",
        payload={"election": election.pk},
    )


def _open_voting(election: Election, actor: Actor) -> None:
    election.status = ElectionStatus.VOTING
    election.save(update_fields=["status"])
    log_entry_record(
        organisation=election.organisation,
        action="election.voting_opened",
        body_id=election.body_id,
        actor=actor,
        summary=f"Voting open in {election.title}",
        payload={"election": election.pk},
    )


def _step(
    report: RunReport,
    status: str,
    due_field: str,
    now: datetime,
    action: Callable[[Election, Actor], object],
    label: str,
    actor: Actor,
) -> None:
    due = Election.objects.filter(status=status, **{f"{due_field}__lte": now}).values_list("id", flat=True)
    for election_id in list(due):
        try:
            with transaction.atomic():
                election = _claim(election_id, status)
                if election is None:
                    continue
                action(election, actor)
        except ElectionError as exc:
            report.problems.append(f"election #{election_id}: {exc}")
            continue
        report.done.append(f"election #{election_id}: {label}")


def election_voting_close(*, election_id: int, actor: Actor = SYSTEM) -> Election | None:
    """Close voting, publish the bulletin and count it (two transactions: see ``docs/elections.md``)."""
    sealed = box_seal(election_id=election_id, actor=actor)
    if sealed is None:
        return None
    counted = election_count(election=sealed, actor=actor)
    box_vacuum()
    return counted


def elections_run_due(*, now: datetime | None = None, actor: Actor = SYSTEM) -> RunReport:
    """Do every transition that has fallen due, repeating until none is left (an election called with
    times already past moves through every stage in one run)."""
    report = RunReport()
    while True:
        moment = now or timezone.now()
        before = len(report.done)
        _step(
            report,
            ElectionStatus.SCHEDULED,
            "nominations_open_at",
            moment,
            _open_nominations,
            "nominations opened",
            actor,
        )
        _step(
            report,
            ElectionStatus.NOMINATIONS,
            "nominations_close_at",
            moment,
            lambda e, a: nominations_close(election=e, actor=a),
            "nominations closed",
            actor,
        )
        _step(
            report,
            ElectionStatus.NOMINATIONS_CLOSED,
            "voting_open_at",
            moment,
            _open_voting,
            "voting opened",
            actor,
        )
        for election_id in list(
            Election.objects.filter(status=ElectionStatus.VOTING, voting_close_at__lte=moment).values_list(
                "id", flat=True
            )
        ):
            try:
                if election_voting_close(election_id=election_id, actor=actor) is not None:
                    report.done.append(
                        f"election #{election_id}: voting closed, bulletin published, result declared"
                    )
            except BoxKeyMissing as exc:
                report.problems.append(f"election #{election_id}: voting closed, but not counted: {exc}")
        # A count interrupted between sealing and publishing is taken up again.
        for election_id in list(
            Election.objects.filter(status=ElectionStatus.COUNTING).values_list("id", flat=True)
        ):
            try:
                with transaction.atomic():
                    claimed = _claim(election_id, ElectionStatus.COUNTING)
                    if claimed is not None:
                        election_count(election=claimed, actor=actor)
                        report.done.append(f"election #{election_id}: bulletin published, result declared")
            except BoxKeyMissing as exc:
                problem = f"election #{election_id}: voting closed, but not counted: {exc}"
                if problem not in report.problems:
                    report.problems.append(problem)
        for election in Election.objects.filter(
            status=ElectionStatus.DECLARED, installed_at__isnull=True, term_start__lte=moment.date()
        ):
            election_install(election=election, actor=actor)
            report.done.append(f"election #{election.pk}: new term started, winners seated")
        called, problems = elections_call_successors(now=moment)
        report.done += [f"election #{e.pk} called: {e.title} (a term is ending)" for e in called]
        report.problems += [p for p in problems if p not in report.problems]
        report.done += terms_expire(now=moment)
        called, problems = elections_call_for_vacancies(now=moment)
        report.done += [f"election #{e.pk} called: {e.title} (a seat or office is vacant)" for e in called]
        report.problems += [p for p in problems if p not in report.problems]
        if len(report.done) == before:
            return report
