"""The progress area in Russian end to end (#15): a Russian trainee's /history (a set corrected, a forgotten
set added), /records, /progress with its chart, /measure and /measurements (a chart, a value corrected),
/tm, an /import dry run and import of a small Strong file, and an English coach's target told to him in
Russian. Every reply and button label is Russian
(tests/e2e/russian.py), a few exact phrases are checked, and so is what the database holds.

Boris (Berlin, kg, Telegram language "ru") has the three squat sessions of test_progress (2, 9 and 16 Feb;
heaviest 80 kg × 3) and it is Monday 2 March 2026.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import AsyncIterator, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import Role
from bot.db.models import CoachTrainee, Metric, TraineeTarget, User, UserMeasurement
from bot.sandbox import SandboxUser, SentMessage
from bot.sandbox.harness import Clock
from bot.services.users import TelegramProfile, register_user
from tests.e2e.russian import assert_russian
from tests.e2e.test_import import counts
from tests.e2e.test_progress import NOW, SQUAT_SESSIONS, add_history
from tests.e2e.test_workout import sets_of
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]
TODAY = date(2026, 3, 2)
SQUAT = "Barbell Back Squat"
WORKOUT = "Workout A"  # the test program's workout (a program's name is its author's text)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def boris(make_user: Any) -> SandboxUser:
    user: SandboxUser = make_user("Boris", language_code="ru")
    return user


@pytest.fixture
async def lifter(boris: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        await make_program(session)
        profile = TelegramProfile(
            telegram_id=boris.user_id, chat_id=boris.chat_id, first_name="Boris", language_code="ru"
        )
        user = (await register_user(session, profile, default_timezone="Europe/Berlin")).user
        user.onboarded_at = NOW
        ids = await add_history(session, user, SQUAT_SESSIONS)
    yield {"user_id": user.id, "sessions": ids}


def russian(text: str | None, *allowed: str) -> str:
    """`text`, asserted Russian (the trainee's own words and the test program's workout name allowed)."""
    assert text is not None
    assert_russian(text, *allowed, WORKOUT)
    return text


def labels(rows: Iterable[Iterable[str]]) -> list[str]:
    return [label for row in rows for label in row]


def all_russian(messages: Iterable[SentMessage], boris: SandboxUser, *allowed: str) -> None:
    """Every message's text or caption and every button of it is Russian."""
    for message in messages:
        russian(message.text or message.caption, *allowed)
        for label in labels(boris.buttons(message) if message.reply_markup else []):
            russian(label, *allowed)


def button_ending(boris: SandboxUser, suffix: str) -> str:
    found = [label for label in labels(boris.buttons()) if label.endswith(suffix)]
    assert len(found) == 1, (suffix, boris.buttons())
    return found[0]


