"""Retrieval metrics via ir_measures (trec_eval underneath), answer metrics over citations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import ir_measures
from ir_measures import MRR, R, Success, nDCG

RETRIEVAL_MEASURES = {
    "recall@1": R @ 1,
    "recall@3": R @ 3,
    "recall@5": R @ 5,
    "recall@10": R @ 10,
    "success@1": Success @ 1,
    "success@3": Success @ 3,
    "success@5": Success @ 5,
    "success@10": Success @ 10,
    "mrr@10": MRR @ 10,
    "ndcg@10": nDCG @ 10,
}
_TOKEN = re.compile(r"[0-9a-zåäöéü]+")


def retrieval_scores(relevant: dict[str, set[str]], ranked: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Per-query scores: {query id: {measure name: value}} for every query in ``relevant``.

    A query whose relevant set is empty (its evidence is in no passage of this configuration)
    scores 0 everywhere rather than being dropped, so configurations share one denominator.
    """
    qrels = [ir_measures.Qrel(q, doc, 1) for q, docs in relevant.items() for doc in docs]
    run = [
        ir_measures.ScoredDoc(q, doc, float(len(docs) - rank))
        for q, docs in ranked.items()
        if q in relevant
        for rank, doc in enumerate(docs)
    ]
    names = {measure: name for name, measure in RETRIEVAL_MEASURES.items()}
    scores: dict[str, dict[str, float]] = {q: dict.fromkeys(RETRIEVAL_MEASURES, 0.0) for q in relevant}
    for metric in ir_measures.iter_calc(list(RETRIEVAL_MEASURES.values()), qrels, run):
        scores[metric.query_id][names[metric.measure]] = metric.value
    return scores


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD-style bag-of-tokens F1 (lower-cased words, å/ä/ö kept)."""
    predicted = Counter(_TOKEN.findall(prediction.lower()))
    expected = Counter(_TOKEN.findall(reference.lower()))
    common = sum((predicted & expected).values())
    if not common:
        return 0.0
    precision = common / sum(predicted.values())
    recall = common / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; NaN (shown as n/a) for no values."""
    values = list(values)
    return sum(values) / len(values) if values else float("nan")
