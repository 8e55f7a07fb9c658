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
from bot.i18n import N_, _, current_locale
from bot.services.loading import Loading
from bot.services.settings import UserSettings
from bot.services.timezones import COMMON_TIMEZONES
from bot.ui import settings_loading
from bot.ui.callback import pack
from bot.ui.formatting import unit_label
from bot.ui.language import data_open_from_settings, language_name
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
        return "<b>" + _("off") + "</b>"
    return f"<b>{format_time(view.reminder_time)}</b>"


def rest_timer_label(view: UserSettings) -> str:
    return "<b>" + (_("on") if view.rest_timer_enabled else _("off")) + "</b>"


def _step(number: int, title: str) -> str:
    return (
        "<b>"
        + _("Step {number} of {count} · {title}").format(number=number, count=STEP_COUNT, title=title)
        + "</b>"
    )


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
    return [InlineKeyboardButton(_("« Back to settings"), callback_data=data_open("menu"))]


# --- greetings ----------------------------------------------------------------------------------------


def welcome_new(first_name: str) -> str:
    return _(
        "👋 Welcome, <b>{name}</b>!\n\n"
        "I help you follow a training program and log every workout: sets, reps, weights and how it felt.\n\n"
        "First, three quick questions so reminders and weights fit you."
    ).format(name=esc(first_name))


def welcome_resume(first_name: str) -> str:
    return _("👋 Welcome back, <b>{name}</b>! Let's finish setting you up.").format(name=esc(first_name))


def welcome_back(first_name: str) -> str:
    return _(
        "👋 Welcome back, <b>{name}</b>!\n\n"
        "/today - today's workout\n"
        "/programs - choose a training program\n"
        "/settings - time zone, reminders, units"
    ).format(name=esc(first_name))


# --- step 1: time zone --------------------------------------------------------------------------------


def timezone_prompt(view: UserSettings, *, step: bool) -> str:
    """The time zone step (onboarding: `step`) or picker (settings), showing the current zone."""
    title = _step(1, _("Time zone")) if step else "<b>" + _("🌍 Time zone") + "</b>"
    return _(
        "{title}\n"
        "So that “today” and your reminders follow your clock.\n\n"
        "Now: {zone}\n\n"
        "Tap your zone, or type a city (<i>Berlin</i>), a zone (<i>Europe/Berlin</i>) "
        "or an offset (<i>UTC+2</i>)."
    ).format(title=title, zone=zone_label(view))


def timezone_keyboard(view: UserSettings, *, back: bool) -> InlineKeyboardMarkup:
    """Common zones (the current one marked), the current zone if it is not among them, 'type it'."""
    common = [zone for _label, zone in COMMON_TIMEZONES]
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
        (
            (CURRENT if zone == view.timezone else "") + (_(label) if label != "UTC" else label),
            data_timezone(zone),
        )
        for label, zone in COMMON_TIMEZONES
    ]
    rows += _buttons(pairs, 3)
    rows.append([InlineKeyboardButton(_("⌨️ Type it"), callback_data=data_type_timezone())])
    if back:
        rows.append(_back_row())
    return InlineKeyboardMarkup(rows)


def timezone_type_prompt() -> str:
    return _(
        "⌨️ Type your time zone: a city like <i>Berlin</i> or <i>New York</i>, a zone like "
        "<i>Europe/Berlin</i>, or an offset like <i>UTC+2</i> or <i>UTC-5</i>."
    )


def timezone_type_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("« Show the list"), callback_data=data_open("tz"))]])


def timezone_problem(reason: str, suggestions: Sequence[str]) -> str:
    """A typed zone that was not understood; the reason quotes the user's text, so it is escaped."""
    if suggestions:
        return _("⚠️ {reason}\n\nTap one of these, or type it again. (/cancel to stop)").format(
            reason=esc(reason)
        )
    return _("⚠️ {reason}\n\nPlease type it again. (/cancel to stop)").format(reason=esc(reason))


def suggestions_keyboard(suggestions: Sequence[str]) -> InlineKeyboardMarkup | None:
    """One button per suggested zone ("did you mean"); None without suggestions."""
    if not suggestions:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(zone_name(zone), callback_data=data_timezone(zone))] for zone in suggestions]
    )


def saved_timezone(view: UserSettings) -> str:
    return _("✅ Time zone: {zone}").format(zone=zone_label(view))


# --- step 2: daily reminder ---------------------------------------------------------------------------


def reminder_prompt(view: UserSettings, *, step: bool) -> str:
    title = _step(2, _("Daily reminder")) if step else "<b>" + _("⏰ Daily reminder") + "</b>"
    return _(
        "{title}\n"
        "When should I remind you of the day's workout? (your local time)\n\n"
        "Now: {reminder}\n\n"
        "Tap a time, or type one like <i>7:30</i>, <i>19:30</i> or <i>7pm</i>."
    ).format(title=title, reminder=reminder_label(view))


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
    off = (CURRENT if current is None else "") + _("🔕 No reminders")
    rows.append([InlineKeyboardButton(off, callback_data=data_reminder(None))])
    if back:
        rows.append(_back_row())
    return InlineKeyboardMarkup(rows)


def reminder_problem(reason: str) -> str:
    return _("⚠️ {reason}\n\nOr tap one of the times above. (/cancel to stop)").format(reason=esc(reason))


def saved_reminder(view: UserSettings) -> str:
    if not view.reminders_enabled:
        return _("✅ No reminders. You can turn them on any time in /settings.")
    return _("✅ Daily reminder at <b>{time}</b>").format(time=format_time(view.reminder_time))


# --- step 3: weight unit ------------------------------------------------------------------------------


