"""What /exercises and /exercise new say, and their buttons (`cx:` callback data)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import TrackingType
from bot.i18n import N_, _, exercise_name, pgettext
from bot.ui.callback import pack
from bot.ui.fit import echo
from bot.ui.texts import esc

NEW_USAGE = N_("Send /exercise new NAME to add an exercise of your own, e.g. /exercise new Cable fly.")
EXPIRED = N_("That has expired: send /exercise new NAME again.")
TRACKING_LABELS = {
    TrackingType.WEIGHT_REPS: N_("Weight × reps"),
    TrackingType.REPS: N_("Reps"),
    TrackingType.DURATION: N_("Time"),
}
TRACKING_NAMES = {
    TrackingType.WEIGHT_REPS: N_("weight × reps"),
    TrackingType.REPS: N_("reps"),
    TrackingType.DURATION: N_("time"),
}


# Muscle groups and equipment (bot/data/README.md) as shown: "full_body" -> "Full body".
def _labels() -> dict[str, str]:
    return {
        "chest": pgettext("exercise", "Chest"),
        "back": pgettext("exercise", "Back"),
        "shoulders": pgettext("exercise", "Shoulders"),
        "biceps": pgettext("exercise", "Biceps"),
        "triceps": pgettext("exercise", "Triceps"),
        "forearms": pgettext("exercise", "Forearms"),
        "quads": pgettext("exercise", "Quads"),
        "hamstrings": pgettext("exercise", "Hamstrings"),
        "glutes": pgettext("exercise", "Glutes"),
        "calves": pgettext("exercise", "Calves"),
        "core": pgettext("exercise", "Core"),
        "full_body": pgettext("exercise", "Full body"),
        "cardio": pgettext("exercise", "Cardio"),
        "mobility": pgettext("exercise", "Mobility"),
        "barbell": pgettext("exercise", "Barbell"),
        "dumbbell": pgettext("exercise", "Dumbbell"),
        "kettlebell": pgettext("exercise", "Kettlebell"),
        "machine": pgettext("exercise", "Machine"),
        "cable": pgettext("exercise", "Cable"),
        "band": pgettext("exercise", "Band"),
        "pull_up_bar": pgettext("exercise", "Pull up bar"),
        "bodyweight": pgettext("exercise", "Bodyweight"),
        "none": pgettext("exercise", "None"),
        "other": pgettext("exercise", "Other"),
    }


MAX_LISTING = 3900


def label(code: str) -> str:
    """A muscle group's or equipment's name in the reader's language."""
    return _labels().get(code) or code.replace("_", " ").capitalize()


def tracking_name(tracking: TrackingType) -> str:
    """'weight × reps', 'reps', 'time' in the reader's language."""
    return _(TRACKING_NAMES[tracking])


def listing(
    catalog: dict[str, list[str]],
    groups: Sequence[str],
    own: Sequence[tuple[str, str, str]],
    from_programs: Sequence[tuple[str, str, str]] = (),
) -> str:
    """The catalog by muscle group, the exercises of the user's programs that are not the catalog's (a
    coach's own), then the user's own (name, muscle group, tracking)."""
    lines = [_("<b>Exercises</b>")]
    for group in groups:
        names = sorted((exercise_name(name) for name in catalog[group]), key=str.casefold)
        lines.append(f"<b>{esc(label(group))}</b>: {esc(', '.join(names))}")
    lines.append("")
    if from_programs:
        lines.append(_("<b>From your programs</b>"))
        lines += [
            f"• {esc(name)} ({esc(label(group))}, {esc(tracking)})" for name, group, tracking in from_programs
        ]
        lines.append("")
    if own:
        lines.append(_("<b>Your own</b>"))
        lines += [f"• {esc(name)} ({esc(label(group))}, {esc(tracking)})" for name, group, tracking in own]
    else:
        lines.append(_("You have no exercises of your own yet."))
    lines.append(_(NEW_USAGE))
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
        _("New exercise <b>{name}</b>: which muscle group does it work most?").format(name=echo(name)),
        _grid("m", groups, [label(g) for g in groups]),
    )


def ask_equipment(name: str, equipment: Sequence[str]) -> tuple[str, InlineKeyboardMarkup]:
    return _("<b>{name}</b>: what equipment does it use?").format(name=echo(name)), _grid(
        "e", equipment, [label(e) for e in equipment]
    )


def ask_tracking(name: str) -> tuple[str, InlineKeyboardMarkup]:
    values = list(TRACKING_LABELS)
    return (
        _("<b>{name}</b>: how do you log it?").format(name=echo(name)),
        _grid("t", [v.value for v in values], [_(TRACKING_LABELS[v]) for v in values]),
    )


def created(name: str, group: str, equipment: str, tracking: TrackingType, logging_hint: bool) -> str:
    text = _("✅ Created <b>{name}</b> ({group}, {equipment}, {tracking}). Only you see it.").format(
        name=esc(name),
        group=esc(label(group)),
        equipment=esc(label(equipment)),
        tracking=tracking_name(tracking),
    )
    if logging_hint:
        hint = _("Log it by typing its name with the set, e.g. <i>{example}</i>.").format(
            example=esc(name.lower()) + " 60x8"
        )
        text = _("{created} {hint}").format(created=text, hint=hint)
    return text


def create_button() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("➕ Create exercise"), callback_data="cx:new")]])
