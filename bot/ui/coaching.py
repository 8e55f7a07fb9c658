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
from bot.i18n import N_, _, exercise_name, ngettext
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
from bot.ui import texts
from bot.ui.attention import attention_summary, flags_line
from bot.ui.callback import pack
from bot.ui.formatting import format_label, format_rating
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

COACH_COMMANDS: Final[tuple[tuple[str, str], ...]] = (
    ("invite", N_("Invite a trainee (/invite revoke cancels links)")),
    ("trainees", N_("Your trainees: who needs attention, adherence, ratings")),
    ("trainee", N_("One trainee's recent workouts and targets (/trainee NAME)")),
    ("target", N_("Set a trainee's target: /target NAME squat 100")),
    ("assign", N_("Assign a program: /assign @trainee PROGRAM [date]")),
    ("myprograms", N_("Your programs (send a YAML file to add one)")),
    ("exportprogram", N_("Get a program as YAML: /exportprogram NAME")),
)
ADMIN_COMMANDS: Final[tuple[tuple[str, str], ...]] = (
    ("makecoach", N_("Make someone a coach: @username or id")),
)

STALE_BUTTON = N_("This button is no longer valid.")
NOT_A_COACH = N_("🔒 Only coaches can do that. Ask an admin to make you a coach.")
NOT_AN_ADMIN = N_("🔒 Only admins can do that.")
MAKECOACH_USAGE = N_("Usage: <code>/makecoach @username</code> or <code>/makecoach 123456789</code>")
ASSIGN_USAGE = N_(
    "Usage: <code>/assign @trainee PROGRAM [start date]</code>\n"
    "e.g. <code>/assign @bob Couch to 5K monday</code>, or just /assign to pick with buttons."
)
TRAINEE_USAGE = N_("Usage: <code>/trainee NAME</code> (or @username). Send /trainees to see them all.")
EXPORT_USAGE = N_("Usage: <code>/exportprogram NAME</code>. Send /myprograms to see yours.")
NO_TRAINEES = N_("You have no trainees yet. Send /invite to get a link for them.")
NO_COACHES = N_("You have no coach. A coach can send you an invitation link.")
NO_PROGRAMS = N_(
    "You have no programs of your own yet.\n\n"
    "Send me a program as a YAML file (the same format as /exportprogram gives) and I'll add it as a "
    "private program for you and your trainees."
)
UPLOAD_NOT_COACH = N_("🔒 Only coaches can upload programs. Send /help to see what I can do.")
DECLINED = N_("OK - you declined the invitation. Nothing changed.")


def commands_for(admin: bool) -> list[BotCommand]:
    """The command menu of a coach (or admin): everyone's commands, then the coach's."""
    extra = COACH_COMMANDS + (ADMIN_COMMANDS if admin else ())
    return texts.bot_commands() + [BotCommand(c, _(d)) for c, d in extra]


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
            left = len(lines) - index
            out.append(ngettext("… and {n} more line", "… and {n} more lines", left).format(n=left))
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


RECORD_KINDS: Final = {  # bot.services.records.RecordKind's values
    "weight": N_("weight"),
    "e1rm": N_("e1rm"),
    "reps": N_("reps"),
    "duration": N_("duration"),
}
STATUS_LABEL: Final = {
    EnrollmentStatus.ACTIVE: N_("active"),
    EnrollmentStatus.PAUSED: N_("paused"),
    EnrollmentStatus.COMPLETED: N_("completed"),
    EnrollmentStatus.CANCELLED: N_("cancelled"),
    EnrollmentStatus.EXPIRED: N_("expired"),
}


# --- roles -----------------------------------------------------------------------------------------------


def made_coach(person: Person, already: bool) -> str:
    if already:
        return _("{person} can already coach.").format(person=who(person))
    return _("✅ {person} is now a coach.").format(person=who(person))


def you_are_coach() -> str:
    return (
        _("🎽 You are now a coach! Your new commands are in the menu:")
        + "\n"
        + "\n".join(f"/{c} - {esc(_(d))}" for c, d in COACH_COMMANDS)
    )


# --- invitations -----------------------------------------------------------------------------------------


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


