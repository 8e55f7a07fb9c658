"""A rating typed at a prompt: an exercise's difficulty, a workout's effort and soreness."""

from __future__ import annotations

import re

from bot.i18n import _
from bot.services.set_input import RatingError, _shown


def parse_rating(text: str, low: int, high: int) -> int:
    """A whole number in low..high from '7', ' 7 ' or '7/10' (only with /high). Raises RatingError."""
    example = _("Send a whole number from {low} to {high}, like {middle}.").format(
        low=low, high=high, middle=(low + high + 1) // 2
    )
    body = "".join(text.split()) if isinstance(text, str) else ""
    match = re.fullmatch(r"(-?\d{1,6})(?:/(\d{1,6}))?", body, re.ASCII)
    if match is None or (match[2] is not None and int(match[2]) != high):
        if isinstance(text, str) and text.strip():
            problem = _("“{text}” is not a rating.").format(text=_shown(text))
        else:
            problem = _("That is not a rating.")
        raise RatingError(_("{problem} {help}").format(problem=problem, help=example))
    value = int(match[1])
    if not low <= value <= high:
        raise RatingError(
            _("{problem} {help}").format(problem=_("{n} is out of range.").format(n=value), help=example)
        )
    return value


__all__ = ["RatingError", "parse_rating"]
