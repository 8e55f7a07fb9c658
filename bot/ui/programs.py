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

from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import EnrollmentStatus
from bot.i18n import N_, _, current_locale, ngettext, pgettext
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
from bot.ui.formatting import format_month
from bot.ui.keyboard import inline_keyboard
from bot.ui.reference_names import reference_name
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
    "c": ("category", N_("Category")),
    "d": ("difficulty", N_("Difficulty")),
    "t": ("tag", N_("Tag")),
}
CHOOSE_KIND: Final = {
    "c": N_("🔍 Choose a category:"),
    "d": N_("🔍 Choose a difficulty:"),
    "t": N_("🔍 Choose a tag:"),
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
    return _(
        "For example: <code>{iso}</code>, <code>{dotted}</code>, <code>{slashed}</code>, "
        "<code>{day} {month}</code>, <code>tomorrow</code> or <code>monday</code>."
    ).format(
        iso=day.isoformat(),
        dotted=f"{day.day}.{day.month}",
        slashed=f"{day.day}/{day.month}",
        day=day.day,
        month=format_month(day.month),
    )


STALE_BUTTON = N_("This button is no longer valid - send /programs to start again.")
PROGRAM_UNAVAILABLE = N_("That program is not available.")
ENROLLMENT_UNAVAILABLE = N_("That program is not one you follow any more.")
TYPE_DATE_LOST = N_("I lost track of which program you wanted to start. Please pick it again: /programs")
TYPE_DATE_EXPIRED = N_(
    "I stopped waiting for a start date a while ago. Send /programs to pick the program again."
)
DATE_CANCELLED = N_("OK, nothing changed. Send /programs to browse again.")
QUIT_KEPT = N_("👍 Good - keep going! Nothing changed.")


# --- small pieces ------------------------------------------------------------------------------------


def length_text(days: int | None) -> str | None:
    """'12 weeks', '45 days', '1 day'; None when unknown."""
    if not days:
        return None
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("{n} week", "{n} weeks", weeks).format(n=weeks)
    return ngettext("{n} day", "{n} days", days).format(n=days)


def per_week_text(per_week: float | None) -> str | None:
    """'3 workouts/week', '3.5 workouts/week'."""
    if not per_week:
        return None
    count = int(per_week) if float(per_week).is_integer() else 2  # a fraction reads like a plural
    shown = format_decimal(per_week, format="#,##0.#", locale=current_locale())
    return ngettext("{n} workout/week", "{n} workouts/week", count).format(n=shown)


def filters_of(data: object) -> ProgramFilters:
    """The filters kept in user_data (a dict of codes) as ProgramFilters; anything odd is ignored."""
    if not isinstance(data, dict):
        return ProgramFilters()
    values = {
        field: value if isinstance(value := data.get(field), str) and value else None
        for field, _label in KINDS.values()
    }
    return ProgramFilters(**values)


def filters_data(filters: ProgramFilters) -> dict[str, str]:
    """ProgramFilters as the JSON-friendly dict kept in user_data (only the chosen ones)."""
    return {field: value for field, _label in KINDS.values() if (value := getattr(filters, field))}


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
    for kind, (field, _label) in KINDS.items():
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
    lines = [_("📚 <b>Programs</b>")]
    if chosen:
        names = " · ".join(f"<b>{esc(reference_name(name))}</b>" for name in chosen.values())
        lines.append(_("Filters: {names}").format(names=names))
    if not page.items:
        lines += ["", _("No programs match these filters.") if chosen else _("There are no programs yet.")]
        return "\n".join(lines)
    if page.pages > 1:
        lines.append(
            ngettext(
                "{n} program, page {page}/{pages}. Tap one to see it.",
                "{n} programs, page {page}/{pages}. Tap one to see it.",
                page.total,
            ).format(n=page.total, page=page.page + 1, pages=page.pages)
        )
    else:
        lines.append(
            ngettext(
                "{n} program. Tap one to see it.", "{n} programs. Tap one to see it.", page.total
            ).format(n=page.total)
        )
    lines.append("")
    for number, item in enumerate(page.items, start=first_number(page)):
        facts = [esc(reference_name(item.difficulty))] + [
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
        counter = _("page {page}/{pages}").format(page=page.page + 1, pages=page.pages)
        nav.append(InlineKeyboardButton(counter, callback_data=pack(PG, NOOP)))
        if page.page < page.pages - 1:
            nav.append(InlineKeyboardButton("▶️", callback_data=pack(PG, LIST, page.page + 1)))
        rows.append(nav)
    tools = [InlineKeyboardButton(_("🔍 Filter"), callback_data=pack(PG, FILTERS))]
    if has_filters:
        tools.append(InlineKeyboardButton(_("✖️ Clear filters"), callback_data=pack(PG, FILTER_CLEAR)))
    rows.append(tools)
    return InlineKeyboardMarkup(rows)


# --- filters -----------------------------------------------------------------------------------------


def filter_menu_text(chosen: dict[str, str]) -> str:
    lines = [_("🔍 <b>Filter programs</b>"), ""]
    lines += [
        _("{label}: <b>{value}</b>").format(label=_(label), value=esc(_chosen_or_any(chosen, kind)))
        for kind, (_field, label) in KINDS.items()
    ]
    lines += ["", _("Choose what to filter by.")]
    return "\n".join(lines)


def filter_menu_keyboard(chosen: dict[str, str], options: FilterOptions) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                _("{label}: {value}").format(label=_(label), value=button_name(_chosen_or_any(chosen, kind))),
                callback_data=pack(PG, FILTER_KIND, kind),
            )
        ]
        for kind, (_field, label) in KINDS.items()
        if options_of(options, kind)
    ]
    if chosen:
        rows.append([InlineKeyboardButton(_("✖️ Clear filters"), callback_data=pack(PG, FILTER_CLEAR))])
    rows.append([InlineKeyboardButton(_("◀️ Back to the list"), callback_data=pack(PG, LIST, 0))])
    return InlineKeyboardMarkup(rows)


