"""CI quality gates: gold (tuned on) and heldout (never tuned on) through the real assistant must
stay within eval/thresholds.json.

When one fails, run ``motionqa eval run <suite> --report reports/tmp/gate`` and read the failed items.
"""

from __future__ import annotations

import pytest

from eval.configs import CONFIGS
from eval.gate import check, load_gates
from eval.runner import ItemResult, run_suite, summarize
from eval.suite import load_suite, resolve_suite, validate_suite

GATES = load_gates()


@pytest.fixture(scope="module", params=GATES, ids=lambda gate: gate["suite"])
def gated(request: pytest.FixtureRequest, assistant) -> tuple[dict, list[ItemResult]]:
    gate = request.param
    items = load_suite(resolve_suite(gate["suite"]))
    problems = validate_suite(items, list(assistant.index.documents.values()))
    assert not problems, f"the {gate['suite']} suite no longer matches the motion:\n" + "\n".join(problems)
    return gate, run_suite(assistant, items, CONFIGS[gate["config"]].options)


@pytest.mark.timeout(1800)
def test_suite_meets_thresholds(gated: tuple[dict, list[ItemResult]]) -> None:
    gate, results = gated
    problems = check(summarize(results), gate)
    assert not problems, "quality regressed against eval/thresholds.json:\n  " + "\n  ".join(problems)


@pytest.mark.timeout(1800)
def test_every_citation_quotes_the_motion_exactly(gated: tuple[dict, list[ItemResult]]) -> None:
    _, results = gated
    broken = [r.id for r in results if not r.citation_integrity]
    assert not broken, f"quotes differ from the text at their offsets in {broken}"
