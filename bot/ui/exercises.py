"""What /exercises and /exercise new say, and their buttons (`cx:` callback data)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import TrackingType
from bot.ui.callback import pack
from bot.ui.fit import echo
from bot.ui.texts import esc

NEW_USAGE = "Send /exercise new NAME to add an exercise of your own, e.g. /exercise new Cable fly."
EXPIRED = "That has expired: send /exercise new NAME again."
TRACKING_LABELS = {
    TrackingType.WEIGHT_REPS: "Weight × reps",
    TrackingType.REPS: "Reps",
    TrackingType.DURATION: "Time",
}
MAX_LISTING = 3900


def label(code: str) -> str:
    return code.replace("_", " ").capitalize()


def listing(
    catalog: dict[str, list[str]],
    groups: Sequence[str],
    own: Sequence[tuple[str, str, str]],
    from_programs: Sequence[tuple[str, str, str]] = (),
) -> str:
    """The catalog by muscle group, the exercises of the user's programs that are not the catalog's (a
    coach's own), then the user's own (name, muscle group, tracking)."""
    lines = ["<b>Exercises</b>"]
    for group in groups:
        lines.append(f"<b>{esc(label(group))}</b>: {esc(', '.join(catalog[group]))}")
    lines.append("")
    if from_programs:
        lines.append("<b>From your programs</b>")
        lines += [
            f"• {esc(name)} ({esc(label(group))}, {esc(tracking)})" for name, group, tracking in from_programs
        ]
        lines.append("")
    if own:
        lines.append("<b>Your own</b>")
        lines += [f"• {esc(name)} ({esc(label(group))}, {esc(tracking)})" for name, group, tracking in own]
    else:
        lines.append("You have no exercises of your own yet.")
    lines.append(NEW_USAGE)
    text = "\n".join(lines)
    return text if len(text) <= MAX_LISTING else text[: MAX_LISTING - 1].rsplit("\n", 1)[0] + "\n…"


def _grid(prefix: str, values: Sequence[str], labels: Sequence[str], width: int = 3) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text, callback_data=pack("cx", prefix, value))
        for value, text in zip(values, labels, strict=True)
    ]
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def ask_muscle_group(name: str, groups: Sequence[str]) -> tuple[str, InlineKeyboardMarkup]:
    return (
        f"New exercise <b>{echo(name)}</b>: which muscle group does it work most?",
        _grid("m", groups, [label(g) for g in groups]),
    )


def ask_equipment(name: str, equipment: Sequence[str]) -> tuple[str, InlineKeyboardMarkup]:
    return f"<b>{echo(name)}</b>: what equipment does it use?", _grid(
        "e", equipment, [label(e) for e in equipment]
    )


def ask_tracking(name: str) -> tuple[str, InlineKeyboardMarkup]:
    values = list(TRACKING_LABELS)
    return (
        f"<b>{echo(name)}</b>: how do you log it?",
        _grid("t", [v.value for v in values], [TRACKING_LABELS[v] for v in values]),
    )


def created(name: str, group: str, equipment: str, tracking: TrackingType, logging_hint: bool) -> str:
    text = (
        f"✅ Created <b>{esc(name)}</b> ({esc(label(group))}, {esc(label(equipment))}, "
        f"{TRACKING_LABELS[tracking].lower()}). Only you see it."
    )
    if logging_hint:
        text += f" Log it by typing its name with the set, e.g. <i>{esc(name.lower())} 60x8</i>."
    return text


def create_button() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("➕ Create exercise", callback_data="cx:new")]])