def _chosen_or_any(chosen: dict[str, str], kind: str) -> str:
    return reference_name(chosen[kind]) if kind in chosen else pgettext("filter", "any")


def filter_options_text(kind: str) -> str:
    return _(CHOOSE_KIND[kind])


def filter_options_keyboard(kind: str, options: FilterOptions, current: str | None) -> InlineKeyboardMarkup:
    def mark(selected: bool, text: str) -> str:
        return f"✓ {text}" if selected else text

    buttons = [
        InlineKeyboardButton(
            mark(current is None, pgettext("filter", "Any")), callback_data=pack(PG, FILTER_SET, kind, "")
        )
    ]
    for option in options_of(options, kind)[:MAX_OPTIONS]:
        data = pack(PG, FILTER_SET, kind, option.code)
        buttons.append(
            InlineKeyboardButton(
                mark(option.code == current, button_name(reference_name(option.name))), callback_data=data
            )
        )
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(_("◀️ Back"), callback_data=pack(PG, FILTERS))])
    return InlineKeyboardMarkup(rows)


FILTER_GONE = N_("That filter is no longer available.")


# --- the program card ----------------------------------------------------------------------------------


def enrollment_line(card: ProgramCard) -> str | None:
    status = card.enrollment_status
    if status is None:
        return None
    return {
        EnrollmentStatus.ACTIVE: _("✅ You are following this program."),
        EnrollmentStatus.PAUSED: _("⏸ You are following this program (paused - /resume)."),
        EnrollmentStatus.COMPLETED: _("🏆 You completed this program."),
        EnrollmentStatus.CANCELLED: _("You quit this program earlier."),
        EnrollmentStatus.EXPIRED: _("You followed this program earlier."),
    }[status]


