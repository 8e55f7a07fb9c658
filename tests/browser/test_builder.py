"""The coach's side in a real browser: the roster opens a trainee's dashboard; the program builder
validates through the same parser as a YAML upload (each problem shown beside its field), saves a private
program (found in the database) and assigns it to a trainee (an enrollment in the database).

Cole is a coach with one trainee, Tess; the real catalog is seeded.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import Role
from bot.db.models import Program, UserProgramEnrollment, Workout
from bot.sandbox.harness import Clock
from tests.browser.conftest import Browser, init_data_for
from tests.e2e.test_coaching import NOW, link, register
from tests.e2e.test_programs import seed

Factory = async_sessionmaker[AsyncSession]

DRAG = """
const [chip, cell] = arguments;
const data = new DataTransfer();
chip.dispatchEvent(new DragEvent("dragstart", {dataTransfer: data, bubbles: true}));
cell.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
cell.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
"""


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def world(make_user: Any, session_factory: Factory) -> dict[str, Any]:
    await seed(session_factory)
    cole, tess = make_user("Cole", username="cole"), make_user("Tess", username="tess")
    ids = {
        "cole": await register(session_factory, cole, "Cole", role=Role.COACH),
        "tess": await register(session_factory, tess, "Tess"),
    }
    await link(session_factory, ids["cole"], ids["tess"])
    return {"cole": cole, "tess": tess, "ids": ids}


async def test_the_roster_opens_a_trainees_dashboard(browser: Browser, world: Any) -> None:
    await browser.open(init_data_for(world["cole"], "Cole", NOW))
    await browser.ready("calendar")
    await browser.tab("trainees")
    button = await browser.css(f"#roster button[data-trainee-id='{world['ids']['tess']}']")
    assert button.text.splitlines()[:3] == ["Tess @tess", "no workout yet", "Idle"]  # her attention flag
    await browser.click(f"#roster button[data-trainee-id='{world['ids']['tess']}']")
    await browser.ready("calendar")
    assert (await browser.text("#who")).startswith("Viewing Tess.")
    assert not await browser.all("#tab-builder")  # a trainee's dashboard has no coach tabs
    await browser.click("#back-to-me")
    await browser.ready("trainees")
    assert await browser.text("#who") == "Cole"


async def test_a_program_is_built_validated_saved_and_assigned(
    browser: Browser, world: Any, session_factory: Factory
) -> None:
    from selenium.webdriver.support.ui import Select

    await browser.open(init_data_for(world["cole"], "Cole", NOW))
    await browser.ready("calendar")
    await browser.tab("builder")
    await browser.type("#f-name", "Cole's Squat Week")
    await browser.type("#f-description", "Two squat days a week.")
    await browser.type("#f-length", "7")
    await browser.type("#f-notes", "Squat on Monday & Thursday.")
    await browser.click("fieldset.categories input[value='strength']")  # untick the default: none left
    workout = "section[data-workout='A']"
    await browser.type(f"{workout} input.workout-name", "Squat Day")
    exercise = await browser.css(f"{workout} select.exercise")
    await browser.call(Select(exercise).select_by_value, "back-squat")
    await browser.type(f"{workout} input.sets", "3")
    await browser.type(f"{workout} input.reps", "five")
    await browser.type(f"{workout} input.weight", "60")
    await browser.type(f"{workout} input.rest", "90")

    # Validate: the bad reps are reported beside the reps field, the empty schedule beside the schedule.
    await browser.click("#validate")
    reps_problem = await browser.css("[data-loc='workouts.A.exercises[0].reps'] .problem")
    assert "expected a number or a range like 8-12" in reps_problem.text
    reps = await browser.css(f"{workout} input.reps")
    assert reps.get_attribute("aria-invalid") == "true"
    assert await browser.css("[data-loc='days'] > .problem")
    categories = await browser.css("[data-loc='categories'] > .problem")
    assert "at least 1" in categories.text
    assert (await browser.text("#builder-status")).startswith("Problems to fix")
    assert await count(session_factory, Program, Program.name == "Cole's Squat Week") == 0

    # Fix: a category, 5 reps; day 1 by click (pick the workout, tap the day), day 4 by drag-and-drop.
    await browser.click("fieldset.categories input[value='full-body']")
    await browser.type(f"{workout} input.reps", "5")
    await browser.click(".palette .chip[data-workout='A']")
    await browser.click(".day[data-day='1']")
    chip = await browser.css(".palette .chip[data-workout='A']")
    day4 = await browser.css(".day[data-day='4']")
    await browser.script(DRAG, chip, day4)
    assert [d.get_attribute("data-day") for d in await browser.all(".day:has(.chip.placed)")] == ["1", "4"]
    await browser.click("#validate")
    await browser.wait(
        lambda d: d.find_element("id", "builder-status").text == "The program is valid.", "invalid"
    )
    assert not await browser.all(".problem")

    await browser.click("#save")
    await browser.wait(lambda d: "Saved" in d.find_element("id", "builder-status").text, "not saved")
    async with session_factory() as session:
        program = await session.scalar(select(Program).where(Program.name == "Cole's Squat Week"))
        assert program is not None
        assert program.created_by == world["ids"]["cole"]
        assert program.description == "Two squat days a week."
        assert program.notes == "Squat on Monday & Thursday."
        names = (
            await session.scalars(select(Workout.name).where(Workout.created_by == world["ids"]["cole"]))
        ).all()
        assert list(names) == ["Squat Day"]

    # Assign it to Tess.
    trainee = await browser.css("#assign-trainee")
    await browser.call(Select(trainee).select_by_value, str(world["ids"]["tess"]))
    await browser.click("#assign-button")
    await browser.wait(
        lambda d: "Tess now follows" in d.find_element("id", "assign-status").text, "not assigned"
    )
    async with session_factory() as session:
        enrollment = await session.scalar(
            select(UserProgramEnrollment).where(UserProgramEnrollment.user_id == world["ids"]["tess"])
        )
        assert enrollment is not None
        assert enrollment.program_id == program.id


async def count(factory: Factory, model: Any, *where: Any) -> int:
    from sqlalchemy import func

    async with factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
