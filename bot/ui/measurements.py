"""Texts and keyboards of correcting and deleting measurements, and of `/measure NAME VALUE`.

The older measurement texts (the metric picker, the prompt, the list) live in bot.ui.progress.
Callback data (prefix `me:`): `me:c:METRIC` chart, `me:l:METRIC` its values, `me:v:ID` one value's menu,
`me:e:ID` correct it, `me:d:ID` delete it. Every id is checked against the user who pressed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.i18n import N_, _, ngettext
from bot.services.dates import EARLIEST
from bot.services.measurements import MeasurementPoint, MetricSeries, metric_name
from bot.ui.callback import pack
from bot.ui.fit import clip, echo
from bot.ui.formatting import format_date
from bot.ui.progress import display_unit, display_value, with_unit
from bot.ui.texts import esc

VALUES_SHOWN = 10
EDIT = N_("✏️ Edit")
CORRECT = N_("✏️ Correct")
DELETE = N_("🗑 Delete")
BACK = N_("◀ Back")
CHART = N_("📈 Chart")


def _name(name: str) -> str:
    return esc(metric_name(name))


def shown_value(value: Decimal, canonical: str, unit: WeightUnit) -> str:
    return with_unit(display_value(value, canonical, unit), display_unit(canonical, unit))


def measurements_keyboard(series: Sequence[MetricSeries]) -> InlineKeyboardMarkup:
    """/measurements: per metric its chart and its values (to correct or delete one)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"📈 {clip(metric_name(s.name), 28)}", callback_data=pack("me", "c", s.metric_id)
                ),
                InlineKeyboardButton(_(EDIT), callback_data=pack("me", "l", s.metric_id)),
            ]
            for s in series
        ]
    )


def values_text(series: MetricSeries | None, name: str, unit: WeightUnit, today: date) -> str:
    if series is None or not series.points:
        return _("📏 <b>{name}</b>: nothing measured yet. Send /measure.").format(name=_name(name))
    count = min(len(series.points), VALUES_SHOWN)
    if count == 1:
        latest = _("your latest value")
    else:
        latest = ngettext("your latest {n} value", "your latest {n} values", count).format(n=count)
    return _("📏 <b>{name}</b>: {latest}. Tap one to correct or delete it.").format(
        name=_name(name), latest=latest
    )


def values_keyboard(
    metric_id: uuid.UUID, series: MetricSeries | None, unit: WeightUnit, today: date
) -> InlineKeyboardMarkup:
    newest = list(reversed(series.points)) if series is not None else []
    # values outside the accepted dates (stored before dates were bounded) are always listed, first
    odd = [p for p in newest if not EARLIEST <= p.day <= today]
    points = odd + [p for p in newest if p not in odd][: max(VALUES_SHOWN - len(odd), 0)]
    rows = [
        [
            InlineKeyboardButton(
                ("⚠️ " if p in odd else "")
                + f"{shown_value(p.value, series.unit, unit)} · {format_date(p.day, today)}"
                + (" 📝" if p.note else ""),
                callback_data=pack("me", "v", p.id),
            )
        ]
        for p in points
        if series is not None and p.id is not None
    ]
    rows.append([InlineKeyboardButton(_(CHART), callback_data=pack("me", "c", metric_id))])
    return InlineKeyboardMarkup(rows)


def value_text(name: str, point: MeasurementPoint, canonical: str, unit: WeightUnit, today: date) -> str:
    note = f"\n📝 {echo(point.note, 300)}" if point.note else ""
    return (
        _("📏 <b>{name}</b>: {value} on {day}").format(
            name=_name(name),
            value=shown_value(point.value, canonical, unit),
            day=format_date(point.day, today),
        )
        + note
    )


def value_keyboard(measurement_id: uuid.UUID, metric_id: uuid.UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_(CORRECT), callback_data=pack("me", "e", measurement_id)),
                InlineKeyboardButton(_(DELETE), callback_data=pack("me", "d", measurement_id)),
            ],
            [InlineKeyboardButton(_(BACK), callback_data=pack("me", "l", metric_id))],
        ]
    )


def correct_prompt(name: str, now_shown: str, day: date, today: date, example: str) -> str:
    return (
        _("Send the corrected <b>{name}</b> (now {value} on {day}), e.g. <code>{example}</code>.").format(
            name=_name(name), value=now_shown, day=format_date(day, today), example=esc(example)
        )
        + "\n"
        + _(
            "The date and the note stay unless you add new ones after commas: "
            "<code>82.5, yesterday, after breakfast</code>."
        )
    )


def corrected_text(name: str, shown: str, day: date, today: date) -> str:
    return _("✅ Corrected: {name} {value} on {day}. See /measurements.").format(
        name=_name(name), value=shown, day=format_date(day, today)
    )


def deleted_text(name: str, shown: str, day: date, today: date) -> str:
    return _("🗑 Deleted: {name} {value} of {day}.").format(
        name=_name(name), value=shown, day=format_date(day, today)
    )


def unknown_metric_text(query: str) -> str:
    return _("I don't know the measurement “{query}”. What did you measure?").format(query=echo(query))


def which_metric_text(query: str) -> str:
    return _("“{query}” could be several measurements. Which one?").format(query=echo(query))


__all__ = [
    "BACK",
    "CHART",
    "CORRECT",
    "DELETE",
    "EDIT",
    "correct_prompt",
    "corrected_text",
    "deleted_text",
    "measurements_keyboard",
    "shown_value",
    "unknown_metric_text",
    "value_keyboard",
    "value_text",
    "values_keyboard",
    "values_text",
    "which_metric_text",
]
