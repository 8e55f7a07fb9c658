"""A coach's program with the coach's own exercises (issue #12): the upload creates them (or reuses the
coach's own of that name), /exportprogram writes them in the `exercises` list so that an export -> upload
round trip keeps them, a trainee assigned the program sees and logs them, and nobody else can name them
(another coach's upload, another user's quick workout)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from bot.db.enums import TrackingType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    Program,
    UserExercisePerformance,
    UserExerciseSet,
    Workout,
)
from bot.services.program_format import CustomExerciseDoc
from bot.services.seed import load_known_codes
from tests.e2e import test_coaching

Factory = test_coaching.Factory
clock = test_coaching.clock  # the fixtures of the coaching tests
world = test_coaching.world
link, rows = test_coaching.link, test_coaching.rows

SLEDS = """
name: {name}
description: Sled pushes and squats.
difficulty: beginner
categories: [strength]
schedule: {{length_days: 7, rest_days_per_week: 5}}
{exercises}
workouts:
  a:
    name: Sled Day
    exercises:
      - {{exercise: {reference}, sets: 3, duration: 30s, rest: 90}}
      - {{exercise: back-squat, sets: 3, reps: 5, weight_kg: 40}}
days:
  - {{day: 1, workouts: [a]}}
  - {{day: 4, workouts: [a]}}
"""
SECTION = """exercises:
  - {name: Sled Push, muscle_group: quads, equipment: other, tracking: duration}"""


def sleds(name: str, *, reference: str = "Sled Push", section: str = SECTION) -> bytes:
    return SLEDS.format(name=name, reference=reference, exercises=section).encode()


async def own_exercises(factory: Factory) -> list[tuple[Any, ...]]:
    """(owner, name, muscle group, equipment, tracking) of every user's own exercise."""
    async with factory() as session:
        found = await session.execute(
            select(Exercise.owner_id, Exercise.name, Exercise.muscle_group, Exercise.equipment,
                   Exercise.tracking_type)
            .where(Exercise.owner_id.is_not(None))
            .order_by(Exercise.created_at)
        )  # fmt: skip
        return [tuple(r) for r in found]


async def exercise_id(factory: Factory, owner: uuid.UUID, name: str) -> uuid.UUID:
    async with factory() as session:
        found = await session.scalar(
            select(Exercise.id).where(Exercise.owner_id == owner, Exercise.name == name)
        )
    assert found is not None
    return found


