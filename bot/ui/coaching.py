"""What coaches and their trainees see: texts and keyboards of /invite, /coaches, /trainees, /assign, ...

Callback data (prefix `co:`; ids are 22-character short ids, never trusted):

    co:ia:<token> / co:id:<token>      accept / decline an invitation
    co:lv:<coach> / co:ly:<coach>      a trainee leaves a coach: ask / confirmed
    co:cl                              back to the trainee's coaches (cancels leaving)
    co:tv:<trainee>                    a trainee's detail (coach)
    co:rm:<trainee> / co:ry:<trainee>  remove a trainee: ask / confirmed
    co:nt:<trainee>:<1|0>              workout messages on / off
    co:at:<trainee>                    /assign: pick a program for this trainee
    co:ap:<trainee>:<program>          /assign: assign, starting today
    co:ep|er:<enrollment>              pause / resume a trainee's enrollment
    co:ee|ey:<enrollment>              end a trainee's enrollment: ask / confirmed
    co:pc:<program>                    the coach's program card
    co:v:<program>:<P|R|U>             set a program's visibility
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Final
from uuid import UUID

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.enums import EnrollmentStatus, SessionStatus, VisibilityCode
from bot.services.coaching import (
    InvitationInfo,
    InvitationView,
    Person,
    ProgramRef,
    RosterProgram,
    RosterRow,
    SessionLine,
    TraineeDetail,
)
from bot.services.enrollment import EnrollmentInfo
from bot.services.readiness import Readiness
from bot.services.workouts import SessionSummary
from bot.ui import texts
from bot.ui.attention import attention_summary, flags_line, readiness_line
from bot.ui.callback import pack
from bot.ui.formatting import format_count, format_label, format_minutes, format_rating
from bot.ui.keyboard import inline_keyboard
from bot.ui.texts import esc, quoted
from bot.ui.today import day_label

CO: Final = "co"
ACCEPT: Final = "ia"
DECLINE: Final = "id"
LEAVE: Final = "lv"
LEAVE_YES: Final = "ly"
COACHES: Final = "cl"
VIEW: Final = "tv"
REMOVE: Final = "rm"
REMOVE_YES: Final = "ry"
NOTIFY: Final = "nt"
PICK_TRAINEE: Final = "at"
PICK_PROGRAM: Final = "ap"
PAUSE: Final = "ep"
RESUME: Final = "er"
END: Final = "ee"
END_YES: Final = "ey"
CARD: Final = "pc"
VISIBILITY: Final = "v"
VISIBILITY_CODES: Final = {
    "P": VisibilityCode.PUBLIC,
    "R": VisibilityCode.PRIVATE,
    "U": VisibilityCode.UNLISTED,
}
MESSAGE_LIMIT: Final = 4096
NAME_LIMIT: Final = 40
PICKER_LIMIT: Final = 12
NOTE_LIMIT: Final = 1000

COACH_COMMANDS: Final[tuple[tuple[str, str], ...]] = (
    ("invite", "Invite a trainee (/invite revoke cancels links)"),
    ("trainees", "Your trainees: who needs attention, adherence, ratings"),
    ("trainee", "One trainee's recent workouts and targets (/trainee NAME)"),
    ("target", "Set a trainee's target: /target NAME squat 100"),
    ("assign", "Assign a program: /assign @trainee PROGRAM [date]"),
    ("myprograms", "Your programs (send a YAML file to add one)"),
    ("exportprogram", "Get a program as YAML: /exportprogram NAME"),
)
ADMIN_COMMANDS: Final[tuple[tuple[str, str], ...]] = (("makecoach", "Make someone a coach: @username or id"),)

STALE_BUTTON = "This button is no longer valid."
NOT_A_COACH = "🔒 Only coaches can do that. Ask an admin to make you a coach."
NOT_AN_ADMIN = "🔒 Only admins can do that."
MAKECOACH_USAGE = "Usage: <code>/makecoach @username</code> or <code>/makecoach 123456789</code>"
ASSIGN_USAGE = (
    "Usage: <code>/assign @trainee PROGRAM [start date]</code>\n"
    "e.g. <code>/assign @bob Couch to 5K monday</code>, or just /assign to pick with buttons."
)
TRAINEE_USAGE = "Usage: <code>/trainee NAME</code> (or @username). Send /trainees to see them all."
EXPORT_USAGE = "Usage: <code>/exportprogram NAME</code>. Send /myprograms to see yours."
NO_TRAINEES = "You have no trainees yet. Send /invite to get a link for them."
NO_COACHES = "You have no coach. A coach can send you an invitation link."
NO_PROGRAMS = (
    "You have no programs of your own yet.\n\n"
    "Send me a program as a YAML file (the same format as /exportprogram gives) and I'll add it as a "
    "private program for you and your trainees."
)
UPLOAD_NOT_COACH = "🔒 Only coaches can upload programs. Send /help to see what I can do."
DECLINED = "OK - you declined the invitation. Nothing changed."


def commands_for(admin: bool) -> list[BotCommand]:
    """The command menu of a coach (or admin): everyone's commands, then the coach's."""
    extra = COACH_COMMANDS + (ADMIN_COMMANDS if admin else ())
    return texts.bot_commands() + [BotCommand(c, d) for c, d in extra]


def clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary with '…' (bot.ui.formatting.format_label)."""
    return format_label(text, limit)


