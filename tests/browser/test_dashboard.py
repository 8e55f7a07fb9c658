"""The trainee's dashboard in a real browser: the calendar and a chart drawn from the database, a set
corrected and deleted in the history (the database changed, a bad value refused with the server's reason),
the page in Russian for a Russian user, and forged init data refused.

Alice (Berlin, kg) has the three squat sessions of tests/e2e/test_progress (2, 9 and 16 Feb 2026;
heaviest 60, 72.5 and 80 kg; NOW is 2 Mar 2026) and is enrolled in the mini program today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import UserExercisePerformance, UserExerciseSet
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from tests.browser.conftest import Browser, init_data_for
from tests.e2e.test_progress import NOW, SQUAT_SESSIONS, add_history, register
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def lifter(alice: SandboxUser, session_factory: Factory) -> dict[str, Any]:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        user = await register(session, alice, "Alice")
        ids = await add_history(session, user, SQUAT_SESSIONS)
        await enrollments.enroll(session, user, program.id, date(2026, 3, 2), NOW)
    return {"user_id": user.id, "sessions": ids}


async def sets_of(factory: Factory, session_id: Any) -> list[tuple[Any, int | None]]:
    """(weight_kg, reps) of a session's sets, in order."""
    async with factory() as session:
        rows = await session.execute(
            select(UserExerciseSet.weight_kg, UserExerciseSet.reps)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .where(UserExercisePerformance.user_workout_session_id == session_id)
            .order_by(UserExerciseSet.set_number)
        )
        return [(row.weight_kg, row.reps) for row in rows]


async def test_the_calendar_and_a_chart_are_drawn_from_the_database(
    browser: Browser, alice: SandboxUser, lifter: Any
) -> None:
    await browser.open(init_data_for(alice, "Alice", NOW))
    await browser.ready("calendar")
    assert await browser.text("#who") == "Alice"
    # A square a day: the three workouts are done, the days between them rest, today planned.
    done = [cell.get_attribute("data-date") for cell in await browser.all("rect[data-status='done']")]
    assert done == ["2026-02-02", "2026-02-09", "2026-02-16"]
    assert len(await browser.all(".heatmap rect")) >= 365
    today = await browser.css("rect[data-date='2026-03-02']")
    assert "today" in today.get_attribute("class")
    assert (await browser.text("#week")).startswith("0/")

    await browser.tab("progress")
    assert "Barbell Back Squat" in await browser.text("#exercise-select")
    chart = await browser.css("#exercise-chart svg")
    assert chart.get_attribute("data-points") == "3"
    path = await browser.css("#exercise-chart path.series")
    assert path.get_attribute("d").count("L") == 2  # three points joined
    # The tooltip of the last point tells its date and top set.
    from selenium.webdriver.common.action_chains import ActionChains

    last = await browser.css("#exercise-chart circle[data-date='2026-02-16']")
    await browser.call(lambda: ActionChains(browser.driver).move_to_element(last).perform())
    tip = await browser.css("#exercise-chart .tooltip")
    assert "80 kg × 3" in tip.text
    # Another measure redraws the chart: the estimated 1RM (best 90 kg from 75 x 6 in the third session).
    await browser.click("button[data-metric='e1rm']")
    svg = await browser.css("#exercise-chart svg")
    assert "Estimated 1RM" in svg.get_attribute("aria-label")
    # The range buttons: 1M from the last workout keeps all three points (2 Feb is 14 days before it).
    await browser.click("#exercise-chart button[data-range='1M']")
    assert (await browser.css("#exercise-chart svg")).get_attribute("data-points") == "3"


