"""Reading a date the user types (a program's start date), relative to their local today.

Pure: no database, no Telegram, no clock - the caller passes the user's local `today`.

Accepted forms (case and surrounding spaces ignored):

- ISO: ``2026-11-24``;
- day first with a dot, slash or dash: ``24.11``, ``24.11.2026``, ``24/11/26``, ``24-11``; with a slash, a
  month-first date is read when day-first cannot be one (``11/24`` is 24 November);
- a month name or its first three letters: ``24 Nov``, ``24 november 2026``, ``Nov 24``, ``Nov 24, 2026``;
- words: ``today``, ``tomorrow`` (``tmrw``), ``yesterday``;
- weekdays: ``mon`` .. ``sunday`` (also ``tue``/``tues``, ``thu``/``thur``/``thurs``): the nearest such day
  from today on (today itself when it is that weekday); ``next monday``: the nearest one after today.

Dates are bounded: none before 1 January 1900 (`EARLIEST`), none more than a century after today; a
text that has a date's form but names no acceptable day raises `ImpossibleDate` (a subclass of
`InvalidDate`), so a caller can tell "not a date" (perhaps a note) from "a bad date" (an error).
`check_bounds` applies a caller's own latest day (a measurement: tomorrow at the latest).

A date without a year is the one of last, this or next year that is nearest to today (a tie goes to
the future): on 24 Nov 2026, ``1.1`` is 1 Jan 2027 and ``20.11`` is 20 Nov 2026. Whether the date is
acceptable as a start date is the enrollment service's business (`check_start_date`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from bot.i18n import _
from bot.services.errors import DomainError

MAX_DATE_TEXT: Final = 40
EARLIEST: Final = date(1900, 1, 1)
MAX_YEARS_AHEAD: Final = 100

MONTHS: Final[dict[str, int]] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
} | {
    # Russian, as typed and as the bot writes dates ("7 дек"): the genitive after a day, and the nominative
    name: number
    for number, names in enumerate(
        (
            ("янв", "января", "январь"),
            ("фев", "февр", "февраля", "февраль"),
            ("мар", "марта", "март"),
            ("апр", "апреля", "апрель"),
            ("мая", "май"),
            ("июн", "июня", "июнь"),
            ("июл", "июля", "июль"),
            ("авг", "августа", "август"),
            ("сен", "сент", "сентября", "сентябрь"),
            ("окт", "октября", "октябрь"),
            ("ноя", "нояб", "ноября", "ноябрь"),
            ("дек", "декабря", "декабрь"),
        ),
        start=1,
    )
    for name in names
}

WEEKDAYS: Final[dict[str, int]] = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
} | {
    name: number
    for number, names in enumerate(
        (
            ("пн", "пон", "понедельник"),
            ("вт", "вторник"),
            ("ср", "среда", "среду"),
            ("чт", "четверг"),
            ("пт", "пятница", "пятницу"),
            ("сб", "суббота", "субботу"),
            ("вс", "воскресенье"),
        )
    )
    for name in names
}

RELATIVE: Final[dict[str, int]] = {
    "today": 0,
    "tod": 0,
    "now": 0,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "yesterday": -1,
    "сегодня": 0,
    "завтра": 1,
    "послезавтра": 2,
    "вчера": -1,
    "позавчера": -2,
}

_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", re.ASCII)
_NUMERIC = re.compile(r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{2}|\d{4}))?", re.ASCII)
_DAY_MONTH = re.compile(
    r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\s*(?P<mon>[a-zа-яё]+)\.?(?:,?\s*(?P<y>[0-9]{4})(?:\s*г\.?)?)?"
)
_MONTH_DAY = re.compile(
    r"(?P<mon>[a-z]+)\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(?P<y>\d{4}))?", re.ASCII
)
_NEXT = re.compile(r"next\s+(?P<day>[a-z]+)", re.ASCII)


class InvalidDate(DomainError):
    """The text is not a date this module can read, or names a day that does not exist."""


class ImpossibleDate(InvalidDate):
    """The text has a date's form, but the day does not exist or is out of bounds (31.02, 0001-01-01)."""


