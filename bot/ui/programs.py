"""Program browsing and enrollment: texts and keyboards. Pure functions; every string the user sees.

Callback data (built with `bot.ui.callback.pack`; ids are 22-character short ids, never trusted):

    pg:l:<page>              the list, page <page> (0-based), with the filters kept in user_data
    pg:p:<program>:<page>    a program's card (<page>: the list page "Back" returns to)
    pg:f                     the filter menu
    pg:fm:<kind>             the options of one filter (kind c = category, d = difficulty, t = tag)
    pg:fs:<kind>:<code>      choose an option (an empty code: any)
    pg:fx                    clear every filter
    pg:n                     the page counter (does nothing)
    en:s:<program>:<page>    enroll: ask for the start date
    en:d:<program>:<when>    enroll starting t = today, m = tomorrow, w = next Monday (the user's today
                             at the time of the press)
    en:x:<program>           enroll: let the user type a date (the "enroll" conversation)
    en:c:<program>           stop typing a date (back to the card)
    en:p:<enrollment>        pause        en:r:<enrollment>   resume
    en:q:<enrollment>        quit?        en:qy:<enrollment>  quit, confirmed      en:qn  keep going
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final
from uuid import UUID

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import EnrollmentStatus
from bot.services.enrollment import EnrollmentInfo
from bot.services.program_day import DayPlan
from bot.services.programs import (
    PAGE_SIZE,
    FilterOptions,
    Option,
    ProgramCard,
    ProgramFilters,
    ProgramPage,
)
from bot.ui.callback import pack
from bot.ui.formatting import MONTHS, format_count
from bot.ui.keyboard import inline_keyboard
from bot.ui.texts import esc
from bot.ui.today import MESSAGE_LIMIT, button_name, clip, day_label, plan_buttons, plan_lines

PG: Final = "pg"
EN: Final = "en"

# pg: actions
LIST: Final = "l"
CARD: Final = "p"
FILTERS: Final = "f"
FILTER_KIND: Final = "fm"
FILTER_SET: Final = "fs"
FILTER_CLEAR: Final = "fx"
NOOP: Final = "n"

# en: actions
ASK_START: Final = "s"
START_ON: Final = "d"
TYPE_DATE: Final = "x"
CANCEL_DATE: Final = "c"
PAUSE: Final = "p"
RESUME: Final = "r"
QUIT: Final = "q"
QUIT_YES: Final = "qy"
QUIT_NO: Final = "qn"

# en:d: start dates
TODAY: Final = "t"
TOMORROW: Final = "m"
NEXT_MONDAY: Final = "w"
WHEN: Final = (TODAY, TOMORROW, NEXT_MONDAY)

# Filter kinds: callback letter -> (ProgramFilters field, label).
KINDS: Final[dict[str, tuple[str, str]]] = {
    "c": ("category", "Category"),
    "d": ("difficulty", "Difficulty"),
    "t": ("tag", "Tag"),
}

DESCRIPTION_LIMIT: Final = 1500
NOTES_LIMIT: Final = 500
PHASES_SHOWN: Final = 12
LABELS_LIMIT: Final = 300
MAX_OPTIONS: Final = 90

EXAMPLE_DAYS_AHEAD: Final = 7


def date_examples(today: date) -> str:
    """The ways to type a start date, shown with a day a week after `today` (never a past date)."""
    day = today + timedelta(days=EXAMPLE_DAYS_AHEAD)
    return (
        f"For example: <code>{day.isoformat()}</code>, <code>{day.day}.{day.month}</code>, "
        f"<code>{day.day}/{day.month}</code>, <code>{day.day} {MONTHS[day.month - 1]}</code>, "
        "<code>tomorrow</code> or <code>monday</code>."
    )


STALE_BUTTON = "This button is no longer valid - send /programs to start again."
PROGRAM_UNAVAILABLE = "That program is not available."
ENROLLMENT_UNAVAILABLE = "That program is not one you follow any more."
TYPE_DATE_LOST = "I lost track of which program you wanted to start. Please pick it again: /programs"
TYPE_DATE_EXPIRED = (
    "I stopped waiting for a start date a while ago. Send /programs to pick the program again."
)
DATE_CANCELLED = "OK, nothing changed. Send /programs to browse again."
QUIT_KEPT = "👍 Good - keep going! Nothing changed."


# --- small pieces ------------------------------------------------------------------------------------


def length_text(days: int | None) -> str | None:
    """'12 weeks', '45 days', '1 day'; None when unknown."""
    if not days:
        return None
    if days % 7 == 0:
        weeks = days // 7
        return format_count(weeks, "week")
    return format_count(days, "day")


def per_week_text(per_week: float | None) -> str | None:
    """'3 workouts/week', '3.5 workouts/week'."""
    if not per_week:
        return None
    return f"{per_week:g} workout" + ("" if per_week == 1 else "s") + "/week"


def filters_of(data: object) -> ProgramFilters:
    """The filters kept in user_data (a dict of codes) as ProgramFilters; anything odd is ignored."""
    if not isinstance(data, dict):
        return ProgramFilters()
    values = {
        field: value if isinstance(value := data.get(field), str) and value else None
        for field, _ in KINDS.values()
    }
    return ProgramFilters(**values)


def filters_data(filters: ProgramFilters) -> dict[str, str]:
    """ProgramFilters as the JSON-friendly dict kept in user_data (only the chosen ones)."""
    return {field: value for field, _ in KINDS.values() if (value := getattr(filters, field))}


def options_of(options: FilterOptions, kind: str) -> list[Option]:
    field = KINDS[kind][0]
    chosen: list[Option] = {
        "category": options.categories,
        "difficulty": options.difficulties,
        "tag": options.tags,
    }[field]
    return chosen


def chosen_names(filters: ProgramFilters, options: FilterOptions) -> dict[str, str]:
    """Filter kind -> the chosen option's name, for the chosen filters that exist."""
    names: dict[str, str] = {}
    for kind, (field, _) in KINDS.items():
        code = getattr(filters, field)
        for option in options_of(options, kind):
            if option.code == code:
                names[kind] = option.name
    return names


