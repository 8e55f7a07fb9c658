# ruff: noqa: F811 - the fixtures `catalog` and `alice_id` come from tests/e2e/test_programs.py
"""Start-date wording through the emulator: one button per day, and examples that are never in the past.

On a Sunday "Tomorrow" and "Next Monday" are the same day: only "Tomorrow" is offered. The typed-date
prompt's examples name a day a week ahead of the user's today, so they are never a past date. Each
test checks the screen and the enrollment rows.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from bot.db.enums import EnrollmentStatus
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from tests.e2e.test_programs import (  # noqa: F401 - `alice_id` and `catalog` are fixtures
    BEGINNER,
    Factory,
    alice_id,
    catalog,
    enrollment_rows,
    open_enroll,
)

SUNDAY = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, Alice's zone
LATER = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)  # a Wednesday, months after the old fixed example


@pytest.fixture
def clock() -> Clock:
    return Clock(SUNDAY)


async def test_sunday_offers_monday_once(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    await open_enroll(alice)
    assert alice.buttons() == [
        ["Today · Sun 29 Nov"],
        ["Tomorrow · Mon 30 Nov"],
        ["⌨️ Type a date"],
        ["◀️ Back"],
    ]
    assert await enrollment_rows(session_factory, alice_id) == []
    await alice.press("Tomorrow · Mon 30 Nov")
    assert "Day 1 is Mon 30 Nov." in alice.last_text
    [row] = await enrollment_rows(session_factory, alice_id)
    assert (row.start_date, row.enrollment_status) == (date(2026, 11, 30), EnrollmentStatus.ACTIVE)


async def test_typed_date_examples_are_ahead(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    clock: Clock,
) -> None:
    clock.now = LATER
    await open_enroll(alice)
    assert [row[0] for row in alice.buttons()[:3]] == [
        "Today · Wed 10 Mar",
        "Tomorrow · Thu 11 Mar",
        "Next Monday · Mon 15 Mar",
    ]
    await alice.press("⌨️ Type a date")
    prompt = alice.last_text
    assert "2027-03-17" in prompt and "17.3" in prompt and "17/3" in prompt and "17 Mar" in prompt
    assert "2026" not in prompt

    bad = await alice.send("someday")
    assert "2027-03-17" in bad[0].text and "2026" not in bad[0].text
    assert await enrollment_rows(session_factory, alice_id) == []

    # the example, typed as shown, is a valid start
    done = await alice.send("17 Mar")
    assert f"🎉 You're enrolled in {BEGINNER}!" in done[0].text and "Wed 17 Mar" in done[0].text
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.start_date == date(2027, 3, 17)
