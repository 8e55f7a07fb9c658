"""Naming the metric in `/measure NAME VALUE`: split_metric and match_metrics."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.services.measurements import match_metrics, split_metric


@dataclass(frozen=True)
class M:
    code: str
    name: str


METRICS = [
    M("body_weight", "Body weight"),
    M("body_fat", "Body fat"),
    M("waist", "Waist circumference"),
    M("hips", "Hip circumference"),
    M("arm", "Upper arm circumference"),
    M("resting_heart_rate", "Resting heart rate"),
]


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("weight 182 lb, yesterday, after breakfast", "weight", "182 lb, yesterday, after breakfast"),
        ("body fat 18%", "body fat", "18%"),
        ("82.5", "", "82.5"),
        ("waist", "waist", ""),
        ("  heart rate   55 ", "heart rate", "55"),
    ],
)
def test_split_metric(text: str, name: str, rest: str) -> None:
    assert split_metric(text) == (name, rest)


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("weight", ["body_weight"]),
        ("Body Weight", ["body_weight"]),
        ("body_fat", ["body_fat"]),
        ("hips", ["hips"]),
        ("hip", ["hips"]),
        ("arms", ["arm"]),
        ("heart rate", ["resting_heart_rate"]),
        ("body", ["body_weight", "body_fat"]),
        ("circumference", ["waist", "hips", "arm"]),
        ("shoe size", []),
        ("", []),
    ],
)
def test_match_metrics(query: str, codes: list[str]) -> None:
    assert [m.code for m in match_metrics(query, METRICS)] == codes
