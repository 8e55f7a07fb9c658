"""Charts with little data: axis limits and drawing style for 1, 2 and 3 data points (#11 item 24).

The figures are inspected through matplotlib's Axes (limits, ticks, lines, bars), not as pixels.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot import charts
from bot.charts import Series, day_number

MONDAY = date(2026, 3, 2)


def axes_of(figure: Figure) -> list[Axes]:
    return list(figure.axes)


def x_days(axes: Axes) -> tuple[float, float]:
    low, high = axes.get_xlim()
    return float(low), float(high)


def assert_sane_dates(axes: Axes, days: list[date]) -> None:
    """Every day inside the range, with at least half a day of margin; a week to a bit more wide
    when the days are close together; ticks on whole days."""
    low, high = x_days(axes)
    for day in days:
        assert low + 0.5 <= day_number(day) <= high - 0.5
    assert 7 <= high - low <= max(9.0, 1.2 * (day_number(max(days)) - day_number(min(days))) + 3)
    ticks = [t for t in axes.get_xticks() if low <= t <= high]
    assert len(ticks) >= 3
    assert all(float(t).is_integer() for t in ticks)


def drawn_as_points(axes: Axes) -> bool:
    return all(line.get_linestyle() == "None" and line.get_marker() == "o" for line in axes.get_lines())


def test_one_point() -> None:
    figure = charts.line_figure("Body weight", [Series("Body weight", [MONDAY], [80.0])], "kg")
    (axes,) = axes_of(figure)
    assert_sane_dates(axes, [MONDAY])
    low, high = axes.get_ylim()
    assert low < 80.0 < high and high - low >= 8.0  # at least a tenth of the value: not a flat line
    assert (low + high) / 2 == pytest.approx(80.0)
    assert len(axes.get_lines()) == 1 and drawn_as_points(axes)


def test_two_points_on_one_day_make_a_week_not_years() -> None:
    series = [Series("Top set", [MONDAY, MONDAY], [100.0, 102.5])]
    figure = charts.line_figure("Squat", series, "kg")
    (axes,) = axes_of(figure)
    assert_sane_dates(axes, [MONDAY])
    low, high = x_days(axes)
    assert high - low == pytest.approx(7.0)  # not 2025 to 2029
    assert drawn_as_points(axes)  # no vertical line through the day
    bottom, top = axes.get_ylim()
    assert bottom < 100.0 and top > 102.5 and top - bottom < 20


def test_a_100_g_change_does_not_fill_the_axis() -> None:
    days = [MONDAY, MONDAY + timedelta(days=3)]
    figure = charts.line_figure("Body weight", [Series("Body weight", days, [80.0, 80.1])], "kg")
    (axes,) = axes_of(figure)
    bottom, top = axes.get_ylim()
    assert top - bottom >= 8.0 and bottom < 80.0 and top > 80.1
    assert (bottom + top) / 2 == pytest.approx(80.05)
    assert_sane_dates(axes, days)


def test_three_points_with_weekly_bars_under_their_sessions() -> None:
    days = [MONDAY + timedelta(days=2), MONDAY + timedelta(days=6), MONDAY + timedelta(days=9)]
    series = [Series("Top set", days, [60.0, 62.5, 65.0]), Series("Estimated 1RM", days, [70.0, 72.9, None])]
    weeks = [MONDAY, MONDAY + timedelta(days=7)]
    figure = charts.exercise_figure("Squat", series, "kg", weeks, [1800.0, 975.0], "volume (kg/week)")
    top, bottom = axes_of(figure)
    assert top.get_xlim() == bottom.get_xlim()  # one date axis
    assert_sane_dates(top, [*days, MONDAY, MONDAY + timedelta(days=13)])
    assert drawn_as_points(top) and len(top.get_lines()) == 2
    low, high = top.get_ylim()
    assert low < 60.0 and high > 72.9 and low >= 0
    bars = [p for p in bottom.patches if isinstance(p, Rectangle)]
    assert len(bars) == 2
    for bar, week in zip(sorted(bars, key=lambda b: b.get_x()), weeks, strict=True):
        # Each week's bar covers its Monday to its Sunday, so it sits under that week's sessions.
        assert day_number(week) <= bar.get_x() < day_number(week) + 0.5
        assert day_number(week) + 6.5 < bar.get_x() + bar.get_width() <= day_number(week) + 7
        assert all(
            bar.get_x() <= day_number(d) <= bar.get_x() + bar.get_width()
            for d in days
            if week <= d < week + timedelta(days=7)
        )
    assert bottom.get_ylim()[0] == 0 and bottom.get_ylim()[1] > 1800.0


def test_four_or_more_days_are_a_line() -> None:
    days = [MONDAY + timedelta(days=7 * n) for n in range(5)]
    figure = charts.line_figure("Squat", [Series("Top set", days, [60, 62.5, 65, 67.5, 70])], "kg")
    (axes,) = axes_of(figure)
    (line,) = axes.get_lines()
    assert line.get_linestyle() == "-"
    low, high = x_days(axes)
    assert low < day_number(days[0]) and day_number(days[-1]) < high and high - low < 35


def test_fixed_limits_and_week_bars_of_adherence() -> None:
    weeks = [MONDAY, MONDAY + timedelta(days=7)]
    figure = charts.bar_figure("Adherence", weeks, [50.0, 100.0], "%", y_limits=(0, 105))
    (axes,) = axes_of(figure)
    assert axes.get_ylim() == (0, 105)
    assert_sane_dates(axes, [MONDAY, MONDAY + timedelta(days=13)])
    ratings = charts.line_figure("Effort", [Series("Effort", [MONDAY], [7])], "rating", y_limits=(0, 10.5))
    assert ratings.axes[0].get_ylim() == (0, 10.5)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_rendered_pngs(count: int) -> None:
    days = [MONDAY + timedelta(days=n) for n in range(count)]
    series = [Series("Top set", days, [60.0 + n for n in range(count)])]
    png = charts.exercise_chart("Squat", series, "kg", [MONDAY], [900.0], "volume")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.line_chart("Squat", series, "kg")[:4] == b"\x89PNG"
