"""Writing a document back as YAML, with an explicit `days` list:
`parse_program(dump_program(doc)) == doc`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from bot.services.program_format.document import (
    CustomExerciseDoc,
    InstructionDoc,
    ProgramDoc,
    ScheduledWorkoutDoc,
    TranslationDoc,
    WorkoutTranslationDoc,
)
from bot.services.program_format.parser_progression import progression_data
from bot.services.program_format.values import format_duration


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: {day: 1, workouts: [A]}."""


class _FlowList(list[Any]):
    """A list written on one line: [a, b]."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent lists under their key: easier to read


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_decimal(dumper: yaml.SafeDumper, data: Decimal) -> yaml.ScalarNode:
    if data == data.to_integral_value():
        return dumper.represent_int(int(data))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(data.normalize(), "f"))


def _represent_flow_map(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(data), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(_FlowMap, _represent_flow_map)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _instruction_data(instruction: InstructionDoc) -> dict[str, Any]:
    data: dict[str, Any] = {"exercise": instruction.exercise, "sets": instruction.sets}
    if instruction.reps is not None:
        data["reps"] = instruction.reps
    if instruction.duration_seconds is not None:
        data["duration"] = format_duration(instruction.duration_seconds)
    if instruction.weight_kg is not None:
        data["weight_kg"] = instruction.weight_kg
    if instruction.rest_seconds is not None:
        data["rest"] = instruction.rest_seconds
    if instruction.progression is not None:
        data["progression"] = _FlowMap(progression_data(instruction.progression))
    if instruction.notes is not None:
        data["notes"] = instruction.notes
        if len(instruction.notes) > 60 or "\n" in instruction.notes:
            return data  # long notes read better in block style
    if instruction.progression is not None:
        return data  # a rule on its own line under the exercise
    return _FlowMap(data)


def _custom_data(custom: CustomExerciseDoc) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": custom.name,
        "muscle_group": custom.muscle_group,
        "equipment": custom.equipment,
        "tracking": custom.tracking.value.lower(),
    }
    if custom.description is None:
        return _FlowMap(data)
    data["description"] = custom.description
    return data


def _scheduled_data(entry: ScheduledWorkoutDoc) -> str | dict[str, Any]:
    if not entry.optional and entry.notes is None:
        return entry.workout
    data: dict[str, Any] = {"workout": entry.workout}
    if entry.optional:
        data["optional"] = True
    if entry.notes is not None:
        data["notes"] = entry.notes
    return _FlowMap(data)


def program_to_data(doc: ProgramDoc) -> dict[str, Any]:
    """The document as plain YAML-ready data (explicit `days`, no `cycle`)."""
    data: dict[str, Any] = {"name": doc.name, "description": doc.description}
    if doc.notes is not None:
        data["notes"] = doc.notes
    data["difficulty"] = doc.difficulty
    data["visibility"] = doc.visibility.value
    data["categories"] = _FlowList(doc.categories)
    data["tags"] = _FlowList(doc.tags)
    schedule: dict[str, Any] = {
        "length_days": doc.schedule.length_days,
        "rest_days_per_week": doc.schedule.rest_days_per_week,
    }
    if doc.schedule.notes is not None:
        schedule["notes"] = doc.schedule.notes
    data["schedule"] = schedule
    if doc.readiness is not None:
        data["readiness"] = _FlowMap(
            low_below=doc.readiness.low_below, reduce_percent=doc.readiness.reduce_percent
        )
    if doc.stall_remedy is not None:
        data["stall_remedy"] = doc.stall_remedy
    if doc.phases:
        phases = []
        for phase in doc.phases:
            item: dict[str, Any] = {
                "name": phase.name,
                "start_day": phase.start_day,
                "end_day": phase.end_day,
            }
            if phase.description is not None:
                item["description"] = phase.description
            phases.append(item)
        data["phases"] = phases
    if doc.custom_exercises:
        data["exercises"] = [_custom_data(custom) for custom in doc.custom_exercises]
    workouts: dict[str, Any] = {}
    for workout in doc.workouts:
        body: dict[str, Any] = {"name": workout.name}
        if workout.description is not None:
            body["description"] = workout.description
        if workout.estimated_minutes is not None:
            body["estimated_minutes"] = workout.estimated_minutes
        body["exercises"] = [_instruction_data(instruction) for instruction in workout.exercises]
        workouts[workout.key] = body
    data["workouts"] = workouts
    data["days"] = [
        _FlowMap(day=day.day, workouts=_FlowList(_scheduled_data(entry) for entry in day.workouts))
        for day in doc.days
    ]
    if doc.translations:
        data["translations"] = {t.language: _translation_data(t) for t in doc.translations}
    return data


def _translation_data(translation: TranslationDoc) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in ("name", "description", "notes", "stall_remedy", "schedule_notes"):
        if (text := getattr(translation, field)) is not None:
            data[field] = text
    if translation.workouts:
        data["workouts"] = {w.key: _workout_translation_data(w) for w in translation.workouts}
    if translation.phases:
        data["phases"] = [
            _FlowMap(name=p.name) if p.description is None else {"name": p.name, "description": p.description}
            for p in translation.phases
        ]
    return data


def _workout_translation_data(workout: WorkoutTranslationDoc) -> dict[str, Any]:
    if workout.description is None and not workout.exercises:
        return _FlowMap(name=workout.name)
    data: dict[str, Any] = {"name": workout.name}
    if workout.description is not None:
        data["description"] = workout.description
    if workout.exercises:
        data["exercises"] = list(workout.exercises)
    return data


def dump_program(doc: ProgramDoc) -> str:
    """YAML text for the document, with an explicit `days` list; parse_program reads it back equal."""
    return yaml.dump(
        program_to_data(doc),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=110,
    )