def unit_prompt(view: UserSettings) -> str:
    return _(
        "{title}\n"
        "Weights are shown, and typed, in this unit.\n\n"
        "Now: <b>{unit}</b>\n\n"
        "Tap <i>kg</i> or <i>lb</i>, or type it."
    ).format(title=_step(3, _("Weight unit")), unit=unit_label(view.weight_unit))


def unit_keyboard(view: UserSettings) -> InlineKeyboardMarkup:
    pairs = [
        ((CURRENT if unit is view.weight_unit else "") + unit_label(unit), data_unit(unit))
        for unit in (WeightUnit.KG, WeightUnit.LB)
    ]
    return InlineKeyboardMarkup(_buttons(pairs, 2))


def unit_problem(reason: str) -> str:
    return _("⚠️ {reason} (/cancel to stop)").format(reason=esc(reason))


def saved_unit(view: UserSettings) -> str:
    return _("✅ Weights in <b>{unit}</b>").format(unit=unit_label(view.weight_unit))


# --- done ---------------------------------------------------------------------------------------------


def onboarding_done(view: UserSettings, notice: str | None = None) -> str:
    return with_notice(
        notice,
        _(
            "🎉 <b>All set!</b>\n\n"
            "🌍 Time zone: {zone}\n"
            "⏰ Daily reminder: {reminder}\n"
            "⚖️ Weight unit: <b>{unit}</b>\n\n"
            "What next?\n"
            "/programs - choose a training program\n"
            "/today - today's workout\n"
            "/settings - change any of this"
        ).format(zone=zone_label(view), reminder=reminder_label(view), unit=unit_label(view.weight_unit)),
    )


def onboarding_cancelled() -> str:
    return _("OK, let's stop here. What you chose so far is saved; send /start to finish setting up.")


# --- /settings ----------------------------------------------------------------------------------------


def settings_text(view: UserSettings, notice: str | None = None, loading: Loading | None = None) -> str:
    """The settings; with `loading`, the bar, plates and warm-up mode too."""
    loading_lines = (
        "" if loading is None else "\n" + settings_loading.settings_lines(loading, view.weight_unit)
    )
    reminder = reminder_label(view)
    if not view.reminders_enabled:
        reminder = _("{reminder} (time kept: {time})").format(
            reminder=reminder, time=format_time(view.reminder_time)
        )
    return with_notice(
        notice,
        _(
            "⚙️ <b>Your settings</b>\n\n"
            "🌍 Time zone: {zone}\n"
            "⏰ Daily reminder: {reminder}\n"
            "⚖️ Weight unit: <b>{unit}</b>\n"
            "⏱ Rest timer: {rest_timer}\n"
            "📊 Rating after each exercise: <b>{rating}</b>\n"
            "🗣 Language: <b>{language}</b>"
        ).format(
            zone=zone_label(view),
            reminder=reminder,
            unit=unit_label(view.weight_unit),
            rest_timer=rest_timer_label(view),
            rating=_("on") if view.exercise_rating_enabled else _("off"),
            language=language_name(current_locale()),
        )
        + loading_lines,
    )


def settings_keyboard(view: UserSettings, loading: Loading | None = None) -> InlineKeyboardMarkup:
    other_unit = WeightUnit.LB if view.weight_unit is WeightUnit.KG else WeightUnit.KG
    reminders = (
        (_("🔕 Turn reminders off"), data_reminders(False))
        if view.reminders_enabled
        else (_("🔔 Turn reminders on"), data_reminders(True))
    )
    rest = (
        (_("⏱ Turn rest timer off"), data_rest_timer(False))
        if view.rest_timer_enabled
        else (_("⏱ Turn rest timer on"), data_rest_timer(True))
    )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("🌍 Time zone"), callback_data=data_open("tz")),
                InlineKeyboardButton(_("⏰ Reminder time"), callback_data=data_open("rt")),
            ],
            [InlineKeyboardButton(reminders[0], callback_data=reminders[1])],
            [
                InlineKeyboardButton(
                    _("⚖️ Use {unit}").format(unit=unit_label(other_unit)), callback_data=data_unit(other_unit)
                )
            ],
            [InlineKeyboardButton(rest[0], callback_data=rest[1])],
            [
                InlineKeyboardButton(
                    _("📊 Stop asking for exercise ratings")
                    if view.exercise_rating_enabled
                    else _("📊 Ask for exercise ratings"),
                    callback_data=data_exercise_rating(not view.exercise_rating_enabled),
                )
            ],
            *([settings_loading.settings_buttons(loading)] if loading is not None else []),
            [InlineKeyboardButton(_("🗣 Language"), callback_data=data_open_from_settings())],
        ]
    )


def saved_reminders_switch(view: UserSettings) -> str:
    if view.reminders_enabled:
        return _("✅ Reminders on, at <b>{time}</b>").format(time=format_time(view.reminder_time))
    return _("✅ Reminders off")


def saved_rest_timer(view: UserSettings) -> str:
    return _("✅ Rest timer on") if view.rest_timer_enabled else _("✅ Rest timer off")


def saved_exercise_rating(view: UserSettings) -> str:
    if view.exercise_rating_enabled:
        return _("✅ I'll ask how hard each exercise was")
    return _("✅ No more ratings after each exercise")


def settings_closed() -> str:
    return _("OK. Your settings are saved; /settings shows them again.")


# --- buttons that are not (or no longer) valid ---------------------------------------------------------

UNKNOWN_BUTTON: Final = N_("This button doesn't work any more. Send /settings to see your settings.")
UNKNOWN_ZONE_BUTTON: Final = N_("That isn't a time zone I know. Type your city, e.g. Berlin.")
TYPE_TIMEZONE_ANSWER: Final = N_("Type your time zone, e.g. Berlin, Europe/Berlin or UTC+2.")
