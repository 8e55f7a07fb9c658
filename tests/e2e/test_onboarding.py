"""Onboarding (/start) and /settings through the emulator: what the user sees, and what the database holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.config import Settings
from bot.db.enums import WeightUnit
from bot.db.models import User
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.emulator import SentMessage
from bot.sandbox.harness import Clock, running_bot

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # winter: Berlin is UTC+01:00, New York UTC-05:00
BOTH_MODES = pytest.mark.parametrize("mode", ["polling", "webhook"], indirect=True)
Factory = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Row:
    """The settings columns of a user row, for comparing before and after."""

    timezone: str
    reminder_time: time
    reminders_enabled: bool
    weight_unit: WeightUnit
    rest_timer_enabled: bool
    onboarded_at: datetime | None


@pytest.fixture
def clock() -> Clock:
    """The bot's clock, fixed at NOW (so onboarded_at and the UTC offsets shown are known)."""
    return Clock(NOW)


async def _row(factory: Factory, telegram_id: int) -> Row | None:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        if user is None:
            return None
        return Row(
            user.timezone,
            user.reminder_time,
            user.reminders_enabled,
            user.weight_unit,
            user.rest_timer_enabled,
            user.onboarded_at,
        )


async def _must_row(factory: Factory, telegram_id: int) -> Row:
    row = await _row(factory, telegram_id)
    assert row is not None
    return row


def _only(replies: list[SentMessage]) -> SentMessage:
    assert len(replies) == 1, [r.content for r in replies]
    return replies[0]


def _no_spinners(emulator: BotApiEmulator) -> None:
    assert emulator.unanswered_callback_queries() == []


async def _onboard(user: SandboxUser) -> None:
    """Go through onboarding by buttons, keeping the defaults (UTC, 07:00, kg)."""
    await user.send("/start")
    await user.press("✅ UTC")
    await user.press("✅ 07:00")
    await user.press("✅ kg")


async def _set_onboarded(factory: Factory, telegram_id: int) -> None:
    async with factory.begin() as session:
        await session.execute(update(User).where(User.telegram_id == telegram_id).values(onboarded_at=NOW))


# --- onboarding ---------------------------------------------------------------------------------------


@BOTH_MODES
async def test_new_user_onboards_with_buttons(
    alice: SandboxUser, emulator: BotApiEmulator, session_factory: Factory
) -> None:
    first = _only(await alice.send("/start"))
    assert "Welcome, Alice" in first.content
    assert "Step 1 of 3" in first.content and "Now: UTC\n" in first.content
    flat = [text for row in first.buttons for text in row]
    assert {"Berlin", "Tokyo", "✅ UTC", "⌨️ Type it"} <= set(flat)
    assert await _must_row(session_factory, alice.user_id) == Row(
        "UTC", time(7, 0), True, WeightUnit.KG, True, None
    )

    step2 = _only(await alice.press("Berlin"))
    assert step2.message_id == first.message_id and step2.edited  # the same message walks on
    assert "✅ Time zone: Europe/Berlin (UTC+01:00)" in step2.content
    assert "Step 2 of 3" in step2.content and "Now: 07:00" in step2.content
    assert (await _must_row(session_factory, alice.user_id)).timezone == "Europe/Berlin"

    step3 = _only(await alice.press("08:00"))
    assert "✅ Daily reminder at 08:00" in step3.content and "Step 3 of 3" in step3.content
    assert step3.buttons == [["✅ kg", "lb"]]
    row = await _must_row(session_factory, alice.user_id)
    assert (row.reminder_time, row.reminders_enabled, row.onboarded_at) == (time(8, 0), True, None)

    done = _only(await alice.press("lb"))
    assert done.message_id == first.message_id and done.buttons == []
    assert "All set" in done.content
    for hint in ("/programs", "/today", "/settings"):
        assert hint in done.content
    assert "Europe/Berlin (UTC+01:00)" in done.content and "08:00" in done.content
    assert await _must_row(session_factory, alice.user_id) == Row(
        "Europe/Berlin", time(8, 0), True, WeightUnit.LB, True, NOW
    )
    assert len(alice.callback_answers) == 3
    _no_spinners(emulator)