def who(person: Person) -> str:
    return esc(person.name) + (f" (@{esc(person.username)})" if person.username else "")


def fit(lines: Sequence[str], limit: int = MESSAGE_LIMIT - 96) -> str:
    """Join lines, leaving out the tail that would not fit in one message."""
    out: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        if size + len(line) + 1 > limit:
            out.append(f"… and {len(lines) - index} more lines")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


# --- roles -----------------------------------------------------------------------------------------------


def made_coach(person: Person, already: bool) -> str:
    if already:
        return f"{who(person)} can already coach."
    return f"✅ {who(person)} is now a coach."


def you_are_coach() -> str:
    return "🎽 You are now a coach! Your new commands are in the menu:\n" + "\n".join(
        f"/{c} - {esc(d)}" for c, d in COACH_COMMANDS
    )


# --- invitations -----------------------------------------------------------------------------------------


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


def invite_text(info: InvitationInfo, link: str, today: date) -> str:
    head = "🔗 Your invitation link" if info.created else "🔗 Your invitation link (still valid)"
    used = f"\nAccepted {format_count(info.accepted_count, 'time')} so far." if info.accepted_count else ""
    return (
        f"{head}:\n{esc(link)}\n\nSend it to your trainees: opening it lets them accept you as their coach.\n"
        f"Valid until {day_label(info.expires_at.date(), today)}.{used}\n"
        "<code>/invite revoke</code> cancels it; <code>/invite new</code> makes a new one."
    )


def revoked_text(count: int) -> str:
    if not count:
        return "You have no valid invitation links. Send /invite to make one."
    link = format_count(count, "invitation link")
    return f"🚫 Revoked {link}: {'they no longer work' if count > 1 else 'it no longer works'}."


def invitation_text(view: InvitationView) -> str:
    if view.already_linked:
        return f"🎽 {esc(view.coach_name)} is already your coach. Send /coaches to see your coaches."
    return (
        f"🎽 <b>{esc(view.coach_name)}</b> invites you to be their trainee.\n\n"
        "Your coach will be able to assign you programs and see your workouts, ratings and notes. "
        "You can leave at any time with /coaches."
    )


def invitation_keyboard(token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Accept", callback_data=pack(CO, ACCEPT, token)),
                InlineKeyboardButton("✖️ Decline", callback_data=pack(CO, DECLINE, token)),
            ]
        ]
    )


def accepted_text(coach_name: str) -> str:
    return f"🤝 {esc(coach_name)} is now your coach. Send /coaches to see or leave your coaches."


def new_trainee_text(trainee: Person) -> str:
    return f"🎉 {who(trainee)} accepted your invitation. Send /trainees to see your roster."


# --- coaches and trainees --------------------------------------------------------------------------------


def coaches_text(coaches: Sequence[Person]) -> str:
    if not coaches:
        return NO_COACHES
    return fit(["<b>Your coaches</b>", *(f"• {who(c)}" for c in coaches)])


def coaches_keyboard(coaches: Sequence[Person]) -> InlineKeyboardMarkup | None:
    if not coaches:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"👋 Leave {clip(c.name, NAME_LIMIT)}", callback_data=pack(CO, LEAVE, c.id)
                )
            ]
            for c in coaches[:PICKER_LIMIT]
        ]
    )