async def test_a_set_is_corrected_and_deleted_in_the_history(
    browser: Browser, alice: SandboxUser, lifter: Any, session_factory: Factory
) -> None:
    newest = lifter["sessions"][-1]
    assert await sets_of(session_factory, newest) == [(80, 3), (75, 6), (75, 5)]
    await browser.open(init_data_for(alice, "Alice", NOW))
    await browser.ready("calendar")
    await browser.tab("history")
    card = f"article[data-session-id='{newest}']"
    await browser.css(card)
    first = f"{card} tbody tr[data-set-id]"
    await browser.click(f"{first} button.edit")
    # A value the service refuses: the reason is shown beside the set and nothing changes.
    await browser.type(f"{first} input[name='reps']", "5000")
    await browser.click(f"{first} button.save")
    error = await browser.css(f"{first} .error:not(:empty)")
    assert error.text.strip()
    assert await sets_of(session_factory, newest) == [(80, 3), (75, 6), (75, 5)]
    # A good correction: 82.5 kg x 4.
    await browser.type(f"{first} input[name='weight']", "82.5")
    await browser.type(f"{first} input[name='reps']", "4")
    await browser.click(f"{first} button.save")
    await browser.wait(
        lambda d: "82.5 kg × 4" in d.find_element("css selector", f"{first} td.value").text, "not redrawn"
    )
    assert await sets_of(session_factory, newest) == [(82.5, 4), (75, 6), (75, 5)]

    # Deleting takes two taps; the set is gone from the page and the database.
    rows = await browser.all(f"{card} tbody tr[data-set-id]")
    last_id = rows[-1].get_attribute("data-set-id")
    delete = f"{card} tr[data-set-id='{last_id}'] button.delete"
    await browser.click(delete)
    assert await browser.text(delete) == "Delete?"
    await browser.click(delete)
    await browser.wait(
        lambda d: not d.find_elements("css selector", f"tr[data-set-id='{last_id}']"),
        "the row is still there",
    )
    assert await sets_of(session_factory, newest) == [(82.5, 4), (75, 6)]


async def test_body_measurements_and_weekly_volume_are_drawn(
    browser: Browser, alice: SandboxUser, lifter: Any
) -> None:
    await alice.send("/measure weight 81 kg, yesterday")
    await alice.send("/measure weight 80.5 kg")
    await browser.open(init_data_for(alice, "Alice", NOW))
    await browser.ready("calendar")
    await browser.tab("body")
    card = await browser.css("#section-body section.card")
    assert "80.5 kg" in card.text
    assert (await browser.css("#section-body svg")).get_attribute("data-points") == "2"
    await browser.tab("progress")
    bars = await browser.css("#volume-chart svg")
    assert bars.get_attribute("data-points") == "3"  # three weeks of squats, one muscle group
    assert "Quads" in await browser.text("#volume-chart .legend")


async def test_the_page_takes_telegrams_theme_colours(
    browser: Browser, alice: SandboxUser, lifter: Any
) -> None:
    theme = (
        '{"bg_color":"#102030","text_color":"#fafafa","button_color":"#ff8800","button_text_color":"#000000"}'
    )
    await browser.open(init_data_for(alice, "Alice", NOW), theme=theme)
    await browser.ready("calendar")
    colours = await browser.script(
        "const s = getComputedStyle(document.body);"
        "const tab = getComputedStyle(document.getElementById('tab-calendar'));"
        "return [s.backgroundColor, s.color, tab.backgroundColor];"
    )
    assert colours == ["rgb(16, 32, 48)", "rgb(250, 250, 250)", "rgb(255, 136, 0)"]


async def test_the_page_is_in_russian_for_a_russian_user(
    browser: Browser, make_user: Any, session_factory: Factory
) -> None:
    boris = make_user("Boris", language_code="ru")
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        await make_program(session)
        user = await register(session, boris, "Boris")
        user.language_code = "ru"
        await add_history(session, user, SQUAT_SESSIONS)
    await browser.open(init_data_for(boris, "Boris", NOW, language_code="ru"))
    await browser.ready("calendar")
    assert await browser.text("#title") == "Дневник тренировок"
    assert await browser.text("#tab-history") == "История"
    assert await browser.script("return document.documentElement.lang") == "ru"
    assert "подряд" in await browser.text("#streak")
    await browser.tab("history")
    newest = await browser.css("#history-list article.session")
    assert "Завершена · 3 подхода" in newest.text
    assert "80 кг × 3" in newest.text
    assert "Изменить" in newest.text


async def test_forged_init_data_shows_no_data(browser: Browser, alice: SandboxUser, lifter: Any) -> None:
    forged = init_data_for(alice, "Alice", NOW).replace("Alice", "Mallory")
    await browser.open(forged)
    await browser.ready("error")
    assert "Open the dashboard from the bot" in await browser.text("#fatal")
    assert not await browser.all(".heatmap rect")
    await browser.call(browser.driver.get, f"{browser.base_url}/app/")  # no init data at all
    await browser.ready("error")
    assert await browser.all("#fatal")
