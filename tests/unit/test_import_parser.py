"""Reading Strong, Hevy and FitNotes exports (bot.services.importing.parser): recognising the app,
every value's forms, the problems reported with their line numbers, and a property test - any history
written in an app's format reads back as it was."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db.enums import ImportSource, SetType, WeightUnit
from bot.services.importing import ImportFileError, ParsedFile, parse_export
from bot.services.importing.exercises import guess_equipment, guess_muscle_group, guess_tracking, variants
from bot.services.importing.model import PROBLEMS_SHOWN, ParsedSet
from bot.services.importing.parser import SETS_MAX
from bot.services.units import kg_from

TODAY = date(2026, 3, 4)
D = Decimal
STRONG_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
)
HEVY_HEADER = (
    '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
    '"set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"'
)
FITNOTES_HEADER = "Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment"


def naive(*parts: int) -> datetime:
    """A naive local time, as the apps write them."""
    return datetime(*parts)  # noqa: DTZ001


def parse(text: str, unit: WeightUnit = WeightUnit.KG) -> ParsedFile:
    return parse_export(text.encode(), unit=unit, today=TODAY)


def problems(text: str) -> list[str]:
    with pytest.raises(ImportFileError) as caught:
        parse(text)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def strong_row(**cells: str) -> str:
    values = {
        "date": "2026-02-02 18:05:12", "name": "Push", "duration": "45m", "exercise": "Bench Press (Barbell)",
        "order": "1", "weight": "60", "reps": "8", "distance": "0", "seconds": "0", "notes": "",
        "workout_notes": "", "rpe": "",
    }  # fmt: skip
    values.update(cells)
    return ",".join(values.values())


def only_set(parsed: ParsedFile) -> ParsedSet:
    (workout,) = parsed.workouts
    (exercise,) = workout.exercises.values()
    (found,) = exercise.sets
    return found


# --- recognising the app -----------------------------------------------------------------------------


def test_each_app_is_recognised_by_its_header_in_any_order_with_a_bom_and_extra_columns() -> None:
    assert parse(f"{STRONG_HEADER}\n{strong_row()}\n").source is ImportSource.STRONG
    hevy = f'{HEVY_HEADER},"extra"\n"Push","3 Feb 2026, 07:06","3 Feb 2026, 08:00","","Squat",,"",0,"normal",100,5,,,,x\n'
    parsed = parse("\ufeff" + hevy)
    assert parsed.source is ImportSource.HEVY and parsed.workouts[0].duration_seconds == 54 * 60
    shuffled = "Reps,Exercise,Weight (lbs),Date\n5,Barbell Squat,225,2026-02-09\n"
    parsed = parse(shuffled)
    assert parsed.source is ImportSource.FITNOTES and parsed.unit is WeightUnit.LB and parsed.unit_from_file
    assert only_set(parsed).weight_kg == D("102.06")


def test_an_unknown_header_or_a_missing_column_is_line_1() -> None:
    assert problems("a,b,c\n1,2,3\n") == [
        "1: the columns (a, b, c) are not those of a Strong, Hevy or FitNotes export"
    ]
    assert problems("Date,Workout Name,Exercise Name,Set Order,Weight\n") == [
        "1: this looks like a Strong export, but the column “reps” is missing"
    ]
    assert problems("") == ["1: the file is empty"]
    assert problems("title\x00") == ["1: this is not a text file"]


def test_the_semicolon_variant_has_units_and_decimal_commas() -> None:
    text = (
        "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;"
        "Notes;Workout Notes;Workout Duration\n"
        '2026-01-10 09:00:00;"Upper";"Bench Press (Barbell)";1;137,5;lbs;5;8,5;;;0;"";"";1h 2m\n'
        '2026-01-10 09:00:00;"Upper";"Rowing";1;0;kg;0;;2,5;km;600;"";"";1h 2m\n'
    )
    parsed = parse(text, WeightUnit.KG)
    assert parsed.unit_from_file
    (workout,) = parsed.workouts
    assert workout.duration_seconds == 3720
    bench, row = (e.sets[0] for e in workout.exercises.values())
    assert (bench.weight_kg, bench.reps, bench.rpe) == (D("62.37"), 5, D("8.5"))
    assert (row.distance_m, row.duration_seconds, row.weight_kg) == (D("2500.0"), 600, None)


def test_a_strong_file_without_a_unit_is_read_in_the_users_unit() -> None:
    text = f"{STRONG_HEADER}\n{strong_row(weight='135', distance='2', seconds='900')}\n"
    kg = parse(text, WeightUnit.KG)
    assert (
        not kg.unit_from_file
        and only_set(kg).weight_kg == D("135.00")
        and only_set(kg).distance_m == D("2000.0")
    )
    lb = parse(text, WeightUnit.LB)
    assert only_set(lb).weight_kg == D("61.23") and only_set(lb).distance_m == D("3218.7")  # 2 mi


# --- values --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-02-02 18:05:12", naive(2026, 2, 2, 18, 5, 12)),
        ("2026-02-02 18:05", naive(2026, 2, 2, 18, 5)),
        ("2026-02-02 6:05:12\u202fPM", naive(2026, 2, 2, 18, 5, 12)),  # a narrow no-break space
        ("2026-02-02 6:05 am", naive(2026, 2, 2, 6, 5)),
    ],
)
def test_strong_dates(when: str, expected: datetime) -> None:
    (workout,) = parse(f"{STRONG_HEADER}\n{strong_row(date=when)}\n").workouts
    assert workout.start == expected


@pytest.mark.parametrize(
    ("text", "seconds"), [("45m", 2700), ("1h 5m", 3900), ("1h", 3600), ("", None), ("90s", 90)]
)
def test_strong_durations(text: str, seconds: int | None) -> None:
    (workout,) = parse(f"{STRONG_HEADER}\n{strong_row(duration=text)}\n").workouts
    assert workout.duration_seconds == seconds


def test_strong_set_orders_and_rest_timers() -> None:
    rows = [
        strong_row(order="3", weight="65", reps="5"),
        strong_row(order="W", weight="40", reps="10"),  # written after set 3: it follows set 3
        strong_row(order="1", weight="60", reps="8"),
        strong_row(order="2", weight="62.5", reps="6"),
        strong_row(order="D", weight="50", reps="10"),
        strong_row(order="Rest Timer", weight="0", reps="0", seconds="90"),
        strong_row(order="F", weight="60", reps="4"),
        strong_row(order="4", weight="0", reps="0"),  # an empty set
    ]
    parsed = parse("\n".join([STRONG_HEADER, *rows]) + "\n")
    assert parsed.skipped == 1
    (workout,) = parsed.workouts
    (bench,) = workout.exercises.values()
    assert [(s.weight_kg, s.set_type) for s in bench.in_order()] == [
        (D("60.00"), SetType.WORKING),
        (D("62.50"), SetType.WORKING),
        (D("50.00"), SetType.DROP),
        (D("60.00"), SetType.FAILURE),
        (D("65.00"), SetType.WORKING),
        (D("40.00"), SetType.WARMUP),
    ]


def test_fitnotes_times_distances_and_categories() -> None:
    text = (
        f"{FITNOTES_HEADER}\n"
        "2026-02-07,Rowing Machine,Cardio,,,2,km,0:08:10,\n"
        "2026-02-07,Stair Climber,Cardio,,,500,ft,12:30,\n"
        "2026-02-07,Hanging Leg Raise,Abs,0.0,12,,,,felt it\n"
    )
    (workout,) = parse(text).workouts
    assert workout.start == naive(2026, 2, 7, 12) and workout.name == "FitNotes workout"
    rowing, stairs, raise_ = workout.exercises.values()
    assert (rowing.sets[0].distance_m, rowing.sets[0].duration_seconds, rowing.category) == (
        D("2000.0"),
        490,
        "Cardio",
    )
    assert (stairs.sets[0].distance_m, stairs.sets[0].duration_seconds) == (D("152.4"), 750)
    assert (raise_.sets[0].reps, raise_.sets[0].weight_kg, raise_.notes) == (12, None, ["felt it"])


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"date": "02/02/2026"}, "the date “02/02/2026” is not a date I can read (like 2026-03-01 17:30:00)"),
        ({"date": "2026-03-09 10:00:00"}, "the date “2026-03-09 10:00:00” is in the future"),
        ({"date": "1969-12-31 10:00:00"}, "the date “1969-12-31 10:00:00” is before 1970"),
        ({"weight": "-60"}, "the weight “-60” is negative"),
        ({"weight": "heavy"}, "the weight “heavy” is not a number"),
        ({"weight": "5000"}, "the weight “5000” is more than 1000 kg"),
        ({"reps": "8.5"}, "the reps “8.5” is not a whole number"),
        ({"reps": "5000"}, "5000 reps is more than a set can have (at most 1000)"),
        ({"rpe": "11"}, "the RPE “11” is not between 1 and 10"),
        ({"seconds": "nan"}, "the time in seconds “nan” is not a number"),
        ({"seconds": "99999"}, "the time “99999” is longer than 10 hours"),
        ({"order": "X"}, "the set order “X” is not a number, W, D or F"),
        ({"duration": "forever"}, "the duration “forever” is not a duration like 1h 5m"),
        ({"exercise": ""}, "the exercise name is empty"),
        ({"exercise": "x" * 101}, "is longer than 100 characters"),
    ],
)
def test_malformed_values_name_their_line(cells: dict[str, str], message: str) -> None:
    text = "\n".join([STRONG_HEADER, strong_row(), strong_row(**cells)]) + "\n"
    (found,) = problems(text)
    assert found.startswith("3: ") and message in found


def test_the_first_problems_are_listed_and_the_rest_counted() -> None:
    rows = [strong_row(weight="-1") for _ in range(12)]
    with pytest.raises(ImportFileError) as caught:
        parse("\n".join([STRONG_HEADER, *rows]) + "\n")
    assert [p.line for p in caught.value.problems] == list(range(2, 2 + PROBLEMS_SHOWN))
    assert caught.value.total == 12


def test_line_numbers_count_a_quoted_note_over_several_lines_and_crlf() -> None:
    rows = [strong_row(notes='"first line\nsecond line"'), strong_row(), strong_row(weight="-3")]
    found = problems("\r\n".join([STRONG_HEADER, *rows]) + "\r\n")
    assert found == ["5: the weight “-3” is negative"]  # the note takes lines 2 and 3


def test_wrong_column_counts_and_too_many_sets() -> None:
    assert problems(f"{STRONG_HEADER}\n{strong_row()},x\n{strong_row()}\n") == [
        "2: 13 columns where the header has 12"
    ]
    rows = [strong_row(order=str(n)) for n in range(1, SETS_MAX + 2)]
    found = problems("\n".join([STRONG_HEADER, *rows]) + "\n")
    assert found == [f"{SETS_MAX + 2}: more than {SETS_MAX} sets of “Bench Press (Barbell)” in one workout"]


def test_a_windows_1252_file_is_read() -> None:
    text = f"{FITNOTES_HEADER}\n2026-02-07,Développé couché,Chest,60,8,,,,\n"
    (workout,) = parse_export(text.encode("cp1252"), unit=WeightUnit.KG, today=TODAY).workouts
    assert next(iter(workout.exercises.values())).name == "Développé couché"


# --- what a new exercise looks like ------------------------------------------------------------------------


def test_name_variants_and_guesses_for_new_exercises() -> None:
    assert variants("Bench Press (Barbell)") == ["Barbell Bench Press", "Bench Press"]
    assert variants("Squat (Dumbbell)") == ["Dumbbell Squat"]
    assert variants("Plank") == []
    assert guess_muscle_group("Pec Deck (Machine)", None) == "chest"
    assert guess_muscle_group("Seated Leg Curl (Machine)", None) == "hamstrings"
    assert guess_muscle_group("Something odd", "Legs") == "quads"
    assert guess_muscle_group("Something odd", None) == "full_body"
    assert guess_equipment("Pec Deck (Machine)", guess_tracking([])) == "machine"
    reps_only = ParsedSet(line=2, reps=10, weight_kg=None, duration_seconds=None)
    weighted = ParsedSet(line=3, reps=10, weight_kg=D(20), duration_seconds=None)
    assert (
        guess_tracking([reps_only]).value == "REPS"
        and guess_tracking([reps_only, weighted]).value == "WEIGHT_REPS"
    )
    assert guess_equipment("Dragon Flag", guess_tracking([reps_only])) == "bodyweight"


# --- the property: any history written in an app's format reads back as it was -------------------------

SET_TYPES = [SetType.WORKING, SetType.WARMUP, SetType.DROP, SetType.FAILURE]
NAME = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N"), include_characters=" ,\"'-()&;"),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: bool(s) and not s.isdigit())
)


@dataclass(frozen=True)
class GenSet:
    reps: int | None
    weight_kg: Decimal | None
    seconds: int | None
    metres: int | None
    kind: SetType
    rpe: Decimal | None


@st.composite
def gen_set(draw: st.DrawFn, kinds: list[SetType], with_rpe: bool) -> GenSet:
    reps = draw(st.one_of(st.none(), st.integers(1, 1000)))
    seconds = (
        draw(st.integers(1, 36_000)) if reps is None else draw(st.one_of(st.none(), st.integers(1, 36_000)))
    )
    weight = draw(st.one_of(st.none(), st.integers(1, 100_000).map(lambda c: D(c) / 100)))
    metres = draw(st.one_of(st.none(), st.integers(1, 100_000)))
    rpe = draw(st.one_of(st.none(), st.integers(2, 20).map(lambda h: D(h) / 2))) if with_rpe else None
    return GenSet(reps, weight, seconds, metres, draw(st.sampled_from(kinds)), rpe)


History = list[tuple[datetime, str, list[tuple[str, list[GenSet]]]]]


@st.composite
def history(draw: st.DrawFn, kinds: list[SetType], with_rpe: bool, days: bool) -> History:
    count = draw(st.integers(1, 4))
    offsets = draw(
        st.lists(
            st.integers(0, 2_000_000),
            min_size=count,
            max_size=count,
            unique_by=(lambda m: m // 1440) if days else None,
        )
    )
    out = []
    for offset in offsets:
        start = naive(2020, 1, 1) + timedelta(minutes=offset)
        names = draw(st.lists(NAME, min_size=1, max_size=3, unique_by=lambda n: n.casefold()))
        exercises = [(n, draw(st.lists(gen_set(kinds, with_rpe), min_size=1, max_size=4))) for n in names]
        out.append((start.replace(hour=12, minute=0) if days else start, draw(NAME), exercises))
    return out


def _number(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def write(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return out.getvalue().encode()


def as_hevy(workouts: History) -> bytes:
    kinds = {
        SetType.WORKING: "normal",
        SetType.WARMUP: "warmup",
        SetType.DROP: "dropset",
        SetType.FAILURE: "failure",
    }
    rows = [next(csv.reader([HEVY_HEADER]))]
    for start, name, exercises in workouts:
        for exercise, sets in exercises:
            for index, s in enumerate(sets):
                km = None if s.metres is None else D(s.metres) / 1000
                rows.append([name, f"{start:%d %b %Y, %H:%M}", f"{start + timedelta(hours=1):%d %b %Y, %H:%M}", "",
                             exercise, "", "", str(index), kinds[s.kind], _number(s.weight_kg), _number(s.reps),
                             _number(km), _number(s.seconds), _number(s.rpe)])  # fmt: skip
    return write(rows)


def as_strong(workouts: History) -> bytes:
    marks = {SetType.WARMUP: "W", SetType.DROP: "D", SetType.FAILURE: "F"}
    rows = [STRONG_HEADER.split(",")]
    for start, name, exercises in workouts:
        for exercise, sets in exercises:
            number = 0
            for s in sets:
                if s.kind is SetType.WORKING:
                    number += 1
                km = "0" if s.metres is None else str(D(s.metres) / 1000)
                rows.append([f"{start:%Y-%m-%d %H:%M:%S}", name, "1h 5m", exercise, marks.get(s.kind, str(number)),
                             _number(s.weight_kg) or "0", _number(s.reps) or "0", km, _number(s.seconds) or "0",
                             "", "", _number(s.rpe)])  # fmt: skip
    return write(rows)


def as_fitnotes(workouts: History) -> bytes:
    rows = [FITNOTES_HEADER.split(",")]
    for start, _name, exercises in workouts:
        for exercise, sets in exercises:
            for s in sets:
                clock = (
                    ""
                    if s.seconds is None
                    else f"{s.seconds // 3600}:{s.seconds // 60 % 60:02d}:{s.seconds % 60:02d}"
                )
                rows.append([f"{start:%Y-%m-%d}", exercise, "", _number(s.weight_kg), _number(s.reps),
                             _number(s.metres), "m" if s.metres else "", clock, ""])  # fmt: skip
    return write(rows)


def _generated(s: ParsedSet) -> GenSet:
    metres = None if s.distance_m is None else int(s.distance_m)
    return GenSet(s.reps, s.weight_kg, s.duration_seconds, metres, s.set_type, s.rpe)


def read_back(parsed: ParsedFile) -> list[tuple[datetime, list[tuple[str, list[GenSet]]]]]:
    return [
        (w.start, [(e.name, [_generated(s) for s in e.in_order()]) for e in w.exercises.values()])
        for w in parsed.workouts
    ]


def expected(workouts: History) -> list[tuple[datetime, list[tuple[str, list[GenSet]]]]]:
    return [(start, exercises) for start, _name, exercises in sorted(workouts, key=lambda w: w[0])]


@settings(max_examples=40, deadline=None)
@given(workouts=history(SET_TYPES, with_rpe=True, days=False))
def test_a_hevy_history_reads_back_as_written(
    workouts: History,
) -> None:
    parsed = parse_export(as_hevy(workouts), unit=WeightUnit.LB, today=TODAY)
    assert parsed.source is ImportSource.HEVY and parsed.unit is WeightUnit.KG  # the file says kg
    assert read_back(parsed) == expected(workouts)
    assert [w.name for w in parsed.workouts] == [name for _, name, _ in sorted(workouts, key=lambda w: w[0])]
    assert all(w.duration_seconds == 3600 for w in parsed.workouts)


@settings(max_examples=40, deadline=None)
@given(workouts=history(SET_TYPES, with_rpe=True, days=False))
def test_a_strong_history_reads_back_as_written(
    workouts: History,
) -> None:
    parsed = parse_export(as_strong(workouts), unit=WeightUnit.KG, today=TODAY)
    assert parsed.source is ImportSource.STRONG and not parsed.unit_from_file
    assert read_back(parsed) == expected(workouts)
    assert len({w.key for w in parsed.workouts}) == len(workouts)


@settings(max_examples=40, deadline=None)
@given(workouts=history([SetType.WORKING], with_rpe=False, days=True))
def test_a_fitnotes_history_reads_back_as_written(
    workouts: History,
) -> None:
    parsed = parse_export(as_fitnotes(workouts), unit=WeightUnit.LB, today=TODAY)
    assert parsed.source is ImportSource.FITNOTES
    assert read_back(parsed) == expected(workouts)
    assert [w.key for w in parsed.workouts] == [
        f"{s:%Y-%m-%d}" for s, _, _ in sorted(workouts, key=lambda w: w[0])
    ]


def test_lb_files_convert_each_weight_as_a_typed_lb_weight() -> None:
    text = FITNOTES_HEADER.replace("kgs", "lbs") + "\n2026-02-07,Squat,Legs,225.5,5,,,,\n"
    assert only_set(parse(text)).weight_kg == kg_from(D("225.5"), WeightUnit.LB)