def leave_confirm_text(coach: Person) -> str:
    return (
        f"Leave {who(coach)}? They will no longer see your workouts or assign you programs. "
        "Your programs and logged workouts stay as they are; to come back, open an invitation link from them."
    )


def leave_keyboard(coach_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("👋 Yes, leave", callback_data=pack(CO, LEAVE_YES, coach_id)),
                InlineKeyboardButton("✖️ Cancel", callback_data=pack(CO, COACHES)),
            ]
        ]
    )


def left_text(coach: Person) -> str:
    return f"👋 You left {who(coach)}. They can no longer see your workouts or assign you programs."


def adherence_text(row: RosterRow) -> str:
    if row.adherence is None:
        return "adherence –"
    return f"adherence {row.completed}/{row.scheduled} ({row.adherence}%)"


def when_text(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    days = (now.date() - moment.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def roster_text(rows: Sequence[RosterRow], now: datetime) -> str:
    if not rows:
        return NO_TRAINEES
    lines = [f"<b>Your trainees</b> ({len(rows)})"]
    summary = attention_summary(sum(1 for row in rows if row.flags))
    lines += [summary, ""] if summary else [""]
    for row in rows:
        programs = [f"   {_roster_program(p)}" for p in row.programs] or ["   no program"]
        ratings = (
            f"effort {row.avg_effort} · soreness {row.avg_soreness}"
            if row.avg_effort is not None or row.avg_soreness is not None
            else "no ratings"
        )
        flags = flags_line(row.flags)
        lines += [
            f"{'⚠️' if row.flags else '👤'} <b>{who(row.trainee)}</b>",
            *([flags] if flags else []),
            *programs,
            f"   last workout {when_text(row.last_workout, now)} · {adherence_text(row)} (14 d)",
            f"   7 d: {ratings}",
        ]
    return fit(lines)


def _roster_program(program: RosterProgram) -> str:
    paused = " (paused)" if program.status == EnrollmentStatus.PAUSED else ""
    return f"📋 {esc(clip(program.name, 60))} · day {program.current_day}{paused}"


def roster_keyboard(rows: Sequence[RosterRow]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{'⚠️' if r.flags else '👤'} {clip(r.trainee.name, NAME_LIMIT)}",
                    callback_data=pack(CO, VIEW, r.trainee.id),
                )
            ]
            for r in rows[:90]
        ]
    )


def pick_trainee_text(query: str | None, matches: int) -> str:
    if query is None:
        return "Which trainee?"
    if matches == 0:
        return f"None of your trainees matches {quoted(query)}. Send /trainees to see them all."
    return f"Several trainees match {quoted(query)} - which one?"


def trainees_picker(people: Sequence[Person], action: str) -> InlineKeyboardMarkup | None:
    return inline_keyboard(
        [InlineKeyboardButton(f"👤 {clip(p.name, NAME_LIMIT)}", callback_data=pack(CO, action, p.id))]
        for p in people[:PICKER_LIMIT]
    )


def _session_line(line: SessionLine) -> list[str]:
    when = line.when.date().isoformat() if line.when else "?"
    if line.status == SessionStatus.SKIPPED:
        out = [f"⏭ {when} · {esc(clip(line.workout, 60))} · skipped"]
    else:
        ratings = []
        if line.effort is not None:
            ratings.append(f"effort {format_rating(line.effort)}")
        if line.soreness is not None:
            ratings.append(f"soreness {format_rating(line.soreness)}")
        out = [f"✅ {when} · {esc(clip(line.workout, 60))}" + (" · " + ", ".join(ratings) if ratings else "")]
    if line.notes:
        out.append(f"   📝 <i>{esc(clip(line.notes, 200))}</i>")
    if line.records:
        out.append("   🏆 " + esc(clip(", ".join(line.records), 200)))
    return out


def detail_text(detail: TraineeDetail) -> str:
    lines = [f"👤 <b>{who(detail.trainee)}</b>", ""]
    if detail.enrollments:
        lines.append("<b>Programs</b>")
        lines += [
            f"• {esc(e.program_name)} · day {e.current_day} · {e.status.value.lower()}"
            for e in detail.enrollments
        ]
    else:
        lines.append("No program. Assign one with /assign.")
    lines += ["", "<b>Recent workouts</b>"]
    if detail.sessions:
        for line in detail.sessions:
            lines += _session_line(line)
    else:
        lines.append("None yet.")
    lines += ["", "🔔 Workout messages: " + ("on" if detail.trainee.notify else "off")]
    return fit(lines)


