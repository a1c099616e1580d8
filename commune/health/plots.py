"""Bar charts as geometry for inline SVG drawn on the server: no script, no image files. The page puts
the table of the same figures beside each chart; the table is the accessible version, and the chart's
own title and description say what it shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

WIDTH = 600
HEIGHT = 200
_TOP = 12
_BOTTOM = 28
_LEFT = 40
_PLOT_HEIGHT = HEIGHT - _TOP - _BOTTOM


@dataclass(frozen=True)
class Bar:
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    label: str
    text: str
    #: The bar's label is drawn only where there is room for it.
    show_label: bool
    label_x: Decimal
    #: Its class for the stylesheet: "bar", or "bar ready" for a bar that has reached the chart's goal.
    css: str = "bar"


@dataclass(frozen=True)
class Tick:
    y: Decimal
    text: str


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = _LEFT
    #: Where the goal line is drawn (the share a condition needs), if the chart has one.
    goal_y: Decimal | None = None
    goal_text: str = ""
    baseline: int = HEIGHT - _BOTTOM
    label_y: int = HEIGHT - _BOTTOM + 16


def _d(value: float | int | Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"))


def _number(value: object) -> str:
    """A figure as the reader writes it ("12.5", or "12,5" in Spanish); the geometry stays as it is."""
    return str(value).replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def bar_chart(
    *,
    title: str,
    description: str,
    points: Sequence[tuple[str, Decimal | int | None]],
    top: int | None = None,
    goal: Decimal | None = None,
    ready: Sequence[bool] = (),
) -> BarChart:
    """``points`` are (label, value); a ``None`` value (nothing to measure that period) leaves a gap.
    ``top`` fixes the scale (100 for percentages); otherwise it is the largest value. ``goal`` draws a
    line at that value, and ``ready`` marks each bar that has reached what it needs (the pledge readiness
    charts)."""
    values = [v for _, v in points if v is not None]
    scale = Decimal(top if top is not None else max([1, *values]))
    slot = Decimal(WIDTH - _LEFT) / max(1, len(points))
    width = slot * Decimal("0.7")
    every = max(1, int(len(points) // 12) + (1 if len(points) % 12 else 0)) if len(points) > 12 else 1
    bars = []
    for i, (label, value) in enumerate(points):
        height = Decimal(_PLOT_HEIGHT) * Decimal(value) / scale if value is not None else Decimal(0)
        x = _LEFT + slot * i + (slot - width) / 2
        bars.append(
            Bar(
                x=_d(x),
                y=_d(HEIGHT - _BOTTOM - height),
                width=_d(width),
                height=_d(height),
                label=label,
                text=_("no figure") if value is None else _number(value),
                show_label=i % every == 0,
                label_x=_d(x + width / 2),
                css="bar ready" if i < len(ready) and ready[i] else "bar",
            )
        )
    ticks = [
        Tick(_d(HEIGHT - _BOTTOM - _PLOT_HEIGHT * f / 4), _number(f"{scale * f / 4:g}")) for f in range(5)
    ]
    goal_y = _d(HEIGHT - _BOTTOM - Decimal(_PLOT_HEIGHT) * goal / scale) if goal is not None else None
    return BarChart(
        title=title,
        description=description,
        bars=bars,
        ticks=ticks,
        goal_y=goal_y,
        goal_text=_("goal %(value)s") % {"value": _number(f"{Decimal(goal).normalize():f}")}
        if goal is not None
        else "",
    )
