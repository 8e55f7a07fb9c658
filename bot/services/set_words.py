"""The words of the set language (bot.services.set_input): the examples shown when a set cannot be read,
the clash of a set's kind with AMRAP, and the Russian spellings read as their English ones ("60кг 8",
"8 повторов", "45с", "5 км за 25 мин")."""

from __future__ import annotations

import re
from typing import Final

from bot.db.enums import SetType, TrackingType, WeightUnit
from bot.i18n import N_, _

# --- help texts --------------------------------------------------------------------------------------


def set_input_help(tracking: TrackingType, unit: WeightUnit) -> str:
    """One sentence of examples for the exercise's tracking type, in the user's unit."""
    if tracking is TrackingType.DURATION:
        return _(
            "Send the time like 45s, 1:30, 2 min or just 90 (seconds); 3x45s for three sets; "
            "5km 25:00 with a distance; w 30s for a warm-up."
        )
    if tracking is TrackingType.REPS:
        if unit is WeightUnit.KG:
            return _(
                "Send the reps like 12; bw x 12 x 3 for three sets; +10kg x 8 with added weight; "
                "w 5 for a warm-up."
            )
        return _(
            "Send the reps like 12; bw x 12 x 3 for three sets; +25lb x 8 with added weight; "
            "w 5 for a warm-up."
        )
    if unit is WeightUnit.KG:
        return _(
            "Send weight x reps like 60x8, 60 x 8, 60kg 8 or 135lb x 5; 60x8x3 for three sets; "
            "w 40x10 for a warm-up."
        )
    return _(
        "Send weight x reps like 135x5, 135 x 5, 135lb 5 or 60kg x 8; 135x5x3 for three sets; "
        "w 95x10 for a warm-up."
    )


# Russian words and units, read as their English spelling (applied to a normalized chunk, where a Cyrillic
# х has already become x: "подход" reads "подxод"). Longer spellings first; a one-letter unit only right
# after a number ("45с", "500 м", "1 ч").
_RUSSIAN_WORDS: Final = (
    (r"кило(?:грамм(?:а|ов|ы)?)?|кг", "kg"),
    (r"фунт(?:а|ов|ы)?", "lb"),
    (r"повтор(?:ени[еяй]|а|ов|ы)?|повт|раз(?:а)?", "reps"),
    (r"под[xх]од(?:а|ов|ы)?", "sets"),
    (r"секунд[аыу]?|сек", "s"),
    (r"минут[аыу]?|мин", "min"),
    (r"час(?:а|ов)?", "h"),
    (r"километр(?:а|ов|ы)?|км", "km"),
    (r"метр(?:а|ов|ы)?", "meters"),
    (r"мил[яиь]", "mi"),
    (r"килокалори[йяи]|калори[йяи]|ккал|кал", "cal"),
    (r"собственный вес|свой вес|вес тела|св", "bw"),
    (r"разминк[аи]|разм", "warmup"),
    (r"дроп-? ?сет|дроп", "drop"),
    (r"до отказа|отказ", "failure"),
    (r"рпе", "rpe"),
    (r"рир", "rir"),
    (r"за", "in"),
)
_RUSSIAN: Final = re.compile(
    "|".join(rf"(?<![а-яё])(?P<w{i}>{word})(?![а-яё])" for i, (word, _unused) in enumerate(_RUSSIAN_WORDS))
)
_RUSSIAN_LETTER_UNITS: Final = re.compile(r"(?<=\d)( ?)(?P<u>[смч])(?![а-яё])")
_LETTER_UNITS: Final = {"с": "s", "м": "m", "ч": "h"}
_GROUPED_DIGITS: Final = re.compile(r"(?<=\d)[\u00a0\u202f](?=\d{3}(?!\d))")


def english(text: str) -> str:
    """`text` (normalized) single-spaced, Russian units and words spelled the English way (60кг -> 60kg)."""
    if text.isascii():
        return " ".join(text.split())
    body = " ".join(_GROUPED_DIGITS.sub("", text.replace("ё", "е")).split())
    body = _RUSSIAN_LETTER_UNITS.sub(lambda m: m[1] + _LETTER_UNITS[m["u"]], body)
    body = _RUSSIAN.sub(lambda m: _RUSSIAN_WORDS[int(str(m.lastgroup)[1:])][1], body)
    return " ".join(body.split())


KIND_CLASHES: Final = {
    SetType.WARMUP: N_(
        "“{text}” is both a warm-up and as many reps as possible - a set is one kind only, "
        "like 60x8+ or d 40x10."
    ),
    SetType.DROP: N_(
        "“{text}” is both a drop set and as many reps as possible - a set is one kind only, "
        "like 60x8+ or d 40x10."
    ),
    SetType.FAILURE: N_(
        "“{text}” is both a set to failure and as many reps as possible - a set is one kind only, "
        "like 60x8+ or d 40x10."
    ),
}


__all__ = ["KIND_CLASHES", "english", "set_input_help"]