def card_text(card: ProgramCard) -> str:
    """The program's card; the description is cut to what fits in one message."""
    facts = [esc(reference_name(card.difficulty))]
    if length := length_text(card.length_days):
        if card.length_days and card.length_days % 7 == 0:
            days = ngettext("{n} day", "{n} days", card.length_days).format(n=card.length_days)
            length = _("{weeks} ({days})").format(weeks=length, days=days)
        facts.append(length)
    if per_week := per_week_text(card.workouts_per_week):
        facts.append(per_week)
    head = [f"🏋️ <b>{esc(card.name)}</b>", " · ".join(facts)]
    if card.categories:
        categories = ", ".join(reference_name(name) for name in card.categories)
        head.append("📂 " + esc(clip(categories, LABELS_LIMIT)))
    if card.tags:
        head.append("🏷 " + esc(clip(" · ".join(reference_name(name) for name in card.tags), LABELS_LIMIT)))
    tail: list[str] = []
    if card.phases:
        tail += ["", _("<b>Phases</b>")]
        for phase in card.phases[:PHASES_SHOWN]:
            days = (
                _("day {day}").format(day=phase.start_day)
                if phase.start_day == phase.end_day
                else _("days {start}-{end}").format(start=phase.start_day, end=phase.end_day)
            )
            tail.append(f"• {esc(clip(phase.name, 100))} · {days}")
        if len(card.phases) > PHASES_SHOWN:
            more = len(card.phases) - PHASES_SHOWN
            tail.append(ngettext("… and {n} more", "… and {n} more", more).format(n=more))
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
        label = _("✅ Already following")
    elif status is None:
        label = _("🚀 Enroll")
    else:
        label = _("🔁 Re-start")
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=pack(EN, ASK_START, card.id, page))],
            [InlineKeyboardButton(_("◀️ Back to the list"), callback_data=pack(PG, LIST, page))],
        ]
    )


def already_following(name: str) -> str:
    return _("You are already following {program}. Send /today to see your day.").format(program=name)


# --- choosing the start date -------------------------------------------------------------------------


def start_prompt_text(card: ProgramCard) -> str:
    name = esc(card.name)
    if card.enrollment_status is None:
        return _("🚀 When do you want to start <b>{program}</b>?\n\nPick a day, or type one.").format(
            program=name
        )
    return _(
        "🚀 When do you want to start again <b>{program}</b>?\n\nPick a day, or type one.\n"
        "Starting again begins at day 1; the workouts you logged are kept."
    ).format(program=name)


def start_prompt_keyboard(
    program_id: UUID, page: int, dates: dict[str, date], today: date
) -> InlineKeyboardMarkup:
    """Buttons for today, tomorrow and next Monday (`dates` by when-code), 'type a date' and back.

    A day gets one button: on a Sunday tomorrow is next Monday, and only "Tomorrow" is offered."""
    labels = {TODAY: _("Today"), TOMORROW: _("Tomorrow"), NEXT_MONDAY: _("Next Monday")}
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
            [InlineKeyboardButton(_("⌨️ Type a date"), callback_data=pack(EN, TYPE_DATE, program_id))],
            [InlineKeyboardButton(_("◀️ Back"), callback_data=pack(PG, CARD, program_id, page))],
        ]
    )


def type_date_text(name: str, today: date) -> str:
    return _("⌨️ Type the day to start <b>{program}</b>.\n\n{examples}").format(
        program=esc(name), examples=date_examples(today)
    )


def cancel_keyboard(program_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("✖️ Cancel"), callback_data=pack(EN, CANCEL_DATE, program_id))]]
    )


def bad_date_text(reason: str, today: date) -> str:
    return f"🤔 {esc(reason)}\n\n{date_examples(today)}"


def bad_start_text(reason: str, today: date) -> str:
    return _("🤔 {reason} Please type another day.\n\n{examples}").format(
        reason=esc(reason), examples=date_examples(today)
    )


