"""Time zones and reminder times: reading what a user types, and computing local days and instants.

Pure, no database, no Telegram. The database stores UTC; every user has an IANA zone name, in which
"today" and reminder times are computed (`local_today`, `local_datetime`).

`parse_timezone` reads, in this order:

1. UTC offsets - ``UTC``, ``GMT``, ``Z``, ``UTC+2``, ``GMT-5``, ``+02:00``, ``+0530``, ``+5:30``. A whole
   hour maps to the fixed zone ``Etc/GMT-2`` (for UTC+2: the Etc names have inverted signs) and 0 to
   ``UTC``. A fraction of an hour has no Etc zone, so it maps to a representative real zone that uses
   that offset (see `HALF_HOUR_ZONES`: +5:30 Asia/Kolkata, +9:30 Australia/Darwin, -3:30
   America/St_Johns ...). Some of those keep daylight saving time (St John's, Lord Howe, Chatham), so the
   offset is the one the user typed for part of the year only - the price of a real place.
2. Common abbreviations and big cities that are not zone names (``EST``, ``PST``, ``IST``, ``New Delhi``,
   ``Beijing``, ``San Francisco`` ...; see `ALIASES`). The US abbreviations map to the city zones
   (``EST`` -> America/New_York), which follow daylight saving time like the people who type them.
3. IANA names, ignoring case, accents, and spaces for underscores: ``europe/berlin``, ``America/New York``.
4. A city alone: the last part of a zone name - ``Berlin``, ``new york``, ``São Paulo``, ``sao paulo``.

Anything else raises TimezoneError with up to three close matches (difflib) in `suggestions`.

A typed offset is ambiguous: UTC+2 is Cairo all year, Berlin in summer only, and a fixed offset has no
daylight saving at all. So before reading it as above, the time zone step asks (`offset_choices`): the
zones that have that offset right now, most populous first (bot.services.timezone_population), each
saying whether it is on summer time, and the fixed offset itself when one exists (whole hours only).
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, available_timezones

from bot.i18n import N_, _
from bot.services.errors import DomainError
from bot.services.timezone_population import ZONE_POPULATION

MAX_TIMEZONE_TEXT: Final = 64
TIMEZONE_HELP: Final = N_(
    "Send a city like Berlin or New York, a zone like Europe/Berlin, or an offset like UTC+2."
)
TIME_HELP: Final = N_("Send it like 7:30, 19:30 or 7:30 pm.")

# (label, IANA name) for buttons, west to east; labels are translated where shown (`_(label)`).
COMMON_TIMEZONES: Final[tuple[tuple[str, str], ...]] = (
    (N_("Los Angeles"), "America/Los_Angeles"),
    (N_("Chicago"), "America/Chicago"),
    (N_("New York"), "America/New_York"),
    (N_("São Paulo"), "America/Sao_Paulo"),
    ("UTC", "UTC"),
    (N_("London"), "Europe/London"),
    (N_("Berlin"), "Europe/Berlin"),
    (N_("Moscow"), "Europe/Moscow"),
    (N_("Dubai"), "Asia/Dubai"),
    (N_("New Delhi"), "Asia/Kolkata"),
    (N_("Singapore"), "Asia/Singapore"),
    (N_("Tokyo"), "Asia/Tokyo"),
    (N_("Sydney"), "Australia/Sydney"),
)

# Cities as Russian readers type them (folded like every typed zone: ё as е, й as и).
RUSSIAN_CITIES: Final[dict[str, str]] = {
    "москва": "Europe/Moscow",
    "мск": "Europe/Moscow",
    "санкт-петербург": "Europe/Moscow",
    "петербург": "Europe/Moscow",
    "питер": "Europe/Moscow",
    "спб": "Europe/Moscow",
    "казань": "Europe/Moscow",
    "нижний новгород": "Europe/Moscow",
    "ростов-на-дону": "Europe/Moscow",
    "краснодар": "Europe/Moscow",
    "воронеж": "Europe/Moscow",
    "калининград": "Europe/Kaliningrad",
    "самара": "Europe/Samara",
    "саратов": "Europe/Saratov",
    "волгоград": "Europe/Volgograd",
    "екатеринбург": "Asia/Yekaterinburg",
    "челябинск": "Asia/Yekaterinburg",
    "пермь": "Asia/Yekaterinburg",
    "уфа": "Asia/Yekaterinburg",
    "тюмень": "Asia/Yekaterinburg",
    "омск": "Asia/Omsk",
    "новосибирск": "Asia/Novosibirsk",
    "томск": "Asia/Tomsk",
    "барнаул": "Asia/Barnaul",
    "красноярск": "Asia/Krasnoyarsk",
    "иркутск": "Asia/Irkutsk",
    "якутск": "Asia/Yakutsk",
    "чита": "Asia/Chita",
    "владивосток": "Asia/Vladivostok",
    "хабаровск": "Asia/Vladivostok",
    "магадан": "Asia/Magadan",
    "петропавловск-камчатский": "Asia/Kamchatka",
    "киев": "Europe/Kyiv",
    "киів": "Europe/Kyiv",
    "харьков": "Europe/Kyiv",
    "одесса": "Europe/Kyiv",
    "львов": "Europe/Kyiv",
    "днепр": "Europe/Kyiv",
    "минск": "Europe/Minsk",
    "алматы": "Asia/Almaty",
    "астана": "Asia/Almaty",
    "ташкент": "Asia/Tashkent",
    "бишкек": "Asia/Bishkek",
    "тбилиси": "Asia/Tbilisi",
    "ереван": "Asia/Yerevan",
    "баку": "Asia/Baku",
    "кишинев": "Europe/Chisinau",
    "рига": "Europe/Riga",
    "вильнюс": "Europe/Vilnius",
    "таллин": "Europe/Tallinn",
    "берлин": "Europe/Berlin",
    "лондон": "Europe/London",
    "париж": "Europe/Paris",
    "прага": "Europe/Prague",
    "варшава": "Europe/Warsaw",
    "стамбул": "Europe/Istanbul",
    "дубай": "Asia/Dubai",
    "нью-йорк": "America/New_York",
    "лос-анджелес": "America/Los_Angeles",
    "чикаго": "America/Chicago",
    "токио": "Asia/Tokyo",
    "сингапур": "Asia/Singapore",
    "сидней": "Australia/Sydney",
    "нью-дели": "Asia/Kolkata",
    "сан-паулу": "America/Sao_Paulo",
}

# (hours, minutes) east of UTC -> a real zone with that (standard) offset.
HALF_HOUR_ZONES: Final[dict[tuple[int, int], str]] = {
    (-9, -30): "Pacific/Marquesas",
    (-3, -30): "America/St_Johns",
    (-2, -30): "America/St_Johns",  # Newfoundland in summer
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (8, 45): "Australia/Eucla",
    (9, 30): "Australia/Darwin",
    (10, 30): "Australia/Lord_Howe",
    (12, 45): "Pacific/Chatham",
}

# Folded text (see _fold) -> IANA name, for abbreviations and cities that are not part of a zone name.
ALIASES: Final[dict[str, str]] = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "bst": "Europe/London",
    "cest": "Europe/Berlin",
    "msk": "Europe/Moscow",
    "ist": "Asia/Kolkata",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "new delhi": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bombay": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "osaka": "Asia/Tokyo",
    "abu dhabi": "Asia/Dubai",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "boston": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "rio de janeiro": "America/Sao_Paulo",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "saint petersburg": "Europe/Moscow",
    "st petersburg": "Europe/Moscow",
    "milan": "Europe/Rome",
    "barcelona": "Europe/Madrid",
    "manchester": "Europe/London",
    "istanbul": "Europe/Istanbul",
    "kiev": "Europe/Kyiv",
    "nicosia": "Asia/Nicosia",
    "ho chi minh city": "Asia/Ho_Chi_Minh",
}

# Zone names whose last part is a city (the others are legacy or Etc names: GB, US/Pacific, Etc/GMT+2).
_REGIONS: Final = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
_NOT_ZONES: Final = frozenset({"localtime", "Factory", "posixrules"})

_OFFSET = re.compile(
    r"(?:utc|gmt|z)?\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?:\s*[:.h]?\s*(?P<m>\d{2}))?\s*(?:h|hrs?|hours?)?",
    re.ASCII,
)
_ZERO_OFFSET = frozenset({"utc", "gmt", "z", "zulu", "utc0", "gmt0", "universal", "greenwich"})


class TimezoneError(DomainError):
    """Not a time zone; `suggestions` holds up to three IANA names that come close (for buttons)."""

    def __init__(self, reason: str, suggestions: list[str] | None = None) -> None:
        super().__init__(reason)
        self.suggestions: list[str] = list(suggestions or [])


class ReminderTimeError(DomainError):
    """Not a time of day."""


def _fold(text: str) -> str:
    """Lower case without accents; _ and - as spaces; no dots or apostrophes; single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = re.sub(r"[.'’]", "", text)
    text = re.sub(r"[_\-\s]+", " ", text)
    return re.sub(r"\s*/\s*", "/", text).strip()


