"""A set typed with an exercise's name ("bench press 60x8", "ohp 40x8", "pull ups 8", "plank 45s"):
splitting the text into the name and the set, and finding the exercise the name means.

Pure: no database, no Telegram. The caller builds an `ExerciseIndex` from the exercises the user may log
(the catalog and their own) and parses the set part with `bot.services.set_input.parse_sets`, once it
knows the exercise's tracking type.

Matching, in order: the exact name or an alias (bot/data/exercise_aliases.yaml: ohp, rdl, bp, dl...) or
a name in another language (exercises.yaml `names: {ru: [...]}`: "присед", "жим лёжа", "становая"),
whatever the user's language, case-insensitive, hyphens, ё/е and a plural "s" ignored; else typo-tolerant
matching (rapidfuzz) over names and aliases: one clear best is a match, a few close ones are `ambiguous`
(offered as buttons), nothing close is `unknown`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

import yaml
from rapidfuzz import fuzz, process

ALIASES_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "exercise_aliases.yaml"
CATALOG_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "exercises.yaml"
NAME_MAX: Final = 100
MATCH_SCORE: Final = 86.0
"""A fuzzy score at least this high, clearly ahead of the next exercise's, is a match."""
CLEAR_LEAD: Final = 6.0
SUGGEST_SCORE: Final = 60.0
"""Fuzzy scores from here up are offered as choices."""
SUGGESTIONS: Final = 4
WORD_SCORE: Final = 75.0
"""A word of the name this close to a word of an exercise's name makes that exercise worth scoring."""

_SET_START = re.compile(
    r"^(?:[+\-@]?\d|[+\-]\s*\d|bw\b|св(?![а-яё])|(?:w|wu|warm-?up|d|f|разм|разминка|дроп|отказ)\s*\d)",
    re.IGNORECASE,
)
_PREFIXES = frozenset(
    {"w", "wu", "warmup", "warm-up", "d", "f", "bw", "св", "разм", "разминка", "дроп", "отказ"}
)
_WORD = re.compile(r"[^\w']+|_")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An exercise the user may log: its id, name, catalog code (None for their own) and tracking."""

    id: uuid.UUID
    name: str
    code: str | None = None
    tracking: str = "WEIGHT_REPS"


@dataclass(frozen=True, slots=True)
class Match:
    """What a name means: one `exercise`, or `choices` (ambiguous), or neither (unknown)."""

    exercise: Candidate | None = None
    choices: tuple[Candidate, ...] = ()

    @property
    def unknown(self) -> bool:
        return self.exercise is None and not self.choices


def normalize(text: str) -> str:
    """Lower case, words only ("Pull-Up" -> "pull up"), a final plural "s" dropped from each word."""
    words = _WORD.sub(" ", text.lower().replace("'", "").replace("ё", "е")).split()
    return " ".join(w[:-1] if len(w) >= 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def split_named_set(text: str) -> tuple[str, str] | None:
    """("bench press", "60x8") for "bench press 60x8": the name ends before the first word that starts
    like a set (a digit, a sign, ``w``/``d``/``f`` and a digit, ``bw``); None when the text does not
    start with a name. `ExerciseIndex.read` also tries the later splits against the known names."""
    splits = _splits(text)
    return splits[0] if splits else None


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8")) or {}
    return {str(code): tuple(str(a) for a in names) for code, names in (data.get("aliases") or {}).items()}


@cache
def catalog_names() -> dict[str, tuple[str, dict[str, tuple[str, ...]]]]:
    """Catalog code -> (English name, language -> names there: the display name first, then aliases), from
    exercises.yaml `names` (validated when the catalog is seeded: bot.services.seed.reference)."""
    data = yaml.load(CATALOG_FILE.read_text(encoding="utf-8"), Loader=_Loader) or {}
    found: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {}
    for item in data.get("exercises") or ():
        if not isinstance(item, dict) or "code" not in item or "name" not in item:
            continue
        names = item.get("names")
        if not isinstance(names, dict):
            names = {}
        found[str(item["code"])] = (
            str(item["name"]),
            {
                str(lang): tuple(str(n) for n in (v if isinstance(v, list) else [v]))
                for lang, v in names.items()
            },
        )
    return found


def names_matching(words: list[str]) -> list[str]:
    """Catalog codes with a name in another language (exercises.yaml `names`) containing every word."""
    wanted = [word.lower().replace("ё", "е") for word in words if word]
    if not wanted:
        return []
    return [
        code
        for code, (_english, languages) in catalog_names().items()
        if any(
            all(word in name.lower().replace("ё", "е") for word in wanted)
            for names in languages.values()
            for name in names
        )
    ]


@cache
def _other_names() -> dict[str, tuple[str, ...]]:
    by_english: dict[str, tuple[str, ...]] = {}
    for english, languages in catalog_names().values():
        by_english[english.lower()] = tuple(
            name.lower().replace("ё", "е") for names in languages.values() for name in names
        )
    return by_english


def spoken_names(name: str) -> tuple[str, ...]:
    """A catalog exercise's names, lower-cased: its (English) name, then its names and aliases in the other
    languages (exercises.yaml `names`, ё read as е); a user's own exercise has only its own name."""
    lowered = name.lower()
    return (lowered, *_other_names().get(lowered, ()))


