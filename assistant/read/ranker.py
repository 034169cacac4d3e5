"""The learned sentence ranker: a logistic regression over general features, stored as JSON.

Trained on the gold suite's sentence labels (``motionqa eval train-ranker``), judged on
heldout. Its probability is calibrated, so it also decides the outcome: answer, hedge
or decline. The file is small, readable and verified: a feature list that differs from
the code's is refused rather than silently misread.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.read.features import FEATURES

DEFAULT_RANKER = Path(__file__).parent / "models" / "sentence_ranker.json"


class RankerError(ValueError):
    """The ranker file is missing, malformed or made for other features."""


@dataclass(frozen=True)
class Thresholds:
    """Probability of the best sentence below which the assistant hedges, and below which it declines;
    closeness of the question to the corpus below which it is off topic (``off_topic``), or off topic
    when most of its own words are not in the motion either (``distant``)."""

    hedge: float
    decline: float
    off_topic: float = 0.0
    distant: float = 0.0


@dataclass(frozen=True)
class SentenceRanker:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    thresholds: Thresholds
    trained: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def bootstrap(cls) -> SentenceRanker:
        """Similarity alone, never hedging or declining: the starting point for training new features."""
        coef = tuple(1.0 if name == "similarity" else 0.0 for name in FEATURES)
        n = len(FEATURES)
        return cls((0.0,) * n, (1.0,) * n, coef, -3.0, Thresholds(0.0, 0.0), {"bootstrap": True})

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(relevant) for each candidate row."""
        if rows.size == 0:
            return np.zeros(0)
        logits = ((rows - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURES), **asdict(self)}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str, source: str) -> SentenceRanker:
        try:
            data = json.loads(text)
            if data["features"] != list(FEATURES):
                raise RankerError(f"{source} was trained on other features; retrain: motionqa eval train-ranker")
            ranker = cls(
                mean=tuple(map(float, data["mean"])),
                scale=tuple(map(float, data["scale"])),
                coef=tuple(map(float, data["coef"])),
                intercept=float(data["intercept"]),
                thresholds=Thresholds(**data["thresholds"]),
                trained=dict(data.get("trained", {})),
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            if isinstance(error, RankerError):
                raise
            raise RankerError(f"{source} is not a sentence ranker ({error})") from error
        if not len(ranker.mean) == len(ranker.scale) == len(ranker.coef) == len(FEATURES):
            raise RankerError(f"{source} has {len(ranker.coef)} weights for {len(FEATURES)} features")
        return ranker


def load_ranker(path: Path) -> SentenceRanker:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RankerError(f"cannot read the sentence ranker {path} ({error})") from error
    return SentenceRanker.from_json(text, str(path))


def save_ranker(ranker: SentenceRanker, path: Path) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(ranker.to_json() + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