def detail_keyboard(detail: TraineeDetail) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    for e in detail.enrollments[:5]:
        name = clip(e.program_name, 24)
        toggle = (
            InlineKeyboardButton(f"⏸ Pause {name}", callback_data=pack(CO, PAUSE, e.id))
            if e.status == EnrollmentStatus.ACTIVE
            else InlineKeyboardButton(f"▶️ Resume {name}", callback_data=pack(CO, RESUME, e.id))
        )
        rows.append([toggle, InlineKeyboardButton("⏹ End", callback_data=pack(CO, END, e.id))])
    trainee = detail.trainee
    notify = (
        InlineKeyboardButton("🔕 Stop workout messages", callback_data=pack(CO, NOTIFY, trainee.id, 0))
        if trainee.notify
        else InlineKeyboardButton(
            "🔔 Message me after each workout", callback_data=pack(CO, NOTIFY, trainee.id, 1)
        )
    )
    rows.append([notify])
    rows.append(
        [InlineKeyboardButton("📋 Assign a program", callback_data=pack(CO, PICK_TRAINEE, trainee.id))]
    )
    rows.append([InlineKeyboardButton("🗑 Remove trainee", callback_data=pack(CO, REMOVE, trainee.id))])
    return InlineKeyboardMarkup(rows)


def end_confirm_text(trainee_name: str, info: EnrollmentInfo) -> str:
    return (
        f"End <b>{esc(info.program_name)}</b> for {esc(trainee_name)} (day {info.current_day})? "
        "Their logged workouts are kept, the planned ones are dropped; starting it again begins at day 1."
    )


def end_keyboard(trainee_id: UUID, enrollment_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("⏹ Yes, end it", callback_data=pack(CO, END_YES, enrollment_id)),
                InlineKeyboardButton("✖️ Cancel", callback_data=pack(CO, VIEW, trainee_id)),
            ]
        ]
    )


def remove_confirm_text(person: Person) -> str:
    return (
        f"Remove {who(person)} from your trainees? Their programs continue, but you will no longer see "
        "their workouts or be able to assign them programs."
    )


def remove_keyboard(trainee_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🗑 Yes, remove", callback_data=pack(CO, REMOVE_YES, trainee_id)),
                InlineKeyboardButton("◀️ No", callback_data=pack(CO, VIEW, trainee_id)),
            ]
        ]
    )


def removed_text(person: Person) -> str:
    return f"🗑 {who(person)} is no longer your trainee."


# --- assigning -----------------------------------------------------------------------------------------


def pick_program_text(trainee: Person, query: str | None, suggestions: int) -> str:
    if query is None:
        return f"Which program for {who(trainee)}? (starts today; type /assign with a date for another day)"
    if suggestions:
        return f"No program is called {quoted(query)}. Did you mean one of these?"
    return f"No program is called {quoted(query)}. Send /myprograms or /programs to see the programs."


def programs_picker(trainee_id: UUID, programs: Sequence[ProgramRef]) -> InlineKeyboardMarkup | None:
    if not programs:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ("⭐ " if p.own else "") + clip(p.name, NAME_LIMIT),
                    callback_data=pack(CO, PICK_PROGRAM, trainee_id, p.id),
                )
            ]
            for p in programs[:PICKER_LIMIT]
        ]
    )


def assigned_text(trainee_name: str, info: EnrollmentInfo, today: date) -> str:
    again = " again" if info.reactivated else ""
    when = "today" if info.start_date == today else f"on {day_label(info.start_date, today)}"
    return f"📋 Assigned <b>{esc(info.program_name)}</b> to {esc(trainee_name)}{again}, day 1 {when}."


def assigned_to_you_text(coach_name: str) -> str:
    return f"📋 Your coach {esc(coach_name)} assigned you a program:"