def check_bounds(day: date, today: date, *, days_ahead: int = 1, shown: str | None = None) -> date:
    """`day` itself if it lies between EARLIEST and `days_ahead` days after `today`; else ImpossibleDate."""
    name = f"“{shown}”" if shown else day.isoformat()
    if day < EARLIEST:
        raise ImpossibleDate(
            _("{date} is too long ago: dates start in {year}.").format(date=name, year=EARLIEST.year)
        )
    if day > today + timedelta(days=days_ahead):
        if days_ahead > 366:
            latest = _("at most {years} years ahead").format(years=days_ahead // 366)
        elif days_ahead == 0:
            latest = _("today at the latest")
        elif days_ahead == 1:
            latest = _("tomorrow at the latest")
        else:
            latest = _("at most {days} days ahead").format(days=days_ahead)
        raise ImpossibleDate(_("{date} is too far ahead: {latest}.").format(date=name, latest=latest))
    return day


def _full_year(year: str) -> int:
    """'26' is 2026; four digits are the year itself."""
    return 2000 + int(year) if len(year) == 2 else int(year)


def _exact(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ImpossibleDate(_("“{text}” is not a real date.").format(text=shown)) from None


def _nearest(month: int, day: int, today: date, shown: str) -> date:
    """The (month, day) of last, this or next year nearest to today, a tie going to the future; 29
    February, when none of those is a leap year, in the next leap year."""
    candidates = []
    for year in range(today.year - 1, today.year + 5):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
        if year >= today.year + 1:
            break
    if not candidates:
        raise ImpossibleDate(_("“{text}” is not a real date.").format(text=shown))
    return min(candidates, key=lambda d: (abs((d - today).days), d < today))


def _month(name: str) -> int | None:
    return MONTHS.get(name)


def _resolve(month: int, day: int, year: str | None, today: date, shown: str) -> date:
    if not 1 <= month <= 12:
        raise ImpossibleDate(_("“{text}” is not a real date: months go from 1 to 12.").format(text=shown))
    if year is not None:
        return _exact(_full_year(year), month, day, shown)
    return _nearest(month, day, today, shown)


def weekday_on_or_after(today: date, weekday: int) -> date:
    """The nearest date from `today` on (today included) that falls on `weekday` (Monday = 0)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def next_weekday(today: date, weekday: int) -> date:
    """The nearest date after `today` that falls on `weekday` (Monday = 0): next Monday, say."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def parse_date(text: str, today: date) -> date:
    """The date `text` names, read relative to the user's local `today` (see the module doc).

    Raises InvalidDate with a short reason (no examples: the caller adds them); ImpossibleDate when the
    text has a date's form but names no acceptable day.
    """
    raw = " ".join(text.split()).lower() if isinstance(text, str) else ""
    shown = raw if len(raw) <= 30 else raw[:29] + "…"
    return check_bounds(_parse(raw, shown, today), today, days_ahead=366 * MAX_YEARS_AHEAD, shown=shown)


def _parse(raw: str, shown: str, today: date) -> date:
    if not raw:
        raise InvalidDate(_("That is not a date."))
    if len(raw) > MAX_DATE_TEXT:
        raise InvalidDate(_("“{text}” is too long for a date.").format(text=shown))

    if raw in RELATIVE:
        return today + timedelta(days=RELATIVE[raw])
    if raw in WEEKDAYS:
        return weekday_on_or_after(today, WEEKDAYS[raw])
    if (match := _NEXT.fullmatch(raw)) and match["day"] in WEEKDAYS:
        return next_weekday(today, WEEKDAYS[match["day"]])

    if match := _ISO.fullmatch(raw):
        return _exact(int(match["y"]), int(match["m"]), int(match["d"]), shown)
    if match := _NUMERIC.fullmatch(raw):
        first, second = int(match["a"]), int(match["b"])
        day, month = first, second
        # 11/24: not a day-first date, but a month-first one.
        if match["sep"] == "/" and second > 12 and 1 <= first <= 12:
            day, month = second, first
        return _resolve(month, day, match["y"], today, shown)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        match = pattern.fullmatch(raw)
        if match is not None and (month_number := _month(match["mon"])) is not None:
            return _resolve(month_number, int(match["d"]), match["y"], today, shown)
    raise InvalidDate(_("I couldn't read “{text}” as a date.").format(text=shown))


__all__ = [
    "EARLIEST",
    "MONTHS",
    "WEEKDAYS",
    "ImpossibleDate",
    "InvalidDate",
    "check_bounds",
    "next_weekday",
    "parse_date",
    "weekday_on_or_after",
]
