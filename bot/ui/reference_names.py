"""The reference data's names (bot/data/reference.yaml: difficulty levels, categories, tags) as a reader of
each language sees them in the program screens."""

from __future__ import annotations

from bot.i18n import pgettext


# The reference data's names (bot/data/reference.yaml: difficulty levels, categories, tags), translated
# where shown; a name the catalog does not know (one added later) is shown as it is.
def _reference_names() -> dict[str, str]:
    return {
        "Beginner": pgettext("program", "Beginner"),
        "Intermediate": pgettext("program", "Intermediate"),
        "Advanced": pgettext("program", "Advanced"),
        "Elite": pgettext("program", "Elite"),
        "Strength": pgettext("program", "Strength"),
        "Hypertrophy": pgettext("program", "Hypertrophy"),
        "Full Body": pgettext("program", "Full Body"),
        "Upper/Lower Split": pgettext("program", "Upper/Lower Split"),
        "Bodyweight": pgettext("program", "Bodyweight"),
        "Running & Endurance": pgettext("program", "Running & Endurance"),
        "Mobility": pgettext("program", "Mobility"),
        "Fat Loss": pgettext("program", "Fat Loss"),
        "General Fitness": pgettext("program", "General Fitness"),
        "Barbell": pgettext("program", "Barbell"),
        "Dumbbells": pgettext("program", "Dumbbells"),
        "Kettlebell": pgettext("program", "Kettlebell"),
        "No Equipment": pgettext("program", "No Equipment"),
        "Home": pgettext("program", "Home"),
        "Gym": pgettext("program", "Gym"),
        "Linear Progression": pgettext("program", "Linear Progression"),
        "Beginner Friendly": pgettext("program", "Beginner Friendly"),
        "3 Days a Week": pgettext("program", "3 Days a Week"),
        "4 Days a Week": pgettext("program", "4 Days a Week"),
        "5 Days a Week": pgettext("program", "5 Days a Week"),
        "Short Sessions (under 45 min)": pgettext("program", "Short Sessions (under 45 min)"),
        "Running": pgettext("program", "Running"),
        "Couch to 5K": pgettext("program", "Couch to 5K"),
        "Includes a Deload": pgettext("program", "Includes a Deload"),
    }


def reference_name(name: str) -> str:
    """A difficulty level's, category's or tag's name in the reader's language."""
    return _reference_names().get(name, name)