def enrollment_done_text(trainee_name: str, action: str, info: EnrollmentInfo) -> str:
    verb = {PAUSE: "⏸ Paused", RESUME: "▶️ Resumed", END: "⏹ Ended", END_YES: "⏹ Ended"}[action]
    return f"{verb} {esc(info.program_name)} for {esc(trainee_name)}."


def enrollment_changed_for_trainee(coach_name: str, action: str, info: EnrollmentInfo) -> str:
    verb = {PAUSE: "paused", RESUME: "resumed", END: "ended", END_YES: "ended"}[action]
    return f"🎽 Your coach {esc(coach_name)} {verb} <b>{esc(info.program_name)}</b>. See /today."


# --- programs ------------------------------------------------------------------------------------------

VISIBILITY_LABEL: Final = {
    VisibilityCode.PRIVATE: "🔒 private",
    VisibilityCode.UNLISTED: "🔗 unlisted",
    VisibilityCode.PUBLIC: "🌍 public",
}


def my_programs_text(programs: Sequence[ProgramRef]) -> str:
    if not programs:
        return NO_PROGRAMS
    lines = ["<b>Your programs</b>", ""]
    lines += [
        f"• {esc(p.name)} · {VISIBILITY_LABEL[p.visibility]} · {p.trainees} following" for p in programs
    ]
    lines += ["", "Send a YAML file to add one; /exportprogram NAME gives one back as a file."]
    return fit(lines)


def my_programs_keyboard(programs: Sequence[ProgramRef]) -> InlineKeyboardMarkup | None:
    if not programs:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(clip(p.name, NAME_LIMIT), callback_data=pack(CO, CARD, p.id))]
            for p in programs[:90]
        ]
    )


def visibility_line(ref: ProgramRef) -> str:
    return f"Visibility: {VISIBILITY_LABEL[ref.visibility]} - change it below."


def visibility_keyboard(ref: ProgramRef) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("✓ " if ref.visibility == code else "") + VISIBILITY_LABEL[code].split(" ", 1)[1].capitalize(),
            callback_data=pack(CO, VISIBILITY, ref.id, letter),
        )
        for letter, code in VISIBILITY_CODES.items()
    ]
    return InlineKeyboardMarkup([buttons])


def uploaded_text(card_text: str) -> str:
    return "✅ Program added (private: you and your trainees can see it).\n\n" + card_text


def upload_refused_text(reason: str) -> str:
    body = esc(reason)
    if len(body) > MESSAGE_LIMIT - 200:
        body = body[: MESSAGE_LIMIT - 220] + "\n…"
    return f"❌ Nothing was saved.\n\n{body}\n\nFix the file and send it again."


def too_large_text(size: int, limit: int) -> str:
    return (
        f"❌ That file is {size // 1024} KB; a program file can be at most {limit // 1024} KB."
        " Nothing was saved."
    )


WRONG_TYPE = "❌ Please send the program as a YAML text file (.yaml or .yml). Nothing was saved."


# --- notifications ---------------------------------------------------------------------------------------


def workout_done_text(
    trainee_name: str, summary: SessionSummary, note: str | None = None, readiness: Readiness | None = None
) -> str:
    """The message a coach gets when a trainee finishes a workout: what was done, the ratings, the
    readiness answers, the trainee's note (escaped, cut to fit) and the new records."""
    lines = [f"🏁 {esc(trainee_name)} finished <b>{esc(summary.workout_name)}</b>"]
    facts = [
        f"{summary.exercises_done}/{format_count(summary.exercises_total, 'exercise')}",
        format_count(summary.sets, "set"),
    ]
    if summary.duration_seconds:
        facts.append(format_minutes(summary.duration_seconds))
    lines.append(" · ".join(facts))
    ratings = []
    if summary.effort is not None:
        ratings.append(f"effort {format_rating(summary.effort)}")
    if summary.soreness is not None:
        ratings.append(f"soreness {format_rating(summary.soreness)}")
    lines.append(", ".join(ratings) if ratings else "no ratings")
    if (ready := readiness_line(readiness)) is not None:
        lines.append(ready)
    if note and note.strip():
        lines.append(f"📝 <i>{esc(clip(note.strip(), NOTE_LIMIT))}</i>")
    if summary.records:
        lines.append(f"🏆 {format_count(len(summary.records), 'new record')}")
    lines.append("💬 Reply to this message (or tap Comment) to comment; they can answer once.")
    return "\n".join(lines)