@BOTH_MODES
async def test_new_user_onboards_by_typing(
    alice: SandboxUser, emulator: BotApiEmulator, session_factory: Factory
) -> None:
    await alice.send("/start")
    typo = _only(await alice.send("Berln"))
    assert "Did you mean" in typo.content and "Europe/Berlin" in typo.content
    assert ["Europe/Berlin"] in typo.buttons
    assert (await _must_row(session_factory, alice.user_id)).timezone == "UTC"

    picked = _only(await alice.press("Europe/Berlin", typo))
    assert "✅ Time zone: Europe/Berlin" in picked.content and "Step 2 of 3" in picked.content

    step3 = _only(await alice.send("7:30pm"))
    assert "✅ Daily reminder at 19:30" in step3.content and "Step 3 of 3" in step3.content
    assert (await _must_row(session_factory, alice.user_id)).reminder_time == time(19, 30)

    done = _only(await alice.send("LBS"))
    assert "All set" in done.content
    assert await _must_row(session_factory, alice.user_id) == Row(
        "Europe/Berlin", time(19, 30), True, WeightUnit.LB, True, NOW
    )
    _no_spinners(emulator)


@pytest.mark.parametrize(
    ("typed", "zone", "shown"),
    [
        ("Asia/Tokyo", "Asia/Tokyo", "Asia/Tokyo (UTC+09:00)"),
        ("america/new york", "America/New_York", "America/New York (UTC-05:00)"),
        ("São Paulo", "America/Sao_Paulo", "America/Sao Paulo (UTC-03:00)"),
    ],
)
async def test_typed_time_zones(
    alice: SandboxUser, session_factory: Factory, typed: str, zone: str, shown: str
) -> None:
    await alice.send("/start")
    reply = _only(await alice.send(typed))
    assert f"✅ Time zone: {shown}" in reply.content
    assert (await _must_row(session_factory, alice.user_id)).timezone == zone


async def test_type_it_button_asks_for_text(alice: SandboxUser, session_factory: Factory) -> None:
    await alice.send("/start")
    prompt = _only(await alice.press("⌨️ Type it"))
    assert "Type your time zone" in prompt.content
    assert alice.callback_answers[-1].text is not None
    assert "Berlin" in _only(await alice.send("Berlin")).content
    assert (await _must_row(session_factory, alice.user_id)).timezone == "Europe/Berlin"


async def test_no_reminders(alice: SandboxUser, session_factory: Factory) -> None:
    await alice.send("/start")
    await alice.press("Tokyo")
    step3 = _only(await alice.press("🔕 No reminders"))
    assert "No reminders" in step3.content and "Step 3 of 3" in step3.content
    row = await _must_row(session_factory, alice.user_id)
    assert (row.reminders_enabled, row.reminder_time) == (False, time(7, 0))
    done = _only(await alice.press("✅ kg"))
    assert "Daily reminder: off" in done.content


async def test_typed_off_means_no_reminders(alice: SandboxUser, session_factory: Factory) -> None:
    await alice.send("/start")
    await alice.press("✅ UTC")
    assert "No reminders" in _only(await alice.send("off")).content
    assert (await _must_row(session_factory, alice.user_id)).reminders_enabled is False


