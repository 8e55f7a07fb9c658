"""/settings: the bar, plates and warm-up mode. Texts and keyboards, pure functions of plain values.

Callback data (prefix ``on:ld:``, handled by bot.handlers.settings_loading; every part is untrusted):

=======================  ==================================================================
``on:ld:m``              the bar and plates screen
``on:ld:bar:<centikg>``  set the bar (``on:ld:bar:2000`` is 20 kg, ``on:ld:bar:2041`` 45 lb)
``on:ld:bart``           ask for the bar's weight as text
``on:ld:plt``            ask for the plates as text
``on:ld:pld``            plates back to the defaults of the user's unit
``on:ld:wu:<LOG|SHOW>``  what the workout's Warm-up button does
=======================  ==================================================================
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WarmupMode, WeightUnit
from bot.i18n import N_, _
from bot.services.loading import Loading
from bot.services.units import kg_from
from bot.ui.callback import pack
from bot.ui.formatting import format_weight, format_weights, unit_label
from bot.ui.texts import esc

PREFIX: Final = "on"
AREA: Final = "ld"
CURRENT: Final = "✅ "
BAR_PRESETS: Final[dict[WeightUnit, tuple[Decimal, ...]]] = {
    WeightUnit.KG: (Decimal(20), Decimal(15), Decimal(10)),
    WeightUnit.LB: (Decimal(45), Decimal(35), Decimal(15)),
}
"""Bars offered as buttons, in each unit: the standard bar, a women's bar, a technique bar."""
WARMUP_MODE_TEXT: Final = {
    WarmupMode.LOG: N_("logs the ramp in one tap"),
    WarmupMode.SHOW: N_("shows the ramp first"),
}


def data(*parts: object) -> str:
    return pack(PREFIX, AREA, *parts)


def data_bar(kg: Decimal) -> str:
    return data("bar", int(kg * 100))


def _back_to_settings() -> InlineKeyboardButton:
    return InlineKeyboardButton(_("« Back to settings"), callback_data=pack(PREFIX, "m", "menu"))


def _back_to_loading() -> InlineKeyboardButton:
    return InlineKeyboardButton(_("« Back"), callback_data=data("m"))


# --- the lines and buttons on the settings screen -------------------------------------------------------


def settings_lines(loading: Loading, unit: WeightUnit) -> str:
    return _("🏋️ Bar: <b>{bar}</b> · plates: <b>{plates}</b>\n🔥 Warm-up button: <b>{warmup}</b>").format(
        bar=format_weight(loading.bar_kg, unit),
        plates=format_weights(loading.plates_kg, unit),
        warmup=_(WARMUP_MODE_TEXT[loading.warmup_mode]),
    )


def settings_buttons(loading: Loading) -> list[InlineKeyboardButton]:
    other = WarmupMode.SHOW if loading.warmup_mode is WarmupMode.LOG else WarmupMode.LOG
    label = _("🔥 Log warm-ups in one tap") if other is WarmupMode.LOG else _("🔥 Show warm-ups first")
    return [
        InlineKeyboardButton(_("🏋️ Bar & plates"), callback_data=data("m")),
        InlineKeyboardButton(label, callback_data=data("wu", other.value)),
    ]


# --- the bar and plates screen --------------------------------------------------------------------------


def loading_text(loading: Loading, unit: WeightUnit, notice: str | None = None) -> str:
    bar = "<b>" + format_weight(loading.bar_kg, unit) + "</b>"
    if not loading.custom_bar:
        bar = _("{bar} (standard)").format(bar=bar)
    plates = "<b>" + format_weights(loading.plates_kg, unit) + "</b>"
    if not loading.custom_plates:
        plates = _("{plates} (a gym's usual set)").format(plates=plates)
    text = _(
        "🏋️ <b>Bar and plates</b>\n"
        "A workout's 🏋️ Plates and 🔥 Warm-up buttons load your bar with these, and your program's"
        " targets on barbell lifts are rounded to what they can load.\n\n"
        "Bar: {bar}\n"
        "Plates: {plates} - pairs of each, as many as you need\n\n"
        "Tap your bar, or ✏️ to type your bar or your plates."
    ).format(bar=bar, plates=plates)
    return f"{notice}\n\n{text}" if notice else text


