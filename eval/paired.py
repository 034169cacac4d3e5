"""Paired comparison of two runs on the same suite: per-item wins and losses, and a randomization test.

Two configurations answer the same questions, so their differences are paired. A
paired randomization (permutation) test asks how often randomly swapping the two
answers of each question gives a mean difference at least as large as the observed
one. Per-item scores are recomputed from each run's stored citations, so a report
made by an older motionqa (without some metric) compares on equal terms.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import permutation_test

from eval.relevance import locate
from eval.runner import quote_relevant
from eval.suite import GoldItem
from index.parse.document import Document

RESAMPLES = 10_000
# Per-item scores compared, and which items they apply to.
ANSWERABLE_METRICS = ("success@5", "mrr@10", "citation_hit", "evidence_coverage", "answered_share")
UNANSWERABLE_METRICS = ("caught",)
# Over every item, a plain answer's state: wrong (-1), not a plain answer (0: hedged or declined), right (1).
# Ordered as a reader would rank them, so a win is an item that moved up; the statistic is the precision.
ALL_ITEM_METRICS = ("answered_precision",)
METRICS = (*ANSWERABLE_METRICS, *UNANSWERABLE_METRICS, *ALL_ITEM_METRICS)


@dataclass(frozen=True)
class PairedResult:
    metric: str
    items: int
    mean_a: float
    mean_b: float
    wins: int
    losses: int
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


class RunFileError(ValueError):
    """A results.json that cannot be compared (unreadable, or not for this suite)."""


def _payload(path: Path) -> dict[str, Any]:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(payload["configs"], list) and isinstance(payload["suite"]["name"], str):
            return dict(payload)
        raise TypeError("configs or suite name of the wrong kind")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise RunFileError(f"{path} is not a motionqa results.json ({error})") from error


def suite_record(path: Path) -> dict[str, Any]:
    """The suite a saved run was made on: its name, path, sha256 and item count."""
    return dict(_payload(path)["suite"])


def suite_name(path: Path) -> str:
    return str(suite_record(path)["name"])


def load_run(path: Path, config: str | None = None) -> dict[str, Any]:
    """One configuration's record from a results.json (the first one unless ``config`` names another)."""
    configs = _payload(path)["configs"]
    for record in configs:
        if config is None or record.get("name") == config:
            return record
    raise RunFileError(f"{path} has no configuration {config!r} (it has {[c.get('name') for c in configs]})")


def item_scores(
    run: dict[str, Any], items: list[GoldItem], documents: Mapping[str, Document]
) -> dict[str, dict[str, float]]:
    """{metric: {item id: score}} for every item of the suite the run answered."""
    by_id = {record["id"]: record for record in run["items"]}
    scores: dict[str, dict[str, float]] = {m: {} for m in METRICS}
    for item in items:
        record = by_id.get(item.id)
        if record is None:
            continue
        outcome = record.get("outcome", "declined" if record["abstained"] else "answered")
        plain = outcome == "answered"
        if not item.answerable:
            scores["caught"][item.id] = float(not plain)
            scores["answered_precision"][item.id] = -1.0 if plain else 0.0
            continue
        quotes = [] if record["abstained"] else record["citations"]
        evidence = [_spans(documents, text) for text in item.evidence]
        relevant = [any(_cites(q, spans) for q in quotes) for spans in evidence]
        retrieval = record.get("retrieval") or {}
        hit = any(_cites(q, _all(evidence)) for q in quotes)
        scores["success@5"][item.id] = float(retrieval.get("success@5", 0.0))
        scores["mrr@10"][item.id] = float(retrieval.get("mrr@10", 0.0))
        scores["citation_hit"][item.id] = float(hit)
        scores["evidence_coverage"][item.id] = sum(relevant) / len(relevant) if relevant else 0.0
        scores["answered_share"][item.id] = float(plain)
        scores["answered_precision"][item.id] = (1.0 if hit else -1.0) if plain else 0.0
    return scores


def precision(states: np.ndarray, axis: int = -1) -> np.ndarray:
    """Share of plain answers (state ±1) that are right (+1); 0 where there is no plain answer."""
    answered = np.count_nonzero(states, axis=axis)
    return np.count_nonzero(states > 0, axis=axis) / np.maximum(answered, 1)


def average(values: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(values, axis=axis)


STATISTICS = {"answered_precision": precision}


def _spans(documents: Mapping[str, Document], text: str) -> dict[str, list[tuple[int, int]]]:
    return {doc_id: locate(document.text, text) for doc_id, document in documents.items()}


def _all(evidence: list[dict[str, list[tuple[int, int]]]]) -> dict[str, list[tuple[int, int]]]:
    merged: dict[str, list[tuple[int, int]]] = {}
    for spans in evidence:
        for doc_id, found in spans.items():
            merged.setdefault(doc_id, []).extend(found)
    return merged


def _cites(quote: dict[str, Any], spans: dict[str, list[tuple[int, int]]]) -> bool:
    doc_id = quote.get("doc_id") or str(quote["id"]).rsplit(":", 1)[0]
    return quote_relevant(doc_id, int(quote["start"]), int(quote["end"]), spans)


def compare(a: dict[str, dict[str, float]], b: dict[str, dict[str, float]], seed: int = 0) -> list[PairedResult]:
    """Every metric over the items both runs scored; B is the candidate, A the reference."""
    results = []
    for metric in METRICS:
        common = sorted(a[metric].keys() & b[metric].keys())
        if not common:
            continue
        x = np.array([a[metric][i] for i in common])
        y = np.array([b[metric][i] for i in common])
        statistic = STATISTICS.get(metric, average)
        results.append(
            PairedResult(
                metric=metric,
                items=len(common),
                mean_a=float(statistic(x)),
                mean_b=float(statistic(y)),
                wins=int((y > x).sum()),
                losses=int((y < x).sum()),
                p_value=randomization_p_value(x, y, seed, statistic),
            )
        )
    return results


def randomization_p_value(
    x: np.ndarray, y: np.ndarray, seed: int = 0, statistic: Callable[..., np.ndarray] = average
) -> float:
    """Two-sided paired randomization test of statistic(y) = statistic(x) (1.0 when the runs never differ).

    Each item's pair of scores is swapped at random, so any statistic of a run (a mean, a precision) is tested.
    """
    if np.array_equal(x, y):
        return 1.0
    test = permutation_test(
        (y, x),
        # Rounded: a swap of one item otherwise differs from the observed difference in the last bits, and
        # scipy's tolerance missed it (one item of 88 changed gave p = 0.0002 instead of 0.99).
        lambda p, q, axis: np.round(statistic(p, axis=axis) - statistic(q, axis=axis), 12),
        vectorized=True,
        permutation_type="samples",
        n_resamples=RESAMPLES,
        alternative="two-sided",
        random_state=seed,
    )
    return float(test.pvalue)


def per_item_changes(
    a: dict[str, dict[str, float]], b: dict[str, dict[str, float]], metric: str = "citation_hit"
) -> tuple[list[str], list[str]]:
    """Item ids that B wins and loses on ``metric``."""
    common = sorted(a[metric].keys() & b[metric].keys())
    return (
        [i for i in common if b[metric][i] > a[metric][i]],
        [i for i in common if b[metric][i] < a[metric][i]],
    )
