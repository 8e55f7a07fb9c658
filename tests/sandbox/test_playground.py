"""The playground's pure parts: file names, button answers, stable user ids."""

from __future__ import annotations

from bot.sandbox.emulator import CallbackAnswer, SentMessage
from bot.sandbox.playground import _file_name, render, render_answer, user_id_for, username_for


def test_file_names_are_made_safe_and_unique() -> None:
    message = SentMessage(
        message_id=7, chat_id=1, kind="document", file=b"x", file_id="f1", file_name="../../etc/passwd"
    )
    assert _file_name(message) == ("passwd", "")
    photo = SentMessage(message_id=8, chat_id=1, kind="photo", file=b"\x89PNG....", file_id="f2")
    assert _file_name(photo) == ("photo-8", ".png")
    answer = CallbackAnswer("q", 1, 1, 1, "d", "Saved", False, None, 0)
    assert render_answer(answer) == "bot (toast): Saved"
    alert = CallbackAnswer("q", 1, 1, 1, "d", "Line 1\nLine 2", True, None, 0)
    assert render_answer(alert, label="bot → Bob") == "bot → Bob (alert):\n  Line 1\n  Line 2"
    silent = CallbackAnswer("q", 1, 1, 1, "d", None, False, None, 0)
    assert render_answer(silent) is None


def test_each_name_keeps_its_id_between_runs() -> None:
    assert user_id_for("Sam") == user_id_for("sam") == user_id_for("SAM")
    assert user_id_for("Sam") != user_id_for("Coach Kim")
    assert username_for("Coach Kim") == "coach_kim"
    assert username_for("!!!") == "user"


def test_render_numbers_buttons_across_rows() -> None:
    message = SentMessage(
        message_id=3,
        chat_id=1,
        kind="text",
        text="Pick one",
        reply_markup={"inline_keyboard": [[{"text": "A"}, {"text": "B"}], [{"text": "C"}]]},
        edited=True,
    )
    assert render(message, label="bot → Bob") == "bot → Bob (edited):\n  Pick one\n  [1] A   [2] B\n  [3] C"
