"""The question a typed UTC offset gets in the time zone step: which real zone, or a fixed offset?"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _
from bot.services.timezones import OffsetChoice
from bot.ui.onboarding import data_timezone, zone_name
from bot.ui.texts import esc


def _place(city: str, zone: str, summer_time: bool) -> str:
    return _("{city} (summer time)").format(city=city) if summer_time else city


def offset_question(choice: OffsetChoice) -> str:
    places = ", ".join(esc(_place(z.city, z.zone, z.summer_time)) for z in choice.zones)
    now = _("<b>{offset}</b> is the time right now in {places}.").format(offset=choice.label, places=places)
    summer = any(z.summer_time for z in choice.zones)
    why = (
        _(
            "Pick your place: its zone follows daylight saving time, so your reminders stay on time all year"
            " (places on summer time now are an hour different in winter)."
        )
        if summer
        else _(
            "Pick your place: its zone follows daylight saving time, so your reminders stay on time all year."
        )
    )
    fixed = (
        _("A fixed <b>{offset}</b> never changes: choose it only if your clocks never do.")
        if choice.fixed
        else _("No fixed zone exists for {offset}: pick your place.")
    ).format(offset=choice.label)
    tail = _("Or type your city. (/cancel to stop)")
    return f"🌍 {now}\n\n{why}\n{fixed}\n\n{tail}" if places else f"🌍 {why}\n{fixed}\n\n{tail}"


def offset_keyboard(choice: OffsetChoice) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(f"{z.city} · {zone_name(z.zone)}", callback_data=data_timezone(z.zone))]
        for z in choice.zones
    ]
    if choice.fixed:
        rows.append(
            [
                InlineKeyboardButton(
                    _("Fixed {offset} (no daylight saving)").format(offset=choice.label),
                    callback_data=data_timezone(choice.fixed),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


__all__ = ["offset_keyboard", "offset_question"]
