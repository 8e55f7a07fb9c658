"""Durations (45, '45s', '1:30', '2min', '1h 15min') and rep ranges (8-12): parsing and formatting."""

from __future__ import annotations

import re
from typing import Final

from bot.i18n import N_, _
from bot.services.program_format.errors import _kind, _show
from bot.services.program_format.limits import DURATION_SECONDS_MAX, REPS_MAX

_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,4}):([0-5]\d)")
_UNITS = re.compile(
    r"(?:(?P<h>\d{1,5})\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<m>\d{1,6})\s*(?:m|min|mins|minute|minutes))?\s*"
    r"(?:(?P<s>\d{1,7})\s*(?:s|sec|secs|second|seconds))?"
)
_RANGE = re.compile(r"(\d{1,6})\s*[-–—]\s*(\d{1,6})")  # a hyphen, an en dash or an em dash
DURATION_HELP: Final = N_("expected seconds like 45, or '45s', '1:30', '2min', '1h 15min'")
REPS_HELP: Final = N_("expected a number or a range like 8-12")


def parse_duration(value: object, *, minimum: int = 1, maximum: int = DURATION_SECONDS_MAX) -> int:
    """Seconds from 45, "45", "45s", "1:30", "1:02:30", "2min", "1h 15min", "1 min 30 s".

    Raises ValueError with a user-presentable message when the value is not a duration or is outside
    minimum..maximum.
    """
    seconds: int | None = None
    if isinstance(value, bool):
        raise ValueError(_("{help}, got {kind}").format(help=_(DURATION_HELP), kind=_kind(value)))
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, float) and value.is_integer():
        seconds = int(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if text.isascii() and text.isdigit() and len(text) <= 7:
            seconds = int(text)
        elif clock := _CLOCK.fullmatch(text):
            hours, minutes, secs = clock.groups()
            seconds = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
        elif text and (units := _UNITS.fullmatch(text)) and any(units.groups()):
            seconds = int(units["h"] or 0) * 3600 + int(units["m"] or 0) * 60 + int(units["s"] or 0)
    if seconds is None:
        raise ValueError(_("{help}, got {kind}").format(help=_(DURATION_HELP), kind=_show(value)))
    if not minimum <= seconds <= maximum:
        raise ValueError(_("{n} seconds is outside {min}..{max}").format(n=seconds, min=minimum, max=maximum))
    return seconds


def format_duration(seconds: int) -> str:
    """The shortest readable form parse_duration reads back: "45s", "20min", "1h", "1:30", "1:02:30"."""
    if seconds <= 0:
        return f"{seconds}s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if seconds % 3600 == 0:
        return f"{hours}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}min" if hours == 0 else f"{hours}h {minutes}min"
    if seconds < 60:
        return f"{seconds}s"
    return f"{minutes}:{secs:02d}" if hours == 0 else f"{hours}:{minutes:02d}:{secs:02d}"


def parse_reps(value: object) -> tuple[int, int]:
    """(min, max) from 5 (min == max), "5", "8-12" (min < max), each within 1..1000.

    Raises ValueError with a user-presentable message.
    """
    low: int | None = None
    high: int | None = None
    if isinstance(value, bool):
        raise ValueError(_("{help}, got {kind}").format(help=_(REPS_HELP), kind=_kind(value)))
    if isinstance(value, int):
        low = high = value
    elif isinstance(value, float) and value.is_integer():
        low = high = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 6:
            low = high = int(text)
        elif match := _RANGE.fullmatch(text):
            low, high = int(match[1]), int(match[2])
            if low >= high:
                raise ValueError(
                    _("the range {low}-{high} must go from fewer to more reps, like 8-12").format(
                        low=low, high=high
                    )
                )
    if low is None or high is None:
        raise ValueError(_("{help}, got {kind}").format(help=_(REPS_HELP), kind=_show(value)))
    for number in (low, high):
        if not 1 <= number <= REPS_MAX:
            raise ValueError(_("{n} reps is outside 1..{max}").format(n=number, max=REPS_MAX))
    return low, high


def format_reps(low: int, high: int) -> int | str:
    """5 for a fixed target, "8-12" for a range: what parse_reps reads back."""
    return low if low == high else f"{low}-{high}"