async def test_bad_input_gets_a_reason_and_changes_nothing(
    alice: SandboxUser, session_factory: Factory
) -> None:
    step1 = _only(await alice.send("/start"))
    before = await _must_row(session_factory, alice.user_id)
    for text, reason in [
        ("💪", "I don't know the time zone"),
        ("x" * 5000, "too long for a time zone"),
        ("Mars/Base", "I don't know the time zone"),
        ("UTC+20", "from UTC-12 to UTC+14"),
        ("<b>Atlantis</b> & co", "&lt;b&gt;Atlantis&lt;/b&gt; &amp; co"),
    ]:
        reply = _only(await alice.send(text))
        assert reason in (reply.html or ""), (text, reply.html)
        assert "Berlin" in reply.content  # an example of what works
        assert await _must_row(session_factory, alice.user_id) == before

    await alice.press("Berlin", step1)
    before = await _must_row(session_factory, alice.user_id)
    for text, reason in [
        ("25:99", "minutes go from 00 to 59"),
        ("25:00", "hours go from 0 to 23"),
        ("💪", "couldn't read"),
        ("x" * 5000, "couldn't read"),
        ("730", "colon"),
    ]:
        reply = _only(await alice.send(text))
        assert reason in reply.content and "7:30" in reply.content, (text, reply.content)
        assert await _must_row(session_factory, alice.user_id) == before

    await alice.press("✅ 07:00", step1)
    before = await _must_row(session_factory, alice.user_id)
    for text in ("stone", "💪", "x" * 5000):
        reply = _only(await alice.send(text))
        assert "not a weight unit" in reply.content and "kg or lb" in reply.content
        assert await _must_row(session_factory, alice.user_id) == before
    # still at the same step: a good answer finishes
    assert "All set" in _only(await alice.send("kg")).content


async def test_returning_user_is_welcomed_back(alice: SandboxUser, session_factory: Factory) -> None:
    await _onboard(alice)
    onboarded = await _must_row(session_factory, alice.user_id)
    assert onboarded.onboarded_at == NOW
    back = _only(await alice.send("/start"))
    assert "Welcome back, Alice" in back.content and back.buttons == []
    assert "No workout is in progress" in _only(await alice.send("Tokyo")).content  # not taken as a zone
    assert await _must_row(session_factory, alice.user_id) == onboarded
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1


async def test_interrupted_onboarding_resumes_on_start(alice: SandboxUser, session_factory: Factory) -> None:
    await alice.send("/start")
    await alice.press("Tokyo")
    await alice.send("/help")
    resumed = _only(await alice.send("/start"))
    assert "Welcome back, Alice" in resumed.content and "finish" in resumed.content
    assert "Step 2 of 3" in resumed.content
    assert "Step 3 of 3" in _only(await alice.send("6:15")).content

    cancelled = _only(await alice.send("/cancel"))
    assert "/start" in cancelled.content
    assert "No workout is in progress" in _only(await alice.send("kg")).content  # cancelled: nothing waits
    assert (await _must_row(session_factory, alice.user_id)).onboarded_at is None

    again = _only(await alice.send("/start"))
    assert "Step 3 of 3" in again.content
    assert "All set" in _only(await alice.press("lb")).content
    assert await _must_row(session_factory, alice.user_id) == Row(
        "Asia/Tokyo", time(6, 15), True, WeightUnit.LB, True, NOW
    )


async def test_onboarding_survives_a_restart(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory, clock: Clock
) -> None:
    """With the database persistence, the open question and the progress outlive the process."""
    alice = emulator.add_user(first_name="Alice")
    async with running_bot(emulator, settings, engine=engine, clock=clock):
        await alice.send("/start")
        await alice.press("Tokyo")
    async with running_bot(emulator, settings, engine=engine, clock=clock):
        reply = _only(await alice.send("8:45"))  # the reminder question is still open
        assert "Step 3 of 3" in reply.content
        await alice.send("/help")
    async with running_bot(emulator, settings, engine=engine, clock=clock):
        resumed = _only(await alice.send("/start"))  # the progress was kept too
        assert "Welcome back" in resumed.content and "Step 3 of 3" in resumed.content
        assert "All set" in _only(await alice.send("kg")).content
    row = await _must_row(session_factory, alice.user_id)
    assert (row.timezone, row.reminder_time, row.onboarded_at) == ("Asia/Tokyo", time(8, 45), NOW)