def invite_text(info: InvitationInfo, link: str, today: date) -> str:
    head = _("🔗 Your invitation link:") if info.created else _("🔗 Your invitation link (still valid):")
    lines = [
        head,
        esc(link),
        "",
        _("Send it to your trainees: opening it lets them accept you as their coach."),
        _("Valid until {date}.").format(date=day_label(info.expires_at.date(), today)),
    ]
    if info.accepted_count:
        n = info.accepted_count
        lines.append(ngettext("Accepted {n} time so far.", "Accepted {n} times so far.", n).format(n=n))
    lines.append(_("<code>/invite revoke</code> cancels it; <code>/invite new</code> makes a new one."))
    return "\n".join(lines)


def revoked_text(count: int) -> str:
    if not count:
        return _("You have no valid invitation links. Send /invite to make one.")
    return ngettext(
        "🚫 Revoked {n} invitation link: it no longer works.",
        "🚫 Revoked {n} invitation links: they no longer work.",
        count,
    ).format(n=count)


def invitation_text(view: InvitationView) -> str:
    if view.already_linked:
        return _("🎽 {coach} is already your coach. Send /coaches to see your coaches.").format(
            coach=esc(view.coach_name)
        )
    return _(
        "🎽 <b>{coach}</b> invites you to be their trainee.\n\n"
        "Your coach will be able to assign you programs and see your workouts, ratings and notes. "
        "You can leave at any time with /coaches."
    ).format(coach=esc(view.coach_name))


def invitation_keyboard(token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("✅ Accept"), callback_data=pack(CO, ACCEPT, token)),
                InlineKeyboardButton(_("✖️ Decline"), callback_data=pack(CO, DECLINE, token)),
            ]
        ]
    )


def accepted_text(coach_name: str) -> str:
    return _("🤝 {coach} is now your coach. Send /coaches to see or leave your coaches.").format(
        coach=esc(coach_name)
    )


def new_trainee_text(trainee: Person) -> str:
    return _("🎉 {trainee} accepted your invitation. Send /trainees to see your roster.").format(
        trainee=who(trainee)
    )


# --- coaches and trainees --------------------------------------------------------------------------------


def coaches_text(coaches: Sequence[Person]) -> str:
    if not coaches:
        return _(NO_COACHES)
    return fit([_("<b>Your coaches</b>"), *(f"• {who(c)}" for c in coaches)])


def coaches_keyboard(coaches: Sequence[Person]) -> InlineKeyboardMarkup | None:
    if not coaches:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("👋 Leave {coach}").format(coach=clip(c.name, NAME_LIMIT)),
                    callback_data=pack(CO, LEAVE, c.id),
                )
            ]
            for c in coaches[:PICKER_LIMIT]
        ]
    )


def leave_confirm_text(coach: Person) -> str:
    return _(
        "Leave {coach}? They will no longer see your workouts or assign you programs. "
        "Your programs and logged workouts stay as they are; to come back, open an invitation link from them."
    ).format(coach=who(coach))


def leave_keyboard(coach_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("👋 Yes, leave"), callback_data=pack(CO, LEAVE_YES, coach_id)),
                InlineKeyboardButton(_("✖️ Cancel"), callback_data=pack(CO, COACHES)),
            ]
        ]
    )


def left_text(coach: Person) -> str:
    return _("👋 You left {coach}. They can no longer see your workouts or assign you programs.").format(
        coach=who(coach)
    )


def adherence_text(row: RosterRow) -> str:
    if row.adherence is None:
        return _("adherence –")
    return _("adherence {done}/{scheduled} ({percent}%)").format(
        done=row.completed, scheduled=row.scheduled, percent=row.adherence
    )


