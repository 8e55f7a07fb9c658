"""Coaches: /makecoach, /invite, invitations on /start, /coaches, /trainees, /trainee, /assign,
/myprograms, /exportprogram, program uploads (YAML documents) and `co:` buttons.

Every command and button re-checks the role and the coach-trainee link in the service (bot.services
.coaching): callback data and tokens prove nothing. Messages to the other side (the trainee who was
assigned a program, the coach of a trainee who finished a workout) are sent after the transaction
commits and never fail the update (a user who blocked the bot is only logged).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from datetime import datetime
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.db.enums import Role
from bot.db.models import User
from bot.handlers import coach_confirm as confirm
from bot.handlers import menus, today
from bot.handlers.base import answer, user_for
from bot.i18n import _, use_locale, user_locale
from bot.services import coaching, readiness, targets
from bot.services.dates import ImpossibleDate, parse_date
from bot.services.errors import DomainError, Forbidden, NotFound
from bot.services.program_day import today_plans
from bot.services.programs import program_card
from bot.services.seed import load_known_codes
from bot.services.timezones import local_today
from bot.services.workouts import SessionSummary
from bot.ui import attention as attention_ui
from bot.ui import coach_programs as cp_ui
from bot.ui import coaching as ui
from bot.ui import programs as programs_ui
from bot.ui import progression as progression_ui
from bot.ui.callback import parse_id, unpack
from bot.ui.texts import esc
from bot.ui.webapp import with_dashboard

log = logging.getLogger(__name__)

# /invite's words, English and Russian (a Russian coach is shown `/invite отменить`, `/invite новая`).
REVOKE: Final = frozenset({"revoke", "отменить"})
NEW: Final = frozenset({"new", "новая", "новую"})
YAML_SUFFIXES: Final = (".yaml", ".yml", ".txt")
YAML_TYPES: Final = ("application/x-yaml", "application/yaml", "text/yaml", "text/x-yaml", "text/plain")

Args = list[str]
Screen = tuple[str, InlineKeyboardMarkup | None]
Outbox = list[tuple[int, str, InlineKeyboardMarkup | None]]


# --- helpers -------------------------------------------------------------------------------------------


async def _say(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    await today.send(update, context, text, markup)


async def deliver(context: BotContext, outbox: Outbox) -> None:
    """Messages to other users, after the commit; a failure is logged, never raised."""
    for chat_id, text, markup in outbox:
        try:
            await context.bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramError as error:
            log.info("could not message chat %s: %s", chat_id, error)


async def set_coach_menu(context: BotContext, chat_id: int | None, role: Role) -> None:
    """The coach's command menu in their chat (everyone else keeps the default menu)."""
    if role in coaching.COACH_ROLES:
        await menus.set_menu(context.bot, chat_id, role)


def _refusal(error: DomainError) -> str:
    if isinstance(error, Forbidden):
        return _(ui.NOT_AN_ADMIN) if error.reason == _(coaching.NOT_AN_ADMIN) else _(ui.NOT_A_COACH)
    return f"🤔 {esc(error.reason)}"


CommandBody = Callable[[AsyncSession, User, Update, BotContext, Outbox], Awaitable[Screen]]


def command(body: CommandBody) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """Run `body` in one transaction; refusals become a friendly reply; the outbox goes after commit."""

    async def handle(update: Update, context: BotContext) -> None:
        outbox: Outbox = []
        try:
            async with context.db() as session:
                user = await user_for(session, update, context)
                text, markup = await body(session, user, update, context, outbox)
        except DomainError as error:
            await _say(update, context, _refusal(error))
            return
        await _say(update, context, text, markup)
        await deliver(context, outbox)

    handle.__doc__ = body.__doc__
    return handle


def _args(context: BotContext) -> list[str]:
    return list(context.args or [])


# --- roles ---------------------------------------------------------------------------------------------


async def makecoach_command(update: Update, context: BotContext) -> None:
    """/makecoach @username|id (admins only): grant the coach role and give them their command menu."""
    args = _args(context)
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            coaching.require_admin(user)
            if len(args) != 1:
                raise DomainError(_(ui.MAKECOACH_USAGE))
            before = await coaching.find_user(session, args[0])
            already = before is not None and before.role in coaching.COACH_ROLES
            target = await coaching.make_coach(session, user, args[0])
            person, chat_id, role = coaching.person_of(target), target.chat_id, target.role
            with use_locale(user_locale(target)):
                welcome = ui.you_are_coach()
    except DomainError as error:
        usage = _(ui.MAKECOACH_USAGE)
        await _say(update, context, usage if error.reason == usage else _refusal(error))
        return
    await _say(update, context, ui.made_coach(person, already))
    await set_coach_menu(context, chat_id, role)
    if not already and chat_id is not None:
        await deliver(context, [(chat_id, welcome, None)])


