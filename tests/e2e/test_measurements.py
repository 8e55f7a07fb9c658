"""Body measurements through the emulator: /measure with arguments, bounded dates, correcting and deleting.

Alice (Berlin, kg) measures on Monday 2 March 2026; every test checks the replies and the rows.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import MeasurementSource
from bot.db.models import Metric, UserMeasurement
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services.users import TelegramProfile, register_user
from bot.ui.callback import pack
from tests.factories import seed_catalog

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
Factory = async_sessionmaker[AsyncSession]
Row = tuple[str, Decimal, date, str | None]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def measurer(alice: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice"),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.onboarded_at = NOW
        metric_ids = {r[0]: r[1] for r in await session.execute(select(Metric.code, Metric.id))}
    yield {"user_id": user.id, "metrics": metric_ids}


async def stored(factory: Factory) -> list[Row]:
    async with factory() as session:
        rows = await session.execute(
            select(
                Metric.code,
                UserMeasurement.measured_value,
                UserMeasurement.measurement_date,
                UserMeasurement.measurement_notes,
            )
            .join(Metric, Metric.id == UserMeasurement.metric_id)
            .order_by(UserMeasurement.measurement_date, UserMeasurement.measured_value)
        )
        return [(code, Decimal(value), day, note) for code, value, day, note in rows]


async def add_row(
    factory: Factory, user_id: uuid.UUID, metric_id: uuid.UUID, value: str, day: date
) -> uuid.UUID:
    async with factory() as session, session.begin():
        row = UserMeasurement(
            user_id=user_id, metric_id=metric_id, measured_value=Decimal(value), unit="kg",
            measurement_date=day, measurement_source=MeasurementSource.MANUAL, created_by=user_id,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return row.id


async def test_measure_reads_its_arguments(
    alice: SandboxUser, bot_app: BotApplication, measurer: dict[str, Any], session_factory: Factory
) -> None:
    await alice.send("/measure weight 182 lb, yesterday, after breakfast")
    assert "Saved: Body weight 82.6 kg on 1 Mar" in alice.last_text
    await alice.send("/measure body fat 18.5%")
    assert "Saved: Body fat 18.5% on 2 Mar" in alice.last_text
    # ambiguous or unknown names: the picker, nothing saved
    await alice.send("/measure body 80")
    assert "could be several" in alice.last_text
    assert alice.buttons() == [["Body weight", "Body fat"]]
    await alice.send("/measure " + "x" * 500 + " 80")
    assert "I don't know the measurement" in alice.last_text and len(alice.last_text) < 200
    await alice.send("/measure 80")  # a bare value: which measurement?
    assert "What did you measure?" in alice.last_text and ["Body weight", "Body fat"] in alice.buttons()
    # out of range: the reason, nothing saved
    await alice.send("/measure waist 900")
    assert "out of range" in alice.last_text
    # a name alone asks for the value, as the button does
    await alice.send("/measure heart rate")
    assert "Resting heart rate" in alice.last_text and "send the value in bpm" in alice.last_text
    await alice.send("52")
    assert "Saved: Resting heart rate 52 bpm on 2 Mar" in alice.last_text
    assert await stored(session_factory) == [
        ("body_weight", Decimal("82.554"), date(2026, 3, 1), "after breakfast"),
        ("body_fat", Decimal("18.500"), TODAY, None),
        ("resting_heart_rate", Decimal("52.000"), TODAY, None),
    ]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("82, 0001-01-01", "“0001-01-01” is too long ago: dates start in 1900"),
        ("82, 31.12.1899", "too long ago"),
        ("82, 31.02", "“31.02” is not a real date"),
        ("82, tomorrow", "That date is in the future"),
        ("82, 2.3.2027", "That date is in the future"),
    ],
)
async def test_dates_are_bounded(
    alice: SandboxUser,
    bot_app: BotApplication,
    measurer: dict[str, Any],
    session_factory: Factory,
    typed: str,
    reason: str,
) -> None:
    await alice.send("/measure weight " + typed)
    assert reason in alice.last_text and "today or earlier (not before 1900)" in alice.last_text
    await alice.send("/measure weight")
    await alice.send(typed)
    assert reason in alice.last_text
    assert await stored(session_factory) == []
    await alice.send("82, 1.1.1900")  # still asked: the first day accepted
    assert "Saved: Body weight 82 kg on 1 Jan 1900" in alice.last_text
    assert await stored(session_factory) == [("body_weight", Decimal("82.000"), date(1900, 1, 1), None)]


async def test_correct_and_delete_a_measurement(
    alice: SandboxUser, bot_app: BotApplication, measurer: dict[str, Any], session_factory: Factory
) -> None:
    await alice.send("/measure weight 82.5, 28 Feb, fasted")
    await alice.send("/measure weight 83")
    await alice.send("/measurements")
    await alice.press("✏️ Edit")
    assert "Body weight</b>: your latest 2 values" in (alice.last_reply.html or "")  # type: ignore[union-attr]
    assert alice.buttons() == [["83 kg · 2 Mar"], ["82.5 kg · 28 Feb 📝"], ["📈 Chart"]]
    await alice.press("82.5 kg · 28 Feb 📝")
    assert "82.5 kg on 28 Feb" in alice.last_text and "fasted" in alice.last_text
    await alice.press("✏️ Correct")
    assert "Send the corrected Body weight (now 82.5 kg on 28 Feb)" in alice.last_text
    await alice.send("8250")
    assert "out of range" in alice.last_text  # still asked, nothing changed
    await alice.send("181.5 lb")
    assert "Corrected: Body weight 82.3 kg on 28 Feb" in alice.last_text
    # the date and the note stay unless typed
    assert await stored(session_factory) == [
        ("body_weight", Decimal("82.327"), date(2026, 2, 28), "fasted"),
        ("body_weight", Decimal("83.000"), TODAY, None),
    ]
    await alice.send("/measurements")
    await alice.press("✏️ Edit")
    await alice.press("83 kg · 2 Mar")
    await alice.press("✏️ Correct")
    await alice.send("83.4, 1 Mar, after a run")
    assert "Corrected: Body weight 83.4 kg on 1 Mar" in alice.last_text
    await alice.send("/measurements")
    await alice.press("✏️ Edit")
    await alice.press("82.3 kg · 28 Feb 📝")
    await alice.press("🗑 Delete")
    assert "Deleted: Body weight 82.3 kg of 28 Feb" in alice.messages[-2].content
    assert alice.buttons() == [["83.4 kg · 1 Mar 📝"], ["📈 Chart"]]
    assert await stored(session_factory) == [
        ("body_weight", Decimal("83.400"), date(2026, 3, 1), "after a run")
    ]


async def test_someone_elses_measurement_cannot_be_touched(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    measurer: dict[str, Any],
    session_factory: Factory,
) -> None:
    mid = await add_row(session_factory, measurer["user_id"], measurer["metrics"]["body_weight"], "80", TODAY)
    mallory = make_user("Mallory")
    await mallory.send("/start")
    decoy = mallory.messages[-1]
    for action in ("v", "e", "d"):
        await mallory.press_data(pack("me", action, mid), decoy.message_id)
        assert mallory.callback_answers[-1].text == "That isn't available."
    await mallory.press_data("me:d:not-an-id", decoy.message_id)
    assert mallory.callback_answers[-1].text == "This button is no longer valid."
    await mallory.send("81")  # no correction is pending for her
    assert await stored(session_factory) == [("body_weight", Decimal("80.000"), TODAY, None)]


async def test_a_value_dated_year_one_can_be_deleted_and_the_chart_works(
    alice: SandboxUser, bot_app: BotApplication, measurer: dict[str, Any], session_factory: Factory
) -> None:
    weight = measurer["metrics"]["body_weight"]
    for value, day in (("80", date(1, 1, 1)), ("81", date(2026, 2, 20)), ("82", date(2026, 3, 1))):
        await add_row(session_factory, measurer["user_id"], weight, value, day)
    await alice.send("/measurements")
    replies = await alice.press("📈 Body weight")
    assert replies[-1].kind == "photo" and "2 values, latest 82 kg" in (replies[-1].caption or "")
    for day in range(1, 13):  # more values than the list shows: the odd one is still listed, first
        await add_row(session_factory, measurer["user_id"], weight, "83", date(2026, 1, day))
    await alice.send("/measurements")
    await alice.press("✏️ Edit")
    labels = [row[0] for row in alice.buttons()]
    assert len(labels) == 11 and labels[0].startswith("⚠️ 80 kg · ") and labels[1] == "82 kg · 1 Mar"
    await alice.press(labels[0])
    await alice.press("🗑 Delete")
    assert (await stored(session_factory))[-2:] == [
        ("body_weight", Decimal("81.000"), date(2026, 2, 20), None),
        ("body_weight", Decimal("82.000"), date(2026, 3, 1), None),
    ]
    assert min(day for _, _, day, _ in await stored(session_factory)) == date(2026, 1, 1)