def enrolled_text(info: EnrollmentInfo, today: date, plan: DayPlan | None) -> str:
    """The confirmation: the start, the target completion date, and today's plan (or the start day)."""
    name = esc(info.program_name)
    if info.reactivated:
        lines = [_("🔁 You're starting <b>{program}</b> again!").format(program=name)]
    else:
        lines = [_("🎉 You're enrolled in <b>{program}</b>!").format(program=name)]
    if info.start_date == today:
        lines.append(_("Day 1 is today."))
    else:
        lines.append(_("Day 1 is {day}.").format(day=day_label(info.start_date, today)))
    if info.target_completion_date is not None:
        lines.append(
            _("🏁 Target completion: {day}").format(day=day_label(info.target_completion_date, today))
        )
    lines.append("")
    if info.start_date > today:
        lines.append(
            _("🗓 It starts on {day}. Send /today then to see your workouts.").format(
                day=day_label(info.start_date, today)
            )
        )
    elif plan is not None:
        lines += [_("<b>Today</b>"), *plan_lines(plan, today)[1:]]  # without the program's name again
    return "\n".join(lines)


def enrolled_keyboard(plan: DayPlan | None) -> InlineKeyboardMarkup | None:
    rows = plan_buttons(plan) if plan is not None else []
    return InlineKeyboardMarkup(rows) if rows else None


def not_enrolled_text(reason: str) -> str:
    return f"🤔 {esc(reason)}"


def back_to_card_keyboard(program_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("◀️ Back to the program"), callback_data=pack(PG, CARD, program_id, 0))]]
    )


# --- pause, resume, quit -----------------------------------------------------------------------------

CHOOSE = {
    PAUSE: N_("⏸ Which program do you want to pause?"),
    RESUME: N_("▶️ Which program do you want to resume?"),
    QUIT: N_("🚪 Which program do you want to quit?"),
}
NOTHING_TO_QUIT = N_("You are not following any program. Browse /programs to pick one.")
NOTHING_TO_RESUME = N_("Nothing is paused. Send /today to see your day.")


def nothing_to_pause(paused: Sequence[EnrollmentInfo]) -> str:
    if paused:
        names = ", ".join(f"<b>{esc(info.program_name)}</b>" for info in paused)
        return ngettext(
            "Nothing to pause: {names} is already paused. Send /resume to continue.",
            "Nothing to pause: {names} is already paused. Send /resume to continue.",
            len(paused),
        ).format(names=names)
    return _("You have no active program to pause. Browse /programs to pick one.")


def choose_keyboard(action: str, enrollments: Sequence[EnrollmentInfo]) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                _("{program} · day {day}").format(
                    program=button_name(info.program_name), day=info.current_day
                ),
                callback_data=pack(EN, action, info.id),
            )
        ]
        for info in enrollments[:MAX_OPTIONS]
    ]
    return inline_keyboard(rows)


def paused_text(info: EnrollmentInfo) -> str:
    return _(
        "⏸ Paused <b>{program}</b> at day {day}.\n"
        "Your progress is kept and no days are missed. Send /resume when you're ready."
    ).format(program=esc(info.program_name), day=info.current_day)


def resumed_text(info: EnrollmentInfo) -> str:
    return _("▶️ Resumed <b>{program}</b>: day {day} is today's.\nSend /today to see your workouts.").format(
        program=esc(info.program_name), day=info.current_day
    )


def quit_confirm_text(info: EnrollmentInfo) -> str:
    return _(
        "🚪 Quit <b>{program}</b>? You are at day {day}.\n\n"
        "Your logged workouts are kept; the planned ones are dropped. You can start the program "
        "again later from /programs."
    ).format(program=esc(info.program_name), day=info.current_day)


def quit_keyboard(enrollment_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("🚪 Yes, quit"), callback_data=pack(EN, QUIT_YES, enrollment_id)),
                InlineKeyboardButton(_("↩️ No, keep going"), callback_data=pack(EN, QUIT_NO)),
            ]
        ]
    )


def quit_done_text(info: EnrollmentInfo) -> str:
    return _(
        "🚪 You quit <b>{program}</b>. Your logged workouts are kept.\n"
        "Browse /programs whenever you want to start something new."
    ).format(program=esc(info.program_name))


def refused_text(reason: str) -> str:
    return f"🤔 {esc(reason)}"
