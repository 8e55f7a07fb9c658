"""A set typed with an exercise's name ("bench press 60x8", "ohp 40x8", "pull ups 8", "plank 45s"):
splitting the text into the name and the set, and finding the exercise the name means.

Pure: no database, no Telegram. The caller builds an `ExerciseIndex` from the exercises the user may log
(the catalog and their own) and parses the set part with `bot.services.set_input.parse_sets`, once it
knows the exercise's tracking type.

Matching, in order: the exact name or an alias (bot/data/exercise_aliases.yaml: ohp, rdl, bp, dl...),
case-insensitive, hyphens and a plural "s" ignored; else typo-tolerant matching (rapidfuzz) over names
and aliases: one clear best is a match, a few close ones are `ambiguous` (offered as buttons), nothing
close is `unknown`.
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
from rapidfuzz import fuzz, process, utils

ALIASES_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "exercise_aliases.yaml"
NAME_MAX: Final = 100
MATCH_SCORE: Final = 86.0
"""A fuzzy score at least this high, clearly ahead of the next exercise's, is a match."""
CLEAR_LEAD: Final = 6.0
SUGGEST_SCORE: Final = 60.0
"""Fuzzy scores from here up are offered as choices."""
SUGGESTIONS: Final = 4

_SET_START = re.compile(r"^(?:[+\-@]?\d|[+\-]\s*\d|bw\b|(?:w|wu|warm-?up|d|f)\s*\d)", re.IGNORECASE)
_PREFIXES = frozenset({"w", "wu", "warmup", "warm-up", "d", "f", "bw"})
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
    words = _WORD.sub(" ", text.lower().replace("'", "")).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def split_named_set(text: str) -> tuple[str, str] | None:
    """("bench press", "60x8") for "bench press 60x8"; None when the text does not start with a name
    followed by something that starts like a set (a digit, a sign, ``w``/``d``/``f`` and a digit, ``bw``)."""
    stripped = " ".join(text.split())
    if not stripped or len(stripped) > NAME_MAX + 60:
        return None
    words = stripped.split(" ")
    if _SET_START.match(words[0]) or words[0].lower() in _PREFIXES:
        return None  # a set first ("2 min 30 s", "w 40x10"): no name
    for position in range(1, len(words)):
        rest = " ".join(words[position:])
        if _SET_START.match(rest):
            name = " ".join(words[:position])
            if not any(ch.isalpha() for ch in name) or len(name) > NAME_MAX or name.lower() in _PREFIXES:
                return None
            return name, rest
    return None


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8")) or {}
    return {str(code): tuple(str(a) for a in names) for code, names in (data.get("aliases") or {}).items()}


@dataclass
class ExerciseIndex:
    """The exercises one user may log, ready for matching: built once per message (or once for a bench)."""

    exact: dict[str, Candidate] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    owners: list[Candidate] = field(default_factory=list)

    @classmethod
    def build(cls, catalog: Iterable[Candidate], own: Iterable[Candidate] = ()) -> ExerciseIndex:
        """The user's own exercises first: their names win over an alias of the catalog."""
        index = cls()
        aliases = _aliases()
        for candidate in [*own, *catalog]:
            index._add(candidate.name, candidate)
            for alias in aliases.get(candidate.code or "", ()):
                index._add(alias, candidate)
        return index

    def _add(self, text: str, candidate: Candidate) -> None:
        key = normalize(text)
        if not key:
            return
        self.exact.setdefault(key, candidate)
        self.keys.append(key)
        self.owners.append(candidate)

    def match(self, name: str) -> Match:
        key = normalize(name)
        if not key:
            return Match()
        found = self.exact.get(key)
        if found is not None:
            return Match(exercise=found)
        scored = process.extract(
            key,
            self.keys,
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            limit=SUGGESTIONS * 6,
            score_cutoff=SUGGEST_SCORE,
        )
        best: dict[uuid.UUID, tuple[float, Candidate]] = {}
        for text, subset_score, position in scored:
            # a subset of the words ("press" in "bech press") is not a match by itself: average with the
            # whole-name similarity
            score = (subset_score + fuzz.token_sort_ratio(key, text)) / 2
            candidate = self.owners[position]
            if candidate.id not in best or best[candidate.id][0] < score:
                best[candidate.id] = (score, candidate)
        ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].name))
        if not ranked:
            return Match()
        top_score, top = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if top_score >= MATCH_SCORE and top_score - runner_up >= CLEAR_LEAD:
            return Match(exercise=top)
        return Match(choices=tuple(candidate for _, candidate in ranked[:SUGGESTIONS]))


__all__ = ["Candidate", "ExerciseIndex", "Match", "normalize", "split_named_set"]