def when_text(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return _("never")
    days = (now.date() - moment.date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def roster_text(rows: Sequence[RosterRow], now: datetime) -> str:
    if not rows:
        return _(NO_TRAINEES)
    lines = [_("<b>Your trainees</b> ({n})").format(n=len(rows))]
    summary = attention_summary(sum(1 for row in rows if row.flags))
    lines += [summary, ""] if summary else [""]
    for row in rows:
        programs = [f"   {_roster_program(p)}" for p in row.programs] or ["   " + _("no program")]
        ratings = (
            _("effort {effort} · soreness {soreness}").format(
                effort=row.avg_effort, soreness=row.avg_soreness
            )
            if row.avg_effort is not None or row.avg_soreness is not None
            else _("no ratings")
        )
        flags = flags_line(row.flags)
        lines += [
            f"{'⚠️' if row.flags else '👤'} <b>{who(row.trainee)}</b>",
            *([flags] if flags else []),
            *programs,
            "   "
            + _("last workout {when} · {adherence} (14 d)").format(
                when=when_text(row.last_workout, now), adherence=adherence_text(row)
            ),
            "   " + _("7 d: {ratings}").format(ratings=ratings),
        ]
    return fit(lines)


def _roster_program(program: RosterProgram) -> str:
    name = esc(clip(program.name, 60))
    if program.status == EnrollmentStatus.PAUSED:
        return _("📋 {program} · day {day} (paused)").format(program=name, day=program.current_day)
    return _("📋 {program} · day {day}").format(program=name, day=program.current_day)


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
        return _("Which trainee?")
    if matches == 0:
        return _("None of your trainees matches {query}. Send /trainees to see them all.").format(
            query=quoted(query)
        )
    return _("Several trainees match {query} - which one?").format(query=quoted(query))


def trainees_picker(people: Sequence[Person], action: str) -> InlineKeyboardMarkup | None:
    return inline_keyboard(
        [InlineKeyboardButton(f"👤 {clip(p.name, NAME_LIMIT)}", callback_data=pack(CO, action, p.id))]
        for p in people[:PICKER_LIMIT]
    )


def _session_line(line: SessionLine) -> list[str]:
    when = line.when.date().isoformat() if line.when else "?"
    if line.status == SessionStatus.SKIPPED:
        out = [_("⏭ {date} · {workout} · skipped").format(date=when, workout=esc(clip(line.workout, 60)))]
    else:
        ratings = []
        if line.effort is not None:
            ratings.append(_("effort {rating}").format(rating=format_rating(line.effort)))
        if line.soreness is not None:
            ratings.append(_("soreness {rating}").format(rating=format_rating(line.soreness)))
        out = [f"✅ {when} · {esc(clip(line.workout, 60))}" + (" · " + ", ".join(ratings) if ratings else "")]
    if line.notes:
        out.append(f"   📝 <i>{esc(clip(line.notes, 200))}</i>")
    if line.records:
        records = ", ".join(
            f"{exercise_name(name)}: {_(RECORD_KINDS.get(kind, kind))}" for name, kind in line.records
        )
        out.append("   🏆 " + esc(clip(records, 200)))
    return out


def detail_text(detail: TraineeDetail) -> str:
    lines = [f"👤 <b>{who(detail.trainee)}</b>", ""]
    if detail.enrollments:
        lines.append(_("<b>Programs</b>"))
        lines += [
            _("• {program} · day {day} · {status}").format(
                program=esc(e.program_name), day=e.current_day, status=_(STATUS_LABEL[e.status])
            )
            for e in detail.enrollments
        ]
    else:
        lines.append(_("No program. Assign one with /assign."))
    lines += ["", _("<b>Recent workouts</b>")]
    if detail.sessions:
        for line in detail.sessions:
            lines += _session_line(line)
    else:
        lines.append(_("None yet."))
    lines += ["", _("🔔 Workout messages: on") if detail.trainee.notify else _("🔔 Workout messages: off")]
    return fit(lines)


def detail_keyboard(detail: TraineeDetail) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    for e in detail.enrollments[:5]:
        name = clip(e.program_name, 24)
        toggle = (
            InlineKeyboardButton(
                _("⏸ Pause {program}").format(program=name), callback_data=pack(CO, PAUSE, e.id)
            )
            if e.status == EnrollmentStatus.ACTIVE
            else InlineKeyboardButton(
                _("▶️ Resume {program}").format(program=name), callback_data=pack(CO, RESUME, e.id)
            )
        )
        rows.append([toggle, InlineKeyboardButton(_("⏹ End"), callback_data=pack(CO, END, e.id))])
    trainee = detail.trainee
    notify = (
        InlineKeyboardButton(_("🔕 Stop workout messages"), callback_data=pack(CO, NOTIFY, trainee.id, 0))
        if trainee.notify
        else InlineKeyboardButton(
            _("🔔 Message me after each workout"), callback_data=pack(CO, NOTIFY, trainee.id, 1)
        )
    )
    rows.append([notify])
    rows.append(
        [InlineKeyboardButton(_("📋 Assign a program"), callback_data=pack(CO, PICK_TRAINEE, trainee.id))]
    )
    rows.append([InlineKeyboardButton(_("🗑 Remove trainee"), callback_data=pack(CO, REMOVE, trainee.id))])
    return InlineKeyboardMarkup(rows)


def end_confirm_text(trainee_name: str, info: EnrollmentInfo) -> str:
    return _(
        "End <b>{program}</b> for {trainee} (day {day})? "
        "Their logged workouts are kept, the planned ones are dropped; starting it again begins at day 1."
    ).format(program=esc(info.program_name), trainee=esc(trainee_name), day=info.current_day)


def end_keyboard(trainee_id: UUID, enrollment_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("⏹ Yes, end it"), callback_data=pack(CO, END_YES, enrollment_id)),
                InlineKeyboardButton(_("✖️ Cancel"), callback_data=pack(CO, VIEW, trainee_id)),
            ]
        ]
    )