@cache
def _russian_cities() -> dict[str, str]:
    """RUSSIAN_CITIES by their folded spelling (as typed text is looked up)."""
    return {_fold(city): zone for city, zone in RUSSIAN_CITIES.items()}


@dataclass(frozen=True, slots=True)
class _Index:
    names: dict[str, str]  # folded full name -> name
    cities: dict[str, str]  # folded last part -> name


@cache
def _index() -> _Index:
    zones = sorted(available_timezones() - _NOT_ZONES)
    names = {_fold(name): name for name in zones}
    cities: dict[str, str] = {}
    # Deepest names first (America/Argentina/Buenos_Aires before its link America/Buenos_Aires).
    for name in sorted(zones, key=lambda zone: (-zone.count("/"), zone)):
        if name.split("/", 1)[0] in _REGIONS:
            cities.setdefault(_fold(name.rsplit("/", 1)[-1]), name)
    return _Index(names=names, cities=cities)


def timezone_exists(name: str) -> bool:
    """Whether `name` is an IANA zone name zoneinfo can load (exact spelling)."""
    return name in available_timezones() and name not in _NOT_ZONES


def _offset_zone(sign: str, hours: int, minutes: int, shown: str) -> str:
    if hours > 14 or (sign == "-" and hours > 12) or minutes > 59:
        raise TimezoneError(
            _("“{text}” is not a UTC offset: they go from UTC-12 to UTC+14. {help}").format(
                text=shown, help=_(TIMEZONE_HELP)
            )
        )
    if minutes == 0:
        if hours == 0:
            return "UTC"
        return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"  # Etc/GMT-2 is UTC+2
    direction = 1 if sign == "+" else -1
    zone = HALF_HOUR_ZONES.get((direction * hours, direction * minutes))
    if zone is None:
        raise TimezoneError(
            _(
                "No time zone is at {offset}. Offsets are whole hours, or :30 and :45 "
                "in a few places (India is UTC+5:30). {help}"
            ).format(offset=f"UTC{sign}{hours}:{minutes:02d}", help=_(TIMEZONE_HELP))
        )
    return zone


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    zone: str  # IANA name
    city: str  # its largest city
    summer_time: bool  # on daylight saving time at the moment asked


