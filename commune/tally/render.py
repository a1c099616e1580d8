"""Results as text: a stage table, JSON, JSON Lines, CSV and a self-contained HTML/SVG chart.

Every function returns a string; writing it anywhere is the caller's business.

JSON (one object per counted file)::

    {"file": "ward.blt", "title": "...", "method": "scottish-stv", "seats": 4,
     "valid_poll": "14207", "quota": "2842", "elected": ["...", ...],
     "stages": [{"stage": 1, "action": "first-preferences", "subject": [], "description": "...",
                 "totals": {"name": "99.00000", ...}, "non_transferable": "0.00000", "loss": "0.00000",
                 "elected": [...], "excluded": [...],
                 "transfers": [{"from": "...", "to": "..." or null, "votes": "..."}]}, ...],
     "tie_breaks": [{"stage": 3, "purpose": "exclusion", "tied": [...], "chosen": "...",
                     "rule": "lot", "seed": 0}],
     "ranking": [...], "extra": {...}}

Numbers are decimal strings, exact as counted. ``elected`` is in order of election. ``ranking`` is
the full order for methods that give one (Schulze); ``extra`` holds the seed and the typed figures
only the method has (the fields its result adds to ``Result``), under their field names.

CSV is long-form, one row per stage and candidate, under the header
``file,stage,action,subject,candidate,votes,status,non_transferable,loss``. ``status`` is the
candidate's standing at the end of that stage (``continuing``, ``elected`` or ``excluded``);
``subject`` joins the stage's subjects with ``; ``; the last two columns repeat the stage's figures.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from decimal import Decimal
from html import escape

from commune.tally.exact import CONTEXT
from commune.tally.types import RESULT_FIELDS, Result, Stage

__all__ = ["colour", "result_dict", "to_csv", "to_html", "to_json", "to_jsonl", "to_svg", "to_table"]


def result_dict(result: Result, *, file: str = "", title: str = "") -> dict[str, object]:
    """The JSON-ready description of a result (see the module docstring)."""
    return {
        "file": file,
        "title": title,
        "method": result.method,
        "seats": result.seats,
        "valid_poll": str(result.valid_poll),
        "quota": None if result.quota is None else str(result.quota),
        "elected": list(result.elected),
        "stages": [
            {
                "stage": stage.number,
                "action": stage.action,
                "subject": list(stage.subject),
                "description": stage.description,
                "totals": {name: str(value) for name, value in stage.totals.items()},
                "non_transferable": str(stage.non_transferable),
                "loss": str(stage.loss),
                "elected": list(stage.elected),
                "excluded": list(stage.excluded),
                "transfers": [
                    {"from": t.source, "to": t.target, "votes": str(t.votes)} for t in stage.transfers
                ],
            }
            for stage in result.stages
        ],
        "tie_breaks": [
            {
                "stage": t.stage,
                "purpose": t.purpose,
                "tied": list(t.tied),
                "chosen": t.chosen,
                "rule": t.rule,
                "seed": t.seed,
            }
            for t in result.tie_breaks
        ],
        "ranking": list(result.ranking),
        "extra": _jsonable(
            {"seed": result.seed}
            | {f.name: getattr(result, f.name) for f in fields(result) if f.name not in RESULT_FIELDS}
        ),
    }


def _jsonable(value: object) -> object:
    """Method-specific figures as JSON: numbers as exact decimal strings, containers as lists/objects."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)  # a Fraction as "7/3"


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


def _figure(value: Decimal) -> str:
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
    facts = [f"method {result.method}", f"seats {result.seats}", f"valid poll {_figure(result.valid_poll)}"]
    if result.quota is not None:
        facts.append(f"quota {_figure(result.quota)}")
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
        column += [_figure(stage.totals[name]) if name in stage.totals else "" for name in names]
        column += [_figure(stage.non_transferable), _figure(stage.loss)]
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


# -- chart -----------------------------------------------------------------------------------------

_PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


def colour(index: int) -> str:
    """The chart colour of the ``index``-th candidate (shared by the SVG and PNG charts)."""
    return _PALETTE[index % len(_PALETTE)]


def to_svg(result: Result, *, title: str = "") -> str:
    """Stage-by-stage bars as a standalone SVG: one group per stage, one bar per candidate, the quota."""
    stages = result.stages
    names = list(result.candidates) or (list(stages[0].totals) if stages else [])
    top = max([float(v) for s in stages for v in s.totals.values()] + [float(result.quota or 0), 1.0])
    bar, gap, left, plot_h, legend_row = 10, 18, 70, 320, 18
    group = bar * max(len(names), 1) + gap
    width = left + group * max(len(stages), 1) + 20
    legend_h = legend_row * ((len(names) + 2) // 3) + 10
    height = 40 + plot_h + 40 + legend_h
    base = 40 + plot_h

    def y(value: float) -> float:
        return base - plot_h * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<text x="{left}" y="22" font-size="14">{escape(title or result.method)}</text>',
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#333"/>',
    ]
    for tick in range(5):
        value = top * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:,.0f}</text>'
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - 10}" y2="{y(value):.1f}" stroke="#eee"/>'
        )
    for s, stage in enumerate(stages):
        x0 = left + s * group + gap / 2
        for c, name in enumerate(names):
            value = float(stage.totals.get(name, Decimal(0)))
            parts.append(
                f'<rect x="{x0 + c * bar:.1f}" y="{y(value):.1f}" width="{bar - 1}" '
                f'height="{base - y(value):.1f}" fill="{colour(c)}">'
                f"<title>Stage {stage.number}: {escape(name)} {escape(str(stage.totals.get(name, '')))}"
                "</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + bar * len(names) / 2:.1f}" y="{base + 16}" text-anchor="middle">{stage.number}</text>'
        )
    if result.quota is not None:
        q = y(float(result.quota))
        parts.append(
            f'<line x1="{left}" y1="{q:.1f}" x2="{width - 10}" y2="{q:.1f}" stroke="#000" stroke-dasharray="6 4"/>'
            f'<text x="{width - 12}" y="{q - 4:.1f}" text-anchor="end">quota {escape(str(result.quota))}</text>'
        )
    parts.append(f'<text x="{left}" y="{base + 32}">stage</text>')
    for c, name in enumerate(names):
        lx = left + (c % 3) * 260
        ly = base + 48 + (c // 3) * legend_row
        mark = " ✔" if name in result.elected else ""
        parts.append(
            f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colour(c)}"/>'
            f'<text x="{lx + 14}" y="{ly}">{escape(name)}{mark}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def to_html(result: Result, *, title: str = "", file: str = "") -> str:
    """A self-contained HTML page: the SVG chart and the stage table, no scripts or external files."""
    heading = escape(title or file or result.method)
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{heading}</title></head><body>\n<h1>{heading}</h1>\n"
        f"{to_svg(result, title=title or file)}"
        f"<pre>{escape(to_table(result, file=file, title=title))}</pre>\n</body></html>\n"
    )
