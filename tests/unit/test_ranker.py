"""The sentence ranker's file and its binding to what it was trained under, on invented rankers (no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.read.features import FEATURES
from assistant.read.ranker import (
    DEFAULT_RANKER,
    RankerError,
    RankerMismatch,
    SentenceRanker,
    Thresholds,
    TrainedUnder,
    _digest,
    load_ranker,
    save_ranker,
)
from index.scoring import SCORING
from index.store.manifest import ModelRecord

MODEL = ModelRecord(id="bundled:test-model+onnx-int8", checksum="ab" * 32)
UNDER = TrainedUnder(model=MODEL, scoring=SCORING, retrieval_mode="hybrid")
N = len(FEATURES)


def invented(under: TrainedUnder | None = UNDER) -> SentenceRanker:
    weights = tuple(0.1 * i for i in range(N))
    thresholds = Thresholds(0.6, 0.55, {"en": 0.78, "sv": 0.8})
    return SentenceRanker((0.5,) * N, (2.0,) * N, weights, -1.25, thresholds, {"C": 0.01}, under)


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "ranker.json"
    save_ranker(invented(), path)
    return path


def test_a_saved_ranker_loads_as_it_was_and_fits_what_it_was_trained_under(saved: Path) -> None:
    loaded = load_ranker(saved)
    assert loaded == invented()
    assert loaded.differences(UNDER) == []


def test_the_same_model_rebuilt_with_other_bytes_is_no_mismatch() -> None:
    """The bundled e5 is rebuilt and quantized on each machine: its checksum differs, its weights do not."""
    rebuilt = UNDER.model_copy(update={"model": MODEL.model_copy(update={"checksum": "cd" * 32})})
    assert invented().differences(rebuilt) == []


@pytest.mark.parametrize(
    ("running", "named"),
    [
        (UNDER.model_copy(update={"model": MODEL.model_copy(update={"id": "bundled:test-model"})}), "model"),
        (UNDER.model_copy(update={"scoring": SCORING.model_copy(update={"rrf_k": 60})}), "rrf_k"),
        (UNDER.model_copy(update={"scoring": SCORING.model_copy(update={"candidate_pool": 50})}), "candidate_pool"),
        (UNDER.model_copy(update={"scoring": SCORING.model_copy(update={"runner_up_share": 0.5})}), "runner_up_share"),
        (UNDER.model_copy(update={"retrieval_mode": "dense"}), "retrieval_mode"),
    ],
)
def test_each_kind_of_mismatch_is_refused_on_one_line_naming_it(running: TrainedUnder, named: str) -> None:
    (difference,) = invented().differences(running)
    assert difference.startswith(f"{named}: trained with ")
    message = str(RankerMismatch([difference]))
    assert named in message and "motionqa eval train-ranker" in message and "\n" not in message


def test_the_message_says_what_it_was_trained_with_and_what_runs_now() -> None:
    running = UNDER.model_copy(update={"scoring": SCORING.model_copy(update={"rrf_k": 60, "focus_weight": 1.0})})
    assert invented().differences(running) == [
        f"rrf_k: trained with {SCORING.rrf_k}, now 60",
        f"focus_weight: trained with {SCORING.focus_weight}, now 1.0",
    ]


def test_the_untrained_bootstrap_fits_nothing() -> None:
    assert SentenceRanker.bootstrap().differences(UNDER) == ["untrained (the bootstrap ranker)"]


def _rewrite(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data: data["coef"].__setitem__(0, 9.0),  # a weight edited by hand
        lambda data: data["thresholds"].update(hedge=0.1),
        lambda data: data["trained_under"]["scoring"].update(rrf_k=60),  # a record edited to pass the binding
        lambda data: data.pop("sha256"),  # written by a motionqa before the checksum
    ],
)
def test_a_tampered_file_is_refused(saved: Path, tamper) -> None:
    _rewrite(saved, tamper)
    with pytest.raises(RankerError, match="sha256"):
        load_ranker(saved)


def test_a_truncated_file_is_refused(saved: Path) -> None:
    saved.write_text(saved.read_text(encoding="utf-8")[:200], encoding="utf-8")
    with pytest.raises(RankerError, match="not a sentence ranker"):
        load_ranker(saved)


def test_a_record_without_a_constant_added_since_is_refused_naming_it(tmp_path: Path) -> None:
    """A default filled in for a constant the ranker never saw would pass the binding unseen."""
    recorded = UNDER.model_dump(mode="json")
    del recorded["scoring"]["runner_up_window"]
    content = json.loads(invented().to_json())
    content.pop("sha256")
    content["trained_under"] = recorded
    path = tmp_path / "old.json"
    path.write_text(json.dumps({**content, "sha256": _digest(content)}), encoding="utf-8")
    with pytest.raises(RankerError, match="records no runner_up_window"):
        load_ranker(path)


def test_the_shipped_ranker_records_what_it_was_trained_under() -> None:
    shipped = load_ranker(DEFAULT_RANKER)
    assert shipped.trained_under is not None
    assert shipped.trained_under.scoring == SCORING and shipped.trained_under.retrieval_mode == "hybrid"
