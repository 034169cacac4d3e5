"""Train the sentence ranker on suites' sentence labels, and calibrate when to hedge or decline.

A candidate sentence is labelled relevant when it overlaps an evidence string (the same
rule the citation metric uses). The model is a scikit-learn logistic regression with
balanced classes. Its regularization and its thresholds come from grouped cross-validation,
so the figures that pick them are about questions the model never saw: with several suites
each suite is held out in turn (another writer's questions, not only other questions of the
same writer), with one its questions are split five ways. Each suite's held-out figure is
reported on its own, so a ranker that only fits one writer shows as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut
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


# Off-topic limit per language: just below the least corpus-like answerable question in it.
OFF_TOPIC_MARGIN = 0.01
QUESTION_FOLDS = 5


@dataclass
class TrainingData:
    rows: np.ndarray
    labels: np.ndarray
    groups: np.ndarray  # the question of each row
    suites: np.ndarray  # the suite of each row (an index into ``suite_names``)
    suite_names: list[str]
    answerable: dict[int, bool]
    closeness: dict[int, float]
    languages: dict[int, str]

    def folds(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Train/test rows: each suite held out in turn, or with one suite its questions five ways."""
        if len(self.suite_names) > 1:
            return list(LeaveOneGroupOut().split(self.rows, self.labels, self.suites))
        return list(GroupKFold(n_splits=QUESTION_FOLDS).split(self.rows, self.labels, self.groups))


def collect(assistant: Assistant, suites: dict[str, list[GoldItem]]) -> TrainingData:
    """Candidate rows for every item of every suite, replaying conversations as the chat would."""
    rows: list[np.ndarray] = []
    labels: list[bool] = []
    groups: list[int] = []
    suite_of_row: list[int] = []
    answerable: dict[int, bool] = {}
    closeness: dict[int, float] = {}
    languages: dict[int, str] = {}
    items = [(suite, item) for suite, suite_items in enumerate(suites.values()) for item in suite_items]
    for group, (suite, item) in enumerate(items):
        history = replay_history(assistant, item, RunOptions())
        plan = assistant.plan(item.question, history)
        state = assistant.retriever.search(plan, assistant.settings.top_k)
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
        suite_of_row.extend([suite] * len(found))
        answerable[group] = item.answerable
        languages[group] = plan.language
        if not history:
            closeness[group] = state.closeness
    return TrainingData(
        np.vstack(rows),
        np.array(labels, dtype=int),
        np.array(groups),
        np.array(suite_of_row),
        list(suites),
        answerable,
        closeness,
        languages,
    )


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


def out_of_fold(data: TrainingData, c: float) -> np.ndarray:
    """Each row's probability from a model that never saw its question (or its suite): what unseen
    questions get."""
    predicted = np.zeros(len(data.labels))
    for train, test in data.folds():
        scaler, model = _fit(data.rows[train], data.labels[train], c)
        predicted[test] = model.predict_proba(scaler.transform(data.rows[test]))[:, 1]
    return predicted


def choose_regularization(data: TrainingData) -> tuple[float, dict[float, float]]:
    scores = {c: top1_accuracy(out_of_fold(data, c), data.labels, data.groups) for c in REGULARIZATION}
    return max(scores, key=lambda c: (scores[c], -c)), scores


def top1_by_suite(probabilities: np.ndarray, data: TrainingData) -> dict[str, float]:
    """Held-out top-1 accuracy of each suite on its own."""
    return {
        name: round(top1_accuracy(probabilities[mask], data.labels[mask], data.groups[mask]), 4)
        for index, name in enumerate(data.suite_names)
        if (mask := data.suites == index).any()
    }


def calibrate(probabilities: np.ndarray, data: TrainingData) -> Thresholds:
    """Thresholds on the best sentence's probability that keep answerable questions answered, and an
    off-topic bound per language below its least corpus-like answerable question."""
    best = {g: float(probabilities[data.groups == g].max()) for g in data.answerable}
    answerable = sorted(best[g] for g, ok in data.answerable.items() if ok)
    decline = answerable[int(MAX_FALSE_DECLINE * len(answerable))] if answerable else 0.0
    hedge = answerable[int(MAX_HEDGED * len(answerable))] if answerable else 0.0
    off_topic: dict[str, float] = {}
    for group, closeness in data.closeness.items():
        if data.answerable[group]:
            language = data.languages[group]
            off_topic[language] = min(off_topic.get(language, closeness), closeness)
    bounds = {language: round(near - OFF_TOPIC_MARGIN, 4) for language, near in sorted(off_topic.items())}
    return Thresholds(_round_down(max(hedge, decline)), _round_down(decline), bounds)


def _round_down(bound: float) -> float:
    """Four decimals for a readable file, never above the probability the bound was read from: rounded up,
    the least sure answerable question it was calibrated on would fall below it."""
    return math.floor(bound * 10_000) / 10_000


def train(
    assistant: Assistant, suites: dict[str, list[GoldItem]], records: list[dict[str, Any]]
) -> tuple[SentenceRanker, dict[str, Any]]:
    """``records``: what identifies each suite (name, sha256, items), kept with the ranker."""
    data = collect(assistant, suites)
    c, cv_scores = choose_regularization(data)
    scaler, model = _fit(data.rows, data.labels, c)
    # Calibrated on held-out probabilities: in-sample ones are too confident for new questions.
    held_out = out_of_fold(data, c)
    trained = {
        "suites": records,
        "held_out": "each suite" if len(suites) > 1 else f"{QUESTION_FOLDS} folds of questions",
        "questions": len(data.answerable),
        "rows": len(data.labels),
        "positives": int(data.labels.sum()),
        "C": c,
        "cv_top1": {str(k): round(v, 4) for k, v in cv_scores.items()},
        "held_out_top1": top1_by_suite(held_out, data),
    }
    settings = assistant.settings
    under = TrainedUnder(
        model=assistant.index.manifest.model, scoring=settings.scoring, retrieval_mode=settings.retrieval_mode
    )
    ranker = SentenceRanker(
        mean=tuple(float(x) for x in scaler.mean_),
        scale=tuple(float(x) for x in scaler.scale_),
        coef=tuple(float(x) for x in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        thresholds=calibrate(held_out, data),
        trained=trained,
        trained_under=under,
    )
    return ranker, trained
