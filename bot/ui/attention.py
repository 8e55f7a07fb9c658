"""What a coach and a trainee see around a workout: attention flags in /trainees, coach comments and
answers, the readiness question, and a stalled lift's warning. Pure functions of plain values.

Callback data (prefix `cm:`; ids are short ids, never trusted):

    cm:c:<session>    a coach comments on a trainee's workout (under the workout notice)
    cm:a:<comment>    the trainee answers a comment (under the comment)
    cm:x              cancel the comment or answer being typed

Readiness buttons are the workout's own (`wk:rdy:<session>:<answers so far>`, `wk:rdy:<session>:-`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.models.attention import COMMENT_LIMIT
from bot.i18n import N_, _, exercise_name, ngettext
from bot.services.coaching.attention import AttentionFlag, FlagKind
from bot.services.coaching.comments import AnswerSent, CommentSent, CommentView, WorkoutRef
from bot.services.readiness import QUESTIONS, Readiness
from bot.services.stalls import StalledLift
from bot.services.workouts import SessionSummary
from bot.ui.callback import pack
from bot.ui.formatting import format_date, format_label, format_minutes, format_rating
from bot.ui.texts import esc

CM: Final = "cm"
COMMENT: Final = "c"
ANSWER: Final = "a"
CANCEL: Final = "x"
QUOTE_LIMIT: Final = 300
NOTE_LIMIT: Final = 1000

STALE_BUTTON = N_("This button is no longer valid.")
CANCELLED = N_("OK - nothing was sent.")
EXAMPLE = N_("e.g. <i>Great depth today - add 2.5 kg next time.</i>")


# --- /trainees -----------------------------------------------------------------------------------------


def flag_text(flag: AttentionFlag) -> str:
    """One reason, in words."""
    if flag.kind is FlagKind.IDLE:
        if flag.days is None:
            return _("no workout yet")
        return ngettext("no workout in {n} day", "no workout in {n} days", flag.days).format(n=flag.days)
    if flag.kind is FlagKind.ADHERENCE:
        return _("adherence {percent}% (under 60%)").format(percent=flag.percent)
    if flag.kind is FlagKind.SORENESS:
        return _("soreness {ratings} in a row").format(ratings=", ".join(f"{v}/10" for v in flag.soreness))
    names = ", ".join(esc(format_label(exercise_name(name), 40)) for name in flag.lifts[:3])
    more = f" +{len(flag.lifts) - 3}" if len(flag.lifts) > 3 else ""
    return _("stalled: {lifts} (no progress in 3 sessions)").format(lifts=names + more)


def flags_line(flags: Sequence[AttentionFlag]) -> str | None:
    """The roster's attention line of a trainee (None when all is well)."""
    if not flags:
        return None
    return "   ⚠️ " + " · ".join(flag_text(f) for f in flags)


def attention_summary(count: int) -> str | None:
    if not count:
        return None
    return ngettext(
        "⚠️ {n} needs attention (listed first)", "⚠️ {n} need attention (listed first)", count
    ).format(n=count)


# --- comments ------------------------------------------------------------------------------------------


def comment_button(session_id: uuid.UUID) -> InlineKeyboardMarkup:
    """Under a workout notice."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("💬 Comment"), callback_data=pack(CM, COMMENT, session_id))]]
    )


def answer_button(comment_id: uuid.UUID) -> InlineKeyboardMarkup:
    """Under a coach's comment, in the trainee's chat."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("↩️ Answer"), callback_data=pack(CM, ANSWER, comment_id))]]
    )


def cancel_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("✖️ Cancel"), callback_data=pack(CM, CANCEL))]])


def _quote(text: str) -> str:
    return f"<i>{esc(format_label(text, QUOTE_LIMIT))}</i>"


def _workout(name: str, when: datetime | None, today: date) -> str:
    return f"<b>{esc(name)}</b>" + (f" ({format_date(when.date(), today)})" if when else "")


def comment_prompt(workout: WorkoutRef, today: date) -> str:
    return _(
        "💬 Your comment on {trainee}'s {workout}: type it (up to {limit} characters), {example}\n"
        "Replying to a workout message does the same."
    ).format(
        trainee=esc(workout.trainee_name),
        workout=_workout(workout.workout_name, workout.when, today),
        limit=COMMENT_LIMIT,
        example=_(EXAMPLE),
    )


def answer_prompt(body: str) -> str:
    return _(
        "↩️ Your answer to your coach's comment {comment}: type it (up to {limit} characters)."
        " You can answer once."
    ).format(comment=_quote(body), limit=COMMENT_LIMIT)


def comment_sent(sent: CommentSent, today: date) -> str:
    where = _workout(sent.workout.workout_name, sent.workout.when, today)
    return _("✅ Sent to {trainee}, on {workout}: {comment}").format(
        trainee=esc(sent.workout.trainee_name), workout=where, comment=_quote(sent.body)
    )


def comment_for_trainee(sent: CommentSent, today: date) -> str:
    where = _workout(sent.workout.workout_name, sent.workout.when, today)
    return _(
        "💬 Your coach {coach} commented on {workout}:\n{comment}\n\n"
        "Tap Answer (or reply to this message) to answer once. It is kept with the workout in /history."
    ).format(coach=esc(sent.coach_name), workout=where, comment=_quote(sent.body))


def answer_sent() -> str:
    return _("✅ Sent to your coach. It is kept with the workout in /history.")


def answer_for_coach(sent: AnswerSent, today: date) -> str:
    return _("↩️ {trainee} answered your comment on {workout}:\n{answer}\n(your comment: {comment})").format(
        trainee=esc(sent.trainee_name),
        workout=_workout(sent.workout_name, sent.when, today),
        answer=_quote(sent.answer),
        comment=_quote(sent.body),
    )