@dataclass(frozen=True, slots=True)
class OffsetChoice:
    """What a typed UTC offset may mean (see the module doc)."""

    label: str  # 'UTC+2', 'UTC-3:30'
    zones: tuple[ZoneChoice, ...]  # the zones with that offset now, most populous first
    fixed: str | None  # the fixed zone with that offset ('Etc/GMT-2'); None for :30 and :45 offsets


def _offset_parts(text: str) -> tuple[str, int, int, str] | None:
    """(sign, hours, minutes, shown) when `text` is a non-zero UTC offset, else None."""
    raw = text.strip() if isinstance(text, str) else ""
    lowered = raw.lower().replace("−", "-")
    if not raw or len(raw) > MAX_TIMEZONE_TEXT or lowered.replace(" ", "") in _ZERO_OFFSET:
        return None
    offset = _OFFSET.fullmatch(lowered)
    if offset is None or (int(offset["h"]) == 0 and int(offset["m"] or 0) == 0):
        return None
    shown = raw if len(raw) <= 30 else raw[:29] + "…"
    return offset["sign"], int(offset["h"]), int(offset["m"] or 0), shown


def offset_choices(text: str, now: datetime, *, limit: int = 5) -> OffsetChoice | None:
    """For a typed non-zero UTC offset, the zones that have it at `now` (up to `limit`, most populous
    first) and the fixed zone; None when `text` is not such an offset. Raises TimezoneError for an
    offset no zone has (UTC+15, UTC+5:15)."""
    parts = _offset_parts(text)
    if parts is None:
        return None
    sign, hours, minutes, shown = parts
    representative = _offset_zone(sign, hours, minutes, shown)  # validates, raising TimezoneError
    wanted = timedelta(hours=hours, minutes=minutes) * (1 if sign == "+" else -1)
    instant = _aware(now)
    zones: list[ZoneChoice] = []
    for zone, (city, _population) in ZONE_POPULATION.items():
        local = instant.astimezone(ZoneInfo(zone))
        if local.utcoffset() == wanted:
            zones.append(ZoneChoice(zone, city, bool(local.dst())))
            if len(zones) == limit:
                break
    fixed = representative if minutes == 0 else None
    if not zones and fixed is None:  # e.g. UTC-2:30, Newfoundland's summer offset, in winter
        city = ZONE_POPULATION.get(representative, (representative.rsplit("/", 1)[-1], 0))[0]
        zones.append(ZoneChoice(representative, city, False))
    label = f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")
    return OffsetChoice(label, tuple(zones), fixed)


