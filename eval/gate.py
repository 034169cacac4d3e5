"""The CI quality gate: minimum figures for the default configuration on the gold suite.

Minimums live in ``thresholds.json`` next to this file: the measured value minus a
small margin, so noise passes and a real regression fails with a readable message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.json"


def load_thresholds(path: Path = THRESHOLDS_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def check(summary: dict[str, float], thresholds: dict[str, Any]) -> list[str]:
    """One message per figure below its minimum (a missing or n/a figure fails too)."""
    where = f"{thresholds['config']} on {thresholds['suite']}"
    problems = []
    for name, minimum in thresholds["minimums"].items():
        value = summary.get(name)
        if value is None or math.isnan(value):
            problems.append(f"{name} is n/a for {where} (minimum {minimum:.3f})")
        elif value < minimum:
            problems.append(f"{name} = {value:.3f} for {where}, below the minimum {minimum:.3f}")
    return problems
