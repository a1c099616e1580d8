"""Counts as text: a stage table, JSON, JSON Lines and CSV, for people and for other programs.

Every function returns a string; writing it anywhere is the caller's business. JSON is the data form of
``commune.tally.export`` (see there for its keys), one object per counted file.

CSV is long-form, one row per stage and candidate, under the header
``file,stage,action,subject,candidate,votes,status,non_transferable,loss``. ``status`` is the
candidate's standing at the end of that stage (``continuing``, ``elected`` or ``excluded``);
``subject`` joins the stage's subjects with ``; ``; the last two columns repeat the stage's figures.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from commune.tally.exact import CONTEXT
from commune.tally.export import result_dict
from commune.tally.types import Result, Stage

__all__ = ["figure", "to_csv", "to_json", "to_jsonl", "to_table"]


def to_json(counted: Sequence[tuple[str, str, Result]]) -> str:
    """One JSON object for one ``(file, title, result)``; a JSON array of them for several."""
    objects = [result_dict(result, file=file, title=title) for file, title, result in counted]
    return json.dumps(objects[0] if len(objects) == 1 else objects, indent=2, ensure_ascii=False) + "\n"


def to_jsonl(counted: Iterable[tuple[str, str, Result]]) -> str:
    """One JSON object per line, one line per ``(file, title, result)``."""
    return "".join(
        json.dumps(result_dict(result, file=file, title=title), ensure_ascii=False) + "\n"
        for file, title, result in counted
    )


def to_csv(counted: Iterable[tuple[str, str, Result]]) -> str:
    """Long-form CSV: one row per stage and candidate (columns in the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["file", "stage", "action", "subject", "candidate", "votes", "status", "non_transferable", "loss"]
    )
    for file, _title, result in counted:
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


def figure(value: Decimal) -> str:
    """Whole numbers without decimals; anything else to the places it was counted in."""
    if value == value.to_integral_value(context=CONTEXT):
        return f"{int(value):,}"
    return f"{value:,f}"


def _fates(result: Result) -> dict[str, str]:
    fates: dict[str, str] = {}
    for stage in result.stages:
        for name in stage.elected:
            fates[name] = f"elected at stage {stage.number}"
        for name in stage.excluded:
            fates.setdefault(name, f"excluded at stage {stage.number}")
    return fates


_SHORT = {
    "first-preferences": "first",
    "surplus": "surplus",
    "exclusion": "exclude",
    "last-vacancies": "last",
    "iteration": "iter",
    "round": "round",
    "count": "count",
}


def to_table(result: Result, *, file: str = "", title: str = "") -> str:
    """A readable stage table: candidates down, stages across, then what each stage did."""
    heading = " — ".join(part for part in (title, file) if part) or "Count"
    facts = [f"method {result.method}", f"seats {result.seats}", f"valid poll {figure(result.valid_poll)}"]
    if result.quota is not None:
        facts.append(f"quota {figure(result.quota)}")
    lines = [heading, ", ".join(facts), ""]

    stages: Sequence[Stage] = result.stages
    if result.ranking:
        lines.append("Ranking: " + ", ".join(f"{i}. {name}" for i, name in enumerate(result.ranking, 1)))
        lines.append("")
    if not stages:
        lines.append(f"Elected: {', '.join(result.elected) if result.elected else '(none)'}")
        return "\n".join(lines) + "\n"
    names = list(result.candidates) or list(stages[0].totals)
    rows = ["Candidate", "", *names, "Non-transferable", "Loss"]
    columns: list[list[str]] = []
    for stage in stages:
        column = [f"Stage {stage.number}", _SHORT.get(stage.action, stage.action)]
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
            detail += f"; elected: {', '.join(stage.elected)}"
        lines.append(f"Stage {stage.number}: {detail}")
    for tie in result.tie_breaks:
        how = "by lot" + (f" (seed {tie.seed})" if tie.seed is not None else "")
        if tie.rule == "earlier-stage":
            how = "by the most recent earlier stage at which they differed"
        lines.append(
            f"Tie at stage {tie.stage} ({tie.purpose}) among {', '.join(tie.tied)}: {tie.chosen}, {how}"
        )
    lines.append("")
    lines.append(f"Elected: {', '.join(result.elected) if result.elected else '(none)'}")
    return "\n".join(lines) + "\n"