# --- the list ----------------------------------------------------------------------------------------


def first_number(page: ProgramPage) -> int:
    """Programs are numbered across pages: page 2 starts at PAGE_SIZE + 1."""
    return page.page * PAGE_SIZE + 1


def list_text(page: ProgramPage, chosen: dict[str, str]) -> str:
    lines = ["📚 <b>Programs</b>"]
    if chosen:
        lines.append("Filters: " + " · ".join(f"<b>{esc(name)}</b>" for name in chosen.values()))
    if not page.items:
        lines += ["", "No programs match these filters." if chosen else "There are no programs yet."]
        return "\n".join(lines)
    found = format_count(page.total, "program")
    lines.append(
        f"{found}, page {page.page + 1}/{page.pages}. Tap one to see it."
        if page.pages > 1
        else f"{found}. Tap one to see it."
    )
    lines.append("")
    for number, item in enumerate(page.items, start=first_number(page)):
        facts = [esc(item.difficulty)] + [
            fact for fact in (length_text(item.length_days), per_week_text(item.workouts_per_week)) if fact
        ]
        lines.append(f"{number}. <b>{esc(item.name)}</b>\n    {' · '.join(facts)}")
    return "\n".join(lines)


def list_keyboard(page: ProgramPage, has_filters: bool) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"{number}. {button_name(item.name)}", callback_data=pack(PG, CARD, item.id, page.page)
            )
        ]
        for number, item in enumerate(page.items, start=first_number(page))
    ]
    if page.pages > 1:
        nav = []
        if page.page > 0:
            nav.append(InlineKeyboardButton("◀️", callback_data=pack(PG, LIST, page.page - 1)))
        nav.append(InlineKeyboardButton(f"page {page.page + 1}/{page.pages}", callback_data=pack(PG, NOOP)))
        if page.page < page.pages - 1:
            nav.append(InlineKeyboardButton("▶️", callback_data=pack(PG, LIST, page.page + 1)))
        rows.append(nav)
    tools = [InlineKeyboardButton("🔍 Filter", callback_data=pack(PG, FILTERS))]
    if has_filters:
        tools.append(InlineKeyboardButton("✖️ Clear filters", callback_data=pack(PG, FILTER_CLEAR)))
    rows.append(tools)
    return InlineKeyboardMarkup(rows)


# --- filters -----------------------------------------------------------------------------------------


def filter_menu_text(chosen: dict[str, str]) -> str:
    lines = ["🔍 <b>Filter programs</b>", ""]
    lines += [f"{label}: <b>{esc(chosen.get(kind, 'any'))}</b>" for kind, (_, label) in KINDS.items()]
    lines += ["", "Choose what to filter by."]
    return "\n".join(lines)


def filter_menu_keyboard(chosen: dict[str, str], options: FilterOptions) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"{label}: {button_name(chosen.get(kind, 'any'))}", callback_data=pack(PG, FILTER_KIND, kind)
            )
        ]
        for kind, (_, label) in KINDS.items()
        if options_of(options, kind)
    ]
    if chosen:
        rows.append([InlineKeyboardButton("✖️ Clear filters", callback_data=pack(PG, FILTER_CLEAR))])
    rows.append([InlineKeyboardButton("◀️ Back to the list", callback_data=pack(PG, LIST, 0))])
    return InlineKeyboardMarkup(rows)


def filter_options_text(kind: str) -> str:
    label = KINDS[kind][1].lower()
    return f"🔍 Choose a {label}:"


