"""Keyboard builders never return an empty keyboard: no buttons means no keyboard (None)."""

from __future__ import annotations

import uuid

from telegram import InlineKeyboardButton

from bot.services.history import HistoryPage
from bot.ui import coaching, history, programs, progress
from bot.ui.keyboard import inline_keyboard


def test_inline_keyboard_drops_empty_rows_and_is_none_when_nothing_is_left() -> None:
    go = InlineKeyboardButton("Go", callback_data="go")
    assert inline_keyboard([]) is None
    assert inline_keyboard([[], []]) is None
    kept = inline_keyboard([[], [go], []])
    assert kept is not None
    assert [[b.text for b in row] for row in kept.inline_keyboard] == [["Go"]]


def test_data_driven_builders_return_none_for_no_data() -> None:
    assert coaching.trainees_picker([], "v") is None
    assert programs.choose_keyboard("pause", []) is None
    assert progress.metrics_keyboard([], "m") is None
    metric = progress.metrics_keyboard([(uuid.uuid4(), "Body weight")], "m")
    assert metric is not None and metric.inline_keyboard[0][0].text == "Body weight"


def test_history_keyboard_without_workouts_offers_todays_plan() -> None:
    first = history.history_keyboard(HistoryPage(items=(), page=0, has_more=False))
    assert first is not None
    [[start]] = first.inline_keyboard
    assert start.text == history.START_FROM_TODAY and start.callback_data == "td:r"
    # a page past the end keeps the way back
    later = history.history_keyboard(HistoryPage(items=(), page=2, has_more=False))
    assert later is not None
    assert [[b.text for b in row] for row in later.inline_keyboard] == [["‹ Newer"]]
