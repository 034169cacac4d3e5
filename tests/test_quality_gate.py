"""CI quality gate: the gold suite through the real assistant must stay above eval/thresholds.json.

Takes a few minutes (134 questions, plus an index build the first time). When it fails,
run ``motionqa eval run gold --report reports/tmp/gate`` and read the failed items.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.service import Assistant  # after the offline switch
from eval.configs import CONFIGS
from eval.gate import check, load_thresholds
from eval.runner import ItemResult, run_suite, summarize
from eval.suite import load_suite, resolve_suite, validate_suite
from index.settings import Settings

THRESHOLDS = load_thresholds()


@pytest.fixture(scope="session")
def gold_assistant() -> Assistant:
    return Assistant.load(Settings())


@pytest.fixture(scope="session")
def gold_results(gold_assistant: Assistant) -> list[ItemResult]:
    items = load_suite(resolve_suite(THRESHOLDS["suite"]))
    problems = validate_suite(items, list(gold_assistant.index.documents.values()))
    assert not problems, "the gold suite no longer matches the motion:\n" + "\n".join(problems)
    return run_suite(gold_assistant, items, CONFIGS[THRESHOLDS["config"]].options)


@pytest.mark.timeout(1800)
def test_gold_suite_meets_thresholds(gold_results: list[ItemResult]) -> None:
    problems = check(summarize(gold_results), THRESHOLDS)
    assert not problems, "quality regressed against eval/thresholds.json:\n  " + "\n  ".join(problems)


@pytest.mark.timeout(1800)
def test_every_citation_quotes_the_motion_exactly(gold_results: list[ItemResult]) -> None:
    broken = [r.id for r in gold_results if not r.citation_integrity]
    integrity = summarize(gold_results)["citation_integrity"]
    assert integrity == 1.0, f"citation integrity {integrity:.3f}: quotes differ from the text in {broken}"
