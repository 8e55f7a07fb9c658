"""offset_choices: a typed UTC offset becomes a question, answered by the zones that have it now."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.services.timezones import TimezoneError, offset_choices

WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


def zones(text: str, now: datetime) -> list[str]:
    choice = offset_choices(text, now)
    assert choice is not None
    return [z.zone for z in choice.zones]


def test_the_zones_follow_the_season() -> None:
    assert zones("UTC+2", WINTER)[:3] == ["Africa/Johannesburg", "Africa/Cairo", "Europe/Kyiv"]
    assert zones("UTC+2", SUMMER)[0] == "Europe/Berlin"
    assert "Europe/Berlin" in zones("UTC+1", WINTER) and "Europe/London" in zones("UTC+1", SUMMER)
    choice = offset_choices("+02:00", SUMMER)
    assert choice is not None and choice.label == "UTC+2" and choice.fixed == "Etc/GMT-2"
    assert choice.zones[0].summer_time and not choice.zones[1].summer_time


def test_half_hours_have_no_fixed_zone() -> None:
    choice = offset_choices("UTC+5:30", WINTER)
    assert choice is not None and choice.fixed is None and choice.label == "UTC+5:30"
    assert [(z.zone, z.city) for z in choice.zones] == [
        ("Asia/Kolkata", "Mumbai"),
        ("Asia/Colombo", "Colombo"),
    ]
    # Newfoundland's summer offset, asked in winter: the place that has it part of the year
    assert zones("UTC-2:30", WINTER) == ["America/St_Johns"]


@pytest.mark.parametrize("text", ["UTC", "utc+0", "Berlin", "Europe/Berlin", "", "EST", "x" * 100])
def test_not_an_offset_is_not_asked_about(text: str) -> None:
    assert offset_choices(text, WINTER) is None


@pytest.mark.parametrize(("text", "reason"), [("UTC+15", "from UTC-12 to UTC+14"), ("+5:15", "UTC+5:15")])
def test_impossible_offsets(text: str, reason: str) -> None:
    with pytest.raises(TimezoneError, match=re.escape(reason)):
        offset_choices(text, WINTER)