# --- invitations ---------------------------------------------------------------------------------------


async def _invite(s: AsyncSession, user: User, update: Update, context: BotContext, out: Outbox) -> Screen:
    """/invite [revoke|new]"""
    coaching.require_coach(user)
    args = [a.lower() for a in _args(context)]
    if args[:1] and args[0] in REVOKE:
        return ui.revoked_text(await coaching.revoke_invitations(s, user, context.now())), None
    info = await coaching.create_invitation(s, user, context.now(), fresh=bool(args[:1]) and args[0] in NEW)
    link = ui.invite_link(context.bot.username, info.token)
    return ui.invite_text(info, link, local_today(user.timezone, context.now())), None


async def on_start(update: Update, context: BotContext, payload: str | None) -> bool:
    """The hook of /start (bot.handlers.onboarding): the coach's menu, and an invitation payload shown
    with Accept/Decline. True when the payload was an invitation (handled here, valid or not)."""
    user_id = update.effective_user.id if update.effective_user else None
    if user_id is None:
        return False
    invite = coaching.looks_like_invite(payload)
    screen: Screen | None = None
    async with context.db() as session:
        user = await user_for(session, update, context)
        role, chat_id = user.role, user.chat_id
        if invite and payload is not None:
            try:
                view = await coaching.view_invitation(session, user, payload, context.now())
            except DomainError as error:
                screen = (f"🤔 {esc(error.reason)}", None)
            else:
                markup = None if view.already_linked else ui.invitation_keyboard(view.token)
                screen = (ui.invitation_text(view), markup)
    await set_coach_menu(context, chat_id, role)
    if screen is not None:
        await _say(update, context, *screen)
    return invite


async def accept(update: Update, context: BotContext, args: Args) -> None:
    """co:ia:<token>"""
    out: Outbox = []
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            coach = await coaching.accept_invitation(session, user, args[0], context.now())
            if coach.chat_id is not None:
                with use_locale(user_locale(coach)):
                    out.append((coach.chat_id, ui.new_trainee_text(coaching.person_of(user)), None))
            name = coach.display_name
    except DomainError as error:
        await answer(update, error.reason, alert=True)
        await today.show(update, context, f"🤔 {esc(error.reason)}", None)
        return
    await answer(update, _("Accepted!"))
    await today.show(update, context, ui.accepted_text(name), None)
    await deliver(context, out)


async def decline(update: Update, context: BotContext, args: Args) -> None:
    """co:id:<token> - nothing is written."""
    await answer(update)
    await today.show(update, context, _(ui.DECLINED), None)


# --- coaches and trainees ------------------------------------------------------------------------------


async def _coaches(s: AsyncSession, user: User, update: Update, context: BotContext, out: Outbox) -> Screen:
    """/coaches: the trainee's coaches, with Leave buttons."""
    found = await coaching.list_coaches(s, user)
    return ui.coaches_text(found), ui.coaches_keyboard(found)


async def _trainees(s: AsyncSession, user: User, update: Update, context: BotContext, out: Outbox) -> Screen:
    """/trainees: the roster with every open program, adherence and ratings."""
    rows = await coaching.roster(s, user, context.now())
    return ui.roster_text(rows, context.now()), with_dashboard(ui.roster_keyboard(rows), context, "trainees")


async def _detail_screen(s: AsyncSession, coach: User, trainee_id: uuid.UUID, now: datetime) -> Screen:
    detail = await coaching.trainee_detail(s, coach, trainee_id)
    trainee, _link = await coaching.own_trainee(s, coach, trainee_id)
    items = await targets.targets_of(s, trainee)
    rules = await targets.exercise_rules(s, trainee)
    today_date = local_today(coach.timezone, now)
    lines = progression_ui.targets_lines(items[:12], rules, coach.weight_unit, today_date)
    ref = f"@{trainee.username}" if trainee.username else trainee.first_name.split()[0]
    text = ui.fit([ui.detail_text(detail), "", progression_ui.trainee_targets_text(lines, ref)])
    return text, progression_ui.with_target_buttons(ui.detail_keyboard(detail), trainee.id, items)


async def _trainee(s: AsyncSession, user: User, update: Update, context: BotContext, out: Outbox) -> Screen:
    """/trainee NAME"""
    coaching.require_coach(user)
    query = " ".join(_args(context)).strip()
    if not query:
        return _(ui.TRAINEE_USAGE), None
    found = await coaching.find_trainees(s, user, query)
    if len(found) == 1:
        return await _detail_screen(s, user, found[0].id, context.now())
    return ui.pick_trainee_text(query, len(found)), ui.trainees_picker(found, ui.VIEW) if found else None


