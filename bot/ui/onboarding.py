"""Onboarding and /settings: every text and keyboard, as pure functions of plain values.

HTML parse mode: anything a user typed is escaped with `esc` (zone names come from the tz database,
and are escaped anyway).

Callback data (prefix ``on:``, see bot.ui.callback; the handler treats every part as untrusted):

=====================  ============================================================
``on:tz:<IANA name>``  set the time zone (``on:tz:Europe/Berlin``)
``on:tzt``             "type it": ask for the time zone as text
``on:rt:<HHMM>``       set the daily reminder time and turn reminders on (``on:rt:0730``)
``on:rt:off``          no reminders (the time is kept)
``on:u:<KG|LB>``       set the weight unit
``on:rem:<1|0>``       reminders on / off
``on:rest:<1|0>``      rest timer on / off
``on:rate:<1|0>``      the rating asked after each exercise on / off
``on:m:<tz|rt|menu>``  settings: open the time zone or reminder picker, or go back to the menu
=====================  ============================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.services.loading import Loading
from bot.services.settings import UserSettings
from bot.services.timezones import COMMON_TIMEZONES
from bot.ui import settings_loading
from bot.ui.callback import pack
from bot.ui.formatting import unit_label
from bot.ui.texts import esc

PREFIX: Final = "on"
STEP_COUNT: Final = 3
PRESET_TIMES: Final[tuple[time, ...]] = (time(6), time(7), time(8), time(12), time(17), time(19))
CURRENT: Final = "✅ "

# --- callback data -------------------------------------------------------------------------------------


def data_timezone(zone: str) -> str:
    return pack(PREFIX, "tz", zone)


def data_type_timezone() -> str:
    return pack(PREFIX, "tzt")


def data_reminder(at: time | None) -> str:
    return pack(PREFIX, "rt", "off" if at is None else at.strftime("%H%M"))


def data_unit(unit: WeightUnit) -> str:
    return pack(PREFIX, "u", unit.value)


def data_reminders(enabled: bool) -> str:
    return pack(PREFIX, "rem", int(enabled))


def data_rest_timer(enabled: bool) -> str:
    return pack(PREFIX, "rest", int(enabled))


def data_exercise_rating(enabled: bool) -> str:
    return pack(PREFIX, "rate", int(enabled))


def data_open(what: str) -> str:
    """Settings navigation: 'tz' or 'rt' opens a picker, 'menu' goes back to the settings."""
    return pack(PREFIX, "m", what)


# --- values as shown ---------------------------------------------------------------------------------


def format_time(at: time) -> str:
    """'07:30' (24-hour clock)."""
    return at.strftime("%H:%M")


def zone_name(zone: str) -> str:
    """A zone as people read it: 'America/New York'."""
    return zone.replace("_", " ")


def zone_label(view: UserSettings) -> str:
    """'<b>Europe/Berlin</b> (UTC+01:00)'; 'UTC'; the Etc/GMT±N zones as their offset (UTC+02:00)."""
    if view.timezone == "UTC":
        return "<b>UTC</b>"
    if view.timezone.startswith("Etc/"):
        return f"<b>{esc(view.utc_offset)}</b>"
    return f"<b>{esc(zone_name(view.timezone))}</b> ({esc(view.utc_offset)})"


def _current_zone_button(view: UserSettings) -> str:
    return view.utc_offset if view.timezone.startswith("Etc/") else zone_name(view.timezone)


def reminder_label(view: UserSettings) -> str:
    if not view.reminders_enabled:
        return "<b>off</b>"
    return f"<b>{format_time(view.reminder_time)}</b>"


def rest_timer_label(view: UserSettings) -> str:
    return "<b>on</b>" if view.rest_timer_enabled else "<b>off</b>"


def _step(number: int, title: str) -> str:
    return f"<b>Step {number} of {STEP_COUNT} · {title}</b>"


def with_notice(notice: str | None, text: str) -> str:
    return f"{notice}\n\n{text}" if notice else text


def _buttons(pairs: Sequence[tuple[str, str]], per_row: int) -> list[list[InlineKeyboardButton]]:
    rows: list[list[InlineKeyboardButton]] = []
    for start in range(0, len(pairs), per_row):
        rows.append(
            [InlineKeyboardButton(text, callback_data=data) for text, data in pairs[start : start + per_row]]
        )
    return rows


def _back_row() -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("« Back to settings", callback_data=data_open("menu"))]


# --- greetings ----------------------------------------------------------------------------------------


def welcome_new(first_name: str) -> str:
    return (
        f"👋 Welcome, <b>{esc(first_name)}</b>!\n\n"
        "I help you follow a training program and log every workout: sets, reps, weights and how it felt.\n\n"
        "First, three quick questions so reminders and weights fit you."
    )


def welcome_resume(first_name: str) -> str:
    return f"👋 Welcome back, <b>{esc(first_name)}</b>! Let's finish setting you up."


def welcome_back(first_name: str) -> str:
    return (
        f"👋 Welcome back, <b>{esc(first_name)}</b>!\n\n"
        "/today - today's workout\n"
        "/programs - choose a training program\n"
        "/settings - time zone, reminders, units"
    )


# --- step 1: time zone --------------------------------------------------------------------------------


def timezone_prompt(view: UserSettings, *, step: bool) -> str:
    """The time zone step (onboarding: `step`) or picker (settings), showing the current zone."""
    title = _step(1, "Time zone") if step else "<b>🌍 Time zone</b>"
    return (
        f"{title}\n"
        "So that “today” and your reminders follow your clock.\n\n"
        f"Now: {zone_label(view)}\n\n"
        "Tap your zone, or type a city (<i>Berlin</i>), a zone (<i>Europe/Berlin</i>) "
        "or an offset (<i>UTC+2</i>)."
    )


def timezone_keyboard(view: UserSettings, *, back: bool) -> InlineKeyboardMarkup:
    """Common zones (the current one marked), the current zone if it is not among them, 'type it'."""
    common = [zone for _, zone in COMMON_TIMEZONES]
    rows: list[list[InlineKeyboardButton]] = []
    if view.timezone not in common:
        rows.append(
            [
                InlineKeyboardButton(
                    CURRENT + _current_zone_button(view), callback_data=data_timezone(view.timezone)
                )
            ]
        )
    pairs = [
        ((CURRENT if zone == view.timezone else "") + label, data_timezone(zone))
        for label, zone in COMMON_TIMEZONES
    ]
    rows += _buttons(pairs, 3)
    rows.append([InlineKeyboardButton("⌨️ Type it", callback_data=data_type_timezone())])
    if back:
        rows.append(_back_row())
    return InlineKeyboardMarkup(rows)


def timezone_type_prompt() -> str:
    return (
        "⌨️ Type your time zone: a city like <i>Berlin</i> or <i>New York</i>, a zone like "
        "<i>Europe/Berlin</i>, or an offset like <i>UTC+2</i> or <i>UTC-5</i>."
    )


def timezone_type_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("« Show the list", callback_data=data_open("tz"))]])


def timezone_problem(reason: str, suggestions: Sequence[str]) -> str:
    """A typed zone that was not understood; the reason quotes the user's text, so it is escaped."""
    tail = "Tap one of these, or type it again." if suggestions else "Please type it again."
    return f"⚠️ {esc(reason)}\n\n{tail} (/cancel to stop)"


