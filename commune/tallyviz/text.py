"""Counts as text: a stage table, JSON, JSON Lines and CSV, for people and for other programs.

Every function takes a count (a ``Result``) or a yes/no decision (a ``YesNoResult``) and returns a
string; writing it anywhere is the caller's business. JSON is the data form of ``commune.tally.export``
(see there for its keys), one object per counted file.

CSV is long-form. For a count, one row per stage and candidate, under the header
``file,stage,action,subject,candidate,votes,status,non_transferable,loss``. ``status`` is the
candidate's standing at the end of that stage (``continuing``, ``elected`` or ``excluded``);
``subject`` joins the stage's subjects with ``; ``; the last two columns repeat the stage's figures.
For a yes/no decision, one row per test, under the header
``file,rule,yes,no,abstain,electorate,present,test,actual,base,required,strict,needed,passed``
(``strict`` and ``passed`` are ``yes`` or ``no``; the first seven columns repeat the decision's figures).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from commune.console import gettext as _
from commune.console import gettext_noop
from commune.tally.exact import CONTEXT
from commune.tally.export import result_dict, yes_no_dict
from commune.tally.types import Result, Stage
from commune.tally.yes_no import YesNoResult

__all__ = ["Counted", "Outcome", "figure", "to_csv", "to_json", "to_jsonl", "to_table"]

#: A count or a yes/no decision.
Outcome = Result | YesNoResult
#: What was counted: the file, its title and the outcome.
Counted = tuple[str, str, Outcome]


def _as_dict(outcome: Outcome, *, file: str, title: str) -> dict[str, object]:
    if isinstance(outcome, YesNoResult):
        return yes_no_dict(outcome, file=file, title=title)
    return result_dict(outcome, file=file, title=title)


def to_json(counted: Sequence[Counted]) -> str:
    """One JSON object for one ``(file, title, outcome)``; a JSON array of them for several."""
    objects = [_as_dict(outcome, file=file, title=title) for file, title, outcome in counted]
    return json.dumps(objects[0] if len(objects) == 1 else objects, indent=2, ensure_ascii=False) + "\n"


def to_jsonl(counted: Iterable[Counted]) -> str:
    """One JSON object per line, one line per ``(file, title, outcome)``."""
    return "".join(
        json.dumps(_as_dict(outcome, file=file, title=title), ensure_ascii=False) + "\n"
        for file, title, outcome in counted
    )


def to_csv(counted: Sequence[Counted]) -> str:
    """Long-form CSV (columns in the module docstring): counts, or yes/no decisions, not both at once."""
    decisions = [(file, outcome) for file, _title, outcome in counted if isinstance(outcome, YesNoResult)]
    if decisions:
        if len(decisions) < len(counted):
            raise ValueError("one CSV holds counts or yes/no decisions, not both")
        return _yes_no_csv(decisions)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["file", "stage", "action", "subject", "candidate", "votes", "status", "non_transferable", "loss"]
    )
    for file, _title, result in counted:
        assert isinstance(result, Result)
        status = dict.fromkeys(result.candidates, "continuing")
        for stage in result.stages:
            for name in stage.elected:
                status[name] = "elected"
            for name in stage.excluded:
                status[name] = "excluded"
            for name, value in stage.totals.items():
                writer.writerow(
                    [
                        file,
                        stage.number,
                        stage.action,
                        "; ".join(stage.subject),
                        name,
                        value,
                        status.get(name, "continuing"),
                        stage.non_transferable,
                        stage.loss,
                    ]
                )
    return out.getvalue()


_YES_NO_CSV_HEADER = (
    *("file", "rule", "yes", "no", "abstain", "electorate", "present"),
    *("test", "actual", "base", "required", "strict", "needed", "passed"),
)


def _yes_no_csv(decisions: Sequence[tuple[str, YesNoResult]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_YES_NO_CSV_HEADER)
    for file, result in decisions:
        figures = [
            file,
            result.rule.name,
            result.yes,
            result.no,
            result.abstain,
            result.electorate,
            result.present,
        ]
        for test in result.tests:
            writer.writerow(
                [
                    *figures,
                    test.name,
                    test.actual,
                    test.base,
                    test.required,
                    "yes" if test.strict else "no",
                    test.needed,
                    "yes" if test.passed else "no",
                ]
            )
    return out.getvalue()


def figure(value: Decimal) -> str:
    """Whole numbers without decimals; anything else to the places it was counted in."""
    if value == value.to_integral_value(context=CONTEXT):
        return f"{int(value):,}"
    return f"{value:,f}"


def _fates(result: Result) -> dict[str, str]:
    fates: dict[str, str] = {}
    for stage in result.stages:
        for name in stage.elected:
            fates[name] = _("elected at stage %(number)s") % {"number": stage.number}
        for name in stage.excluded:
            fates.setdefault(name, _("excluded at stage %(number)s") % {"number": stage.number})
    return fates


_SHORT = {
    "first-preferences": gettext_noop("first"),
    "surplus": gettext_noop("surplus"),
    "exclusion": gettext_noop("exclude"),
    "last-vacancies": gettext_noop("last"),
    "iteration": gettext_noop("iter"),
    "round": gettext_noop("round"),
    "count": gettext_noop("count"),
}


def _elected(names: Sequence[str]) -> str:
    return _("Elected: %(names)s") % {"names": ", ".join(names) if names else _("(none)")}


def to_table(result: Outcome, *, file: str = "", title: str = "") -> str:
    """A readable stage table: candidates down, stages across, then what each stage did; for a yes/no
    decision, the answers and every test with its figures. The words are in the environment's language
    (``commune.console``); what the count itself says of each stage stays as the count wrote it."""
    if isinstance(result, YesNoResult):
        return _yes_no_table(result, file=file, title=title)
    heading = " — ".join(part for part in (title, file) if part) or _("Count")
    facts = [
        _("method %(method)s") % {"method": result.method},
        _("seats %(seats)s") % {"seats": result.seats},
        _("valid poll %(votes)s") % {"votes": figure(result.valid_poll)},
    ]
    if result.quota is not None:
        facts.append(_("quota %(quota)s") % {"quota": figure(result.quota)})
    lines = [heading, ", ".join(facts), ""]

    stages: Sequence[Stage] = result.stages
    if result.ranking:
        ranking = ", ".join(f"{i}. {name}" for i, name in enumerate(result.ranking, 1))
        lines.append(_("Ranking: %(ranking)s") % {"ranking": ranking})
        lines.append("")
    if not stages:
        lines.append(_elected(result.elected))
        return "\n".join(lines) + "\n"
    names = list(result.candidates) or list(stages[0].totals)
    rows = [_("Candidate"), "", *names, _("Non-transferable"), _("Loss")]
    columns: list[list[str]] = []
    for stage in stages:
        short = _SHORT.get(stage.action)
        column = [_("Stage %(number)s") % {"number": stage.number}, _(short) if short else stage.action]
        column += [figure(stage.totals[name]) if name in stage.totals else "" for name in names]
        column += [figure(stage.non_transferable), figure(stage.loss)]
        columns.append(column)
    fates = _fates(result)
    fate_column = ["", ""] + [fates.get(name, "") for name in names] + ["", ""]
    label_width = max(len(row) for row in rows)
    widths = [max(len(cell) for cell in column) for column in columns]
    for i, label in enumerate(rows):
        cells = [column[i].rjust(width) for column, width in zip(columns, widths, strict=True)]
        line = "  ".join([label.ljust(label_width), *cells, fate_column[i]]).rstrip()
        lines.append(line)
        if i == 1 or i == len(names) + 1:
            lines.append("-" * len("  ".join([label_width * "-", *(w * "-" for w in widths)])))
    lines.append("")
    for stage in stages:
        detail = stage.description
        if stage.elected:
            detail += "; " + _("elected: %(names)s") % {"names": ", ".join(stage.elected)}
        lines.append(_("Stage %(number)s: %(detail)s") % {"number": stage.number, "detail": detail})
    for tie in result.tie_breaks:
        how = _("by lot") if tie.seed is None else _("by lot (seed %(seed)s)") % {"seed": tie.seed}
        if tie.rule == "earlier-stage":
            how = _("by the most recent earlier stage at which they differed")
        lines.append(
            _("Tie at stage %(stage)s (%(purpose)s) among %(tied)s: %(chosen)s, %(how)s")
            % {
                "stage": tie.stage,
                "purpose": tie.purpose,
                "tied": ", ".join(tie.tied),
                "chosen": tie.chosen,
                "how": how,
            }
        )
    lines.append("")
    lines.append(_elected(result.elected))
    return "\n".join(lines) + "\n"


def _yes_no_table(result: YesNoResult, *, file: str, title: str) -> str:
    heading = " — ".join(part for part in (title, file) if part) or _("Decision")
    facts = [
        _("method %(method)s") % {"method": "yes-no"},
        _("rule %(rule)s") % {"rule": result.rule.name},
        _("electorate %(count)s") % {"count": f"{result.electorate:,}"},
        _("present %(count)s") % {"count": f"{result.present:,}"},
    ]
    rows = [(_("Yes"), result.yes), (_("No"), result.no), (_("Abstain"), result.abstain)]
    width = max(len(f"{votes:,}") for _answer, votes in rows)
    label_width = max(8, *(len(answer) for answer, _votes in rows), len(_("Answer")))
    lines = [heading, ", ".join(facts), "", f"{_('Answer'):<{label_width}}  {_('Votes'):>{width}}"]
    lines += [f"{answer:<{label_width}}  {votes:>{width},}" for answer, votes in rows]
    return "\n".join([*lines, "", result.explanation]) + "\n"