async def test_export_upload_round_trip_keeps_a_coachs_own_exercises(
    world: dict[str, Any], session_factory: Factory
) -> None:
    cole, olga = world["people"]["cole"], world["people"]["olga"]
    ids = world["ids"]
    await cole.upload(sleds("Cole Sleds"), filename="sleds.yaml")
    assert "Program added" in cole.last_text
    assert await own_exercises(session_factory) == [
        (ids["cole"], "Sled Push", "quads", "other", TrackingType.DURATION)
    ]
    sled = await exercise_id(session_factory, ids["cole"], "Sled Push")

    await cole.send("/exportprogram Cole Sleds")
    exported = cole.last_reply
    assert exported is not None and exported.file is not None
    text = exported.file.decode()
    assert (
        "exercises:\n  - {name: Sled Push, muscle_group: quads, equipment: other, tracking: duration}" in text
    )
    assert "{exercise: Sled Push, sets: 3, duration: 30s, rest: 90}" in text
    async with session_factory() as session:
        doc = (await load_known_codes(session, owner_id=ids["cole"])).parse(exported.file)
    assert doc.custom_exercises == (CustomExerciseDoc("Sled Push", "quads", "other", TrackingType.DURATION),)

    # the same coach uploads it again under a new name: his exercise is reused, not copied
    await cole.upload(text.replace("name: Cole Sleds", "name: Cole Sleds II").encode(), filename="copy.yaml")
    assert "Program added" in cole.last_text
    assert len(await own_exercises(session_factory)) == 1
    async with session_factory() as session:
        used = set(
            await session.scalars(
                select(ExerciseInstruction.exercise_id).where(ExerciseInstruction.exercise_id == sled)
            )
        )
        instructions = (
            await session.scalars(select(ExerciseInstruction).where(ExerciseInstruction.exercise_id == sled))
        ).all()
    assert used == {sled} and len(instructions) == 2  # one per program

    # another coach cannot name Cole's exercise...
    await olga.upload(sleds("Olga Sleds", section=""), filename="olga.yaml")
    assert "unknown exercise 'Sled Push'" in olga.last_text
    assert await rows(session_factory, Program, Program.name == "Olga Sleds") == []
    # ... but Cole's export, with its exercises list, gives her one of her own
    await olga.upload(text.replace("name: Cole Sleds", "name: Olga Sleds").encode(), filename="olga.yaml")
    assert "Program added" in olga.last_text
    assert await own_exercises(session_factory) == [
        (ids["cole"], "Sled Push", "quads", "other", TrackingType.DURATION),
        (ids["olga"], "Sled Push", "quads", "other", TrackingType.DURATION),
    ]
    hers = await exercise_id(session_factory, ids["olga"], "Sled Push")
    async with session_factory() as session:
        olga_program = await session.scalar(
            select(ExerciseInstruction.exercise_id)
            .join(Workout, Workout.id == ExerciseInstruction.workout_id)
            .where(Workout.created_by == ids["olga"], ExerciseInstruction.order_index == 0)
        )
    assert olga_program == hers

    # a listed exercise tracked otherwise than Cole's own of that name is refused, nothing written
    await cole.upload(
        sleds("Cole Reps", section=SECTION.replace("duration}", "reps}")).replace(
            b"duration: 30s", b"reps: 5"
        ),
        filename="reps.yaml",
    )
    assert "is tracked by duration, not reps" in cole.last_text
    assert await rows(session_factory, Program, Program.name == "Cole Reps") == []
    assert len(await own_exercises(session_factory)) == 2


async def test_a_trainee_logs_the_coachs_own_exercise_and_others_cannot_name_it(
    world: dict[str, Any], session_factory: Factory
) -> None:
    cole, tess, tom = (world["people"][k] for k in ("cole", "tess", "tom"))
    ids = world["ids"]
    await cole.upload(sleds("Cole Sleds"), filename="sleds.yaml")
    sled = await exercise_id(session_factory, ids["cole"], "Sled Push")
    await link(session_factory, ids["cole"], ids["tess"])
    await cole.send("/assign @tess Cole Sleds")
    assert "Assigned" in cole.last_text

    start = next(b for row in tess.buttons() for b in row if "Start" in b)
    card = (await tess.press(start))[-1].text or ""
    assert "Sled Push" in card and "3 × 30 s" in card
    await tess.send("30s")
    await tess.send("sled push 25s")  # by its name, as a named set: the program makes it hers to see
    card = tess.last_text
    assert "Sled Push" in card and "30 s · 25 s" in card
    async with session_factory() as session:
        logged = (
            await session.execute(
                select(ExerciseInstruction.exercise_id, UserExerciseSet.duration_seconds)
                .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
                .join(
                    ExerciseInstruction,
                    ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id,
                )
                .order_by(UserExerciseSet.set_number)
            )
        ).all()
    assert [tuple(r) for r in logged] == [(sled, 30), (sled, 25)]
    await tess.send("/exercises")
    assert "From your programs\n• Sled Push (Quads, " in tess.last_text
    await tess.send("/progress Sled Push")
    assert "Sled Push" in tess.last_text and "not in the catalog" not in tess.last_text

    # Tom follows no such program: the name means nothing to him
    await tom.send("/exercises")
    assert "Sled Push" not in tom.last_text
    await tom.send("/log")
    await tom.send("sled push 30s")
    offered = [b for row in tom.buttons() for b in row]
    assert "Sled Push" not in tom.last_text and "Sled Push" not in offered, offered  # catalog lookalikes only
    async with session_factory() as session:
        assert len((await session.scalars(select(UserExerciseSet))).all()) == 2
