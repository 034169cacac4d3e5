"""How the ranker is held out and calibrated (``eval.ranker_training``), on invented rows (no model)."""

from __future__ import annotations

import numpy as np

from eval.ranker_training import OFF_TOPIC_MARGIN, QUESTION_FOLDS, TrainingData, calibrate, top1_by_suite


def invented(suites: list[str], questions_per_suite: int = 10, rows_per_question: int = 3) -> TrainingData:
    """Each question has one relevant row (the first); the last question of each suite is unanswerable."""
    rng = np.random.default_rng(7)
    groups, suite_of_row, labels = [], [], []
    answerable, closeness, languages = {}, {}, {}
    for suite in range(len(suites)):
        for q in range(questions_per_suite):
            group = suite * questions_per_suite + q
            ok = q != questions_per_suite - 1
            groups += [group] * rows_per_question
            suite_of_row += [suite] * rows_per_question
            labels += [int(ok)] + [0] * (rows_per_question - 1)
            answerable[group] = ok
            closeness[group] = 0.80 + 0.01 * q
            languages[group] = "en" if q % 2 else "sv"
    rows = rng.normal(size=(len(labels), 4))
    return TrainingData(
        rows, np.array(labels), np.array(groups), np.array(suite_of_row), suites, answerable, closeness, languages
    )


def test_several_suites_are_held_out_one_at_a_time() -> None:
    data = invented(["gold", "heldout", "readers"])
    folds = data.folds()
    assert len(folds) == 3
    for train, test in folds:
        (held_out,) = set(data.suites[test])
        assert held_out not in set(data.suites[train]), "a suite is never in its own training fold"
    assert sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(len(data.labels)))


def test_one_suite_is_split_by_question_never_inside_one() -> None:
    data = invented(["gold"])
    folds = data.folds()
    assert len(folds) == QUESTION_FOLDS
    for train, test in folds:
        assert not set(data.groups[train]) & set(data.groups[test])


def test_each_suite_gets_its_own_held_out_figure() -> None:
    data = invented(["gold", "readers"])
    relevant_first = np.where(data.labels == 1, 1.0, 0.0)
    wrong_in_readers = np.where(data.suites == 1, 1.0 - relevant_first, relevant_first)
    assert top1_by_suite(wrong_in_readers, data) == {"gold": 1.0, "readers": 0.0}


def test_off_topic_bound_is_per_language_below_its_least_close_answerable_question() -> None:
    data = invented(["gold"])
    thresholds = calibrate(np.where(data.labels == 1, 0.9, 0.1), data)
    # Swedish questions are q = 0, 2, …, 8 (closeness .80 …); English q = 1, 3, …, 7 answerable, 9 is not.
    assert thresholds.off_topic == {"en": round(0.81 - OFF_TOPIC_MARGIN, 4), "sv": round(0.80 - OFF_TOPIC_MARGIN, 4)}


def test_no_answerable_question_is_declined_on_the_data_it_was_calibrated_on() -> None:
    data = invented(["gold", "readers"])
    probabilities = np.random.default_rng(1).uniform(size=len(data.labels))
    thresholds = calibrate(probabilities, data)
    best = [probabilities[data.groups == g].max() for g, ok in data.answerable.items() if ok]
    assert min(best) >= thresholds.decline
    assert thresholds.decline <= thresholds.hedge
