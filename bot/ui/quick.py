"""What quick workouts (/log, named sets) say, and their buttons."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import WeightUnit
from bot.i18n import N_, _, exercise_name
from bot.services.workouts import ExerciseView, SessionView
from bot.ui.callback import pack
from bot.ui.fit import echo
from bot.ui.texts import esc
from bot.ui.workout import show_sets

HOW_TO_LOG = N_(
    "Type what you did with the exercise's name: <i>bench press 60x8</i>, <i>squat 100x5x3</i>, "
    "<i>pull ups 8</i>, <i>plank 45s</i>. A bare set like <i>60x8</i> goes to the exercise last logged."
)
LOG_USAGE = N_("Send /log for a workout now, or /log yesterday, /log mon, /log 2026-12-01 for a past day.")
NAME_FIRST = N_("Which exercise was that? Type its name with the set, like <i>bench press 60x8</i>.")
OFFER = N_("Start a quick workout with this set?\n<b>{name}</b>: {sets}")
OFFER_BUTTON = N_("⚡ Start a quick workout")
OFFER_GONE = N_("That offer has expired: send /log to start a quick workout.")


def started(workout_name: str) -> str:
    return _("⚡ <b>{workout}</b> started.").format(workout=esc(workout_name)) + "\n\n" + _(HOW_TO_LOG)


def started_keyboard(session_id: uuid.UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("🏁 Finish"), callback_data=pack("wk", "fin", session_id)),
                InlineKeyboardButton(_("✖ Cancel"), callback_data=pack("wk", "cancel", session_id)),
            ]
        ]
    )


def which_exercise(
    name: str, choices: Sequence[tuple[uuid.UUID, str]], session_id: uuid.UUID
) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            InlineKeyboardButton(
                exercise_name(label)[:60], callback_data=pack("wk", "pick", session_id, exercise_id)
            )
        ]
        for exercise_id, label in choices
    ]
    return _("Which exercise did you mean by “{name}”?").format(name=echo(name)), InlineKeyboardMarkup(rows)


def unknown_exercise(name: str) -> str:
    return _(
        "I don't know an exercise called “{name}”. Check the spelling (/exercises lists them), "
        "or create it as an exercise of your own."
    ).format(name=echo(name))


def offer(name: str, sets: str) -> str:
    return _(OFFER).format(name=esc(exercise_name(name)), sets=esc(sets))


def offer_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(_(OFFER_BUTTON), callback_data="qk:go")]])


def with_overview(view: SessionView, current: ExerciseView, unit: WeightUnit, card: str) -> str:
    """A quick workout's card, with the other exercises done so far and their sets on top."""
    if view.enrollment_id is not None:
        return card
    others = [e for e in view.exercises if e.index != current.index and e.sets]
    if not others:
        return card
    lines = [f"• {esc(exercise_name(e.name))}: {show_sets(e.sets, unit, e.tracking)}" for e in others]
    return _("So far:") + "\n" + "\n".join(lines) + "\n\n" + card
