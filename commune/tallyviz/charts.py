"""Counts as pictures: stage-by-stage bars as SVG, a self-contained HTML page, or a PNG.

A yes/no decision is drawn as three bars (yes, no, abstain) with the yes votes its majority needs.

The SVG and the HTML page are plain text with no scripts and nothing fetched from elsewhere. The PNG is
drawn with matplotlib, imported only when a PNG is asked for.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from commune.tally.yes_no import YesNoResult
from commune.tallyviz.text import Outcome, to_table

__all__ = ["colour", "to_html", "to_svg", "write_png"]


_PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


def colour(index: int) -> str:
    """The chart colour of the ``index``-th candidate (shared by the SVG and PNG charts)."""
    return _PALETTE[index % len(_PALETTE)]


def to_svg(result: Outcome, *, title: str = "") -> str:
    """Stage-by-stage bars as a standalone SVG: one group per stage, one bar per candidate, the quota."""
    if isinstance(result, YesNoResult):
        return _yes_no_svg(result, title=title)
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


def to_html(result: Outcome, *, title: str = "", file: str = "") -> str:
    """A self-contained HTML page: the SVG chart and the stage table, no scripts or external files."""
    heading = escape(title or file or ("yes-no" if isinstance(result, YesNoResult) else result.method))
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{heading}</title></head><body>\n<h1>{heading}</h1>\n"
        f"{to_svg(result, title=title or file)}"
        f"<pre>{escape(to_table(result, file=file, title=title))}</pre>\n</body></html>\n"
    )


def write_png(target: Path, result: Outcome, *, title: str) -> None:
    """Stage-by-stage bars drawn with matplotlib (imported only when a PNG is asked for)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if isinstance(result, YesNoResult):
        _yes_no_png(plt, target, result, title=title)
        return

    stages = result.stages
    names = list(result.candidates) or list(stages[0].totals)
    width = 0.8 / max(len(names), 1)
    figure, axes = plt.subplots(figsize=(max(8.0, 0.6 * len(stages) + 4), 6), layout="constrained")
    for c, name in enumerate(names):
        xs = [s + c * width for s in range(len(stages))]
        heights = [float(stage.totals.get(name, 0)) for stage in stages]
        label = name + (" (elected)" if name in result.elected else "")
        axes.bar(xs, heights, width=width, color=colour(c), label=label)
    if result.quota is not None:
        axes.axhline(
            float(result.quota), color="black", linestyle="--", linewidth=1, label=f"quota {result.quota}"
        )
    axes.set_xticks([s + 0.4 - width / 2 for s in range(len(stages))], [str(s.number) for s in stages])
    axes.set_xlabel("stage")
    axes.set_ylabel("votes")
    axes.set_title(title)
    axes.legend(fontsize="small", ncols=2 if len(names) > 10 else 1, loc="upper right")
    figure.savefig(target, dpi=120)
    plt.close(figure)


_ANSWER_COLOURS = (("Yes", "#59a14f"), ("No", "#e15759"), ("Abstain", "#bab0ac"))


def _verdict(result: YesNoResult) -> str:
    return f"{result.rule.name}: {'CARRIED' if result.passed else 'NOT CARRIED'}"


def _needed_yes(result: YesNoResult) -> int:
    """The yes votes the majority needs, with the other answers as they are."""
    return next(test.needed for test in result.tests if test.name == "majority")


def _yes_no_svg(result: YesNoResult, *, title: str) -> str:
    figures = (result.yes, result.no, result.abstain)
    needed = _needed_yes(result)
    top = max([*figures, needed, 1])
    left, bar, gap, plot_h = 70, 60, 40, 260
    width = left + 3 * (bar + gap) + 40
    base = 66 + plot_h  # below the title, the verdict and the tallest bar's figure

    def y(value: float) -> float:
        return base - plot_h * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{base + 60}" '
        f'viewBox="0 0 {width} {base + 60}" font-family="sans-serif" font-size="11">',
        f'<text x="{left}" y="20" font-size="14">{escape(title or "yes-no")}</text>',
        f'<text x="{left}" y="38">{escape(_verdict(result))}</text>',
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#333"/>',
    ]
    for i, ((answer, fill), votes) in enumerate(zip(_ANSWER_COLOURS, figures, strict=True)):
        x = left + gap / 2 + i * (bar + gap)
        parts.append(
            f'<rect x="{x:.1f}" y="{y(votes):.1f}" width="{bar}" height="{base - y(votes):.1f}" fill="{fill}">'
            f"<title>{answer}: {votes:,}</title></rect>"
            f'<text x="{x + bar / 2:.1f}" y="{y(votes) - 4:.1f}" text-anchor="middle">{votes:,}</text>'
            f'<text x="{x + bar / 2:.1f}" y="{base + 16}" text-anchor="middle">{answer}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{y(needed):.1f}" x2="{width - 10}" y2="{y(needed):.1f}" stroke="#000" '
        f'stroke-dasharray="6 4"/><text x="{width - 12}" y="{y(needed) - 4:.1f}" text-anchor="end">'
        f"yes needed {needed:,}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _yes_no_png(plt: Any, target: Path, result: YesNoResult, *, title: str) -> None:
    figure, axes = plt.subplots(figsize=(6, 5), layout="constrained")
    answers = [answer for answer, _ in _ANSWER_COLOURS]
    figures = [result.yes, result.no, result.abstain]
    axes.bar(answers, figures, color=[fill for _, fill in _ANSWER_COLOURS])
    needed = _needed_yes(result)
    axes.axhline(needed, color="black", linestyle="--", linewidth=1, label=f"yes needed {needed:,}")
    axes.set_ylabel("votes")
    axes.set_title(f"{title}\n{_verdict(result)}" if title else _verdict(result))
    axes.legend(fontsize="small", loc="upper right")
    figure.savefig(target, dpi=120)
    plt.close(figure)
