"""Training maxes and a coach's targets: /tm [EXERCISE WEIGHT] and /target TRAINEE EXERCISE WEIGHT.

Both read an exercise name like a named set (bot.services.exercise_match) and a weight in the typer's
unit. The coach's target is checked against the coach-trainee link in the service, and the trainee is
told after the commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.db.models import User
from bot.handlers.coaching import Outbox, Screen, command
from bot.services import coaching, targets
from bot.services.target_commands import NamedWeight, read_named_weight
from bot.services.timezones import local_today
from bot.ui import coaching as coaching_ui
from bot.ui import progression as ui


def _args(context: BotContext) -> str:
    return " ".join(context.args or []).strip()


def _unmatched(found: NamedWeight, usage: str) -> Screen | None:
    """The reply when the name matches no single exercise (suggestions, or not known), else None."""
    if found.exercise is not None:
        return None
    return ui.exercise_unknown_text(found.name, [c.name for c in found.choices], usage), None


async def _tm(s: AsyncSession, user: User, update: Update, context: BotContext, out: Outbox) -> Screen:
    """/tm: your training maxes; /tm EXERCISE WEIGHT sets one."""
    text = _args(context)
    if not text:
        return ui.training_maxes_text(await targets.targets_of(s, user), user.weight_unit), None
    found = await read_named_weight(s, user, text, unit=user.weight_unit)
    refusal = _unmatched(found, ui.TM_USAGE)
    if refusal is not None or found.exercise is None:
        return refusal or (ui.TM_USAGE, None)
    await targets.set_training_max(s, user, found.exercise.id, found.weight_kg, context.now(), by=user)
    return ui.training_max_set_text(found.exercise.name, found.weight_kg, user.weight_unit), None


async def _target(s: AsyncSession, coach: User, update: Update, context: BotContext, out: Outbox) -> Screen:
    """/target TRAINEE EXERCISE WEIGHT: a coach sets a trainee's target weight; the trainee is told."""
    coaching.require_coach(coach)
    words = _args(context).split()
    if len(words) < 3:
        return ui.TARGET_USAGE, None
    people = await coaching.find_trainees(s, coach, words[0])
    if len(people) != 1:
        picker = coaching_ui.trainees_picker(people, coaching_ui.VIEW) if people else None
        return coaching_ui.pick_trainee_text(words[0], len(people)), picker
    trainee, _link = await coaching.own_trainee(s, coach, people[0].id)
    found = await read_named_weight(s, trainee, " ".join(words[1:]), unit=coach.weight_unit)
    refusal = _unmatched(found, ui.TARGET_USAGE)
    if refusal is not None or found.exercise is None:
        return refusal or (ui.TARGET_USAGE, None)
    now = context.now()
    await targets.set_target(s, trainee, found.exercise.id, found.weight_kg, now, coach=coach)
    if trainee.chat_id is not None:
        text = ui.target_set_for_you_text(
            coach.display_name, found.exercise.name, found.weight_kg, trainee.weight_unit
        )
        out.append((trainee.chat_id, text, None))
    items = await targets.targets_of(s, trainee)
    rules = await targets.exercise_rules(s, trainee)
    lines = ui.targets_lines(items, rules, coach.weight_unit, local_today(coach.timezone, now))
    done = ui.target_set_text(trainee.display_name, found.exercise.name, found.weight_kg, coach.weight_unit)
    return "\n".join([done, "", *lines]), None


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CommandHandler("tm", command(_tm)))
    application.add_handler(CommandHandler("target", command(_target)))
