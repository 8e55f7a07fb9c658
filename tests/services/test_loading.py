"""Loading settings: typed bar and plates, what is stored, defaults per unit, the reset on a unit switch,
and the tables' constraints."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import WarmupMode, WeightUnit
from bot.db.models import User, UserLoading, UserPlate
from bot.services.loading import (
    LoadingError,
    loading_of,
    parse_bar_weight,
    parse_plates,
    set_bar_weight,
    set_plates,
    set_warmup_mode,
)
from bot.services.settings import set_weight_unit

D = Decimal
KG, LB = WeightUnit.KG, WeightUnit.LB


async def _user(session: AsyncSession, telegram_id: int = 1, unit: WeightUnit = KG) -> User:
    user = User(telegram_id=telegram_id, first_name="Alice", weight_unit=unit)
    session.add(user)
    await session.flush()
    return user


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("25 20 15 10 5 2.5 1.25", KG, ("25", "20", "15", "10", "5", "2.5", "1.25")),
        ("20, 10, 5, 2,5", KG, ("20", "10", "5", "2.5")),
        ("20,10,5", KG, ("20", "10", "5")),
        ("5 20 5 10kg", KG, ("20", "10", "5")),
        ("1,25 0,5", KG, ("1.25", "0.5")),
        ("45 35 25 lb", LB, ("20.41", "15.88", "11.34")),
        ("45; 2.5", LB, ("20.41", "1.13")),
        ("20 kg", LB, ("20",)),  # a size in the other unit is taken as typed
    ],
)
def test_parse_plates(text: str, unit: WeightUnit, expected: tuple[str, ...]) -> None:
    assert parse_plates(text, unit) == tuple(D(p) for p in expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Send the plate sizes you have"),
        ("   ", "Send the plate sizes you have"),
        ("twenty", "I couldn't read “twenty” as a plate"),
        ("20 🏋️", "I couldn't read “🏋️” as a plate"),
        ("20 0", "I couldn't read “0” as a plate"),
        ("20 0.1", "A plate weighs from 0.25 kg to 50 kg - 0.1 kg can't be right."),
        ("60", "A plate weighs from 0.25 kg to 50 kg - 60 kg can't be right."),
        (" ".join(str(n) for n in range(1, 14)), "more than 12 plate sizes"),
        ("1 " * 150, "That is too long"),
    ],
)
def test_parse_plates_refuses(text: str, reason: str) -> None:
    with pytest.raises(LoadingError) as error:
        parse_plates(text, KG)
    assert reason in error.value.reason


def test_parse_bar_weight() -> None:
    assert parse_bar_weight("15", KG) == D(15)
    assert parse_bar_weight(" 35 lb ", LB) == D("15.88")
    assert parse_bar_weight("15kg", LB) == D(15)
    with pytest.raises(
        LoadingError, match=re.escape("“heavy” isn't a bar weight. Send the bar's weight, like 45 or 35.")
    ):
        parse_bar_weight("heavy", LB)
    with pytest.raises(
        LoadingError, match=re.escape("A bar weighs from 2 lb to 130 lb - 150 lb can't be right.")
    ):
        parse_bar_weight("150", LB)
    with pytest.raises(LoadingError, match="A bar weighs from 1 kg to 60 kg"):
        parse_bar_weight("0.5", KG)


async def test_defaults_follow_the_unit(session: AsyncSession) -> None:
    user = await _user(session)
    kg = await loading_of(session, user)
    assert (kg.bar_kg, kg.plates_kg[0], kg.warmup_mode, kg.custom_bar, kg.custom_plates) == (
        D(20),
        D(25),
        WarmupMode.SHOW,
        False,
        False,
    )
    assert await set_weight_unit(session, user, LB) is False  # nothing custom to reset
    lb = await loading_of(session, user)
    assert (lb.bar_kg, lb.plates_kg) == (
        D("20.41"),
        tuple(D(p) for p in ("20.41", "15.88", "11.34", "4.54", "2.27", "1.13")),
    )


async def test_set_and_reset(session: AsyncSession) -> None:
    user = await _user(session)
    other = await _user(session, 2)
    await set_bar_weight(session, user, D(15))
    await set_plates(session, user, [D(20), D(5), D(20), D("2.5")])
    await set_warmup_mode(session, user, WarmupMode.LOG)
    await set_plates(session, other, [D(10)])
    mine = await loading_of(session, user)
    assert (mine.bar_kg, mine.plates_kg, mine.warmup_mode) == (D(15), (D(20), D(5), D("2.5")), WarmupMode.LOG)
    assert mine.custom_bar and mine.custom_plates
    # the defaults themselves are stored as "no choice": they follow the unit
    await set_bar_weight(session, user, D(20))
    await set_plates(session, user, (D(25), D(20), D(15), D(10), D(5), D("2.5"), D("1.25")))
    assert (
        await session.scalar(select(UserLoading.bar_weight_kg).where(UserLoading.user_id == user.id)) is None
    )
    assert (
        await session.scalar(select(func.count()).select_from(UserPlate).where(UserPlate.user_id == user.id))
        == 0
    )
    # a switch of unit resets a custom bar and plates, keeps the warm-up mode and the other user's set
    await set_bar_weight(session, user, D(15))
    assert await set_weight_unit(session, user, LB) is True
    after = await loading_of(session, user)
    assert (after.bar_kg, after.custom_bar, after.custom_plates, after.warmup_mode) == (
        D("20.41"),
        False,
        False,
        WarmupMode.LOG,
    )
    assert (await loading_of(session, other)).plates_kg == (D(10),)
    with pytest.raises(LoadingError):
        await set_bar_weight(session, user, D(100))
    with pytest.raises(LoadingError):
        await set_plates(session, user, [D(0)])


async def test_constraints_and_cascade(session: AsyncSession) -> None:
    user = await _user(session)
    for bad in (
        UserLoading(user_id=user.id, bar_weight_kg=D(0)),
        UserPlate(user_id=user.id, weight_kg=D(-1)),
    ):
        with pytest.raises(IntegrityError):
            async with session.begin_nested():
                session.add(bad)
    session.add(UserPlate(user_id=user.id, weight_kg=D(20)))
    await session.flush()
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            session.add(UserPlate(user_id=user.id, weight_kg=D(20)))
    await set_bar_weight(session, user, D(15))
    await session.delete(user)
    await session.flush()
    assert await session.scalar(select(func.count()).select_from(UserPlate)) == 0
    assert await session.scalar(select(func.count()).select_from(UserLoading)) == 0