def filter_options_keyboard(kind: str, options: FilterOptions, current: str | None) -> InlineKeyboardMarkup:
    def mark(selected: bool, text: str) -> str:
        return f"✓ {text}" if selected else text

    buttons = [
        InlineKeyboardButton(mark(current is None, "Any"), callback_data=pack(PG, FILTER_SET, kind, ""))
    ]
    for option in options_of(options, kind)[:MAX_OPTIONS]:
        data = pack(PG, FILTER_SET, kind, option.code)
        buttons.append(
            InlineKeyboardButton(mark(option.code == current, button_name(option.name)), callback_data=data)
        )
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton("◀️ Back", callback_data=pack(PG, FILTERS))])
    return InlineKeyboardMarkup(rows)


FILTER_GONE = "That filter is no longer available."


# --- the program card ----------------------------------------------------------------------------------


def enrollment_line(card: ProgramCard) -> str | None:
    status = card.enrollment_status
    if status is None:
        return None
    return {
        EnrollmentStatus.ACTIVE: "✅ You are following this program.",
        EnrollmentStatus.PAUSED: "⏸ You are following this program (paused - /resume).",
        EnrollmentStatus.COMPLETED: "🏆 You completed this program.",
        EnrollmentStatus.CANCELLED: "You quit this program earlier.",
        EnrollmentStatus.EXPIRED: "You followed this program earlier.",
    }[status]


def card_text(card: ProgramCard) -> str:
    """The program's card; the description is cut to what fits in one message."""
    facts = [esc(card.difficulty)]
    if length := length_text(card.length_days):
        facts.append(f"{length} ({card.length_days} days)" if "week" in length else length)
    if per_week := per_week_text(card.workouts_per_week):
        facts.append(per_week)
    head = [f"🏋️ <b>{esc(card.name)}</b>", " · ".join(facts)]
    if card.categories:
        head.append("📂 " + esc(clip(", ".join(card.categories), LABELS_LIMIT)))
    if card.tags:
        head.append("🏷 " + esc(clip(" · ".join(card.tags), LABELS_LIMIT)))
    tail: list[str] = []
    if card.phases:
        tail += ["", "<b>Phases</b>"]
        for phase in card.phases[:PHASES_SHOWN]:
            days = (
                f"day {phase.start_day}"
                if phase.start_day == phase.end_day
                else f"days {phase.start_day}-{phase.end_day}"
            )
            tail.append(f"• {esc(clip(phase.name, 100))} · {days}")
        if len(card.phases) > PHASES_SHOWN:
            tail.append(f"… and {len(card.phases) - PHASES_SHOWN} more")
    if card.notes:
        tail += ["", f"<i>{esc(clip(card.notes, NOTES_LIMIT))}</i>"]
    if status := enrollment_line(card):
        tail += ["", status]
    fixed = len("\n".join(head)) + len("\n".join(tail)) + 4
    budget = min(DESCRIPTION_LIMIT, MESSAGE_LIMIT - fixed - 16)
    body = ["", esc(clip(card.description, budget))] if card.description.strip() and budget > 40 else []
    return "\n".join(head + body + tail)


def card_keyboard(card: ProgramCard, page: int) -> InlineKeyboardMarkup:
    status = card.enrollment_status
    if status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED):
        label = "✅ Already following"
    elif status is None:
        label = "🚀 Enroll"
    else:
        label = "🔁 Re-start"
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=pack(EN, ASK_START, card.id, page))],
            [InlineKeyboardButton("◀️ Back to the list", callback_data=pack(PG, LIST, page))],
        ]
    )


def already_following(name: str) -> str:
    return f"You are already following {name}. Send /today to see your day."


# --- choosing the start date -------------------------------------------------------------------------


def start_prompt_text(card: ProgramCard) -> str:
    again = card.enrollment_status is not None
    verb = "start again" if again else "start"
    return f"🚀 When do you want to {verb} <b>{esc(card.name)}</b>?\n\nPick a day, or type one." + (
        "\nStarting again begins at day 1; the workouts you logged are kept." if again else ""
    )


def start_prompt_keyboard(
    program_id: UUID, page: int, dates: dict[str, date], today: date
) -> InlineKeyboardMarkup:
    """Buttons for today, tomorrow and next Monday (`dates` by when-code), 'type a date' and back.

    A day gets one button: on a Sunday tomorrow is next Monday, and only "Tomorrow" is offered."""
    labels = {TODAY: "Today", TOMORROW: "Tomorrow", NEXT_MONDAY: "Next Monday"}
    distinct = [
        when for index, when in enumerate(WHEN) if dates[when] not in [dates[w] for w in WHEN[:index]]
    ]
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{labels[when]} · {day_label(dates[when], today)}",
                    callback_data=pack(EN, START_ON, program_id, when),
                )
            ]
            for when in distinct
        ]
        + [
            [InlineKeyboardButton("⌨️ Type a date", callback_data=pack(EN, TYPE_DATE, program_id))],
            [InlineKeyboardButton("◀️ Back", callback_data=pack(PG, CARD, program_id, page))],
        ]
    )