async def test_another_feature_gets_the_text_after_its_command(
    alice: SandboxUser, session_factory: Factory
) -> None:
    """An open question yields to what the user did last: after /today, text is not read as a zone."""
    await alice.send("/start")
    assert "/settings" in _only(await alice.send("/help")).content  # /help keeps the question open
    assert "Europe/Berlin" in _only(await alice.send("Berlin")).content
    await alice.send("/today")  # another feature: the reminder question is closed
    assert "No workout is in progress" in _only(await alice.send("8:45")).content
    assert (await _must_row(session_factory, alice.user_id)).reminder_time == time(7, 0)
    assert all("stop here" not in m.content for m in await alice.send("/cancel"))  # not ours any more
    resumed = _only(await alice.send("/start"))  # asked again
    assert "Step 2 of 3" in resumed.content
    assert "Step 3 of 3" in _only(await alice.send("8:45")).content
    assert (await _must_row(session_factory, alice.user_id)).reminder_time == time(8, 45)


async def test_settings_before_onboarding_resumes_it(alice: SandboxUser) -> None:
    await alice.send("/start")
    reply = _only(await alice.send("/settings"))
    assert "Step 1 of 3" in reply.content


# --- /settings ----------------------------------------------------------------------------------------


@BOTH_MODES
async def test_settings_change_each_in_place(
    alice: SandboxUser, emulator: BotApiEmulator, session_factory: Factory
) -> None:
    await _onboard(alice)
    menu = _only(await alice.send("/settings"))
    for line in ("Time zone: UTC\n", "Daily reminder: 07:00", "Weight unit: kg", "Rest timer: on"):
        assert line in menu.content
    mid = menu.message_id

    async def press(*buttons: str) -> SentMessage:
        shown = None
        for button in buttons:
            shown = _only(await alice.press(button, mid))
            assert shown.message_id == mid and shown.edited
        assert shown is not None
        return shown

    shown = await press("⚖️ Use lb")
    assert "✅ Weights in lb" in shown.content and "Weight unit: lb" in shown.content
    assert ["⚖️ Use kg"] in shown.buttons
    assert (await _must_row(session_factory, alice.user_id)).weight_unit is WeightUnit.LB

    shown = await press("⏱ Turn rest timer off")
    assert "Rest timer: off" in shown.content
    assert (await _must_row(session_factory, alice.user_id)).rest_timer_enabled is False

    shown = await press("🔕 Turn reminders off")
    assert "Daily reminder: off (time kept: 07:00)" in shown.content
    assert (await _must_row(session_factory, alice.user_id)).reminders_enabled is False
    shown = await press("🔔 Turn reminders on")
    assert "Daily reminder: 07:00" in shown.content
    assert (await _must_row(session_factory, alice.user_id)).reminders_enabled is True

    picker = await press("🌍 Time zone")
    assert "Now: UTC\n" in picker.content and ["« Back to settings"] in picker.buttons
    shown = await press("Tokyo")
    assert "Time zone: Asia/Tokyo (UTC+09:00)" in shown.content and "Your settings" in shown.content
    assert (await _must_row(session_factory, alice.user_id)).timezone == "Asia/Tokyo"

    await press("⏰ Reminder time")
    shown = await press("17:00")
    assert "Daily reminder: 17:00" in shown.content
    assert (await _must_row(session_factory, alice.user_id)).reminder_time == time(17, 0)

    shown = await press("⏰ Reminder time", "« Back to settings")
    assert "Your settings" in shown.content
    assert await _must_row(session_factory, alice.user_id) == Row(
        "Asia/Tokyo", time(17, 0), True, WeightUnit.LB, False, NOW
    )
    _no_spinners(emulator)