def suggestions_keyboard(suggestions: Sequence[str]) -> InlineKeyboardMarkup | None:
    """One button per suggested zone ("did you mean"); None without suggestions."""
    if not suggestions:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(zone_name(zone), callback_data=data_timezone(zone))] for zone in suggestions]
    )


def saved_timezone(view: UserSettings) -> str:
    return f"✅ Time zone: {zone_label(view)}"


# --- step 2: daily reminder ---------------------------------------------------------------------------


def reminder_prompt(view: UserSettings, *, step: bool) -> str:
    title = _step(2, "Daily reminder") if step else "<b>⏰ Daily reminder</b>"
    return (
        f"{title}\n"
        "When should I remind you of the day's workout? (your local time)\n\n"
        f"Now: {reminder_label(view)}\n\n"
        "Tap a time, or type one like <i>7:30</i>, <i>19:30</i> or <i>7pm</i>."
    )


def reminder_keyboard(view: UserSettings, *, back: bool) -> InlineKeyboardMarkup:
    """Preset times (the current one marked), the current time if it is not a preset, 'No reminders'."""
    current = view.reminder_time if view.reminders_enabled else None
    rows: list[list[InlineKeyboardButton]] = []
    if current is not None and current not in PRESET_TIMES:
        rows.append(
            [InlineKeyboardButton(CURRENT + format_time(current), callback_data=data_reminder(current))]
        )
    pairs = [((CURRENT if at == current else "") + format_time(at), data_reminder(at)) for at in PRESET_TIMES]
    rows += _buttons(pairs, 3)
    off = (CURRENT if current is None else "") + "🔕 No reminders"
    rows.append([InlineKeyboardButton(off, callback_data=data_reminder(None))])
    if back:
        rows.append(_back_row())
    return InlineKeyboardMarkup(rows)


def reminder_problem(reason: str) -> str:
    return f"⚠️ {esc(reason)}\n\nOr tap one of the times above. (/cancel to stop)"


def saved_reminder(view: UserSettings) -> str:
    if not view.reminders_enabled:
        return "✅ No reminders. You can turn them on any time in /settings."
    return f"✅ Daily reminder at <b>{format_time(view.reminder_time)}</b>"


# --- step 3: weight unit ------------------------------------------------------------------------------


def unit_prompt(view: UserSettings) -> str:
    return (
        f"{_step(3, 'Weight unit')}\n"
        "Weights are shown, and typed, in this unit.\n\n"
        f"Now: <b>{unit_label(view.weight_unit)}</b>\n\n"
        "Tap <i>kg</i> or <i>lb</i>, or type it."
    )


