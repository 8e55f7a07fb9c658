"""The program parser, progression: an exercise's `progression: {rule: ..., ...}`.

The rules themselves: bot.services.progression.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from bot.db.enums import TrackingType
from bot.i18n import _
from bot.services.program_format.checks import Checker, at, suggest
from bot.services.program_format.document import ProgressionDoc
from bot.services.program_format.errors import _kind

RULE_FIELDS: Final = {
    "linear": ("increment_kg", "deload_after", "deload_percent"),
    "double": ("increment_kg",),
    "percent": ("percent", "training_max_percent"),
}
INCREMENT_MAX: Final = Decimal(100)  # exclusive
DELOAD_AFTER_MAX: Final = 20
PERCENT_MAX: Final = Decimal(150)
EXAMPLE: Final = "{rule: linear, increment_kg: 2.5, deload_after: 2, deload_percent: 10}"


def parse_progression(
    check: Checker,
    location: str,
    value: object,
    *,
    tracking: str | None,
    reps: tuple[int, int] | None,
    has_weight: bool,
) -> ProgressionDoc | None:
    """The rule, or None with the problems added to `check` (also None, silently, when absent).

    `tracking` is the exercise's (None without a catalog), `reps` the parsed reps of the exercise and
    `has_weight` whether it gives weight_kg: a rule needs weight x reps, double a rep range, and percent
    takes its weight from the training max.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        check.add(
            location,
            _("expected a rule like {example}, got {kind}").format(example=EXAMPLE, kind=_kind(value)),
        )
        return None
    before = len(check.problems)
    raw_rule = value.get("rule")
    if raw_rule is None:
        check.add(at(location, "rule"), _("required, but missing - linear, double or percent"))
        return None
    if not isinstance(raw_rule, str) or raw_rule.strip().lower() not in RULE_FIELDS:
        shown = raw_rule if isinstance(raw_rule, str) else _kind(raw_rule)
        hint = suggest(str(shown).lower(), RULE_FIELDS) or _(" - expected linear, double or percent")
        check.add(at(location, "rule"), _("unknown rule '{rule}'{hint}").format(rule=shown, hint=hint))
        return None
    rule = raw_rule.strip().lower()
    fields = check.mapping(
        location, value, required=("rule", *RULE_FIELDS[rule][:1]), optional=RULE_FIELDS[rule][1:]
    )
    if fields is None:
        return None
    increment = check.decimal(
        at(location, "increment_kg"),
        fields.get("increment_kg"),
        minimum=Decimal(0),
        maximum=INCREMENT_MAX,
        exclusive=True,
        places=2,
    )
    deload_after = check.integer(
        at(location, "deload_after"), fields.get("deload_after"), minimum=1, maximum=DELOAD_AFTER_MAX
    )
    deload_percent = check.decimal(
        at(location, "deload_percent"),
        fields.get("deload_percent"),
        minimum=Decimal(0),
        maximum=Decimal(100),
        exclusive=True,
        places=2,
    )
    if (fields.get("deload_after") is None) != (fields.get("deload_percent") is None):
        check.add(location, _("deload_after and deload_percent go together: give both (or neither)"))
    share = check.decimal(
        at(location, "percent"), fields.get("percent"), minimum=Decimal(0), maximum=PERCENT_MAX, places=2
    )
    if share is not None and share == 0:
        check.add(at(location, "percent"), _("must be more than 0"))
    training_max_percent = check.decimal(
        at(location, "training_max_percent"),
        fields.get("training_max_percent"),
        minimum=Decimal(1),
        maximum=Decimal(100),
        places=2,
    )
    if tracking is not None and tracking != TrackingType.WEIGHT_REPS:
        check.add(location, _("progression needs an exercise tracked by weight and reps"))
    if rule == "double" and reps is not None and reps[0] == reps[1]:
        check.add(
            location,
            _("double progression climbs a rep range: give reps like {low}-{high}").format(
                low=reps[0], high=reps[0] + 4
            ),
        )
    if rule == "percent" and has_weight:
        check.add(location, _("a percent rule takes its weight from the training max: remove weight_kg"))
    if len(check.problems) > before:
        return None
    return ProgressionDoc(
        rule=rule,
        increment_kg=increment,
        deload_after=deload_after,
        deload_percent=deload_percent,
        percent=share,
        training_max_percent=training_max_percent,
    )


def progression_data(doc: ProgressionDoc) -> dict[str, object]:
    """The rule as written in a document (the dumper writes it on one line)."""
    data: dict[str, object] = {"rule": doc.rule}
    for name in RULE_FIELDS[doc.rule]:
        value = getattr(doc, name)
        if value is not None:
            data[name] = value
    return data
