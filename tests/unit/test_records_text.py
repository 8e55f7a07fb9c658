"""/records stays within Telegram's message limit however many exercises a user has."""

from __future__ import annotations

import uuid
from decimal import Decimal

from bot.db.enums import TrackingType, WeightUnit
from bot.services.progress import ExerciseRecords
from bot.ui.progress import records_text


def test_many_exercises_fit_in_one_message() -> None:
    records = [
        ExerciseRecords(
            exercise_id=uuid.uuid4(),
            name=f"Exercise number {n} with a long name",
            tracking=TrackingType.WEIGHT_REPS,
            heaviest_kg=Decimal("100"),
            reps_at_heaviest=5,
        )
        for n in range(300)
    ]
    text = records_text(records, WeightUnit.KG)
    assert len(text) <= 4096
    assert "Exercise number 0 " in text and "Exercise number 299 " not in text
    assert text.rstrip().endswith("more exercises: /progress NAME shows one.")
    assert "Exercise number 1 " in records_text(records[:3], WeightUnit.KG)