def refused(reason: str) -> str:
    """A comment or answer that was not stored, and how to try again."""
    return _("🤔 {reason} Nothing was sent - type it again, {example}").format(
        reason=esc(reason), example=_(EXAMPLE)
    )


def comment_lines(comments: Sequence[CommentView]) -> list[str]:
    """The comments in a workout's /history detail."""
    lines: list[str] = []
    for comment in comments:
        who = esc(comment.coach_name) if comment.coach_name else _("Your former coach")
        lines.append(f"💬 {who}: {_quote(comment.body)}")
        if comment.answer:
            lines.append("   " + _("↩️ You: {answer}").format(answer=_quote(comment.answer)))
    return lines


# --- readiness -----------------------------------------------------------------------------------------

READINESS_LABELS: Final = {
    "sleep": (N_("😴 Sleep last night"), N_("1 = very poor · 5 = great")),
    "stress": (N_("🧠 Stress"), N_("1 = very stressed · 5 = relaxed")),
    "soreness": (N_("💪 Soreness"), N_("1 = very sore · 5 = fresh")),
}


def readiness_question(workout_name: str, answers: str) -> str:
    """The question for the next answer; `answers` are the digits given so far."""
    done = [f"{_(READINESS_LABELS[q][0])}: {a}/5" for q, a in zip(QUESTIONS, answers, strict=False)]
    name, scale = READINESS_LABELS[QUESTIONS[len(answers)]]
    lines = [
        _("🧭 Before <b>{workout}</b>: how ready are you? ({n} of 3)").format(
            workout=esc(workout_name), n=len(answers) + 1
        )
    ]
    lines += done
    lines += ["", f"<b>{_(name)}</b>", _(scale)]
    return "\n".join(lines)


def readiness_keyboard(session_id: uuid.UUID, answers: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(str(v), callback_data=pack("wk", "rdy", session_id, answers + str(v)))
                for v in range(1, 6)
            ],
            [
                InlineKeyboardButton(
                    _("⏭ Skip the question"), callback_data=pack("wk", "rdy", session_id, "-")
                )
            ],
        ]
    )


def readiness_line(readiness: Readiness | None) -> str | None:
    """The answers in one line (the coach's notice, the workout's notice); None without any."""
    if readiness is None or not readiness.answered:
        return None
    values = {"sleep": readiness.sleep, "stress": readiness.stress, "soreness": readiness.soreness}
    if readiness.low:
        return _(
            "🧭 Readiness: sleep {sleep}/5 · stress {stress}/5 · soreness {soreness}/5"
            " - low: weights -{percent}% today"
        ).format(percent=readiness.reduce_percent, **values)
    return _("🧭 Readiness: sleep {sleep}/5 · stress {stress}/5 · soreness {soreness}/5").format(**values)


def readiness_notice(readiness: Readiness) -> str:
    """On top of the first exercise, once answered."""
    if not readiness.answered:
        return _("OK - no readiness today.")
    if readiness.low:
        return _("🧭 Thanks. A low day: today's weights are {percent}% lighter. Listen to your body.").format(
            percent=readiness.reduce_percent
        )
    return _("🧭 Thanks - you're good to go.")


# --- stalled lifts -------------------------------------------------------------------------------------


def stalled_lines(lifts: Sequence[StalledLift], remedy: str) -> list[str]:
    """On the finish summary: each stalled lift of the workout, with the program's remedy."""
    if not lifts:
        return []
    names = ", ".join(f"<b>{esc(exercise_name(lift.name))}</b>" for lift in lifts)
    return [
        _("⚠️ Stalled: {lifts} - no progress in your last 3 sessions. Remedy: {remedy}").format(
            lifts=names, remedy=esc(remedy)
        )
    ]


# --- the coach's notice of a finished workout ----------------------------------------------------------


def workout_done_text(
    trainee_name: str, summary: SessionSummary, note: str | None = None, readiness: Readiness | None = None
) -> str:
    """The message a coach gets when a trainee finishes a workout: what was done, the ratings, the
    readiness answers, the trainee's note (escaped, cut to fit) and the new records."""
    lines = [
        _("🏁 {trainee} finished <b>{workout}</b>").format(
            trainee=esc(trainee_name), workout=esc(summary.workout_name)
        )
    ]
    total = summary.exercises_total
    facts = [
        ngettext("{done}/{n} exercise", "{done}/{n} exercises", total).format(
            done=summary.exercises_done, n=total
        ),
        ngettext("{n} set", "{n} sets", summary.sets).format(n=summary.sets),
    ]
    if summary.duration_seconds:
        facts.append(format_minutes(summary.duration_seconds))
    lines.append(" · ".join(facts))
    ratings = []
    if summary.effort is not None:
        ratings.append(_("effort {rating}").format(rating=format_rating(summary.effort)))
    if summary.soreness is not None:
        ratings.append(_("soreness {rating}").format(rating=format_rating(summary.soreness)))
    lines.append(", ".join(ratings) if ratings else _("no ratings"))
    if (ready := readiness_line(readiness)) is not None:
        lines.append(ready)
    if note and note.strip():
        lines.append(f"📝 <i>{esc(format_label(note.strip(), NOTE_LIMIT))}</i>")
    if summary.records:
        n = len(summary.records)
        lines.append(ngettext("🏆 {n} new record", "🏆 {n} new records", n).format(n=n))
    lines.append(_("💬 Reply to this message (or tap Comment) to comment; they can answer once."))
    return "\n".join(lines)
