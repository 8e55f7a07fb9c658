"""Training maxes and a coach's targets: /tm [EXERCISE WEIGHT], /target TRAINEE EXERCISE WEIGHT, and
the 🎯 buttons of a coach's /trainee card (press one, type the weight: one persistent conversation).

Both commands read an exercise name like a named set (bot.services.exercise_match) and a weight in the
typer's unit. The coach's target is checked against the coach-trainee link (own_trainee) - a button's
trainee and exercise prove nothing - and the trainee is told after the commit. A typed weight is only
read while its prompt is fresh (PROMPT_TTL), as a comment is (bot.handlers.comments).
"""

from __future__ import annotations

import uuid
import warnings
from datetime import datetime, timedelta
from decimal import Decimal
from enum import IntEnum
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.db.models import User
from bot.handlers.base import answer, user_for
from bot.handlers.coaching import Outbox, Screen, command, deliver
from bot.i18n import _, use_locale, user_locale
from bot.services import coaching, targets
from bot.services.errors import DomainError
from bot.services.set_input import SetInputError, parse_weight
from bot.services.target_commands import NamedWeight, read_named_weight
from bot.services.timezones import local_today
from bot.ui import coaching as coaching_ui
from bot.ui import progression as ui
from bot.ui.callback import parse_id, unpack
from bot.ui.texts import esc

NAME: Final = "target"
KEY: Final = "target"
"""user_data: the open prompt: {"trainee": id, "exercise": id, "at": ISO instant}."""
PROMPT_TTL: Final = timedelta(minutes=15)
TEXT = filters.TEXT & ~filters.COMMAND
END = ConversationHandler.END


class TargetState(IntEnum):
    WEIGHT = 1


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
    refusal = _unmatched(found, _(ui.TM_USAGE))
    if refusal is not None or found.exercise is None:
        return refusal or (_(ui.TM_USAGE), None)
    await targets.set_training_max(s, user, found.exercise.id, found.weight_kg, context.now(), by=user)
    return ui.training_max_set_text(found.exercise.name, found.weight_kg, user.weight_unit), None


async def _target(s: AsyncSession, coach: User, update: Update, context: BotContext, out: Outbox) -> Screen:
    """/target TRAINEE EXERCISE WEIGHT: a coach sets a trainee's target weight; the trainee is told."""
    coaching.require_coach(coach)
    words = _args(context).split()
    if len(words) < 3:
        return _(ui.TARGET_USAGE), None
    people = await coaching.find_trainees(s, coach, words[0])
    if len(people) != 1:
        picker = coaching_ui.trainees_picker(people, coaching_ui.VIEW) if people else None
        return coaching_ui.pick_trainee_text(words[0], len(people)), picker
    trainee, _link = await coaching.own_trainee(s, coach, people[0].id)
    found = await read_named_weight(s, trainee, " ".join(words[1:]), unit=coach.weight_unit)
    refusal = _unmatched(found, _(ui.TARGET_USAGE))
    if refusal is not None or found.exercise is None:
        return refusal or (_(ui.TARGET_USAGE), None)
    return await _set_and_tell(s, coach, trainee, found.exercise.id, found.weight_kg, context.now(), out)


async def _set_and_tell(
    s: AsyncSession,
    coach: User,
    trainee: User,
    exercise_id: uuid.UUID,
    weight_kg: Decimal,
    now: datetime,
    out: Outbox,
) -> Screen:
    """Set the target, queue the trainee's message, and the coach's confirmation with the targets."""
    await targets.set_target(s, trainee, exercise_id, weight_kg, now, coach=coach)
    items = await targets.targets_of(s, trainee)
    item = next(i for i in items if i.exercise_id == exercise_id)
    shown = targets.shown_weight(None, item, trainee.weight_unit) or weight_kg  # what they will load
    if trainee.chat_id is not None:
        with use_locale(user_locale(trainee)):  # the trainee reads it in their language
            text = ui.target_set_for_you_text(
                coach.display_name, item.exercise_name, shown, trainee.weight_unit
            )
        out.append((trainee.chat_id, text, None))
    rules = await targets.exercise_rules(s, trainee)
    lines = ui.targets_lines(items, rules, coach.weight_unit, local_today(coach.timezone, now))
    done = ui.target_set_text(trainee.display_name, item.exercise_name, weight_kg, coach.weight_unit)
    return "\n".join([done, "", *lines]), ui.with_target_buttons(None, trainee.id, items)


# --- the 🎯 buttons of /trainee -----------------------------------------------------------------------


def _remembered(context: BotContext) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The open prompt's trainee and exercise, while it is fresh."""
    data = (context.user_data or {}).get(KEY)
    if not isinstance(data, dict):
        return None
    try:
        if context.now() - datetime.fromisoformat(str(data.get("at"))) > PROMPT_TTL:
            return None
        return uuid.UUID(str(data["trainee"])), uuid.UUID(str(data["exercise"]))
    except (KeyError, ValueError):
        return None