async def test_history_a_corrected_and_an_added_set_and_records(
    boris: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    replies = await boris.send("/history")
    all_russian(replies, boris)
    text = boris.last_text
    assert text.startswith("📖 История (страница 1)")
    assert "усилие 8/10 · крепатура 4/10" in text  # the newest of the three sessions first
    assert labels(boris.buttons())[0].startswith("1. ")

    all_russian(await boris.press(0), boris)  # the newest workout, 16 Feb
    assert "Нажмите на подход, чтобы исправить или удалить его." in boris.last_text
    assert {"➕ Добавить подход", "‹ История"} <= set(labels(boris.buttons()))

    all_russian(await boris.press(button_ending(boris, " 1: 80×3")), boris)
    assert ", подход 1: 80×3" in boris.last_text
    assert labels(boris.buttons()) == ["✏️ Изменить", "🗑 Удалить", "‹ Назад"]
    all_russian(await boris.press("✏️ Изменить"), boris)
    assert "Пришлите исправленный подход, например 80×3" in boris.last_text
    all_russian(await boris.send("85x3"), boris)
    assert "✅ Подход 1 исправлен." in (boris.messages[-2].text or "")
    newest = lifter["sessions"][-1]
    first = (await sets_of(session_factory, newest))[0]
    assert (first[1], first[2]) == (3, Decimal("85.00"))

    all_russian(await boris.press("➕ Добавить подход"), boris)
    assert boris.last_text == "➕ К какому упражнению относится забытый подход?"
    all_russian(await boris.press(0), boris)
    assert "Пришлите забытый подход, например 60x8" in boris.last_text
    all_russian(await boris.send("50x5"), boris)
    assert "✅ Добавлено: 50×5." in (boris.messages[-2].text or "")
    assert len(await sets_of(session_factory, newest)) == 4

    all_russian(await boris.press("🗑 Удалить тренировку"), boris)
    assert "вместе с подходами (4 подхода)? Рекорды будут пересчитаны без неё." in boris.last_text
    all_russian(await boris.press("‹ Оставить"), boris)
    assert len(await sets_of(session_factory, newest)) == 4  # kept

    all_russian(await boris.send("/records"), boris)
    text = boris.last_text
    assert text.startswith("🏆 Личные рекорды\ne1RM: расчётный 1RM = вес × (1 + повторы / 30)")
    assert "максимальный вес" in text and "лучший объём за тренировку" in text


async def test_progress_chart_and_its_caption(
    boris: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    all_russian(await boris.send("/progress"), boris)
    assert boris.last_text.startswith("📈 Прогресс\nВыберите упражнение")
    assert "📅 Регулярность" in labels(boris.buttons()) and "😓 Усилие и крепатура" in labels(boris.buttons())

    replies = await boris.press(0)  # the squat
    photo = replies[-1]
    assert photo.kind == "photo" and photo.caption is not None
    all_russian([photo], boris)
    assert ": 3 тренировки с " in photo.caption  # 3: the "few" form
    assert "Последний рабочий подход:" in photo.caption and "Лучший e1RM:" in photo.caption

    replies = await boris.press("😓 Усилие и крепатура", boris.messages[-2])
    assert replies[-1].kind == "photo"
    all_russian(replies, boris)
    assert replies[-1].caption == "😓 Усилие и крепатура за последние 3 оценённые тренировки."

    all_russian(await boris.send("/progress жим"), boris)  # nothing logged like it
    assert boris.last_text.startswith("Вы ещё не записывали ничего похожего на «жим».")

    all_russian(await boris.send("/tm"), boris)
    assert boris.last_text.startswith("🎯 Вы ещё не задали ни одного тренировочного максимума.")


async def _measurements(factory: Factory, user_id: uuid.UUID) -> list[tuple[Decimal, date, str | None]]:
    async with factory() as session:
        rows = await session.execute(
            select(UserMeasurement.measured_value, UserMeasurement.measurement_date, UserMeasurement.measurement_notes)
            .join(Metric, Metric.id == UserMeasurement.metric_id)
            .where(UserMeasurement.user_id == user_id, Metric.code == "body_weight")
            .order_by(UserMeasurement.measurement_date)
        )  # fmt: skip
        return [(Decimal(v), d, n) for v, d, n in rows]


async def test_measure_and_measurements_in_russian(
    boris: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    user_id = lifter["user_id"]
    all_russian(await boris.send("/measure"), boris)
    assert boris.last_text == "📏 Что вы измерили?"
    assert "Вес тела" in labels(boris.buttons()) and "Обхват талии" in labels(boris.buttons())

    all_russian(await boris.press("Вес тела"), boris)
    assert boris.last_text.startswith("Вес тела: пришлите значение в кг (или фнт)")
    all_russian(await boris.send("82,5"), boris, "82,5")
    assert boris.last_text.startswith("✅ Сохранено: Вес тела ")
    assert "кг" in boris.last_text

    # the metric named in Russian, a Russian unit and a Russian day word
    all_russian(await boris.send("/measure вес 83 кг, вчера, после завтрака"), boris, "после завтрака")
    assert boris.last_text.startswith("✅ Сохранено: Вес тела 83 кг")
    assert await _measurements(session_factory, user_id) == [
        (Decimal("83.000"), TODAY - timedelta(days=1), "после завтрака"),
        (Decimal("82.500"), TODAY, None),
    ]

    all_russian(await boris.send("/measure вес"), boris)  # asked for the value...
    assert boris.last_text.startswith("Вес тела: пришлите значение")
    all_russian(await boris.send("много"), boris, "много")  # ...refused, nothing saved
    assert boris.last_text.startswith("Не могу прочитать «много» как значение. Пришлите число, например ")
    assert len(await _measurements(session_factory, user_id)) == 2
    all_russian(await boris.send("/measure рост 180"), boris, "рост")
    assert boris.last_text == "Не знаю замер «рост». Что вы измерили?"

    all_russian(await boris.send("/measure обхват талии"), boris)  # a Russian name, typed whole
    assert boris.last_text.startswith(
        "Обхват талии: пришлите значение в см (или дюйм), например 82,5 или 31 дюйм."
    )
    all_russian(await boris.send("31 дюйм"), boris)
    assert boris.last_text.startswith("✅ Сохранено: Обхват талии 78")  # 31 in = 78.74 cm
    async with session_factory() as session:
        waist = await session.scalar(
            select(UserMeasurement.measured_value)
            .join(Metric, Metric.id == UserMeasurement.metric_id)
            .where(UserMeasurement.user_id == user_id, Metric.code == "waist")
        )
        assert waist == Decimal("78.740")

    all_russian(await boris.send("/measurements"), boris)
    assert boris.last_text.startswith("📏 Ваши замеры\n\nВес тела (2): ")
    assert "\n\nОбхват талии (1): " in boris.last_text
    assert labels(boris.buttons()) == ["📈 Вес тела", "✏️ Изменить", "📈 Обхват талии", "✏️ Изменить"]

    replies = await boris.press("📈 Вес тела")
    assert replies[-1].kind == "photo"
    all_russian(replies, boris)
    assert (replies[-1].caption or "").startswith("📏 Вес тела: 2 значения, последнее ")

    listing = await boris.press("✏️ Изменить", boris.messages[-2])
    all_russian(listing, boris)
    assert "ваши последние 2 значения. Нажмите на значение, чтобы исправить или удалить его." in (
        listing[-1].text or ""
    )
    all_russian(await boris.press(0, listing[-1]), boris)  # the newest: today's 82.5
    assert labels(boris.buttons()) == ["✏️ Исправить", "🗑 Удалить", "◀ Назад"]
    all_russian(await boris.press("✏️ Исправить"), boris)
    assert boris.last_text.startswith("Пришлите исправленное значение Вес тела")
    all_russian(await boris.send("82"), boris)
    assert boris.last_text.startswith("✅ Исправлено: Вес тела 82 кг")
    assert [v for v, __, __ in await _measurements(session_factory, user_id)] == [Decimal(83), Decimal(82)]


STRONG = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
    '2026-02-23 18:05:12,"Грудь",1h 5m,"Bench Press (Barbell)",W,40,10,0,0,"","",\n'
    '2026-02-23 18:05:12,"Грудь",1h 5m,"Bench Press (Barbell)",1,60,8,0,0,"","",8\n'
    '2026-02-23 18:05:12,"Грудь",1h 5m,"Bench Press (Barbell)",2,62.5,6,0,0,"","",9\n'
    '2026-02-26 18:00:00,"Грудь",50m,"Bench Press (Barbell)",1,65,5,0,0,"","",\n'
    '2026-02-26 18:00:00,"Грудь",50m,"Plank",1,0,0,0,60,"","",\n'
)


async def test_import_dry_run_and_import(
    boris: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    user_id = lifter["user_id"]
    all_russian(await boris.send("/import"), boris)
    assert boris.last_text.startswith("📥 Импорт истории из Strong, Hevy или FitNotes")
    before = await counts(session_factory, user_id)

    dry = (await boris.upload(STRONG.encode(), filename="strong.csv"))[-1]
    all_russian([dry], boris, "Bench Press (Barbell)", "Plank", "Europe/Berlin")  # the file's names, his zone
    text = dry.text or ""
    assert "Выгрузка Strong: 2 тренировки, " in text
    assert "К импорту: 2 тренировки, 5 подходов (1 разминочный)." in text
    assert "Время прочитано в вашем часовом поясе, Europe/Berlin." in text
    assert "Упражнения" in text and "Импортировать 2 тренировки?" in text
    assert boris.buttons(dry) == [["📥 Импортировать: 2 тренировки", "✖ Отмена"]]
    assert await counts(session_factory, user_id) == before  # a dry run writes nothing

    await boris.press("📥 Импортировать: 2 тренировки")
    done = boris.messages[-1]
    all_russian([done], boris)
    assert (done.text or "").startswith("✅ Импортировано из Strong: 2 тренировки, 5 подходов (")
    assert "Теперь они есть в /history, /records и /progress." in (done.text or "")
    after = await counts(session_factory, user_id)
    assert after["sessions"] == before["sessions"] + 2 and after["sets"] == before["sets"] + 5
    assert after["imports"] == before["imports"] + 2  # one per imported workout

    broken = STRONG.replace("1,60,8,", "1,60,восемь,")
    refused = (await boris.upload(broken.encode(), filename="strong.csv"))[-1]
    all_russian([refused], boris, "восемь")
    assert (refused.text or "").startswith("❌ Не могу импортировать этот файл: ничего не сохранено.")
    assert "• строка 3: в поле «повторы» значение «восемь» - не число" in (refused.text or "")
    assert await counts(session_factory, user_id) == after


async def test_an_english_coach_sets_a_russian_trainees_target(
    boris: SandboxUser, make_user: Any, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    coach: SandboxUser = make_user("Cole", username="cole")
    async with session_factory() as session, session.begin():
        profile = TelegramProfile(telegram_id=coach.user_id, chat_id=coach.chat_id, first_name="Cole")
        cole = (await register_user(session, profile, default_timezone="UTC")).user
        cole.onboarded_at, cole.role = NOW, Role.COACH
        trainee = await session.get(User, lifter["user_id"])
        assert trainee is not None
        trainee.username = "boris"
        session.add(CoachTrainee(coach_id=cole.id, trainee_id=trainee.id))

    done = (await coach.send("/target boris squat 102.5"))[-1].text or ""
    assert "Target for Boris on Barbell Back Squat: 102.5 kg. They were told." in done  # the coach's English
    told = russian(boris.messages[-1].text, "Cole")  # the trainee's Russian (the coach's name is his)
    assert told.startswith("🎯 Ваш тренер Cole задал цель в упражнении ")
    assert "Вы увидите её, когда упражнение встретится в тренировке." in told
    async with session_factory() as session:
        target = await session.scalar(select(TraineeTarget).where(TraineeTarget.user_id == lifter["user_id"]))
        assert target is not None and target.weight_kg == Decimal("102.50") and target.set_by == cole.id


async def test_export_and_account_deletion_in_russian(
    boris: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    [document] = await boris.send("/export")
    assert document.kind == "document"
    all_russian([document], boris, "UTF-8")  # the encoding's name
    assert document.caption == (
        "Ваши данные: файлы CSV (UTF-8) для любой таблицы. Время указано в вашем поясе и в UTC."
    )
    bundle = zipfile.ZipFile(io.BytesIO(document.file or b""))
    header = bundle.read("sets.csv").decode("utf-8-sig").splitlines()[0]
    assert "set_number" in header and "reps" in header  # the columns keep their English names

    all_russian(await boris.send("/deleteme"), boris)
    assert boris.last_text.startswith("⚠️ Удалить аккаунт?")
    assert labels(boris.buttons()) == ["Да, удалить мой аккаунт", "Отмена"]
    all_russian(await boris.press("Отмена"), boris)
    assert boris.last_text == "Ничего не удалено."
    async with session_factory() as session:
        assert await session.get(User, lifter["user_id"]) is not None
