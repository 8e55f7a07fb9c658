"""Coach flows that ask before they act, and what a coach reads about trainees.

Through the emulator; each test checks what the users saw and the rows in the database. A coach's End
of a trainee's program and a trainee's Leave of a coach are one tap away from an irreversible change,
so both ask first ("Yes, end it" / "Yes, leave" or "Cancel"); a stale or forged confirmation changes
nothing. /trainees lists every open program of a trainee; the finish notice carries the trainee's note.
The clock and the people are those of tests/e2e/test_coaching.py.
"""

# ruff: noqa: F811 - the fixtures `world` and `clock` come from tests/e2e/test_coaching.py
from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.db.enums import CoachLinkStatus, EnrollmentStatus
from bot.db.models import CoachInvitation, CoachTrainee, UserProgramEnrollment, UserWorkoutSession
from bot.sandbox.harness import Clock
from bot.services import coaching
from bot.ui import coaching as ui
from bot.ui.callback import pack
from tests.e2e.test_coaching import (  # noqa: F401 - `clock` and `world` are fixtures
    NOW,
    Factory,
    clock,
    link,
    rows,
    world,
)
from tests.e2e.test_programs import BEGINNER

COUCH = "Couch to 5K - 9 Weeks"


async def statuses(factory: Factory, user_id: Any) -> dict[Any, EnrollmentStatus]:
    return {
        e.id: e.enrollment_status
        for e in await rows(factory, UserProgramEnrollment, UserProgramEnrollment.user_id == user_id)
    }


# --- a coach ends a trainee's program ------------------------------------------------------------------


async def test_coach_end_asks_first(world: dict[str, Any], session_factory: Factory) -> None:
    cole, tess, olga = (world["people"][k] for k in ("cole", "tess", "olga"))
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await cole.send(f"/assign @tess {BEGINNER}")
    assert cole.last_text == f"📋 Assigned {BEGINNER} to Tess, day 1 today."
    (enrollment,) = await rows(session_factory, UserProgramEnrollment)
    tess_seen = len(tess.messages)

    await cole.send("/trainee tess")
    await cole.press("⏹ End")
    html = cole.last_reply.html or ""  # type: ignore[union-attr]
    assert f"End <b>{BEGINNER}</b> for Tess (day 1)?" in html
    assert "logged workouts are kept" in cole.last_text
    assert cole.buttons() == [["⏹ Yes, end it", "✖️ Cancel"]]
    # asking wrote nothing and told the trainee nothing
    assert await statuses(session_factory, ids["tess"]) == {enrollment.id: EnrollmentStatus.ACTIVE}
    assert len(tess.messages) == tess_seen

    # Cancel: back to the trainee's detail, nothing changed
    await cole.press("✖️ Cancel")
    assert "Tess (@tess)" in cole.last_text and "Recent workouts" in cole.last_text
    assert await statuses(session_factory, ids["tess"]) == {enrollment.id: EnrollmentStatus.ACTIVE}
    assert len(tess.messages) == tess_seen

    # End, then Yes: ended, the trainee is told
    await cole.press("⏹ End")
    confirmation = cole.messages[-1]
    await cole.press("⏹ Yes, end it")
    assert f"⏹ Ended {BEGINNER} for Tess" in cole.last_text
    row = (await rows(session_factory, UserProgramEnrollment))[0]
    assert row.enrollment_status == EnrollmentStatus.CANCELLED and row.updated_by == ids["cole"]
    assert "Your coach Cole ended" in tess.last_text
    tess_seen = len(tess.messages)

    # the same confirmation again (stale): refused, nothing changes, the trainee hears nothing
    await cole.press_data(pack("co", "ey", enrollment.id), confirmation)
    assert cole.callback_answers[-1].text == "Tess no longer follows that program."
    assert cole.callback_answers[-1].show_alert
    assert await statuses(session_factory, ids["tess"]) == {enrollment.id: EnrollmentStatus.CANCELLED}
    assert len(tess.messages) == tess_seen
    # and asking again about the ended program is refused too
    await cole.press_data(pack("co", "ee", enrollment.id), confirmation)
    assert cole.callback_answers[-1].text == "Tess no longer follows that program."

    # forged: another coach confirms the end of Tess's new program; a broken id
    await cole.send(f"/assign @tess {COUCH} 2026-11-30")
    assert cole.last_text == f"📋 Assigned {COUCH} to Tess, day 1 on Mon 30 Nov."
    couch = next(
        e
        for e, status in (await statuses(session_factory, ids["tess"])).items()
        if status == EnrollmentStatus.ACTIVE
    )
    await olga.send("/trainees")
    await olga.press_data(pack("co", "ey", couch), olga.messages[-1])
    assert olga.callback_answers[-1].text == coaching.NOT_YOUR_TRAINEE
    await olga.press_data(pack("co", "ee", couch), olga.messages[-1])
    assert olga.callback_answers[-1].text == coaching.NOT_YOUR_TRAINEE
    await cole.press_data("co:ey:not-an-id", cole.messages[-1])
    assert cole.callback_answers[-1].text == ui.STALE_BUTTON
    assert (await statuses(session_factory, ids["tess"]))[couch] == EnrollmentStatus.ACTIVE


# --- a trainee leaves a coach --------------------------------------------------------------------------