async def test_settings_typed_values(alice: SandboxUser, session_factory: Factory) -> None:
    await _onboard(alice)
    menu = _only(await alice.send("/settings"))
    await alice.press("🌍 Time zone", menu)
    prompt = _only(await alice.press("⌨️ Type it", menu))
    assert "Type your time zone" in prompt.content
    bad = _only(await alice.send("Mordor"))
    assert "I don't know the time zone" in bad.content
    fresh = _only(await alice.send("lisbon"))
    assert "Time zone: Europe/Lisbon (UTC+00:00)" in fresh.content and "Your settings" in fresh.content

    picker = _only(await alice.press("🌍 Time zone", fresh))
    assert picker.buttons[0] == ["✅ Europe/Lisbon"]  # the current zone, though not a common one
    await alice.press("« Back to settings", fresh)
    await alice.press("⏰ Reminder time", fresh)
    assert "couldn't read" in _only(await alice.send("half past six")).content
    after = _only(await alice.send("6:45 am"))
    assert "Daily reminder: 06:45" in after.content
    row = await _must_row(session_factory, alice.user_id)
    assert (row.timezone, row.reminder_time) == ("Europe/Lisbon", time(6, 45))
    assert "No workout is in progress" in _only(await alice.send("7:00")).content  # answered: text is free


async def test_double_tap_is_harmless(
    alice: SandboxUser, emulator: BotApiEmulator, session_factory: Factory
) -> None:
    await _onboard(alice)
    menu = _only(await alice.send("/settings"))
    await alice.press("⚖️ Use lb", menu)
    # the same (now stale) button again: same value, same text - "message is not modified" is fine
    assert await alice.press_data("on:u:LB", menu) == []
    assert (await _must_row(session_factory, alice.user_id)).weight_unit is WeightUnit.LB
    assert "Weight unit: lb" in alice.emulator.message(alice.chat_id, menu.message_id).content
    _no_spinners(emulator)


@pytest.mark.parametrize(
    "data",
    [
        "on:tz:Mars/Base",
        "on:tz:",
        "on:tz:localtime",
        "on:rt:2599",
        "on:rt:7am",
        "on:u:STONE",
        "on:rem:2",
        "on:rest:yes",
        "on:m:../../etc",
        "on:tz:Europe/Berlin:extra",
        "on:\x00\xff\u202e💥",
        "on:",
    ],
)
async def test_forged_callback_data_changes_nothing(
    alice: SandboxUser, emulator: BotApiEmulator, session_factory: Factory, data: str
) -> None:
    await _onboard(alice)
    menu = _only(await alice.send("/settings"))
    before = await _must_row(session_factory, alice.user_id)
    assert await alice.press_data(data, menu) == []  # nothing sent or edited
    assert await _must_row(session_factory, alice.user_id) == before
    answer = alice.callback_answers[-1]
    assert answer.data == data and answer.text
    assert alice.emulator.message(alice.chat_id, menu.message_id).content == menu.content
    _no_spinners(emulator)


async def test_forged_button_from_a_stranger_creates_nothing(
    make_user: Any, emulator: BotApiEmulator, session_factory: Factory
) -> None:
    mallory: SandboxUser = make_user("Mallory")
    help_message = _only(await mallory.send("/help"))  # /help does not register anyone
    assert await mallory.press_data("on:tz:Mars/Base", help_message) == []
    assert await _row(session_factory, mallory.user_id) is None
    _no_spinners(emulator)


async def test_commands_menu_lists_settings(
    alice: SandboxUser, emulator: BotApiEmulator, bot_app: BotApplication
) -> None:
    assert "/settings" in _only(await alice.send("/help")).content
    assert "settings" in {c["command"] for c in emulator.visible_commands(alice.chat_id)}


async def test_settings_in_a_group_asks_for_private(
    alice: SandboxUser, emulator: BotApiEmulator, session_factory: Factory
) -> None:
    group = emulator.add_group("Gym buddies", members=[alice.user_id])
    assert "private" in _only(await alice.in_chat(group).send("/settings")).content
    assert await _row(session_factory, alice.user_id) is None
