"""/reminders on | off | HH:MM | weekly on|off - and the reminder jobs (bot.jobs.reminders).

Every change answers with the new state. The reminder time and switch go through the settings service
(so PLANNED sessions follow the time, as with /settings); the schedule is then recomputed at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.handlers.base import user_for
from bot.i18n import _
from bot.jobs.reminders import schedule_jobs
from bot.services import reminders as service
from bot.services import settings as settings_service
from bot.services.timezones import ReminderTimeError, parse_time_of_day
from bot.ui import reminders as ui

# English and Russian words (a Russian reader is shown `/reminders вкл`, `/reminders неделя выкл`).
_ON = frozenset({"on", "yes", "enable", "start", "вкл", "да", "включить"})
_OFF = frozenset({"off", "no", "disable", "stop", "выкл", "нет", "выключить"})
_WEEKLY = frozenset({"weekly", "неделя", "еженедельно"})


async def reminders_command(update: Update, context: BotContext) -> None:
    """/reminders [on|off|HH:MM|weekly on|off]: change the reminders, answer with their state."""
    message = update.effective_message
    assert message is not None
    args = [arg.lower() for arg in (context.args or [])]
    grace = timedelta(hours=context.settings.reminder_grace_hours)
    now = context.now()
    async with context.db() as session:
        user = await user_for(session, update, context)
        notice: str | None = None
        refusal: str | None = None
        if not args:
            pass
        elif args[0] in _WEEKLY and (len(args) == 1 or (len(args) == 2 and args[1] in _ON | _OFF)):
            enabled = True if len(args) == 1 else args[1] in _ON
            await service.set_weekly_summary(session, user, enabled, now, grace=grace)
            notice = _("✅ Weekly summary on.") if enabled else _("✅ Weekly summary off.")
        elif len(args) == 1 and args[0] in _ON:
            await settings_service.set_reminders_enabled(session, user, True)
            notice = _("✅ Reminders on.")
        elif len(args) == 1 and args[0] in _OFF:
            await settings_service.set_reminders_enabled(session, user, False)
            notice = _("✅ Reminders off.")
        else:
            text = " ".join(context.args or [])
            try:
                at = parse_time_of_day(text)
            except ReminderTimeError as error:
                refusal = ui.bad_argument(text, error.reason if args[0][:1].isdigit() else None)
            else:
                await settings_service.set_reminder_time(session, user, at)
                notice = _("✅ Reminder time saved.")
        if notice is not None:
            await service.reschedule_reminders(session, user, now, grace=grace)
        state = service.reminder_state(user, now)
    # the reply after the commit: no Bot API call inside a transaction
    await message.reply_text(ui.state_text(state, notice) if refusal is None else refusal)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The /reminders command, and the minute tick that sends reminders and runs the daily rollover."""
    application.add_handler(CommandHandler("reminders", reminders_command))
    schedule_jobs(application)


__all__ = ["register", "reminders_command"]