def type_date_text(name: str, today: date) -> str:
    return f"⌨️ Type the day to start <b>{esc(name)}</b>.\n\n{date_examples(today)}"


def cancel_keyboard(program_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("✖️ Cancel", callback_data=pack(EN, CANCEL_DATE, program_id))]]
    )


def bad_date_text(reason: str, today: date) -> str:
    return f"🤔 {esc(reason)}\n\n{date_examples(today)}"


def bad_start_text(reason: str, today: date) -> str:
    return f"🤔 {esc(reason)} Please type another day.\n\n{date_examples(today)}"


def enrolled_text(info: EnrollmentInfo, today: date, plan: DayPlan | None) -> str:
    """The confirmation: the start, the target completion date, and today's plan (or the start day)."""
    when = "today" if info.start_date == today else day_label(info.start_date, today)
    head = "🔁 You're starting" if info.reactivated else "🎉 You're enrolled in"
    lines = [f"{head} <b>{esc(info.program_name)}</b>" + (" again" if info.reactivated else "") + "!"]
    lines.append(f"Day 1 is {when}.")
    if info.target_completion_date is not None:
        lines.append(f"🏁 Target completion: {day_label(info.target_completion_date, today)}")
    lines.append("")
    if info.start_date > today:
        lines.append(
            f"🗓 It starts on {day_label(info.start_date, today)}. Send /today then to see your workouts."
        )
    elif plan is not None:
        lines += ["<b>Today</b>", *plan_lines(plan, today)[1:]]  # without the program's name again
    return "\n".join(lines)


def enrolled_keyboard(plan: DayPlan | None) -> InlineKeyboardMarkup | None:
    rows = plan_buttons(plan) if plan is not None else []
    return InlineKeyboardMarkup(rows) if rows else None


def not_enrolled_text(reason: str) -> str:
    return f"🤔 {esc(reason)}"


def back_to_card_keyboard(program_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("◀️ Back to the program", callback_data=pack(PG, CARD, program_id, 0))]]
    )


# --- pause, resume, quit -----------------------------------------------------------------------------

CHOOSE = {
    PAUSE: "⏸ Which program do you want to pause?",
    RESUME: "▶️ Which program do you want to resume?",
    QUIT: "🚪 Which program do you want to quit?",
}
NOTHING_TO_QUIT = "You are not following any program. Browse /programs to pick one."
NOTHING_TO_RESUME = "Nothing is paused. Send /today to see your day."


def nothing_to_pause(paused: Sequence[EnrollmentInfo]) -> str:
    if paused:
        names = ", ".join(f"<b>{esc(info.program_name)}</b>" for info in paused)
        return f"Nothing to pause: {names} is already paused. Send /resume to continue."
    return "You have no active program to pause. Browse /programs to pick one."


def choose_keyboard(action: str, enrollments: Sequence[EnrollmentInfo]) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                f"{button_name(info.program_name)} · day {info.current_day}",
                callback_data=pack(EN, action, info.id),
            )
        ]
        for info in enrollments[:MAX_OPTIONS]
    ]
    return inline_keyboard(rows)


def paused_text(info: EnrollmentInfo) -> str:
    return (
        f"⏸ Paused <b>{esc(info.program_name)}</b> at day {info.current_day}.\n"
        "Your progress is kept and no days are missed. Send /resume when you're ready."
    )


def resumed_text(info: EnrollmentInfo) -> str:
    return (
        f"▶️ Resumed <b>{esc(info.program_name)}</b>: day {info.current_day} is today's.\n"
        "Send /today to see your workouts."
    )


def quit_confirm_text(info: EnrollmentInfo) -> str:
    return (
        f"🚪 Quit <b>{esc(info.program_name)}</b>? You are at day {info.current_day}.\n\n"
        "Your logged workouts are kept; the planned ones are dropped. You can start the program "
        "again later from /programs."
    )


def quit_keyboard(enrollment_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🚪 Yes, quit", callback_data=pack(EN, QUIT_YES, enrollment_id)),
                InlineKeyboardButton("↩️ No, keep going", callback_data=pack(EN, QUIT_NO)),
            ]
        ]
    )


def quit_done_text(info: EnrollmentInfo) -> str:
    return (
        f"🚪 You quit <b>{esc(info.program_name)}</b>. Your logged workouts are kept.\n"
        "Browse /programs whenever you want to start something new."
    )


def refused_text(reason: str) -> str:
    return f"🤔 {esc(reason)}"
