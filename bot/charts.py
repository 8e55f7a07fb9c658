"""Charts as PNG bytes: pure rendering, data in, image out (matplotlib, Agg backend, no pyplot).

Sized for a phone: 1000 x 700 px with large type. Figures are built with `matplotlib.figure.Figure`
and its own Agg canvas, so nothing global is touched and rendering is safe in a worker thread (callers
use `asyncio.to_thread`). Values arrive already in the user's unit, dates already in their zone.

With little data matplotlib's defaults mislead, so the axes are set here: the date range covers the
data with a margin and at least a week (two sessions on one day do not stretch it over years), ticks
fall on whole days, a few values are points rather than lines, a week's bar spans its seven days, and
the y range is padded to at least a tenth of the values' size (a 100 g change does not fill the axis).
Each chart has a `*_figure` function returning the Figure, which tests inspect; the public functions
return its PNG.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")

from babel.dates import format_date
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, DayLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.i18n import current_locale

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 7.0, 100  # 1000 x 700 px
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 22, 17, 15
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e")
WEEK = timedelta(days=7)
MIN_DATE_SPAN = timedelta(days=7)  # the narrowest date range shown
DAY_TICKS_UP_TO = timedelta(days=35)  # ticks on whole days up to this range, then matplotlib's choice
LINES_FROM = 4  # fewer values than this (on distinct days) are points, not a line
MIN_Y_SPAN_SHARE = 0.1  # the y range spans at least this share of the values' size...
MIN_Y_SPAN = 1.0  # ...and at least this much
Y_MARGIN = 0.1  # padding above and below the values, as a share of their range


@dataclass(frozen=True, slots=True)
class Series:
    """One line: its label, dates and values (None: no value that day, the point is skipped)."""

    label: str
    days: Sequence[date]
    values: Sequence[float | None]

    def pairs(self) -> list[tuple[date, float]]:
        return [(d, float(v)) for d, v in zip(self.days, self.values, strict=True) if v is not None]


def day_number(day: date) -> float:
    """A date as matplotlib's x coordinate (what Axes limits are in)."""
    return float(date2num(day))  # type: ignore[no-untyped-call]


def _figure() -> Figure:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


# --- ranges ----------------------------------------------------------------------------------------------


def date_range(days: Iterable[date]) -> tuple[date, date]:
    """The dates to show: the data's, a day's margin either side (more for long ranges), at least a
    week, centred on the data when it is shorter."""
    known = sorted(days)
    if not known:
        today = date.today()  # noqa: DTZ011 - an empty chart only needs some week
        return today - WEEK, today
    first, last = known[0], known[-1]
    margin = max(timedelta(days=1), (last - first) * 0.04)
    first, last = first - margin, last + margin
    short = MIN_DATE_SPAN - (last - first)
    if short > timedelta(0):
        first -= timedelta(days=short.days // 2 + short.days % 2)
        last += timedelta(days=short.days // 2)
    return first, last


def value_range(values: Iterable[float], *, floor: float | None = 0.0) -> tuple[float, float]:
    """The y range for these values: padded by Y_MARGIN of their spread, and at least MIN_Y_SPAN_SHARE
    of their size (and MIN_Y_SPAN) wide, centred on them; not below `floor` when none is."""
    known = list(values)
    if not known:
        return (0.0, 1.0)
    low, high = min(known), max(known)
    spread = high - low
    size = max(abs(low), abs(high))
    span = max(spread * (1 + 2 * Y_MARGIN), size * MIN_Y_SPAN_SHARE, MIN_Y_SPAN)
    centre = (low + high) / 2
    bottom, top = centre - span / 2, centre + span / 2
    if floor is not None and low >= floor and bottom < floor:
        bottom, top = floor, floor + span
        top = max(top, high + spread * Y_MARGIN)
    return bottom, top


# --- drawing ---------------------------------------------------------------------------------------------


def _style(axes: Axes, y_label: str, first: date, last: date) -> None:
    axes.set_ylabel(y_label, fontsize=LABEL_SIZE)
    axes.tick_params(labelsize=TICK_SIZE)
    axes.grid(True, alpha=0.3)
    axes.set_xlim(day_number(first), day_number(last))
    locale = current_locale()
    if last - first <= DAY_TICKS_UP_TO:
        every = max(1, -(-(last - first).days // 7))  # at most about seven ticks
        axes.xaxis.set_major_locator(DayLocator(interval=every))  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: day_label(x, locale)))
    else:
        locator = AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: period_label(x, locale)))
    for label in axes.xaxis.get_offset_text(), axes.yaxis.get_offset_text():
        label.set_fontsize(TICK_SIZE)


def day_label(x: float, locale: str) -> str:
    """A tick on a day: '7 Dec' ('7 дек.' in Russian), the month's name from the locale (Babel)."""
    day = num2date(x).date()  # type: ignore[no-untyped-call]
    return str(format_date(day, "d MMM", locale=locale))