def parse_timezone(text: str) -> str:
    """An IANA zone name from a zone name, a city, an abbreviation or a UTC offset (see the module doc).

    Raises TimezoneError, with `suggestions`, when it is none of them.
    """
    raw = text.strip() if isinstance(text, str) else ""
    if not raw:
        raise TimezoneError(_("Which time zone are you in? {help}").format(help=_(TIMEZONE_HELP)))
    shown = raw if len(raw) <= 30 else raw[:29] + "…"
    if len(raw) > MAX_TIMEZONE_TEXT:
        raise TimezoneError(
            _("“{text}” is too long for a time zone. {help}").format(text=shown, help=_(TIMEZONE_HELP))
        )
    lowered = raw.lower().replace("−", "-")  # a real minus sign too
    if lowered.replace(" ", "") in _ZERO_OFFSET:
        return "UTC"
    if offset := _OFFSET.fullmatch(lowered):
        return _offset_zone(offset["sign"], int(offset["h"]), int(offset["m"] or 0), shown)

    index = _index()
    folded = _fold(raw)
    if "/" in folded:
        name = index.names.get(folded)
    else:  # a city before a legacy name: Singapore is Asia/Singapore rather than the link Singapore
        name = (
            ALIASES.get(folded)
            or _russian_cities().get(folded)
            or index.cities.get(folded)
            or index.names.get(folded)
        )
    if name is not None:
        return name

    candidates = {**index.cities, **ALIASES, **_russian_cities(), **index.names}
    suggestions: list[str] = []
    for match in difflib.get_close_matches(folded, candidates, n=10, cutoff=0.6):
        if candidates[match] not in suggestions:
            suggestions.append(candidates[match])
    suggestions = suggestions[:3]
    if suggestions:
        message = _("I don't know the time zone “{text}”. Did you mean {suggestions}? {help}").format(
            text=shown, suggestions=_or(suggestions), help=_(TIMEZONE_HELP)
        )
    else:
        message = _("I don't know the time zone “{text}”. {help}").format(text=shown, help=_(TIMEZONE_HELP))
    raise TimezoneError(message, suggestions)


def _or(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


# --- times of day ------------------------------------------------------------------------------------

_TIME = re.compile(
    r"(?P<h>\d{1,2})(?:\s?[:.h]\s?(?P<m>\d{2})|\s?h)?(?:\s?(?P<ap>[ap])\.?\s?m\.?)?",
    re.ASCII,
)
_WORDS: Final = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}