def _coach_button(
    body: Callable[[AsyncSession, User, BotContext, uuid.UUID, Args, Outbox], Awaitable[Screen]],
) -> Callable[[Update, BotContext, Args], Awaitable[None]]:
    """A `co:` button whose first argument is an id: run `body` for the coach who pressed it."""

    async def handle(update: Update, context: BotContext, args: Args) -> None:
        target = parse_id(args[0])
        if target is None:
            await answer(update, _(ui.STALE_BUTTON), alert=True)
            return
        out: Outbox = []
        try:
            async with context.db() as session:
                user = await user_for(session, update, context)
                text, markup = await body(session, user, context, target, args[1:], out)
        except NotFound as error:
            await answer(update, error.reason, alert=True)
            return
        except DomainError as error:
            await answer(update, _refusal(error).removeprefix("🤔 ").removeprefix("🔒 "), alert=True)
            return
        await answer(update)
        await today.show(update, context, text, markup)
        await deliver(context, out)

    return handle


async def _view(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    return await _detail_screen(s, user, target, context.now())


async def _remove(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    trainee, _link = await coaching.own_trainee(s, user, target)
    return ui.remove_confirm_text(coaching.person_of(trainee)), ui.remove_keyboard(trainee.id)


async def _remove_yes(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    return ui.removed_text(await coaching.remove_trainee(s, user, target, context.now())), None


async def _notify(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    if args not in (["0"], ["1"]):
        raise NotFound(_(ui.STALE_BUTTON))
    await coaching.set_notify(s, user, target, args[0] == "1")
    return await _detail_screen(s, user, target, context.now())


# --- assigning -----------------------------------------------------------------------------------------


async def _assign_and_tell(
    s: AsyncSession,
    coach: User,
    context: BotContext,
    trainee_id: uuid.UUID,
    program_id: uuid.UUID,
    start: Any,
    out: Outbox,
) -> Screen:
    """Assign; queue the trainee's program card and first day in their language (texts and translation)."""
    now = context.now()
    trainee, info = await coaching.assign(s, coach, trainee_id, program_id, start, now)
    if trainee.chat_id is not None:
        with use_locale(user_locale(trainee)):
            card = await program_card(s, trainee, info.program_id)
            told_info, day = replace(info, program_name=card.name), local_today(trainee.timezone, now)
            plans = await today_plans(s, trainee, now) if info.start_date <= day else []
            plan = next((p for p in plans if p.enrollment_id == info.id), None)
            told = ui.assigned_to_you_text(coach.display_name) + "\n\n" + programs_ui.card_text(card)
            first_day = programs_ui.enrolled_text(told_info, day, plan), programs_ui.enrolled_keyboard(plan)
        out += [(trainee.chat_id, told, None), (trainee.chat_id, *first_day)]
    return ui.assigned_text(trainee.display_name, info, local_today(coach.timezone, now)), None


async def _program_and_date(
    s: AsyncSession, coach: User, words: list[str], today_date: Any
) -> tuple[str, coaching.ProgramMatch, Any]:
    """The program query, its match and the start date (None when absent) of `/assign WHO PROGRAM [DATE]`.

    A trailing date (one or two words) is read whenever at least one word is left for the program, unless
    the whole text is exactly a program's name (a program called "Push Monday"). A trailing date that
    does not exist (31.02) is refused when the words before it name a program."""
    whole = " ".join(words)
    match = await coaching.match_program(s, coach, whole)
    if match.found is not None and match.found.name.lower() == " ".join(whole.split()).lower():
        return whole, match, None
    impossible: list[tuple[ImpossibleDate, int]] = []
    for take in (2, 1):
        if len(words) > take:
            try:
                start = parse_date(" ".join(words[-take:]), today_date)
            except ImpossibleDate as error:
                impossible.append((error, take))
                continue
            except DomainError:
                continue
            query = " ".join(words[:-take])
            return query, await coaching.match_program(s, coach, query), start
    for refusal, take in impossible if match.found is None else []:
        if (await coaching.match_program(s, coach, " ".join(words[:-take]))).found is not None:
            raise refusal
    return whole, match, None


async def _assign(s: AsyncSession, user: User, update: Update, context: BotContext, out: Outbox) -> Screen:
    """/assign [trainee [program [date]]]"""
    coaching.require_coach(user)
    args = _args(context)
    if not args:
        trainees = await coaching.list_trainees(s, user)
        if not trainees:
            return _(ui.NO_TRAINEES), None
        return ui.pick_trainee_text(None, len(trainees)), ui.trainees_picker(trainees, ui.PICK_TRAINEE)
    found = await coaching.find_trainees(s, user, args[0])
    if len(found) != 1:
        return ui.pick_trainee_text(args[0], len(found)), ui.trainees_picker(
            found, ui.PICK_TRAINEE
        ) if found else None
    trainee = found[0]
    if len(args) == 1:
        programs = await coaching.usable_programs(s, user)
        return ui.pick_program_text(trainee, None, 0), ui.programs_picker(trainee.id, programs)
    today_date = local_today(user.timezone, context.now())
    query, match, start = await _program_and_date(s, user, args[1:], today_date)
    if match.found is None:
        return ui.pick_program_text(trainee, query, len(match.suggestions)), ui.programs_picker(
            trainee.id, match.suggestions
        )
    return await _assign_and_tell(s, user, context, trainee.id, match.found.id, start, out)


async def _pick_trainee(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    trainee, _link = await coaching.own_trainee(s, user, target)
    programs = await coaching.usable_programs(s, user)
    return ui.pick_program_text(coaching.person_of(trainee), None, 0), ui.programs_picker(
        trainee.id, programs
    )


async def _pick_program(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    program_id = parse_id(args[0]) if args else None
    if program_id is None:
        raise NotFound(_(ui.STALE_BUTTON))
    return await _assign_and_tell(s, user, context, target, program_id, None, out)


def _manage(action: str) -> Callable[..., Awaitable[Screen]]:
    names = {ui.PAUSE: "pause", ui.RESUME: "resume", ui.END_YES: "end"}

    async def manage(
        s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
    ) -> Screen:
        trainee, info = await coaching.manage_enrollment(s, user, target, names[action], context.now())
        if trainee.chat_id is not None:
            with use_locale(user_locale(trainee)):
                notice = ui.enrollment_changed_for_trainee(user.display_name, action, info)
            out.append((trainee.chat_id, notice, None))
        text, markup = await _detail_screen(s, user, trainee.id, context.now())
        return ui.enrollment_done_text(trainee.display_name, action, info) + "\n\n" + text, markup

    return manage


# --- programs ------------------------------------------------------------------------------------------


async def _myprograms(
    s: AsyncSession, user: User, update: Update, context: BotContext, out: Outbox
) -> Screen:
    """/myprograms"""
    found = await coaching.my_programs(s, user)
    keyboard = with_dashboard(cp_ui.my_programs_keyboard(found), context, "programs")
    return cp_ui.my_programs_text(found), keyboard


async def _own_card(s: AsyncSession, coach: User, program_id: uuid.UUID) -> Screen:
    ref = await coaching.own_program(s, coach, program_id)
    card = await program_card(s, coach, ref.id)
    return programs_ui.card_text(card) + "\n\n" + cp_ui.visibility_line(ref), cp_ui.visibility_keyboard(ref)


async def _card(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    return await _own_card(s, user, target)


async def _visibility(
    s: AsyncSession, user: User, context: BotContext, target: uuid.UUID, args: Args, out: Outbox
) -> Screen:
    code = ui.VISIBILITY_CODES.get(args[0]) if args else None
    if code is None:
        raise NotFound(_(ui.STALE_BUTTON))
    await coaching.set_visibility(s, user, target, code)
    return await _own_card(s, user, target)


async def exportprogram_command(update: Update, context: BotContext) -> None:
    """/exportprogram NAME: the program's YAML as a document."""
    name = " ".join(_args(context)).strip()
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            coaching.require_coach(user)
            if not name:
                raise DomainError(_(ui.EXPORT_USAGE))
            filename, yaml_text = await coaching.export_for(session, user, name)
    except DomainError as error:
        usage = _(ui.EXPORT_USAGE)
        text = usage if error.reason == usage else _refusal(error)
        await _say(update, context, text)
        return
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        InputFile(yaml_text.encode("utf-8"), filename=filename),
        caption=f"📄 {esc(filename)}",
    )


async def upload(update: Update, context: BotContext) -> None:
    """A document: a coach's program (YAML), validated in full, written as PRIVATE in one transaction."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    async with context.db() as session:
        user = await user_for(session, update, context)
        allowed = coaching.is_coach(user)
        known = await load_known_codes(session, owner_id=user.id) if allowed else None
    if not allowed or known is None:
        await message.reply_text(_(ui.UPLOAD_NOT_COACH))
        return
    name = (document.file_name or "").lower()
    mime = (document.mime_type or "").lower()
    if not name.endswith(YAML_SUFFIXES) and mime not in YAML_TYPES:
        await message.reply_text(_(cp_ui.WRONG_TYPE))
        return
    limit = coaching.MAX_UPLOAD_BYTES
    if document.file_size is not None and document.file_size > limit:
        await message.reply_text(cp_ui.too_large_text(document.file_size, limit))
        return
    file = await document.get_file()
    if file.file_size is not None and file.file_size > limit:
        await message.reply_text(cp_ui.too_large_text(file.file_size, limit))
        return
    content = bytes(await file.download_as_bytearray())
    if len(content) > limit:
        await message.reply_text(cp_ui.too_large_text(len(content), limit))
        return
    if b"\x00" in content:
        await message.reply_text(_(cp_ui.WRONG_TYPE))
        return
    try:
        doc = await coaching.parse_upload(known, content)  # in a worker thread, outside any transaction
        async with context.db() as session:
            user = await user_for(session, update, context)
            program = await coaching.save_upload(session, user, doc)
            text, markup = await _own_card(session, user, program.id)
    except DomainError as error:
        await message.reply_text(cp_ui.upload_refused_text(error.reason))
        return
    await message.reply_text(cp_ui.uploaded_text(text), reply_markup=markup)


# --- the workout hook ----------------------------------------------------------------------------------


async def workout_notices(session: AsyncSession, user: User, summary: SessionSummary) -> Outbox:
    """After a trainee finishes a workout: a message for each coach who opted in (with the readiness
    answers and the trainee's note, and a Comment button), to send after the commit with `deliver`
    (bot.handlers.workout)."""
    chats = await coaching.coaches_to_notify(session, user)
    if not chats:
        return []
    note = await coaching.session_note(session, user, summary.session_id)
    ready = await readiness.readiness_of(session, summary.session_id)
    out: Outbox = []
    for coach in chats:
        with use_locale(coach.locale):  # each coach reads it in their own language
            text = attention_ui.workout_done_text(user.display_name, summary, note, ready)
            out.append((coach.chat_id, text, attention_ui.comment_button(summary.session_id)))
    return out


# --- routing -------------------------------------------------------------------------------------------

Route = Callable[[Update, BotContext, Args], Awaitable[None]]
ROUTES: Final[dict[str, tuple[int, Route]]] = {
    ui.ACCEPT: (1, accept),
    ui.DECLINE: (1, decline),
    ui.LEAVE: (1, confirm.leave),
    ui.LEAVE_YES: (1, confirm.leave_confirmed),
    ui.COACHES: (0, confirm.coaches_again),
    ui.VIEW: (1, _coach_button(_view)),
    ui.REMOVE: (1, _coach_button(_remove)),
    ui.REMOVE_YES: (1, _coach_button(_remove_yes)),
    ui.NOTIFY: (2, _coach_button(_notify)),
    ui.PICK_TRAINEE: (1, _coach_button(_pick_trainee)),
    ui.PICK_PROGRAM: (2, _coach_button(_pick_program)),
    ui.PAUSE: (1, _coach_button(_manage(ui.PAUSE))),
    ui.RESUME: (1, _coach_button(_manage(ui.RESUME))),
    ui.END: (1, _coach_button(confirm.end_ask)),
    ui.END_YES: (1, _coach_button(_manage(ui.END_YES))),
    ui.CARD: (1, _coach_button(_card)),
    ui.VISIBILITY: (2, _coach_button(_visibility)),
}


async def route(update: Update, context: BotContext) -> None:
    """Every `co:` button; data that is not ours gets a polite answer and changes nothing."""
    parts = unpack(update.callback_query.data if update.callback_query else None, ui.CO)
    if not parts or parts[0] not in ROUTES or ROUTES[parts[0]][0] != len(parts) - 1:
        await answer(update, _(ui.STALE_BUTTON), alert=True)
        return
    await ROUTES[parts[0]][1](update, context, parts[1:])


COMMANDS: Final[dict[str, Callable[[Update, BotContext], Coroutine[Any, Any, None]]]] = {
    "makecoach": makecoach_command,
    "invite": command(_invite),
    "coaches": command(_coaches),
    "trainees": command(_trainees),
    "trainee": command(_trainee),
    "assign": command(_assign),
    "myprograms": command(_myprograms),
    "exportprogram": exportprogram_command,
}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Commands, `co:` buttons and program uploads (documents in private chats)."""
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(route, pattern=rf"^{ui.CO}:"))
    application.add_handler(MessageHandler(filters.Document.ALL, upload))


__all__ = ["Outbox", "deliver", "on_start", "register", "set_coach_menu", "workout_notices"]
