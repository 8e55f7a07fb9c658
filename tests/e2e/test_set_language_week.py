"""The weekly summary of a week with distances (issue #12): distance, time and pace, never "0 reps,
volume 0 kg". Runs the real tick against the emulator, like test_weekly_summary."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select, update

from bot.db.enums import SessionStatus
from bot.db.models import User, UserExercisePerformance, UserExerciseSet
from tests.e2e.test_reminders import MONDAY, World, at, catalog, world
from tests.e2e.test_weekly_summary import add_session

__all__ = ["catalog", "world"]  # the fixtures, shared with test_reminders


async def test_a_week_of_runs_shows_distance_time_and_pace(world: World) -> None:
    alice = await world.trainee(start=None)
    await alice.sandbox.send("/reminders weekly on")
    async with world.factory() as session, session.begin():
        user = await session.get(User, alice.user_id)
        assert user is not None
        # Two timed sets of the workout's timed exercise, then given their distances: 5 km in 25 min and
        # 1 km in 5 min (as `5km 25:00` and `1km 5:00` would log them).
        sid = await add_session(session, user, at(MONDAY, 18), SessionStatus.COMPLETED,
                                {"plank": [(None, None, 1500), (None, None, 300)]})  # fmt: skip
        performance = UserExercisePerformance.user_workout_session_id == sid
        for number, metres in ((1, 5000), (2, 1000)):
            await session.execute(
                update(UserExerciseSet)
                .where(
                    UserExerciseSet.set_number == number,
                    UserExerciseSet.performance_id.in_(select(UserExercisePerformance.id).where(performance)),
                )
                .values(distance_m=Decimal(metres))
            )  # fmt: skip
    await world.tick(at(MONDAY + timedelta(days=6), 19, 0))
    (summary,) = [m.content for m in world.messages(alice) if "Your week" in m.content]
    assert "Work: 2 sets · distance 6 km · time 30 min · pace 5:00 /km" in summary
    assert "0 reps" not in summary and "volume" not in summary