def display_names(locale: str) -> dict[str, str]:
    """Catalog name (English) -> its display name in `locale`, for bot.i18n.register_exercise_names."""
    return {name: names[locale][0] for name, names in catalog_names().values() if names.get(locale)}


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class ExerciseIndex:
    """The exercises one user may log, ready for matching: built once per message (or once for a bench)."""

    exact: dict[str, Candidate] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    owners: list[Candidate] = field(default_factory=list)
    by_word: dict[str, list[int]] = field(default_factory=dict)
    """Each word of the names and aliases, with the positions in `keys` of those that have it."""

    @classmethod
    def build(cls, catalog: Iterable[Candidate], own: Iterable[Candidate] = ()) -> ExerciseIndex:
        """The user's own exercises first: their names win over an alias of the catalog."""
        index = cls()
        aliases = _aliases()
        translated = catalog_names()
        for candidate in [*own, *catalog]:
            index._add(candidate.name, candidate)
            for alias in aliases.get(candidate.code or "", ()):
                index._add(alias, candidate)
            for names in translated.get(candidate.code or "", ("", {}))[1].values():
                for name in names:
                    index._add(name, candidate)
        return index

    def _add(self, text: str, candidate: Candidate) -> None:
        key = normalize(text)
        if not key:
            return
        self.exact.setdefault(key, candidate)
        for word in set(key.split()):
            self.by_word.setdefault(word, []).append(len(self.keys))
        self.keys.append(key)
        self.owners.append(candidate)

    def read(self, text: str) -> tuple[str, str, Match] | None:
        """The name, the set part and what the name means, for a named set; None when `text` is no
        named set. Of the ways to split it, the longest name known exactly wins ("cable fly 3 15x12"
        for an exercise called "Cable Fly 3"); else the first (the name ends before the first number)."""
        splits = _splits(text)
        if not splits:
            return None
        for name, sets in reversed(splits):
            found = self.exact.get(normalize(name))
            if found is not None:
                return name, sets, Match(exercise=found)
        name, sets = splits[0]
        return name, sets, self.match(name)

    def match(self, name: str) -> Match:
        key = normalize(name)
        if not key:
            return Match()
        found = self.exact.get(key)
        if found is not None:
            return Match(exercise=found)
        positions = self._near(key)
        if not positions:
            return Match()
        subset = [self.keys[p] for p in positions]
        scored = process.extract(
            key,
            subset,
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=SUGGESTIONS * 6,
            score_cutoff=SUGGEST_SCORE,
        )
        best: dict[uuid.UUID, tuple[float, Candidate]] = {}
        for text, subset_score, position in scored:
            # a subset of the words ("press" in "bech press") is not a match by itself: average with the
            # whole-name similarity
            score = (subset_score + fuzz.token_sort_ratio(key, text, processor=None)) / 2
            candidate = self.owners[positions[position]]
            if candidate.id not in best or best[candidate.id][0] < score:
                best[candidate.id] = (score, candidate)
        ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].name))
        ranked = [pair for pair in ranked if pair[0] >= SUGGEST_SCORE]
        if not ranked:
            return Match()
        top_score, top = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if top_score >= MATCH_SCORE and top_score - runner_up >= CLEAR_LEAD:
            return Match(exercise=top)
        return Match(choices=tuple(candidate for _, candidate in ranked[:SUGGESTIONS]))

    def _near(self, key: str) -> list[int]:
        """Positions of the names worth scoring: those sharing a word (or a word a typo away) with the
        query, and those close as a whole ("benchpress")."""
        vocabulary = list(self.by_word)
        found: set[int] = set()
        for word in key.split():
            for _, _, at in process.extract(
                word, vocabulary, scorer=fuzz.ratio, processor=None, score_cutoff=WORD_SCORE, limit=None
            ):
                found.update(self.by_word[vocabulary[at]])
        for _, _, at in process.extract(
            key,
            self.keys,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=SUGGEST_SCORE,
            limit=SUGGESTIONS * 6,
        ):
            found.add(at)
        return sorted(found)


def _splits(text: str) -> list[tuple[str, str]]:
    stripped = " ".join(text.split())
    if not stripped or len(stripped) > NAME_MAX + 60:
        return []
    words = stripped.split(" ")
    if _SET_START.match(words[0]) or words[0].lower() in _PREFIXES:
        return []  # a set first ("2 min 30 s", "w 40x10"): no name
    found = []
    for position in range(1, len(words)):
        rest = " ".join(words[position:])
        if _SET_START.match(rest):
            name = " ".join(words[:position])
            if len(name) > NAME_MAX:
                break
            found.append((name, rest))
    return found


__all__ = [
    "Candidate",
    "ExerciseIndex",
    "Match",
    "catalog_names",
    "display_names",
    "names_matching",
    "normalize",
    "split_named_set",
    "spoken_names",
]
