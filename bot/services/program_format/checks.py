"""Generic checks, shared with the reference-data parsers: locations, suggestions, the Checker."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

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
        return f" - did you mean '{prefixed[0]}'?"
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" - did you mean '{matches[0]}'?" if matches else ""


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
        what: str = "a mapping of fields",
    ) -> dict[str, Any] | None:
        """A mapping with text keys; reports unknown keys (with a suggestion) and missing required ones."""
        if not isinstance(value, Mapping):
            self.add(location, f"expected {what}, got {_kind(value)}")
            return None
        allowed = [*required, *optional]
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.add(location, f"field names must be text, got {_kind(key)}")
                continue
            if key not in allowed:
                hint = suggest(key, allowed) or f" - expected one of: {', '.join(allowed)}"
                self.add(at(location, key), f"unknown field '{key}'{hint}")
                continue
            result[key] = item
        for key in required:
            if key not in value:
                self.add(at(location, key), "required, but missing")
            elif value[key] is None:
                self.add(at(location, key), "required, but empty")
        return result

    def sequence(self, location: str, value: object, *, what: str = "a list") -> list[Any] | None:
        if isinstance(value, list | tuple):
            return list(value)
        self.add(location, f"expected {what}, got {_kind(value)}")
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
            hint = " - put it in quotes" if isinstance(value, int | float | bool) else ""
            self.add(location, f"expected text, got {_kind(value)}{hint}")
            return None
        text = value.strip()
        if not text:
            if required:
                self.add(location, "must not be empty")
            return None
        if single_line and "\n" in text:
            self.add(location, "must be a single line")
            return None
        if _CONTROL.search(text):
            self.add(location, "contains control characters")
            return None
        if len(text) > max_length:
            self.add(location, f"{len(text)} characters, at most {max_length}")
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
            self.add(location, f"expected a whole number, got {_kind(value)}")
            return None
        if not minimum <= number <= maximum:
            self.add(location, f"{number} is outside {minimum}..{maximum}")
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
            self.add(location, "expected a finite number")
            return None
        low_bad = minimum is not None and (number <= minimum if exclusive else number < minimum)
        high_bad = maximum is not None and (number >= maximum if exclusive else number > maximum)
        if low_bad or high_bad:
            bounds = []
            if minimum is not None:
                bounds.append(f"more than {minimum}" if exclusive else f"at least {minimum}")
            if maximum is not None:
                bounds.append(f"less than {maximum}" if exclusive else f"at most {maximum}")
            self.add(location, f"must be {' and '.join(bounds)}, got {number}")
            return None
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            self.add(location, f"{number} has more than {places} decimal places")
            return None
        return number

    def boolean(self, location: str, value: object) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.add(location, f"expected true or false, got {_kind(value)}")
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
                hint = f" - expected one of: {', '.join(sorted(known))}"
            self.add(location, f"unknown {what} '{text}'{hint}")
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
        items = self.sequence(location, value, what=f"a list of {what} codes like [a, b]")
        if items is None:
            return None
        if len(items) < at_least:
            self.add(location, f"give at least {at_least} {what}")
            return None
        if len(items) > at_most:
            self.add(location, f"{len(items)} {what} codes, at most {at_most}")
            return None
        result: list[str] = []
        ok = True
        for index, item in enumerate(items):
            code = self.code(at(location, index), item, known=known, what=what)
            if code is None:
                ok = False
            elif code in result:
                self.add(at(location, index), f"'{code}' is listed twice")
                ok = False
            else:
                result.append(code)
        return result if ok else None