def period_label(x: float, locale: str) -> str:
    """A tick of a long range: the year on 1 January, the month on the 1st of a month, else the day."""
    day = num2date(x).date()  # type: ignore[no-untyped-call]
    if day.day == 1 and day.month == 1:
        return str(day.year)
    if day.day == 1:
        return str(format_date(day, "LLL", locale=locale))
    return str(format_date(day, "d MMM", locale=locale))


def _lines(axes: Axes, series: Sequence[Series]) -> None:
    """Lines with markers; a series of few values (or many on few days) as points only."""
    for color, line in zip(COLORS, series, strict=False):
        pairs = line.pairs()
        if not pairs:
            continue
        xs, ys = zip(*pairs, strict=True)
        if len(set(xs)) < LINES_FROM:
            axes.plot(xs, ys, label=line.label, color=color, linestyle="none", marker="o", markersize=11)
        else:
            marker = "o" if len(pairs) <= 60 else None
            axes.plot(xs, ys, label=line.label, color=color, linewidth=2.5, marker=marker, markersize=6)
    if len(series) > 1:
        axes.legend(fontsize=LABEL_SIZE - 2, loc="best")


def _week_bars(axes: Axes, weeks: Sequence[date], values: Sequence[float], color: str) -> None:
    """A bar per week spanning its Monday to its Sunday; past a year of weeks a filled step line (as
    readable, far cheaper to draw)."""
    if len(weeks) <= 60:
        lefts = [day_number(w) + 0.1 for w in weeks]
        axes.bar(lefts, list(values), width=6.8, align="edge", color=color)
    else:
        ends = [day_number(w) for w in weeks] + [day_number(weeks[-1] + WEEK)]
        axes.stairs(list(values), ends, fill=True, color=color, alpha=0.8)


def _all_days(series: Sequence[Series], weeks: Sequence[date] = ()) -> list[date]:
    days = [d for line in series for d, _ in line.pairs()]
    return days + list(weeks) + [w + WEEK - timedelta(days=1) for w in weeks]


# --- the charts ------------------------------------------------------------------------------------------


def line_figure(
    title: str, series: Sequence[Series], y_label: str, *, y_limits: tuple[float, float] | None = None
) -> Figure:
    """One panel of values over time (see `line_chart`)."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=TITLE_SIZE)
    _lines(axes, series)
    _style(axes, y_label, *date_range(_all_days(series)))
    axes.set_ylim(*(y_limits or value_range(v for line in series for _, v in line.pairs())))
    return figure


def line_chart(
    title: str, series: Sequence[Series], y_label: str, *, y_limits: tuple[float, float] | None = None
) -> bytes:
    """One panel of lines over time."""
    return _png(line_figure(title, series, y_label, y_limits=y_limits))


def bar_figure(
    title: str,
    weeks: Sequence[date],
    values: Sequence[float],
    y_label: str,
    *,
    y_limits: tuple[float, float] | None = None,
) -> Figure:
    """Bars per week (see `bar_chart`)."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=TITLE_SIZE)
    _week_bars(axes, weeks, values, COLORS[0])
    _style(axes, y_label, *date_range(_all_days((), weeks)))
    axes.set_ylim(*(y_limits or (0.0, value_range(values)[1])))
    return figure


def bar_chart(
    title: str,
    days: Sequence[date],
    values: Sequence[float],
    y_label: str,
    *,
    y_limits: tuple[float, float] | None = None,
) -> bytes:
    """Bars per week, each spanning its Monday (`days`) to its Sunday."""
    return _png(bar_figure(title, days, values, y_label, y_limits=y_limits))


def exercise_figure(
    title: str,
    series: Sequence[Series],
    y_label: str,
    weeks: Sequence[date],
    weekly: Sequence[float],
    weekly_label: str,
) -> Figure:
    """Two panels sharing the date axis (see `exercise_chart`)."""
    figure = _figure()
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    top.set_title(title, fontsize=TITLE_SIZE)
    first, last = date_range(_all_days(series, weeks))
    _lines(top, series)
    _style(top, y_label, first, last)
    top.set_ylim(*value_range(v for line in series for _, v in line.pairs()))
    _week_bars(bottom, weeks, weekly, COLORS[2])
    _style(bottom, weekly_label, first, last)
    bottom.set_ylim(0.0, value_range(weekly)[1])
    return figure


def exercise_chart(
    title: str,
    series: Sequence[Series],
    y_label: str,
    weeks: Sequence[date],
    weekly: Sequence[float],
    weekly_label: str,
) -> bytes:
    """Two panels: values over time (top set, estimated 1RM) above bars of the weekly volume."""
    return _png(exercise_figure(title, series, y_label, weeks, weekly, weekly_label))
