"""Generic checks, shared with the reference-data parsers: locations, suggestions, the Checker."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.i18n import N_, _, ngettext
from bot.services.program_format.errors import Problem, _kind


def at(location: str, key: str | int) -> str:
    """`location` extended by a key (`a.b`) or an index (`a[2]`)."""
    if isinstance(key, int):
        return f"{location}[{key}]"
    return f"{location}.{key}" if location else key


def suggest(word: str, candidates: Iterable[str]) -> str:
    """' - did you mean 'x'?' for a close match, else ''."""
    options = list(candidates)
    prefixed = [c for c in options if len(word) >= 3 and (c.startswith(word) or word.startswith(c))]
    if len(prefixed) == 1:  # 'rest_days' -> 'rest_days_per_week' rather than the closer 'length_days'
        return _(" - did you mean '{option}'?").format(option=prefixed[0])
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return _(" - did you mean '{option}'?").format(option=matches[0]) if matches else ""


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Checker:
    """Collects problems while reading a loaded YAML document; every method returns None on a problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def mapping(
        self,
        location: str,
        value: object,
        *,
        required: Sequence[str] = (),
        optional: Sequence[str] = (),
        what: str = N_("a mapping of fields"),
    ) -> dict[str, Any] | None:
        """A mapping with text keys; reports unknown keys (with a suggestion) and missing required ones."""
        if not isinstance(value, Mapping):
            self.add(location, _("expected {what}, got {kind}").format(what=_(what), kind=_kind(value)))
            return None
        allowed = [*required, *optional]
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.add(location, _("field names must be text, got {kind}").format(kind=_kind(key)))
                continue
            if key not in allowed:
                hint = suggest(key, allowed) or _(" - expected one of: {options}").format(
                    options=", ".join(allowed)
                )
                self.add(at(location, key), _("unknown field '{key}'{hint}").format(key=key, hint=hint))
                continue
            result[key] = item
        for key in required:
            if key not in value:
                self.add(at(location, key), _("required, but missing"))
            elif value[key] is None:
                self.add(at(location, key), _("required, but empty"))
        return result

    def sequence(self, location: str, value: object, *, what: str = N_("a list")) -> list[Any] | None:
        if isinstance(value, list | tuple):
            return list(value)
        self.add(location, _("expected {what}, got {kind}").format(what=_(what), kind=_kind(value)))
        return None

    def text(
        self,
        location: str,
        value: object,
        *,
        max_length: int,
        required: bool = True,
        single_line: bool = False,
    ) -> str | None:
        """Stripped text within max_length characters; None (silently) when optional and absent."""
        if value is None:
            return None  # a missing required field is reported by mapping()
        if not isinstance(value, str):
            hint = _(" - put it in quotes") if isinstance(value, int | float | bool) else ""
            self.add(location, _("expected text, got {kind}{hint}").format(kind=_kind(value), hint=hint))
            return None
        text = value.strip()
        if not text:
            if required:
                self.add(location, _("must not be empty"))
            return None
        if single_line and "\n" in text:
            self.add(location, _("must be a single line"))
            return None
        if _CONTROL.search(text):
            self.add(location, _("contains control characters"))
            return None
        if len(text) > max_length:
            self.add(
                location,
                ngettext("{n} character, at most {max}", "{n} characters, at most {max}", len(text)).format(
                    n=len(text), max=max_length
                ),
            )
            return None
        return text

    def integer(self, location: str, value: object, *, minimum: int, maximum: int) -> int | None:
        if value is None:
            return None
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        if number is None:
            self.add(location, _("expected a whole number, got {kind}").format(kind=_kind(value)))
            return None
        if not minimum <= number <= maximum:
            self.add(location, _("{n} is outside {min}..{max}").format(n=number, min=minimum, max=maximum))
            return None
        return number

    def decimal(
        self,
        location: str,
        value: object,
        *,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        exclusive: bool = False,
        places: int = 3,
    ) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.add(location, f"expected a number, got {_kind(value)}")
            return None
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
        except InvalidOperation:
            self.add(location, f"expected a number, got {_kind(value)}")
            return None
        if not number.is_finite():
            self.add(location, _("expected a finite number"))
            return None
        low_bad = minimum is not None and (number <= minimum if exclusive else number < minimum)
        high_bad = maximum is not None and (number >= maximum if exclusive else number > maximum)
        if low_bad or high_bad:
            bounds = []
            if minimum is not None:
                low = _("more than {n}") if exclusive else _("at least {n}")
                bounds.append(low.format(n=minimum))
            if maximum is not None:
                high = _("less than {n}") if exclusive else _("at most {n}")
                bounds.append(high.format(n=maximum))
            joined = (
                _("{low} and {high}").format(low=bounds[0], high=bounds[1]) if len(bounds) == 2 else bounds[0]
            )
            self.add(location, _("must be {bounds}, got {n}").format(bounds=joined, n=number))
            return None
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            self.add(location, _("{n} has more than {places} decimal places").format(n=number, places=places))
            return None
        return number

    def boolean(self, location: str, value: object) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.add(location, _("expected true or false, got {kind}").format(kind=_kind(value)))
            return None
        return value

    def code(
        self,
        location: str,
        value: object,
        *,
        known: Collection[str] | None,
        what: str,
        max_length: int = 60,
    ) -> str | None:
        """A lower-case code; if `known` is given it must be one of them (with a suggestion)."""
        text = self.text(location, value, max_length=max_length, single_line=True)
        if text is None:
            return None
        text = text.lower()
        if known is not None and text not in known:
            hint = suggest(text, known)
            if not hint and len(known) <= 12:
                hint = _(" - expected one of: {options}").format(options=", ".join(sorted(known)))
            self.add(location, _("unknown {what} '{code}'{hint}").format(what=_(what), code=text, hint=hint))
            return None
        return text

    def codes(
        self,
        location: str,
        value: object,
        *,
        known: Collection[str] | None,
        what: str,
        at_least: int,
        at_most: int,
    ) -> list[str] | None:
        """A list of distinct codes, in the order given."""
        if value is None:
            return [] if at_least == 0 else None
        items = self.sequence(
            location, value, what=_("a list of {what} codes like [a, b]").format(what=_(what))
        )
        if items is None:
            return None
        if len(items) < at_least:
            self.add(location, _("give at least {n} {what}").format(n=at_least, what=_(what)))
            return None
        if len(items) > at_most:
            self.add(
                location, _("{n} {what} codes, at most {max}").format(n=len(items), what=_(what), max=at_most)
            )
            return None
        result: list[str] = []
        ok = True
        for index, item in enumerate(items):
            code = self.code(at(location, index), item, known=known, what=what)
            if code is None:
                ok = False
            elif code in result:
                self.add(at(location, index), _("'{code}' is listed twice").format(code=code))
                ok = False
            else:
                result.append(code)
        return result if ok else None