def unit_keyboard(view: UserSettings) -> InlineKeyboardMarkup:
    pairs = [
        ((CURRENT if unit is view.weight_unit else "") + unit_label(unit), data_unit(unit))
        for unit in (WeightUnit.KG, WeightUnit.LB)
    ]
    return InlineKeyboardMarkup(_buttons(pairs, 2))


def unit_problem(reason: str) -> str:
    return f"⚠️ {esc(reason)} (/cancel to stop)"


def saved_unit(view: UserSettings) -> str:
    return f"✅ Weights in <b>{unit_label(view.weight_unit)}</b>"


# --- done ---------------------------------------------------------------------------------------------


def onboarding_done(view: UserSettings, notice: str | None = None) -> str:
    return with_notice(
        notice,
        "🎉 <b>All set!</b>\n\n"
        f"🌍 Time zone: {zone_label(view)}\n"
        f"⏰ Daily reminder: {reminder_label(view)}\n"
        f"⚖️ Weight unit: <b>{unit_label(view.weight_unit)}</b>\n\n"
        "What next?\n"
        "/programs - choose a training program\n"
        "/today - today's workout\n"
        "/settings - change any of this",
    )


def onboarding_cancelled() -> str:
    return "OK, let's stop here. What you chose so far is saved; send /start to finish setting up."


# --- /settings ----------------------------------------------------------------------------------------


def settings_text(view: UserSettings, notice: str | None = None, loading: Loading | None = None) -> str:
    """The settings; with `loading`, the bar, plates and warm-up mode too."""
    loading_lines = (
        "" if loading is None else "\n" + settings_loading.settings_lines(loading, view.weight_unit)
    )
    return with_notice(
        notice,
        "⚙️ <b>Your settings</b>\n\n"
        f"🌍 Time zone: {zone_label(view)}\n"
        f"⏰ Daily reminder: {reminder_label(view)}"
        + ("" if view.reminders_enabled else f" (time kept: {format_time(view.reminder_time)})")
        + "\n"
        f"⚖️ Weight unit: <b>{unit_label(view.weight_unit)}</b>\n"
        f"⏱ Rest timer: {rest_timer_label(view)}\n"
        f"📊 Rating after each exercise: <b>{'on' if view.exercise_rating_enabled else 'off'}</b>"
        + loading_lines,
    )


def settings_keyboard(view: UserSettings, loading: Loading | None = None) -> InlineKeyboardMarkup:
    other_unit = WeightUnit.LB if view.weight_unit is WeightUnit.KG else WeightUnit.KG
    reminders = (
        ("🔕 Turn reminders off", data_reminders(False))
        if view.reminders_enabled
        else ("🔔 Turn reminders on", data_reminders(True))
    )
    rest = (
        ("⏱ Turn rest timer off", data_rest_timer(False))
        if view.rest_timer_enabled
        else ("⏱ Turn rest timer on", data_rest_timer(True))
    )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🌍 Time zone", callback_data=data_open("tz")),
                InlineKeyboardButton("⏰ Reminder time", callback_data=data_open("rt")),
            ],
            [InlineKeyboardButton(reminders[0], callback_data=reminders[1])],
            [InlineKeyboardButton(f"⚖️ Use {unit_label(other_unit)}", callback_data=data_unit(other_unit))],
            [InlineKeyboardButton(rest[0], callback_data=rest[1])],
            [
                InlineKeyboardButton(
                    "📊 Stop asking for exercise ratings"
                    if view.exercise_rating_enabled
                    else "📊 Ask for exercise ratings",
                    callback_data=data_exercise_rating(not view.exercise_rating_enabled),
                )
            ],
            *([settings_loading.settings_buttons(loading)] if loading is not None else []),
        ]
    )


def saved_reminders_switch(view: UserSettings) -> str:
    if view.reminders_enabled:
        return f"✅ Reminders on, at <b>{format_time(view.reminder_time)}</b>"
    return "✅ Reminders off"


def saved_rest_timer(view: UserSettings) -> str:
    return "✅ Rest timer on" if view.rest_timer_enabled else "✅ Rest timer off"


def saved_exercise_rating(view: UserSettings) -> str:
    if view.exercise_rating_enabled:
        return "✅ I'll ask how hard each exercise was"
    return "✅ No more ratings after each exercise"


def settings_closed() -> str:
    return "OK. Your settings are saved; /settings shows them again."


# --- buttons that are not (or no longer) valid ---------------------------------------------------------

UNKNOWN_BUTTON: Final = "This button doesn't work any more. Send /settings to see your settings."
UNKNOWN_ZONE_BUTTON: Final = "That isn't a time zone I know. Type your city, e.g. Berlin."
TYPE_TIMEZONE_ANSWER: Final = "Type your time zone, e.g. Berlin, Europe/Berlin or UTC+2."
