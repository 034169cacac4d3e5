"""The CI quality gates: minimum (and maximum) figures for the default configuration, per suite.

They live in ``thresholds.json`` next to this file, one gate per suite (gold, which the ranker
is tuned on, and heldout, which nothing is tuned on): the measured value minus a small margin,
so noise passes and a real regression fails with a readable message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.json"


def load_gates(path: Path = THRESHOLDS_PATH) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["gates"])


def gate_for(suite: str, gates: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((g for g in gates if g["suite"] == suite), None)


def check(summary: dict[str, float], gate: dict[str, Any]) -> list[str]:
    """One message per figure outside its bound (a missing or n/a figure fails too)."""
    where = f"{gate['config']} on {gate['suite']}"
    problems = []
    bounds = [(name, value, "minimum") for name, value in gate.get("minimums", {}).items()]
    bounds += [(name, value, "maximum") for name, value in gate.get("maximums", {}).items()]
    for name, bound, kind in bounds:
        value = summary.get(name)
        if value is None or math.isnan(value):
            problems.append(f"{name} is n/a for {where} ({kind} {bound:.3f})")
        elif (value < bound) if kind == "minimum" else (value > bound):
            problems.append(f"{name} = {value:.3f} for {where}, {'below' if kind == 'minimum' else 'above'} the "
                            f"{kind} {bound:.3f}")  # fmt: skip
    return problems
