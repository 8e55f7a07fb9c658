"""The trainee's dashboard endpoints answer from the database: profile counts, calendar, exercises,
progress, measurements, volume, history (paged by date) and the program's schedule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import SessionStatus, WeightUnit
from bot.services import enrollment, measurements
from tests.factories import make_program
from tests.webapp.conftest import ALICE, EVE, NOW, Api, World, exercise_id, log_workout


async def test_me_is_the_profile_with_counts(api: Api, world: World) -> None:
    status, body = await api.get("/app/api/me", ALICE)
    assert status == 200
    assert body == {
        "id": str(world.alice.id),
        "telegram_id": ALICE,
        "name": "Alice",
        "language": "en",
        "unit": "kg",
        "timezone": "UTC",
        "is_coach": False,
        "counts": {"workouts": 2, "sets": 6},
    }


async def test_me_in_russian_and_pounds(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        eve = await session.get(type(world.eve), world.eve.id)
        assert eve is not None
        eve.language, eve.weight_unit = "ru", WeightUnit.LB
    status, body = await api.get("/app/api/me", EVE)
    assert status == 200
    assert (body["language"], body["unit"], body["counts"]) == ("ru", "lb", {"workouts": 0, "sets": 0})


async def test_calendar_done_missed_planned_rest_streak_and_week(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        await log_workout(
            session,
            world.alice,
            NOW - timedelta(days=20),
            [],
            name="Skipped one",
            status=SessionStatus.SKIPPED,
        )
        program = await make_program(session)
        await enrollment.enroll(session, world.alice, program.id, NOW.date(), NOW)
    status, body = await api.get("/app/api/calendar", ALICE)
    assert status == 200
    today = NOW.date()
    days = {d["date"]: d for d in body["days"]}
    assert body["today"] == today.isoformat()
    assert len(body["days"]) == 365 + 14 + 1
    assert body["days"][0]["date"] == (today - timedelta(days=365)).isoformat()
    assert days[(today - timedelta(days=1)).isoformat()]["status"] == "done"
    assert [s["name"] for s in days[(today - timedelta(days=1)).isoformat()]["sessions"]] == ["Legs again"]
    assert days[(today - timedelta(days=8)).isoformat()]["status"] == "done"
    assert days[(today - timedelta(days=20)).isoformat()]["status"] == "missed"
    assert days[(today - timedelta(days=3)).isoformat()] == {
        "date": (today - timedelta(days=3)).isoformat(),
        "status": "rest",
        "sessions": [],
    }
    # The mini program from today: day 1 A, day 2 rest, day 3 B + optional C, day 4 A, then it ends.
    assert days[today.isoformat()]["status"] == "planned"
    assert [s["name"] for s in days[today.isoformat()]["sessions"]] == ["Workout A"]
    assert days[(today + timedelta(days=1)).isoformat()]["status"] == "rest"
    third = days[(today + timedelta(days=2)).isoformat()]
    assert third["status"] == "planned"
    assert sorted(s["name"] for s in third["sessions"]) == ["Mobility C", "Workout B"]
    assert third["sessions"][0]["id"] is None  # not planned as a session yet
    assert days[(today + timedelta(days=3)).isoformat()]["status"] == "planned"
    assert days[(today + timedelta(days=4)).isoformat()]["status"] == "rest"
    # Done this week (Tuesday) and last week (Tuesday the 24th): two weeks in a row.
    assert body["streak"] == 2
    # This week (Mon 2 - Sun 8 March): Tuesday's done, then A today, B + C on Friday, A on Saturday.
    assert body["week"] == {"done": 1, "scheduled": 5}


async def test_exercises_and_progress_in_the_users_unit(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    status, body = await api.get("/app/api/exercises", ALICE)
    assert status == 200
    squat_id = str(next(e["id"] for e in body if e["name"] == "Barbell Back Squat"))
    assert {e["name"]: (e["sets"], e["last"]) for e in body} == {
        "Barbell Back Squat": (5, (NOW.date() - timedelta(days=1)).isoformat()),
        "Plank": (1, (NOW.date() - timedelta(days=1)).isoformat()),
    }
    status, body = await api.get(f"/app/api/progress/{squat_id}", ALICE)
    assert status == 200
    assert body["unit"] == "kg" and body["exercise"] == {"id": squat_id, "name": "Barbell Back Squat"}
    first, second = body["points"]
    assert first["date"] == (NOW.date() - timedelta(days=8)).isoformat()
    assert (first["top_weight"], first["top_reps"], first["volume"]) == (100.0, 5, 1720.0)
    assert first["e1rm"] == 116.67  # Epley: 90 x (1 + 8/30) = 114, 100 x (1 + 5/30) = 116.67
    assert (second["top_weight"], second["top_reps"]) == (110.0, 3)
    async with session_factory() as session, session.begin():
        alice = await session.get(type(world.alice), world.alice.id)
        assert alice is not None
        alice.weight_unit = WeightUnit.LB
    status, body = await api.get(f"/app/api/progress/{squat_id}", ALICE)
    assert body["unit"] == "lb" and body["points"][0]["top_weight"] == 220.5


async def test_progress_of_an_unknown_or_foreign_exercise_is_404(api: Api, world: World) -> None:
    status, _body = await api.get("/app/api/progress/not-a-uuid", ALICE)
    assert status == 404
    status, _body = await api.get("/app/api/progress/00000000-0000-0000-0000-000000000001", ALICE)
    assert status == 404


async def test_measurements(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        metric = next(m for m in await measurements.metrics(session) if m.code == "body_weight")
        for days, value in ((10, "80.5"), (3, "79.9")):
            await measurements.add_measurement(
                session,
                world.alice,
                metric,
                measurements.MeasurementInput(Decimal(value), "kg", NOW.date() - timedelta(days=days), None),
            )
    status, body = await api.get("/app/api/measurements", ALICE)
    assert status == 200
    (series,) = body["metrics"]
    assert (series["id"], series["unit"]) == (str(metric.id), "kg")
    assert series["points"] == [
        {"date": (NOW.date() - timedelta(days=10)).isoformat(), "value": 80.5},
        {"date": (NOW.date() - timedelta(days=3)).isoformat(), "value": 79.9},
    ]
    status, body = await api.get("/app/api/measurements", EVE)
    assert body == {"metrics": []}


async def test_volume_per_muscle_group_per_week(api: Api, world: World) -> None:
    status, body = await api.get("/app/api/volume?weeks=3", ALICE)
    assert status == 200
    assert body["unit"] == "kg"
    assert [w["start"] for w in body["weeks"]] == ["2026-02-16", "2026-02-23", "2026-03-02"]
    assert body["weeks"][0]["groups"] == {}
    assert body["weeks"][1]["groups"] == {"quads": 1720.0}  # 100x5 + 100x5 + 90x8
    assert body["weeks"][2]["groups"] == {"quads": 855.0}  # 110x3 + 105x5; the plank has no weight
    status, body = await api.get("/app/api/volume", ALICE)
    assert len(body["weeks"]) == 12
    for bad in ("0", "500", "x"):
        status, body = await api.get(f"/app/api/volume?weeks={bad}", ALICE)
        assert status == 422 and body["fields"][0]["path"] == "weeks"


async def test_history_with_sets_paged_by_date(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    status, body = await api.get("/app/api/history?limit=1", ALICE)
    assert status == 200
    (latest,) = body["sessions"]
    assert (latest["id"], latest["name"], latest["status"]) == (
        str(world.alice_session),
        "Legs again",
        "completed",
    )
    assert latest["date"] == (NOW.date() - timedelta(days=1)).isoformat()
    assert [
        (s["exercise"], s["set_number"], s["weight"], s["reps"], s["duration_s"]) for s in latest["sets"]
    ] == [
        ("Barbell Back Squat", 1, 110.0, 3, None),
        ("Barbell Back Squat", 2, 105.0, 5, None),
        ("Plank", 1, None, None, 60),
    ]
    assert body["next_before"] == latest["date"]
    status, body = await api.get(f"/app/api/history?limit=1&before={body['next_before']}", ALICE)
    assert [s["name"] for s in body["sessions"]] == ["Legs"]
    assert body["next_before"] is None
    for bad in ("yesterday", "0001-01-01", "9999-12-31", "2026-02-30"):
        status, body = await api.get(f"/app/api/history?before={bad}", ALICE)
        assert status == 422 and body["fields"][0]["path"] == "before"
    status, body = await api.get("/app/api/history?before=2999-12-31&limit=100", ALICE)
    assert status == 200 and len(body["sessions"]) == 2


async def test_history_never_splits_a_date(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        for hours in (1, 2):
            await log_workout(
                session,
                world.eve,
                NOW - timedelta(days=1, hours=hours),
                [("plank", [(None, None, 30)])],
                name=f"P{hours}",
            )
        await log_workout(
            session, world.eve, NOW - timedelta(days=5), [("plank", [(None, None, 30)])], name="Old"
        )
    _status, body = await api.get("/app/api/history?limit=1", EVE)
    assert sorted(s["name"] for s in body["sessions"]) == ["P1", "P2"]
    _status, body = await api.get(f"/app/api/history?limit=1&before={body['next_before']}", EVE)
    assert [s["name"] for s in body["sessions"]] == ["Old"]


async def test_program_schedule(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    status, body = await api.get("/app/api/program", ALICE)
    assert body == {"enrollments": []}
    async with session_factory() as session, session.begin():
        program = await make_program(session)
        info = await enrollment.enroll(session, world.alice, program.id, NOW.date(), NOW)
    status, body = await api.get("/app/api/program", ALICE)
    assert status == 200
    (only,) = body["enrollments"]
    assert only["id"] == str(info.id)
    assert only["program"] == {"id": str(program.id), "name": "Mini Program"}
    assert (only["status"], only["current_day"]) == ("active", 1)
    assert [(d["day"], [w["name"] for w in d["workouts"]]) for d in only["days"]] == [
        (1, ["Workout A"]),
        (2, []),
        (3, ["Workout B", "Mobility C"]),
        (4, ["Workout A"]),
    ]


async def test_exercise_ids_are_catalog_ids(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session:
        squat = await exercise_id(session, "back-squat")
    _status, body = await api.get("/app/api/exercises", ALICE)
    assert str(squat) in {e["id"] for e in body}
    assert date.fromisoformat(body[0]["last"]) <= NOW.date()
