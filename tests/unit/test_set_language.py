"""The richer set language (issue #12): RPE, RIR, AMRAP, drop and failure sets, assisted and weighted
bodyweight sets, distances with their time - parsed by bot.services.set_input, written back by
bot.ui.formatting, and anything accepted reads back the same after formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db.enums import SetType, TrackingType, WeightUnit
from bot.services.set_input import MAX_TEXT_LENGTH, SetInput, SetInputError, parse_sets
from bot.services.units import kg_from
from bot.ui.formatting import format_pace, format_set, format_sets_compact, format_work

KG, LB = WeightUnit.KG, WeightUnit.LB
WR, REPS, DUR = TrackingType.WEIGHT_REPS, TrackingType.REPS, TrackingType.DURATION
D = Decimal
WORKING, WARMUP, DROP, FAILURE, AMRAP = (
    SetType.WORKING,
    SetType.WARMUP,
    SetType.DROP,
    SetType.FAILURE,
    SetType.AMRAP,
)


def lift(weight: str | None, reps: int, **extra: object) -> SetInput:
    return SetInput(reps=reps, weight_kg=None if weight is None else D(weight), **extra)  # type: ignore[arg-type]


def run(metres: int, seconds: int, **extra: object) -> SetInput:
    return SetInput(duration_seconds=seconds, distance_m=D(metres), **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "tracking", "expected"),
    [
        # effort
        ("60x8 @8", WR, [lift("60", 8, rpe=D(8))]),
        ("60x8 @7.5", WR, [lift("60", 8, rpe=D("7.5"))]),
        ("60x8@9.5", WR, [lift("60", 8, rpe=D("9.5"))]),
        ("60x8 rpe 8", WR, [lift("60", 8, rpe=D(8))]),
        ("60x8 RPE8", WR, [lift("60", 8, rpe=D(8))]),
        ("60x8 rir2", WR, [lift("60", 8, rir=2)]),
        ("60x8 RIR 0", WR, [lift("60", 8, rir=0)]),
        ("60x8 @8 rir2", WR, [lift("60", 8, rpe=D(8), rir=2)]),
        ("60x8x3 @8", WR, [lift("60", 8, rpe=D(8))] * 3),
        ("3x8 @ 8", WR, [lift("3", 8, rpe=D(8))]),  # weight x reps at RPE 8
        ("3x8 @ 60", WR, [lift("60", 8)] * 3),  # sets x reps at a weight, as before
        ("8 @ 8", WR, [lift("8", 8)]),  # reps at a weight, as before
        ("3x8 @ 8kg", WR, [lift("8", 8)] * 3),
        ("45s @8", DUR, [SetInput(duration_seconds=45, rpe=D(8))]),
        # calories (timed exercises: a rower, a bike)
        ("10 cal", DUR, [SetInput(calories=10)]),
        ("10 kcal", DUR, [SetInput(calories=10)]),
        ("3x10 cal", DUR, [SetInput(calories=10)] * 3),
        ("20 min 250 cal", DUR, [SetInput(duration_seconds=1200, calories=250)]),
        ("20:00 250 calories", DUR, [SetInput(duration_seconds=1200, calories=250)]),
        ("250 cal in 20 min", DUR, [SetInput(duration_seconds=1200, calories=250)]),
        ("2km 8:00 150 cal", DUR, [run(2000, 480, calories=150)]),
        ("3x500m 1:50 30 cal", DUR, [run(500, 110, calories=30)] * 3),
        ("w 10 cal @8", DUR, [SetInput(calories=10, set_type=WARMUP, rpe=D(8))]),
        # kinds
        ("60x8+", WR, [lift("60", 8, set_type=AMRAP)]),
        ("60 x 8 +", WR, [lift("60", 8, set_type=AMRAP)]),
        ("60x8+ @9", WR, [lift("60", 8, set_type=AMRAP, rpe=D(9))]),
        ("8+", REPS, [lift(None, 8, set_type=AMRAP)]),
        ("bw x 12+", REPS, [lift(None, 12, set_type=AMRAP)]),
        ("d 40x10", WR, [lift("40", 10, set_type=DROP)]),
        ("drop 40x10", WR, [lift("40", 10, set_type=DROP)]),
        ("d40x10x2", WR, [lift("40", 10, set_type=DROP)] * 2),
        ("f 60x6", WR, [lift("60", 6, set_type=FAILURE)]),
        ("fail 60x6 rir0", WR, [lift("60", 6, set_type=FAILURE, rir=0)]),
        ("w 40x10", WR, [lift("40", 10, is_warmup=True)]),
        (
            "w 40x10, 60x8+, d 40x12",
            WR,
            [lift("40", 10, set_type=WARMUP), lift("60", 8, set_type=AMRAP), lift("40", 12, set_type=DROP)],
        ),
        # assisted and weighted bodyweight
        ("-20kg x 8", REPS, [lift(None, 8, assistance_kg=D(20))]),
        ("-20 x 8", REPS, [lift(None, 8, assistance_kg=D(20))]),
        ("-20kg 8", REPS, [lift(None, 8, assistance_kg=D(20))]),
        ("8 -20kg", REPS, [lift(None, 8, assistance_kg=D(20))]),
        ("8 -20", REPS, [lift(None, 8, assistance_kg=D(20))]),
        ("-20kg x 8 x 3", REPS, [lift(None, 8, assistance_kg=D(20))] * 3),
        ("-45lb x 8", REPS, [lift(None, 8, assistance_kg=D("20.41"))]),
        ("f -20kg x 8", REPS, [lift(None, 8, assistance_kg=D(20), set_type=FAILURE)]),
        ("-20kg x 8", WR, [lift(None, 8, assistance_kg=D(20))]),
        ("+10kg x 8", REPS, [lift("10", 8)]),
        ("8 +10kg", REPS, [lift("10", 8)]),
        ("+10kg x 8 @9", REPS, [lift("10", 8, rpe=D(9))]),
        # distances with their time
        ("5km 25:00", DUR, [run(5000, 1500)]),
        ("5 km 25 min", DUR, [run(5000, 1500)]),
        ("5k 25:00", DUR, [run(5000, 1500)]),
        ("5 km in 25 min", DUR, [run(5000, 1500)]),
        ("400m 1:30", DUR, [run(400, 90)]),
        ("400 metres 1:30", DUR, [run(400, 90)]),
        ("400m 30s", DUR, [run(400, 30)]),
        ("2.5 mi 22:10", DUR, [run(4023, 1330)]),
        ("1 mile 7:30", DUR, [run(1609, 450)]),
        ("2,5 km 12:00", DUR, [run(2500, 720)]),
        ("3x400m 1:30", DUR, [run(400, 90)] * 3),
        ("3 x 400 m in 1 min 30 s", DUR, [run(400, 90)] * 3),
        ("10km 1:02:30 @7", DUR, [run(10000, 3750, rpe=D(7))]),
        ("w 1km 6:00", DUR, [run(1000, 360, is_warmup=True)]),
        # times stay times
        ("2m 30s", DUR, [SetInput(duration_seconds=150)]),
        ("2m", DUR, [SetInput(duration_seconds=120)]),
        ("3x45s", DUR, [SetInput(duration_seconds=45)] * 3),
    ],
)
def test_accepted(text: str, tracking: TrackingType, expected: list[SetInput]) -> None:
    assert parse_sets(text, tracking=tracking, unit=KG, last_weight_kg=D(50)) == expected


def test_a_warm_up_is_its_set_type() -> None:
    assert SetInput(reps=5, is_warmup=True).set_type is WARMUP
    assert SetInput(reps=5, set_type=WARMUP).is_warmup
    with pytest.raises(ValueError, match="warm-up"):
        SetInput(reps=5, is_warmup=True, set_type=DROP)


@pytest.mark.parametrize(
    ("text", "tracking", "reason"),
    [
        ("60x8 @11", WR, "RPE 11 is out of range: it goes from 1 to 10, like 60x8 @8."),
        ("60x8 rpe 0", WR, "RPE 0 is out of range: it goes from 1 to 10, like 60x8 @8 or @7.5."),
        ("60x8 rpe 12", WR, "RPE 12 is out of range: it goes from 1 to 10, like 60x8 @8 or @7.5."),
        ("60x8 @7.25", WR, "RPE 7.25 is out of range: it goes from 1 to 10, like 60x8 @8 or @7.5."),
        ("60x8 rir11", WR, "RIR 11 is out of range: reps in reserve go from 0 to 10, like 60x8 rir2."),
        (
            "w 60x8+",
            WR,
            "“w 60x8+” is both a warm-up and as many reps as possible - a set is one kind only, "
            "like 60x8+ or d 40x10.",
        ),
        (
            "d 60x8+",
            WR,
            "“d 60x8+” is both a drop set and as many reps as possible - a set is one kind only, "
            "like 60x8+ or d 40x10.",
        ),
        ("45s+", DUR, "As many reps as possible (60x8+) is for exercises counted in reps."),
        ("-0kg x 8", REPS, "The assistance must be more than 0 - for an unassisted set send just the reps."),
        ("-2000kg x 8", REPS, "2000 kg is too heavy - at most 1000 kg."),
        ("5km", DUR, "How long did “5km” take? Add the time, like 5km 25:00 or 400m 1:30."),
        ("2.5 mi", DUR, "How long did “2.5 mi” take? Add the time, like 5km 25:00 or 400m 1:30."),
        ("2000km 10:00:00", DUR, "The distance can be at most 1000 km."),
        ("0.0001 km 0:30", DUR, "The distance must be at least 1 m."),
        ("5km 25:00", WR, "“5km 25:00” is a distance, but this exercise is counted in reps."),
        ("5km 25:00", REPS, "“5km 25:00” is a distance, but this exercise is counted in reps."),
        ("0 cal", DUR, "A set needs at least 1 cal - or send the time, like 10 min."),
        ("10001 cal", DUR, "10001 cal is more than I can log - at most 10000."),
        ("10 cal 20 cal", DUR, "I couldn't read “10 cal 20 cal”."),
        ("10 cal", REPS, "“10 cal” is calories, but this exercise is counted in reps."),
        ("10 cal", WR, "“10 cal” is calories, but this exercise is counted in reps."),
        ("-20kg x 8", DUR, "“-20kg x 8” looks like weight and reps, but this exercise is timed."),
        ("d", WR, "I couldn't read “d”."),
        ("12 - 15", REPS, "I couldn't read “12 - 15”."),  # a rep range, not an assisted set
        ("@8", WR, "I couldn't read “@8”."),
    ],
)
def test_refused_with_a_clear_message(text: str, tracking: TrackingType, reason: str) -> None:
    with pytest.raises(SetInputError) as error:
        parse_sets(text, tracking=tracking, unit=KG)
    assert error.value.reason.startswith(reason)
    assert "like" in error.value.reason  # every refusal shows an example


@pytest.mark.parametrize(
    ("s", "tracking", "text"),
    [
        (lift("60", 8, rpe=D(8)), WR, "60×8 @8"),
        (lift("60", 8, rpe=D("7.5"), rir=2), WR, "60×8 @7.5 rir2"),
        (lift("60", 8, set_type=AMRAP), WR, "60×8+"),
        (lift("40", 10, set_type=DROP), WR, "d 40×10"),
        (lift("60", 6, set_type=FAILURE), WR, "f 60×6"),
        (lift(None, 8, assistance_kg=D(20)), REPS, "-20×8"),
        (lift("10", 8), REPS, "+10×8"),
        (run(5000, 1500), DUR, "5 km in 25 min"),
        (run(4023, 1330), DUR, "4.023 km in 22 min 10 s"),
        (run(400, 90), DUR, "400 m in 1 min 30 s"),
    ],
)
def test_format_set(s: SetInput, tracking: TrackingType, text: str) -> None:
    assert format_set(s, KG, tracking) == text


def test_format_sets_compact_runs() -> None:
    sets = (
        [lift("60", 8, rpe=D(8))] * 3
        + [lift("60", 8, set_type=AMRAP)] * 2
        + [lift("40", 10, set_type=DROP)] * 2
    )
    assert format_sets_compact(sets, KG, WR) == "60×8×3 @8, 60×8+, 60×8+, d 40×10×2"
    assert format_sets_compact([run(400, 90)] * 3, KG, DUR) == "3×400 m in 1 min 30 s"


def test_summaries_of_distances_show_distance_time_and_pace() -> None:
    assert format_pace(1500, D(5000)) == "5:00 /km"
    assert format_pace(1330, D(4023)) == "5:31 /km"
    text = format_work(1, 0, D(0), 1500, KG, distance_m=D(5000))
    assert text == "1 set · distance 5 km · time 25 min · pace 5:00 /km"
    assert "0 reps" not in text and "volume" not in text
    mixed = format_work(3, 0, D(0), 1560, KG, distance_m=D(400), distance_seconds=90)
    assert mixed == "3 sets · distance 400 m · time 26 min · pace 3:45 /km"


# --- round trips: whatever parse_sets accepts, formatting gives back ------------------------------------

_WEIGHT_TEXT = st.from_regex(r"(\d{1,3}(\.\d{1,2})?|bw)", fullmatch=True)
_EFFORT = st.from_regex(r"( ?@ ?(10|[1-9](\.[05])?)| rpe ?[1-9])?( rir ?(10|[0-9]))?", fullmatch=True)
_KIND = st.sampled_from(["", "w ", "d ", "f ", "drop ", "fail "])
_REPS_TEXT = st.integers(min_value=1, max_value=30).map(str)


@st.composite
def typed(draw: st.DrawFn, tracking: TrackingType) -> str:
    """Text in the set language (sometimes invalid: the test keeps only what is accepted)."""
    kind, effort = draw(_KIND), draw(_EFFORT)
    if tracking is TrackingType.DURATION:
        time = draw(st.sampled_from(["25:00", "1:30", "45s", "2 min", "1:02:30", "30 s", "90"]))
        distance = draw(st.from_regex(r"(\d{1,2}(\.\d{1,3})? ?(km|k|mi)|\d{2,4} ?m)", fullmatch=True))
        count = draw(st.sampled_from(["", "3x", "2 x "]))
        body = draw(st.sampled_from([f"{distance} {time}", f"{distance} in {time}", time]))
        if count and (body != time or ":" not in time):
            body = count + body
        calories = draw(st.sampled_from(["", "", " 250 cal", " 15 kcal", " 0 cal", " 20000 cal"]))
        if draw(st.booleans()) and calories:  # calories alone, or first
            body = draw(st.sampled_from([f"{count}{calories.strip()}", f"{calories.strip()} in {time}"]))
            calories = ""
        return f"{kind}{body}{calories}{effort}"
    weight, reps = draw(_WEIGHT_TEXT), draw(_REPS_TEXT)
    body = draw(
        st.sampled_from(
            [
                f"{weight}x{reps}",
                f"{weight} x {reps}x{draw(st.integers(1, 4))}",
                f"-{weight}kg x {reps}",
                f"{reps} -{weight}",
                f"+{weight}kg x {reps}",
                reps,
            ]
        )
    )
    amrap = draw(st.sampled_from(["", "", "+"]))
    return f"{kind}{body}{amrap}{effort}"


@settings(max_examples=400, deadline=None)
@given(data=st.data(), tracking=st.sampled_from(TrackingType), last=st.sampled_from([None, D(50)]))
def test_whatever_is_accepted_formats_back_to_the_same_sets(
    data: st.DataObject, tracking: TrackingType, last: Decimal | None
) -> None:
    text = data.draw(typed(tracking))
    try:
        sets = parse_sets(text, tracking=tracking, unit=KG, last_weight_kg=last)
    except SetInputError:
        return
    for s in sets:
        assert parse_sets(format_set(s, KG, tracking), tracking=tracking, unit=KG) == [s], format_set(
            s, KG, tracking
        )
    assert parse_sets(format_sets_compact(sets, KG, tracking), tracking=tracking, unit=KG) == sets


_LB_KG = st.integers(min_value=1, max_value=22_046).map(lambda tenths: kg_from(D(tenths) / 10, LB))


@st.composite
def any_set(draw: st.DrawFn, tracking: TrackingType, unit: WeightUnit) -> SetInput:
    """Any set parse_sets could return, every field drawn."""
    kind = draw(st.sampled_from(SetType))
    rpe = draw(st.none() | st.integers(10, 100).map(lambda tenths: D(tenths) / 10))
    rir = draw(st.none() | st.integers(0, 10))
    weights = st.integers(1, 100_000).map(lambda c: D(c) / 100) if unit is KG else _LB_KG
    if tracking is TrackingType.DURATION:
        kind = draw(st.sampled_from([WORKING, WARMUP, DROP, FAILURE]))
        metres = draw(st.none() | st.integers(1, 1_000_000).map(D))
        calories = draw(st.none() | st.integers(1, 10_000))
        seconds = draw(st.integers(1, 36_000) if calories is None or metres is not None else st.none())
        if seconds is None and draw(st.booleans()):
            seconds = draw(st.integers(1, 36_000))
        return SetInput(
            duration_seconds=seconds, set_type=kind, rpe=rpe, rir=rir, distance_m=metres, calories=calories
        )
    reps = draw(st.integers(1, 1000))
    weight = draw(st.none() | weights)
    assistance = draw(st.none() | weights) if weight is None else None
    return SetInput(reps=reps, weight_kg=weight, set_type=kind, rpe=rpe, rir=rir, assistance_kg=assistance)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), tracking=st.sampled_from(TrackingType), unit=st.sampled_from(WeightUnit))
def test_any_set_formats_and_parses_back(
    data: st.DataObject, tracking: TrackingType, unit: WeightUnit
) -> None:
    s = data.draw(any_set(tracking, unit))
    assert parse_sets(format_set(s, unit, tracking), tracking=tracking, unit=unit) == [s]
    runs = data.draw(st.lists(st.tuples(any_set(tracking, unit), st.integers(1, 3)), min_size=1, max_size=3))
    sets = [one for one, count in runs for _ in range(count)]
    text = format_sets_compact(sets, unit, tracking)
    if len(text) <= MAX_TEXT_LENGTH:  # a longer list is refused as a message, whatever it says
        assert parse_sets(text, tracking=tracking, unit=unit) == sets


def test_an_assisted_set_is_no_bodyweight_reps_record() -> None:
    from bot.services.records import Bests, RecordKind, measures, new_records

    assert measures(lift(None, 12, assistance_kg=D(20))) == {}
    assert measures(lift(None, 12)) == {RecordKind.REPS: 12}
    found, _ = new_records(Bests(reps=8), [lift(None, 12, assistance_kg=D(20))])
    assert found == []


def test_calories_close_a_summary_of_work() -> None:
    assert format_work(5, 0, D(0), 0, KG, calories=30) == "5 sets · 30 cal"
    assert format_work(2, 0, D(0), 1680, KG, distance_m=D(2000), distance_seconds=480, calories=1400) == (
        "2 sets · distance 2 km · time 28 min · pace 4:00 /km · 1,400 cal"
    )


@pytest.mark.parametrize(("volume", "shown"), [(0.0, False), (4320.0, True)])
def test_a_finished_program_of_runs_shows_no_volume(volume: float, shown: bool) -> None:
    import uuid

    from bot.services.program_day import DayAdvance, ProgramStats
    from bot.ui.reminders import completed_line
    from bot.ui.workout import advance_text

    stats = ProgramStats("Couch to 5K", 63, 27, 0, 81, volume, 54_000)
    for text in (advance_text(DayAdvance(uuid.uuid4(), True, 63, stats), KG), completed_line(stats, KG)):
        assert "81 sets, " in text and "15 h of training" in text
        assert ("volume 4,320 kg" in text) is shown and ("volume 0" not in text)
