"""/today: texts and keyboards for the program days of a trainee's enrollments. Pure functions.

Callback data: `td:r` refreshes the message in place; Start and Skip carry `bot.ui.callback.workout_start`
/ `workout_skip` (the workout conversation handles them).

Also the small text helpers the program screens share: `clip` (cut a text at a word), `fit` (keep a
message under Telegram's limit) and `day_label` ("Tue 24 Nov").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final
from uuid import UUID

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import EnrollmentStatus, SessionStatus
from bot.i18n import N_, _, pgettext
from bot.services.program_day import DayPlan, DayWorkout
from bot.ui import callback
from bot.ui.formatting import format_date, format_day_of_program, format_duration
from bot.ui.texts import esc

TD: Final = "td"
REFRESH: Final = "r"

MESSAGE_LIMIT: Final = 4096
BUTTON_NAME_LIMIT: Final = 40
MAX_BUTTON_ROWS: Final = 40
ELLIPSIS: Final = "…"
PAUSED: Final = N_("⏸ <b>Paused</b> - /resume to continue")
RESUME: Final = N_("▶️ Resume {name}")

STALE_BUTTON = N_("This button is no longer valid - send /today to see your day.")
NO_ENROLLMENT = N_(
    "You are not following a program yet.\n\nBrowse /programs to pick one - I'll plan every day for you."
)


# --- shared helpers ----------------------------------------------------------------------------------


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one is near, with '…'."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    if not text[len(cut)].isspace():  # mid-word: back to the last space, unless it is far back
        space = cut.rfind(" ")
        if space >= limit // 2:
            cut = cut[:space]
    return cut.rstrip(" ,.;:-–") + ELLIPSIS


def fit(lines: Iterable[str], limit: int = MESSAGE_LIMIT) -> str:
    """Lines joined by newlines, dropping the last ones (for a '…') if the message would be too long.

    Lines are whole (HTML tags never span lines here), so the result stays well-formed.
    """
    kept: list[str] = []
    size = 0
    for line in lines:
        extra = len(line) + (1 if kept else 0)
        if size + extra > limit - 2:
            kept.append(ELLIPSIS)
            break
        kept.append(line)
        size += extra
    return "\n".join(kept)


def day_label(day: date, today: date) -> str:
    """'Tue 24 Nov' ('Tue 24 Nov 2027' in another year than today's)."""
    return f"{weekday(day)} {format_date(day, today)}"


def weekday(day: date) -> str:
    """'Mon' ... 'Sun' in the current locale ('Пн' ... 'Вс')."""
    names = (
        pgettext("weekday", "Mon"),
        pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"),
        pgettext("weekday", "Fri"),
        pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    )
    return names[day.weekday()]


def button_name(name: str) -> str:
    return clip(name, BUTTON_NAME_LIMIT)


# --- the day of one enrollment -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Running:
    """The workout in progress, shown first with a Resume button."""

    session_id: UUID
    workout_name: str


STATUS_MARK: Final = {
    SessionStatus.COMPLETED: ("✅", N_("done")),
    SessionStatus.SKIPPED: ("⏭", N_("skipped")),
    SessionStatus.IN_PROGRESS: ("▶️", N_("in progress")),
    SessionStatus.CANCELLED: ("✖️", N_("cancelled")),
}


def workout_line(workout: DayWorkout) -> str:
    """'• Full Body A · ~60 min', '✅ Full Body A · ~60 min - done', '• Mobility C (optional)'."""
    mark, status = ("•", "") if workout.status is None else STATUS_MARK.get(workout.status, ("•", ""))
    text = f"{mark} {esc(clip(workout.name, 100))}"
    if workout.is_optional:
        text += _(" <i>(optional)</i>")
    if workout.estimated_minutes:
        text += f" · ~{format_duration(workout.estimated_minutes * 60)}"
    if status:
        text += f" - <i>{_(status)}</i>"
    return text


Finished = Sequence[tuple[str, SessionStatus]]
"""The workouts of the day just done, as they ended: (name, COMPLETED or SKIPPED...)."""


def finished_lines(plan: DayPlan, today: date, finished: Finished) -> list[str]:
    """After today's program day is over: what was done (or skipped), then what comes next and when."""
    day = format_day_of_program(plan.day_number - 1, plan.length_days)
    position = f"{esc(plan.phase)} · {day}" if plan.phase else day[:1].upper() + day[1:]
    lines = [f"🏋️ <b>{esc(plan.program_name)}</b>", position]
    if plan.status == EnrollmentStatus.PAUSED:
        lines.append(_(PAUSED))
    done = [name for name, status in finished if status == SessionStatus.COMPLETED]
    skipped = [name for name, status in finished if status == SessionStatus.SKIPPED]
    names = ", ".join
    if done:
        lines.append(
            _("✅ Done today: {names}").format(names=esc(names(done)))
            + (_(" (skipped: {names})").format(names=esc(names(skipped))) if skipped else "")
        )
    elif skipped:
        lines.append(_("⏭ Skipped today: {names}").format(names=esc(names(skipped))))
    else:
        lines.append(_("✅ Done for today"))
    label = day_label(plan.current_since, today)
    tomorrow = plan.current_since == today + timedelta(days=1)
    when = _("tomorrow ({day})").format(day=label) if tomorrow else _("on {day}").format(day=label)
    if plan.is_rest_day:
        lines.append(_("Next: day {number} {when} - a rest day 😴").format(number=plan.day_number, when=when))
    else:
        lines.append(_("Next: day {number} {when}:").format(number=plan.day_number, when=when))
        lines += [workout_line(workout) for workout in plan.workouts]
    return lines


def plan_lines(plan: DayPlan, today: date, finished: Finished | None = None) -> list[str]:
    """One enrollment's day: program, phase and day, when it is for, and its workouts; once the day is
    done (`finished`: how its workouts ended), what was done and what comes next."""
    if plan.current_since > today and plan.start_date <= today:
        return finished_lines(plan, today, finished or ())
    day = format_day_of_program(plan.day_number, plan.length_days)
    position = f"{esc(plan.phase)} · {day}" if plan.phase else day[:1].upper() + day[1:]
    lines = [f"🏋️ <b>{esc(plan.program_name)}</b>", position]
    if plan.status == EnrollmentStatus.PAUSED:
        lines.append(_(PAUSED))
    if plan.start_date > today:
        lines.append(_("🗓 Starts on {day}").format(day=day_label(plan.start_date, today)))
    elif plan.current_since < today and not plan.is_rest_day:
        lines.append(_("⏰ This was planned for {day}").format(day=day_label(plan.current_since, today)))
    if plan.is_rest_day:
        lines.append(_("😴 Rest day - recover well."))
    else:
        lines += [workout_line(workout) for workout in plan.workouts]
    return lines


def startable(workout: DayWorkout) -> bool:
    return workout.session_id is not None and workout.status == SessionStatus.PLANNED


def plan_buttons(plan: DayPlan, running: Running | None = None) -> list[list[InlineKeyboardButton]]:
    """Start and Skip for each of the day's workouts not done yet (none while paused)."""
    if plan.status != EnrollmentStatus.ACTIVE:
        return []
    rows = []
    for workout in plan.workouts:
        if workout.session_id is None:
            continue
        shown_above = running is not None and running.session_id == workout.session_id
        if workout.status == SessionStatus.IN_PROGRESS and not shown_above:
            rows.append(
                [
                    InlineKeyboardButton(
                        _(RESUME).format(name=button_name(workout.name)),
                        callback_data=callback.workout_start(workout.session_id),
                    )
                ]
            )
        elif startable(workout):
            rows.append(
                [
                    InlineKeyboardButton(
                        _("▶️ Start {name}").format(name=button_name(workout.name)),
                        callback_data=callback.workout_start(workout.session_id),
                    ),
                    InlineKeyboardButton(
                        _("⏭ Skip"), callback_data=callback.workout_skip(workout.session_id)
                    ),
                ]
            )
    return rows


# --- /today --------------------------------------------------------------------------------------------


def running_lines(running: Running) -> list[str]:
    return [_("▶️ <b>Workout in progress:</b> {name}").format(name=esc(clip(running.workout_name, 100))), ""]


def today_text(
    plans: Sequence[DayPlan],
    today: date,
    running: Running | None = None,
    finished: Mapping[UUID, Finished] | None = None,
) -> str:
    """The whole /today message: the workout in progress first, then every enrollment's day
    (`finished`: for enrollments whose day is over, how its workouts ended)."""
    lines: list[str] = [_("📅 <b>Today</b> · {day}").format(day=day_label(today, today)), ""]
    if running is not None:
        lines += running_lines(running)
    if not plans:
        lines.append(_(NO_ENROLLMENT))
        return fit(lines)
    for index, plan in enumerate(plans):
        if index:
            lines.append("")
        lines += plan_lines(plan, today, (finished or {}).get(plan.enrollment_id))
    return fit(lines)


def today_keyboard(plans: Sequence[DayPlan], running: Running | None = None) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if running is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    _(RESUME).format(name=button_name(running.workout_name)),
                    callback_data=callback.workout_start(running.session_id),
                )
            ]
        )
    for plan in plans:
        rows += plan_buttons(plan, running)
    rows = rows[:MAX_BUTTON_ROWS]
    rows.append([InlineKeyboardButton(_("🔄 Refresh"), callback_data=callback.pack(TD, REFRESH))])
    return InlineKeyboardMarkup(rows)


__all__ = [
    "NO_ENROLLMENT",
    "REFRESH",
    "STALE_BUTTON",
    "TD",
    "Running",
    "clip",
    "day_label",
    "fit",
    "plan_buttons",
    "plan_lines",
    "today_keyboard",
    "today_text",
    "workout_line",
]
