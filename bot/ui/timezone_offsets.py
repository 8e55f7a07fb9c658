"""The question a typed UTC offset gets in the time zone step: which real zone, or a fixed offset?"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.timezones import OffsetChoice
from bot.ui.onboarding import data_timezone, zone_name
from bot.ui.texts import esc


def _place(city: str, zone: str, summer_time: bool) -> str:
    return f"{city}{' (summer time)' if summer_time else ''}"


def offset_question(choice: OffsetChoice) -> str:
    places = ", ".join(esc(_place(z.city, z.zone, z.summer_time)) for z in choice.zones)
    now = f"<b>{choice.label}</b> is the time right now in {places}." if places else ""
    summer = any(z.summer_time for z in choice.zones)
    why = (
        "Pick your place: its zone follows daylight saving time, so your reminders stay on time all year"
        + (" (places on summer time now are an hour different in winter)." if summer else ".")
    )
    fixed = (
        f"\nA fixed <b>{choice.label}</b> never changes: choose it only if your clocks never do."
        if choice.fixed
        else f"\nNo fixed zone exists for {choice.label}: pick your place."
    )
    return f"🌍 {now}\n\n{why}{fixed}\n\nOr type your city. (/cancel to stop)".replace("🌍 \n\n", "🌍 ")


def offset_keyboard(choice: OffsetChoice) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(f"{z.city} · {zone_name(z.zone)}", callback_data=data_timezone(z.zone))]
        for z in choice.zones
    ]
    if choice.fixed:
        rows.append(
            [
                InlineKeyboardButton(
                    f"Fixed {choice.label} (no daylight saving)", callback_data=data_timezone(choice.fixed)
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


__all__ = ["offset_keyboard", "offset_question"]
