"""The program format's `exercises` list (a coach's own exercises): parsed, resolved by name (ignoring
case) against the list and the uploader's own, refused when unknown, duplicated, named like a catalog code
or tracked otherwise than the uploader's; and written back so that parse(dump(doc)) == doc."""

from __future__ import annotations

import pytest

from bot.db.enums import TrackingType
from bot.services.program_format import (
    CustomExerciseDoc,
    ProgramFormatError,
    dump_program,
    parse_program,
)

KNOWN = {"back-squat": "WEIGHT_REPS", "plank": "DURATION"}
OWN = {"band pull-apart": ("Band Pull-Apart", "REPS")}

DOC = """
name: Sleds
description: Sled pushes.
difficulty: beginner
categories: [strength]
schedule: {{length_days: 7}}
{section}
workouts:
  a:
    name: Sled Day
    exercises:
      - {{exercise: {reference}, sets: 3, {work}}}
      - {{exercise: back-squat, sets: 3, reps: 5}}
days:
  - {{day: 1, workouts: [a]}}
"""
SECTION = """exercises:
  - {name: Sled  Push, muscle_group: quads, equipment: other, tracking: duration, description: Low handles.}"""


def parse(reference: str = "sled push", *, section: str = SECTION, work: str = "duration: 30s") -> object:
    text = DOC.format(section=section, reference=reference, work=work)
    return parse_program(text, known_exercises=KNOWN, own_exercises=OWN)


def problems(**kwargs: str) -> str:
    with pytest.raises(ProgramFormatError) as error:
        parse(**kwargs)
    return str(error.value)


def test_listed_and_own_exercises_are_named_ignoring_case() -> None:
    doc = parse("SLED PUSH")
    assert doc.custom_exercises == (  # type: ignore[attr-defined]
        CustomExerciseDoc("Sled Push", "quads", "other", TrackingType.DURATION, "Low handles."),
    )
    assert [i.exercise for i in doc.workouts[0].exercises] == ["Sled Push", "back-squat"]  # type: ignore[attr-defined]
    own = parse("band pull-apart", section="", work="reps: 15")
    assert [i.exercise for i in own.workouts[0].exercises] == ["Band Pull-Apart", "back-squat"]  # type: ignore[attr-defined]
    assert own.custom_exercises == ()  # type: ignore[attr-defined]


def test_the_list_round_trips() -> None:
    doc = parse()
    text = dump_program(doc)  # type: ignore[arg-type]
    assert "exercises:\n  - name: Sled Push\n    muscle_group: quads" in text
    assert parse_program(text, known_exercises=KNOWN) == doc


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reference": "Sled Pull"}, "workouts.a.exercises[0].exercise: unknown exercise 'Sled Pull' - did you mean"),
        ({"section": ""}, "unknown exercise 'sled push'"),  # not listed, not the uploader's
        ({"section": SECTION + "\n  - {name: SLED PUSH, muscle_group: quads, equipment: other, tracking: duration}"},
         "exercises[1].name: 'SLED PUSH' is listed twice"),
        ({"section": "exercises:\n  - {name: Plank, muscle_group: core, equipment: none, tracking: duration}",
          "reference": "plank"},
         "exercises[0].name: 'Plank' is the code of a catalog exercise"),
        ({"section": "exercises:\n  - {name: Band Pull-Apart, muscle_group: back, equipment: band, tracking: duration}",
          "reference": "band pull-apart"},
         "exercises[0].tracking: your exercise 'Band Pull-Apart' is tracked by reps, not duration"),
        ({"section": "exercises:\n  - {name: Sled Push, muscle_group: legs, equipment: sled, tracking: time}"},
         "exercises[0].muscle_group: unknown muscle group 'legs'"),
        ({"work": "reps: 5"}, "'Sled Push' is tracked by duration: give a duration instead of reps"),
    ],
)  # fmt: skip
def test_refused_with_its_location(kwargs: dict[str, str], message: str) -> None:
    assert message in problems(**kwargs)
