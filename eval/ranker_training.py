"""Train the sentence ranker on a suite's sentence labels, and calibrate when to hedge or decline.

A candidate sentence is labelled relevant when it overlaps an evidence string (the same
rule the citation metric uses). The model is a scikit-learn logistic regression with
balanced classes; its regularization is chosen by grouped cross-validation (questions,
not sentences, are the unit), so the figure that picks it is about unseen questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from assistant.read.features import candidates, matrix
from assistant.read.ranker import SentenceRanker, Thresholds, TrainedUnder
from assistant.service import Assistant, earlier_answers
from eval.runner import RunOptions, evidence_spans, quote_relevant, replay_history
from eval.suite import GoldItem

REGULARIZATION = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# Calibration targets on the training suite: at most this share of answerable questions declined / hedged.
MAX_FALSE_DECLINE = 0.0
MAX_HEDGED = 0.03


# Off-topic limits: just below the least corpus-like answerable question (and its 5 % quantile).
OFF_TOPIC_MARGIN = 0.01
DISTANT_QUANTILE = 0.05


@dataclass
class TrainingData:
    rows: np.ndarray
    labels: np.ndarray
    groups: np.ndarray
    answerable: dict[int, bool]
    closeness: dict[int, float]


def collect(assistant: Assistant, items: list[GoldItem]) -> TrainingData:
    """Candidate rows for every item, replaying conversations as the chat would."""
    rows: list[np.ndarray] = []
    labels: list[bool] = []
    groups: list[int] = []
    answerable: dict[int, bool] = {}
    closeness: dict[int, float] = {}
    for group, item in enumerate(items):
        history = replay_history(assistant, item, RunOptions())
        state = assistant.retriever.search(assistant.plan(item.question, history), assistant.settings.top_k)
        found = candidates(state, assistant.corpus, earlier_answers(history))
        if not found:
            continue
        spans = evidence_spans(assistant, item)
        refs = assistant.corpus.sentences
        rows.append(matrix(found))
        labels.extend(
            item.answerable and quote_relevant(refs[c.sentence].doc_id, refs[c.sentence].span.start,
                                               refs[c.sentence].span.end, spans)
            for c in found
        )  # fmt: skip
        groups.extend([group] * len(found))
        answerable[group] = item.answerable
        if not history:
            closeness[group] = state.closeness
    return TrainingData(np.vstack(rows), np.array(labels, dtype=int), np.array(groups), answerable, closeness)


def top1_accuracy(probabilities: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> float:
    """Share of answerable questions whose best-scored sentence is relevant."""
    hits = []
    for group in np.unique(groups):
        mask = groups == group
        if labels[mask].any():
            hits.append(labels[mask][int(np.argmax(probabilities[mask]))])
    return float(np.mean(hits)) if hits else 0.0


def _fit(rows: np.ndarray, labels: np.ndarray, c: float) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(rows)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(scaler.transform(rows), labels)
    return scaler, model


def out_of_fold(data: TrainingData, c: float, folds: int = 5) -> np.ndarray:
    """Each row's probability from a model that never saw its question: what unseen questions get."""
    predicted = np.zeros(len(data.labels))
    for train, test in GroupKFold(n_splits=folds).split(data.rows, data.labels, data.groups):
        scaler, model = _fit(data.rows[train], data.labels[train], c)
        predicted[test] = model.predict_proba(scaler.transform(data.rows[test]))[:, 1]
    return predicted


def choose_regularization(data: TrainingData) -> tuple[float, dict[float, float]]:
    scores = {c: top1_accuracy(out_of_fold(data, c), data.labels, data.groups) for c in REGULARIZATION}
    return max(scores, key=lambda c: (scores[c], -c)), scores


def calibrate(probabilities: np.ndarray, data: TrainingData) -> Thresholds:
    """Thresholds on the best sentence's probability that keep answerable questions answered."""
    best = {g: float(probabilities[data.groups == g].max()) for g in data.answerable}
    answerable = sorted(best[g] for g, ok in data.answerable.items() if ok)
    decline = answerable[int(MAX_FALSE_DECLINE * len(answerable))] if answerable else 0.0
    hedge = answerable[int(MAX_HEDGED * len(answerable))] if answerable else 0.0
    near = sorted(c for g, c in data.closeness.items() if data.answerable[g])
    off_topic = near[0] - OFF_TOPIC_MARGIN if near else 0.0
    distant = float(np.quantile(near, DISTANT_QUANTILE)) if near else 0.0
    return Thresholds(round(max(hedge, decline), 4), round(decline, 4), round(off_topic, 4), round(distant, 4))


def train(assistant: Assistant, items: list[GoldItem], suite: dict[str, Any]) -> tuple[SentenceRanker, dict[str, Any]]:
    data = collect(assistant, items)
    c, cv_scores = choose_regularization(data)
    scaler, model = _fit(data.rows, data.labels, c)
    ranker = SentenceRanker(
        mean=tuple(float(x) for x in scaler.mean_),
        scale=tuple(float(x) for x in scaler.scale_),
        coef=tuple(float(x) for x in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        thresholds=Thresholds(0.0, 0.0),
    )
    # Calibrated on out-of-fold probabilities: in-sample ones are too confident for new questions.
    thresholds = calibrate(out_of_fold(data, c), data)
    trained = {
        "suite": suite,
        "questions": len(data.answerable),
        "rows": len(data.labels),
        "positives": int(data.labels.sum()),
        "C": c,
        "cv_top1": {str(k): round(v, 4) for k, v in cv_scores.items()},
    }
    settings = assistant.settings
    under = TrainedUnder(
        model=assistant.index.manifest.model, scoring=settings.scoring, retrieval_mode=settings.retrieval_mode
    )
    final = SentenceRanker(ranker.mean, ranker.scale, ranker.coef, ranker.intercept, thresholds, trained, under)
    return final, trained
