"""Keys of exported workouts: slugs, and a document with canonical keys."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.services.program_format.document import ProgramDoc


def slugify(text: str, *, max_length: int = 60) -> str:
    """'Upper A (Strength)' -> 'upper-a-strength'."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_length].strip("-")
    return slug or "workout"


def with_canonical_keys(doc: ProgramDoc) -> ProgramDoc:
    """The document with workouts in order of first use, each keyed by the slug of its name.

    This is the form export_program produces (the database keeps no keys), so an imported document
    `doc` comes back as `with_canonical_keys(doc)`.
    """
    order: list[str] = []
    for day in doc.days:
        for entry in day.workouts:
            if entry.workout not in order:
                order.append(entry.workout)
    order += [workout.key for workout in doc.workouts if workout.key not in order]
    by_key = {workout.key: workout for workout in doc.workouts}
    renamed: dict[str, str] = {}
    taken: set[str] = set()
    for key in order:
        base = slugify(by_key[key].name)
        new, suffix = base, 2
        while new in taken:
            new, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(new)
        renamed[key] = new
    position = {key: index for index, key in enumerate(order)}
    return replace(
        doc,
        translations=tuple(
            replace(
                t,
                workouts=tuple(
                    replace(w, key=renamed[w.key]) for w in sorted(t.workouts, key=lambda w: position[w.key])
                ),
            )
            for t in doc.translations
        ),
        workouts=tuple(replace(by_key[key], key=renamed[key]) for key in order),
        days=tuple(
            replace(
                day, workouts=tuple(replace(entry, workout=renamed[entry.workout]) for entry in day.workouts)
            )
            for day in doc.days
        ),
    )