async def test_trainee_leave_asks_first(
    world: dict[str, Any], session_factory: Factory, clock: Clock
) -> None:
    tess, tom = world["people"]["tess"], world["people"]["tom"]
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await link(session_factory, ids["olga"], ids["tess"])
    await link(session_factory, ids["cole"], ids["tom"])

    async def links() -> dict[tuple[Any, Any], tuple[CoachLinkStatus, Any]]:
        return {
            (x.coach_id, x.trainee_id): (x.status, x.ended_at)
            for x in await rows(session_factory, CoachTrainee)
        }

    before = await links()
    await tess.send("/coaches")
    assert tess.buttons() == [["👋 Leave Cole"], ["👋 Leave Olga"]]
    await tess.press("👋 Leave Cole")
    assert tess.last_text.startswith("Leave Cole (@cole)?")
    assert tess.buttons() == [["👋 Yes, leave", "✖️ Cancel"]]
    assert await links() == before  # asking wrote nothing

    await tess.press("✖️ Cancel")
    assert "Your coaches" in tess.last_text and tess.buttons() == [["👋 Leave Cole"], ["👋 Leave Olga"]]
    assert await links() == before

    await tess.press("👋 Leave Cole")
    confirmation = tess.messages[-1]
    await tess.press("👋 Yes, leave")
    assert "You left Cole (@cole)" in tess.last_text
    after = await links()
    assert after[(ids["cole"], ids["tess"])] == (CoachLinkStatus.ENDED, NOW)
    assert after[(ids["olga"], ids["tess"])] == before[(ids["olga"], ids["tess"])]
    assert after[(ids["cole"], ids["tom"])] == before[(ids["cole"], ids["tom"])]

    # pressed again later (stale): refused, the end time is not rewritten
    clock.advance(timedelta(hours=2))
    await tess.press_data(pack("co", "ly", ids["cole"]), confirmation)
    assert tess.callback_answers[-1].text == coaching.LINK_GONE
    await tess.press_data(pack("co", "lv", ids["cole"]), confirmation)
    assert tess.callback_answers[-1].text == coaching.LINK_GONE
    assert await links() == after

    # forged: Tom "leaves" Olga, who is not his coach, and confirms leaving with a broken id
    await tom.send("/coaches")
    await tom.press_data(pack("co", "ly", ids["olga"]), tom.messages[-1])
    assert tom.callback_answers[-1].text == coaching.LINK_GONE
    await tom.press_data("co:ly:forged", tom.messages[-1])
    assert tom.callback_answers[-1].text == ui.STALE_BUTTON
    assert await links() == after
    await tess.send("/coaches")
    assert tess.buttons() == [["👋 Leave Olga"]]


# --- what a coach reads ----------------------------------------------------------------------------------


async def test_trainees_lists_every_program(world: dict[str, Any], session_factory: Factory) -> None:
    cole = world["people"]["cole"]
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await link(session_factory, ids["cole"], ids["tom"])
    await cole.send(f"/assign @tess {BEGINNER}")
    await cole.send(f"/assign @tess {COUCH}")
    await cole.send("/trainee tess")
    await cole.press(f"⏸ Pause {ui.clip(COUCH, 24)}")
    assert sorted(s.value for s in (await statuses(session_factory, ids["tess"])).values()) == [
        "ACTIVE",
        "PAUSED",
    ]

    await cole.send("/trainees")
    text = cole.last_text
    tess_block = text[text.index("Tess") : text.index("Tom")]
    assert f"📋 {BEGINNER} · day 1\n" in tess_block
    assert f"📋 {COUCH} · day 1 (paused)" in tess_block
    assert tess_block.index(BEGINNER) < tess_block.index(COUCH)  # the active one first
    assert "no program" in text[text.index("Tom") :]


async def test_finish_notice_has_the_note(world: dict[str, Any], session_factory: Factory) -> None:
    cole, tess = world["people"]["cole"], world["people"]["tess"]
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await cole.send(f"/assign @tess {BEGINNER}")
    await cole.send("/trainee tess")
    await cole.press("🔔 Message me after each workout")

    await tess.press(next(b for row in tess.buttons() for b in row if "Start" in b))
    await tess.send("60x5")
    await tess.press(next(b for row in tess.buttons() for b in row if "Finish" in b))
    await tess.press("7")
    await tess.press("3")
    await tess.send("Knees <ok> & strong")

    (session,) = await rows(session_factory, UserWorkoutSession, UserWorkoutSession.user_id == ids["tess"])
    assert session.session_notes == "Knees <ok> & strong"
    notice = cole.messages[-1]
    assert notice.content.startswith("🏁 Tess finished")
    assert "📝 <i>Knees &lt;ok&gt; &amp; strong</i>" in (notice.html or "")
    assert "1/4 exercises · 1 set · " in notice.content
    assert "effort 7/10, soreness 3/10" in notice.content


async def test_revoke_counts_in_words(world: dict[str, Any], session_factory: Factory) -> None:
    cole = world["people"]["cole"]
    await cole.send("/invite")
    assert "Valid until Tue 1 Dec." in cole.last_text  # a week from Tue 24 Nov
    await cole.send("/invite revoke")
    assert cole.last_text == "🚫 Revoked 1 invitation link: it no longer works."
    (invitation,) = await rows(session_factory, CoachInvitation)
    assert invitation.revoked_at == NOW
    await cole.send("/invite revoke")
    assert "no valid invitation links" in cole.last_text
