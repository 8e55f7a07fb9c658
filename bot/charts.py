"""Charts as PNG bytes: pure rendering, data in, image out (matplotlib, Agg backend, no pyplot).

Sized for a phone: 1000 x 700 px with large type. Figures are built with `matplotlib.figure.Figure`
and its own Agg canvas, so nothing global is touched and rendering is safe in a worker thread (callers
use `asyncio.to_thread`). Values arrive already in the user's unit, dates already in their zone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 7.0, 100  # 1000 x 700 px
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 22, 17, 15
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e")


@dataclass(frozen=True, slots=True)
class Series:
    """One line: its label, dates and values (None: no value that day, the point is skipped)."""

    label: str
    days: Sequence[date]
    values: Sequence[float | None]


def _figure() -> Figure:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _style(axes: object, y_label: str) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    axes.set_ylabel(y_label, fontsize=LABEL_SIZE)
    axes.tick_params(labelsize=TICK_SIZE)
    axes.grid(True, alpha=0.3)
    locator = AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    for label in axes.xaxis.get_offset_text(), axes.yaxis.get_offset_text():
        label.set_fontsize(TICK_SIZE)


def _lines(axes: object, series: Sequence[Series]) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    for color, line in zip(COLORS, series, strict=False):
        pairs = [(d, v) for d, v in zip(line.days, line.values, strict=True) if v is not None]
        if not pairs:
            continue
        xs, ys = zip(*pairs, strict=True)
        marker = "o" if len(pairs) <= 60 else None
        axes.plot(xs, ys, label=line.label, color=color, linewidth=2.5, marker=marker, markersize=6)
    if len(series) > 1:
        axes.legend(fontsize=LABEL_SIZE - 2, loc="best")


def _weekly_bars(axes: object, weeks: Sequence[date], values: Sequence[float]) -> None:
    """Bars for a few weeks; past a year of weeks a filled step line (as readable, far cheaper to draw)."""
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    if len(weeks) <= 60:
        axes.bar(list(weeks), list(values), width=5, color=COLORS[2])  # type: ignore[arg-type]
    else:
        axes.fill_between(list(weeks), list(values), step="mid", color=COLORS[2], alpha=0.8)  # type: ignore[arg-type]


def line_chart(
    title: str, series: Sequence[Series], y_label: str, *, y_limits: tuple[float, float] | None = None
) -> bytes:
    """One panel of lines over time."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=TITLE_SIZE)
    _lines(axes, series)
    _style(axes, y_label)
    if y_limits is not None:
        axes.set_ylim(*y_limits)
    return _png(figure)


def bar_chart(
    title: str,
    days: Sequence[date],
    values: Sequence[float],
    y_label: str,
    *,
    y_limits: tuple[float, float] | None = None,
) -> bytes:
    """Bars per week (each bar at its Monday)."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=TITLE_SIZE)
    axes.bar(list(days), list(values), width=5, color=COLORS[0])  # type: ignore[arg-type]
    _style(axes, y_label)
    if y_limits is not None:
        axes.set_ylim(*y_limits)
    return _png(figure)


def exercise_chart(
    title: str,
    series: Sequence[Series],
    y_label: str,
    weeks: Sequence[date],
    weekly: Sequence[float],
    weekly_label: str,
) -> bytes:
    """Two panels: lines over time (top set, estimated 1RM) above bars of the weekly volume."""
    figure = _figure()
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    top.set_title(title, fontsize=TITLE_SIZE)
    _lines(top, series)
    _style(top, y_label)
    _weekly_bars(bottom, weeks, weekly)
    _style(bottom, weekly_label)
    return _png(figure)
