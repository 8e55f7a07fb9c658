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
from bot.services.coaching.attention import AttentionFlag, FlagKind
from bot.services.coaching.comments import AnswerSent, CommentSent, CommentView, WorkoutRef
from bot.services.readiness import QUESTIONS, Readiness
from bot.services.stalls import StalledLift
from bot.ui.callback import pack
from bot.ui.formatting import format_date, format_label
from bot.ui.texts import esc

CM: Final = "cm"
COMMENT: Final = "c"
ANSWER: Final = "a"
CANCEL: Final = "x"
QUOTE_LIMIT: Final = 300

STALE_BUTTON = "This button is no longer valid."
CANCELLED = "OK - nothing was sent."
EXAMPLE = "e.g. <i>Great depth today - add 2.5 kg next time.</i>"


# --- /trainees -----------------------------------------------------------------------------------------


def flag_text(flag: AttentionFlag) -> str:
    """One reason, in words."""
    if flag.kind is FlagKind.IDLE:
        return "no workout yet" if flag.days is None else f"no workout in {flag.days} days"
    if flag.kind is FlagKind.ADHERENCE:
        return f"adherence {flag.percent}% (under 60%)"
    if flag.kind is FlagKind.SORENESS:
        return "soreness " + ", ".join(f"{v}/10" for v in flag.soreness) + " in a row"
    names = ", ".join(esc(format_label(name, 40)) for name in flag.lifts[:3])
    more = f" +{len(flag.lifts) - 3}" if len(flag.lifts) > 3 else ""
    return f"stalled: {names}{more} (no progress in 3 sessions)"


def flags_line(flags: Sequence[AttentionFlag]) -> str | None:
    """The roster's attention line of a trainee (None when all is well)."""
    if not flags:
        return None
    return "   ⚠️ " + " · ".join(flag_text(f) for f in flags)


def attention_summary(count: int) -> str | None:
    if not count:
        return None
    return f"⚠️ {count} need{'s' if count == 1 else ''} attention (listed first)"


# --- comments ------------------------------------------------------------------------------------------


def comment_button(session_id: uuid.UUID) -> InlineKeyboardMarkup:
    """Under a workout notice."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("💬 Comment", callback_data=pack(CM, COMMENT, session_id))]]
    )


def answer_button(comment_id: uuid.UUID) -> InlineKeyboardMarkup:
    """Under a coach's comment, in the trainee's chat."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("↩️ Answer", callback_data=pack(CM, ANSWER, comment_id))]]
    )


def cancel_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("✖️ Cancel", callback_data=pack(CM, CANCEL))]])


def _quote(text: str) -> str:
    return f"<i>{esc(format_label(text, QUOTE_LIMIT))}</i>"


def _workout(name: str, when: datetime | None, today: date) -> str:
    return f"<b>{esc(name)}</b>" + (f" ({format_date(when.date(), today)})" if when else "")


def comment_prompt(workout: WorkoutRef, today: date) -> str:
    return (
        f"💬 Your comment on {esc(workout.trainee_name)}'s "
        f"{_workout(workout.workout_name, workout.when, today)}:"
        f" type it (up to {COMMENT_LIMIT} characters), {EXAMPLE}\n"
        "Replying to a workout message does the same."
    )


def answer_prompt(body: str) -> str:
    return (
        f"↩️ Your answer to your coach's comment {_quote(body)}: type it (up to {COMMENT_LIMIT} characters)."
        " You can answer once."
    )


def comment_sent(sent: CommentSent, today: date) -> str:
    where = _workout(sent.workout.workout_name, sent.workout.when, today)
    return f"✅ Sent to {esc(sent.workout.trainee_name)}, on {where}: {_quote(sent.body)}"


def comment_for_trainee(sent: CommentSent, today: date) -> str:
    where = _workout(sent.workout.workout_name, sent.workout.when, today)
    return (
        f"💬 Your coach {esc(sent.coach_name)} commented on {where}:\n{_quote(sent.body)}\n\n"
        "Tap Answer (or reply to this message) to answer once. It is kept with the workout in /history."
    )


def answer_sent() -> str:
    return "✅ Sent to your coach. It is kept with the workout in /history."


def answer_for_coach(sent: AnswerSent, today: date) -> str:
    return (
        f"↩️ {esc(sent.trainee_name)} answered your comment on "
        f"{_workout(sent.workout_name, sent.when, today)}:\n"
        f"{_quote(sent.answer)}\n(your comment: {_quote(sent.body)})"
    )


def refused(reason: str) -> str:
    """A comment or answer that was not stored, and how to try again."""
    return f"🤔 {esc(reason)} Nothing was sent - type it again, {EXAMPLE}"


def comment_lines(comments: Sequence[CommentView]) -> list[str]:
    """The comments in a workout's /history detail."""
    lines: list[str] = []
    for comment in comments:
        who = esc(comment.coach_name) if comment.coach_name else "Your former coach"
        lines.append(f"💬 {who}: {_quote(comment.body)}")
        if comment.answer:
            lines.append(f"   ↩️ You: {_quote(comment.answer)}")
    return lines


# --- readiness -----------------------------------------------------------------------------------------

READINESS_LABELS: Final = {
    "sleep": ("😴 Sleep last night", "1 = very poor · 5 = great"),
    "stress": ("🧠 Stress", "1 = very stressed · 5 = relaxed"),
    "soreness": ("💪 Soreness", "1 = very sore · 5 = fresh"),
}


def readiness_question(workout_name: str, answers: str) -> str:
    """The question for the next answer; `answers` are the digits given so far."""
    done = [f"{READINESS_LABELS[q][0]}: {a}/5" for q, a in zip(QUESTIONS, answers, strict=False)]
    name, scale = READINESS_LABELS[QUESTIONS[len(answers)]]
    lines = [f"🧭 Before <b>{esc(workout_name)}</b>: how ready are you? ({len(answers) + 1} of 3)"]
    lines += done
    lines += ["", f"<b>{name}</b>", scale]
    return "\n".join(lines)


def readiness_keyboard(session_id: uuid.UUID, answers: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(str(v), callback_data=pack("wk", "rdy", session_id, answers + str(v)))
                for v in range(1, 6)
            ],
            [InlineKeyboardButton("⏭ Skip the question", callback_data=pack("wk", "rdy", session_id, "-"))],
        ]
    )


def readiness_line(readiness: Readiness | None) -> str | None:
    """The answers in one line (the coach's notice, the workout's notice); None without any."""
    if readiness is None or not readiness.answered:
        return None
    line = (
        f"🧭 Readiness: sleep {readiness.sleep}/5 · stress {readiness.stress}/5"
        f" · soreness {readiness.soreness}/5"
    )
    if readiness.low:
        line += f" - low: weights -{readiness.reduce_percent}% today"
    return line


def readiness_notice(readiness: Readiness) -> str:
    """On top of the first exercise, once answered."""
    if not readiness.answered:
        return "OK - no readiness today."
    if readiness.low:
        return (
            f"🧭 Thanks. A low day: today's weights are {readiness.reduce_percent}% lighter."
            " Listen to your body."
        )
    return "🧭 Thanks - you're good to go."


# --- stalled lifts -------------------------------------------------------------------------------------


def stalled_lines(lifts: Sequence[StalledLift], remedy: str) -> list[str]:
    """On the finish summary: each stalled lift of the workout, with the program's remedy."""
    if not lifts:
        return []
    names = ", ".join(f"<b>{esc(lift.name)}</b>" for lift in lifts)
    return [f"⚠️ Stalled: {names} - no progress in your last 3 sessions. Remedy: {esc(remedy)}"]