def loading_keyboard(loading: Loading, unit: WeightUnit) -> InlineKeyboardMarkup:
    presets = [kg_from(value, unit) for value in BAR_PRESETS[unit]]
    bars = [
        InlineKeyboardButton(
            (CURRENT if kg == loading.bar_kg else "") + format_weight(kg, unit), callback_data=data_bar(kg)
        )
        for kg in presets
    ]
    rows = [bars]
    if loading.bar_kg not in presets:
        rows.insert(
            0,
            [
                InlineKeyboardButton(
                    CURRENT + format_weight(loading.bar_kg, unit), callback_data=data_bar(loading.bar_kg)
                )
            ],
        )
    rows.append(
        [
            InlineKeyboardButton(_("✏️ Type bar weight"), callback_data=data("bart")),
            InlineKeyboardButton(_("✏️ Type plates"), callback_data=data("plt")),
        ]
    )
    if loading.custom_plates:
        rows.append([InlineKeyboardButton(_("↩ Usual plates"), callback_data=data("pld"))])
    rows.append([_back_to_settings()])
    return InlineKeyboardMarkup(rows)


def bar_prompt(loading: Loading, unit: WeightUnit) -> str:
    first, second = ("20", "15") if unit is WeightUnit.KG else ("45", "35")
    return _(
        "⌨️ Type your bar's weight in {unit}, like <i>{first}</i> or <i>{second}</i>.\n\nNow: <b>{bar}</b>"
    ).format(unit=unit_label(unit), first=first, second=second, bar=format_weight(loading.bar_kg, unit))


def plates_prompt(loading: Loading, unit: WeightUnit) -> str:
    example = "25 20 15 10 5 2.5 1.25" if unit is WeightUnit.KG else "45 35 25 10 5 2.5"
    return _(
        "⌨️ Type the plate sizes you have in {unit}, like <i>{example}</i> "
        "(one of each size is enough: plates go on in pairs).\n\n"
        "Now: <b>{plates}</b>"
    ).format(unit=unit_label(unit), example=example, plates=format_weights(loading.plates_kg, unit))


def prompt_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_back_to_loading()]])


def problem(reason: str) -> str:
    return _("⚠️ {reason} (/cancel to stop)").format(reason=esc(reason))


# --- what was saved -------------------------------------------------------------------------------------


def saved_bar(loading: Loading, unit: WeightUnit) -> str:
    return _("✅ Bar: <b>{bar}</b>").format(bar=format_weight(loading.bar_kg, unit))


def saved_plates(loading: Loading, unit: WeightUnit) -> str:
    if not loading.custom_plates:
        return _("✅ Plates: the usual set, <b>{plates}</b>").format(
            plates=format_weights(loading.plates_kg, unit)
        )
    return _("✅ Plates: <b>{plates}</b>").format(plates=format_weights(loading.plates_kg, unit))


def saved_warmup_mode(loading: Loading) -> str:
    if loading.warmup_mode is WarmupMode.LOG:
        return _("✅ The 🔥 Warm-up button now logs the ramp in one tap")
    return _("✅ The 🔥 Warm-up button now shows the ramp first, with a button to log it")


def loading_reset(unit: WeightUnit) -> str:
    """After a unit switch: the bar and plates set in the other unit went back to the defaults."""
    return _(
        "Your bar and plates are the usual {unit} ones again (plates are marked in one unit): "
        "change them under 🏋️ Bar &amp; plates."
    ).format(unit=unit_label(unit))


BAD_BAR_BUTTON: Final = N_("That bar isn't one I can use. Type its weight instead.")
TYPE_ANSWER: Final = N_("Type it in the chat.")