def remove_confirm_text(person: Person) -> str:
    return _(
        "Remove {trainee} from your trainees? Their programs continue, but you will no longer see "
        "their workouts or be able to assign them programs."
    ).format(trainee=who(person))


def remove_keyboard(trainee_id: UUID) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("🗑 Yes, remove"), callback_data=pack(CO, REMOVE_YES, trainee_id)),
                InlineKeyboardButton(_("◀️ No"), callback_data=pack(CO, VIEW, trainee_id)),
            ]
        ]
    )


def removed_text(person: Person) -> str:
    return _("🗑 {trainee} is no longer your trainee.").format(trainee=who(person))


# --- assigning -----------------------------------------------------------------------------------------


def pick_program_text(trainee: Person, query: str | None, suggestions: int) -> str:
    if query is None:
        return _(
            "Which program for {trainee}? (starts today; type /assign with a date for another day)"
        ).format(trainee=who(trainee))
    if suggestions:
        return _("No program is called {query}. Did you mean one of these?").format(query=quoted(query))
    return _("No program is called {query}. Send /myprograms or /programs to see the programs.").format(
        query=quoted(query)
    )


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
    names = {"program": esc(info.program_name), "trainee": esc(trainee_name)}
    if info.start_date == today:
        if info.reactivated:
            return _("📋 Assigned <b>{program}</b> to {trainee} again, day 1 today.").format(**names)
        return _("📋 Assigned <b>{program}</b> to {trainee}, day 1 today.").format(**names)
    when = day_label(info.start_date, today)
    if info.reactivated:
        return _("📋 Assigned <b>{program}</b> to {trainee} again, day 1 on {date}.").format(
            date=when, **names
        )
    return _("📋 Assigned <b>{program}</b> to {trainee}, day 1 on {date}.").format(date=when, **names)


def assigned_to_you_text(coach_name: str) -> str:
    return _("📋 Your coach {coach} assigned you a program:").format(coach=esc(coach_name))


def enrollment_done_text(trainee_name: str, action: str, info: EnrollmentInfo) -> str:
    template = {
        PAUSE: N_("⏸ Paused {program} for {trainee}."),
        RESUME: N_("▶️ Resumed {program} for {trainee}."),
        END: N_("⏹ Ended {program} for {trainee}."),
        END_YES: N_("⏹ Ended {program} for {trainee}."),
    }[action]
    return _(template).format(program=esc(info.program_name), trainee=esc(trainee_name))


def enrollment_changed_for_trainee(coach_name: str, action: str, info: EnrollmentInfo) -> str:
    template = {
        PAUSE: N_("🎽 Your coach {coach} paused <b>{program}</b>. See /today."),
        RESUME: N_("🎽 Your coach {coach} resumed <b>{program}</b>. See /today."),
        END: N_("🎽 Your coach {coach} ended <b>{program}</b>. See /today."),
        END_YES: N_("🎽 Your coach {coach} ended <b>{program}</b>. See /today."),
    }[action]
    return _(template).format(coach=esc(coach_name), program=esc(info.program_name))