def _forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(KEY, None)


async def on_button(update: Update, context: BotContext) -> object:
    """`tg:s:<trainee>:<exercise>` asks the coach for the weight; `tg:x` cancels."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, ui.TG) or []
    if parts == [ui.CANCEL]:
        async with context.db():
            _forget(context)
            context.next_state(update, NAME, END)
        await answer(update)
        chat = update.effective_chat
        assert chat is not None
        await chat.send_message(_(ui.TARGET_CANCELLED))
        return END
    ids = [parse_id(p) for p in parts[1:]] if len(parts) == 3 and parts[0] == ui.SET else []
    if len(ids) != 2 or ids[0] is None or ids[1] is None:
        await answer(update, _(ui.TARGET_STALE), alert=True)
        return None
    trainee_id, exercise_id = ids[0], ids[1]
    try:
        async with context.db() as session:
            coach = await user_for(session, update, context)
            trainee, _link = await coaching.own_trainee(session, coach, trainee_id)
            item = next(
                (i for i in await targets.targets_of(session, trainee) if i.exercise_id == exercise_id), None
            )
            if item is None:
                raise DomainError(_(ui.TARGET_STALE))
            rules = await targets.exercise_rules(session, trainee)
            current = targets.shown_weight(rules.get(exercise_id), item, trainee.weight_unit)
            prompt = ui.target_prompt_text(
                trainee.display_name, item.exercise_name, current, coach.weight_unit
            )
            assert context.user_data is not None
            context.user_data[KEY] = {
                "trainee": str(trainee.id),
                "exercise": str(exercise_id),
                "at": context.now().isoformat(),
            }
            context.next_state(update, NAME, TargetState.WEIGHT)
    except DomainError as error:
        await answer(update, error.reason, alert=True)
        return None
    await answer(update)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(prompt, reply_markup=ui.target_cancel_keyboard())
    return TargetState.WEIGHT


async def typed_weight(update: Update, context: BotContext) -> object:
    """The weight for the open prompt, in the coach's unit: validated, set, the trainee told."""
    message = update.effective_message
    assert message is not None and message.text is not None
    remembered = _remembered(context)
    if remembered is None:
        return END
    trainee_id, exercise_id = remembered
    out: Outbox = []
    try:
        async with context.db() as session:
            coach = await user_for(session, update, context)
            unit = coach.weight_unit
            try:
                weight_kg = targets.check_weight(parse_weight(message.text, unit=unit))
            except SetInputError as error:
                refusal: str | None = ui.target_weight_refused(error.reason, unit)
            except DomainError as error:
                refusal = ui.target_weight_refused(error.reason, unit)
            else:
                refusal = None
                trainee, _link = await coaching.own_trainee(session, coach, trainee_id)
                text, markup = await _set_and_tell(
                    session, coach, trainee, exercise_id, weight_kg, context.now(), out
                )
                _forget(context)
                context.next_state(update, NAME, END)
    except DomainError as error:
        async with context.db():
            _forget(context)
            context.next_state(update, NAME, END)
        await message.reply_text(f"🤔 {esc(error.reason)} " + _("No target was changed."))
        return END
    if refusal is not None:
        await message.reply_text(refusal, reply_markup=ui.target_cancel_keyboard())
        return None
    await message.reply_text(text, reply_markup=markup)
    await deliver(context, out)
    return END


class _FreshPrompt(MessageHandler[BotContext, object]):
    """Typed text while the prompt is fresh; else other handlers get it (a set in a workout)."""

    def __init__(self, application: Any) -> None:
        super().__init__(TEXT, typed_weight)
        self._application = application

    def check_update(self, update: object) -> Any:
        if not isinstance(update, Update) or update.effective_user is None:
            return False
        data = self._application.user_data.get(update.effective_user.id, {}).get(KEY)
        if not isinstance(data, dict):
            return False
        try:
            opened = datetime.fromisoformat(str(data.get("at")))
        except ValueError:
            return False
        if self._application.bot_data.clock() - opened > PROMPT_TTL:
            return False
        return super().check_update(update)


def build_conversation(application: Any) -> ConversationHandler[BotContext]:
    buttons = CallbackQueryHandler(on_button, pattern=rf"^{ui.TG}:")
    with warnings.catch_warnings():
        # Deliberate: one conversation per user and chat (see bot.handlers.workout).
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[buttons],
            states={TargetState.WEIGHT: [buttons, _FreshPrompt(application)]},
            fallbacks=[],
            name=NAME,
            persistent=application.persistence is not None,
            allow_reentry=True,
        )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Before the workout conversation: a target weight being typed is not a set."""
    application.add_handler(build_conversation(application))
    application.add_handler(CommandHandler("tm", command(_tm)))
    application.add_handler(CommandHandler("target", command(_target)))