def parse_time_of_day(text: str) -> time:
    """A time of day from '7', '7:30', '07:30', '7.30', '19h30', '19h', '7am', '7:30 pm', '12 am',
    'noon', 'midnight'. '730' is refused as ambiguous. Raises ReminderTimeError."""
    raw = " ".join(text.split()).lower() if isinstance(text, str) else ""
    shown = raw if len(raw) <= 30 else raw[:29] + "…"
    if not raw:
        raise ReminderTimeError(_("What time? {help}").format(help=_(TIME_HELP)))
    if raw in _WORDS:
        return _WORDS[raw]
    if re.fullmatch(r"\d{3,4}", raw, re.ASCII):
        raise ReminderTimeError(
            _("Is “{text}” hours and minutes? Write it with a colon. {help}").format(
                text=shown, help=_(TIME_HELP)
            )
        )
    match = _TIME.fullmatch(raw)
    if match is None:
        raise ReminderTimeError(
            _("I couldn't read “{text}” as a time of day. {help}").format(text=shown, help=_(TIME_HELP))
        )
    hours, minutes = int(match["h"]), int(match["m"] or 0)
    if minutes > 59:
        raise ReminderTimeError(
            _("“{text}” is not a time: minutes go from 00 to 59. {help}").format(
                text=shown, help=_(TIME_HELP)
            )
        )
    if match["ap"]:
        if not 1 <= hours <= 12:
            raise ReminderTimeError(
                _("“{text}” is not a time: with am/pm hours go from 1 to 12. {help}").format(
                    text=shown, help=_(TIME_HELP)
                )
            )
        hours = hours % 12 + (12 if match["ap"] == "p" else 0)
    elif hours > 23:
        raise ReminderTimeError(
            _("“{text}” is not a time: hours go from 0 to 23. {help}").format(text=shown, help=_(TIME_HELP))
        )
    return time(hours, minutes)


# --- local days and instants -------------------------------------------------------------------------


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return now


def local_today(tz: str, now: datetime) -> date:
    """The date in zone `tz` at the aware instant `now` (ValueError if naive; ZoneInfoNotFoundError if
    `tz` is not a zone)."""
    return _aware(now).astimezone(ZoneInfo(tz)).date()


def on_clock(instant: datetime | None, tz: str) -> datetime | None:
    """`instant` as the clock in zone `tz` shows it (None stays None): its `.date()` is that zone's day."""
    return instant.astimezone(ZoneInfo(tz)) if instant is not None else None


def local_datetime(tz: str, day: date, at: time) -> datetime:
    """The aware UTC instant when the clock in zone `tz` shows `day` `at`.

    Daylight saving time: a local time that does not exist (the spring-forward gap) maps to the first
    instant after the gap (02:30 on the day Berlin springs forward -> 03:00 local = 01:00 UTC); one that
    occurs twice (fall back) maps to its first occurrence. `at`'s tzinfo and fold are ignored.
    """
    zone = ZoneInfo(tz)
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=zone)  # fold=0: in a repeated hour, the first occurrence
    instant = first.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant
    # In a gap: fold=0 reads the time with the offset before the transition, fold=1 with the one after;
    # the transition lies between those two instants. Find it (transitions fall on whole seconds).
    ends = sorted((instant, wall.replace(tzinfo=zone, fold=1).astimezone(UTC)))
    after = ends[1].astimezone(zone).utcoffset()
    low, high = math.floor(ends[0].timestamp()), math.ceil(ends[1].timestamp())
    while high - low > 1:  # the offset at low is the one before, at high the one after
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def utc_offset_label(tz: str, now: datetime) -> str:
    """The zone's offset at `now`: 'UTC+01:00', 'UTC-05:00', 'UTC+05:30', 'UTC+00:00'."""
    offset = _aware(now).astimezone(ZoneInfo(tz)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


__all__ = [
    "ALIASES",
    "COMMON_TIMEZONES",
    "HALF_HOUR_ZONES",
    "MAX_TIMEZONE_TEXT",
    "TIMEZONE_HELP",
    "TIME_HELP",
    "OffsetChoice",
    "ReminderTimeError",
    "TimezoneError",
    "ZoneChoice",
    "local_datetime",
    "local_today",
    "offset_choices",
    "parse_time_of_day",
    "parse_timezone",
    "timezone_exists",
    "utc_offset_label",
]
