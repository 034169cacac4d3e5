"""The eval's building blocks on hand-made cases with known answers (fast; no model, no index)."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

from assistant.api.settings import Settings
from eval.configs import CONFIGS, EVAL_INDEX_ROOT, ConfigError, resolve_config, resolve_configs
from eval.gate import check
from eval.metrics import RETRIEVAL_MEASURES, retrieval_scores, token_f1
from eval.paired import compare, precision
from eval.relevance import covers, locate
from eval.runner import ItemResult, summarize_by_type
from eval.suite import GoldItem, validate_suite
from index.parse.document import Document, Metadata

# q1: relevant a (rank 2) and b (rank 4); q2: relevant c at rank 1; q3: evidence in no passage.
RELEVANT = {"q1": {"a", "b"}, "q2": {"c"}, "q3": set()}
RANKED = {"q1": ["x", "a", "y", "b", "z"], "q2": ["c", "x"], "q3": ["x", "y"]}
NDCG_Q1 = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    return retrieval_scores(RELEVANT, RANKED)


@pytest.mark.parametrize(
    ("measure", "q1"),
    [
        ("recall@1", 0.0),
        ("recall@3", 0.5),
        ("recall@5", 1.0),
        ("recall@10", 1.0),
        ("success@1", 0.0),
        ("success@3", 1.0),
        ("success@5", 1.0),
        ("success@10", 1.0),
        ("mrr@10", 0.5),
        ("ndcg@10", NDCG_Q1),
    ],
)
def test_known_ranks_give_known_scores(scores: dict[str, dict[str, float]], measure: str, q1: float) -> None:
    assert scores["q1"][measure] == pytest.approx(q1)
    assert scores["q2"][measure] == pytest.approx(1.0)  # the only relevant passage at rank 1
    assert scores["q3"][measure] == 0.0  # unreachable evidence counts as a miss, not as absent


def test_every_measure_is_reported(scores: dict[str, dict[str, float]]) -> None:
    assert set(scores) == {"q1", "q2", "q3"}
    assert all(set(per_query) == set(RETRIEVAL_MEASURES) for per_query in scores.values())


def test_success_is_not_recall() -> None:
    """Two relevant passages, one found in the top 3: recall 0.5 but success 1."""
    one = retrieval_scores({"q": {"a", "b"}}, {"q": ["a", "x", "y", "b"]})["q"]
    assert (one["recall@3"], one["success@3"], one["success@1"]) == (0.5, 1.0, 1.0)


TEXT = "Inledning.\n\nMän utgör 98 procent av samtliga misstänkta   för sexualbrott.\nSlut."
EVIDENCE = "Män utgör 98 procent av samtliga misstänkta för sexualbrott."


def test_locate_ignores_whitespace() -> None:
    spans = locate(TEXT, EVIDENCE.replace(" för", "\nför"))
    assert len(spans) == 1
    start, end = spans[0]
    assert TEXT[start:end].startswith("Män utgör") and TEXT[start:end].endswith("sexualbrott")
    assert locate(TEXT, "inte i texten") == []
    assert locate(TEXT, "   ") == []


def test_locate_finds_a_yrkande_in_the_list_and_at_its_section_end() -> None:
    """The list and the section end state a proposal with another capital and stop; either is evidence."""
    text = "1. Riksdagen ställer sig bakom det som anförs om att regeringen bör utreda X och tillkännager detta.\n" + (
        "Skäl. Regeringen bör utreda X. Detta bör riksdagen ställa sig bakom."
    )
    spans = locate(text, "Regeringen bör utreda X.")
    assert [text[s:e] for s, e in spans] == ["regeringen bör utreda X", "Regeringen bör utreda X"]


def test_relevance_rule() -> None:
    (start, end) = locate(TEXT, EVIDENCE)[0]
    half = (end - start) // 2 + (end - start) % 2
    assert covers(0, len(TEXT), [(start, end)])  # contains the evidence
    assert covers(start, start + half, [(start, end)])  # exactly half is enough
    assert covers(end - half, end + 10, [(start, end)])
    assert not covers(start, start + half - 1, [(start, end)])  # just below half
    assert not covers(0, start, [(start, end)])  # adjacent, no overlap
    assert not covers(0, len(TEXT), [])  # no evidence in this document


@pytest.mark.parametrize(
    ("prediction", "reference", "expected"),
    [
        ("a b c", "a b d", 2 / 3),
        ("Män utgör 98 procent", "98 procent av männen", 0.5),
        ("Samma Svar.", "samma svar", 1.0),
        ("", "något", 0.0),
        ("helt annat", "något", 0.0),
        ("våld våld", "våld", 2 / 3),  # bag of tokens: repeats count
    ],
)
def test_token_f1(prediction: str, reference: str, expected: float) -> None:
    assert token_f1(prediction, reference) == pytest.approx(expected)


def _document() -> Document:
    meta = Metadata(doc_id="doc", title="t", party="V", riksmote="2025/26")
    return Document(meta=meta, text=TEXT, sections=[], blocks=[], footnotes=[], yrkanden=[])


def _item(id: str, type: str = "fact", evidence: tuple[str, ...] = (EVIDENCE,), **more: object) -> GoldItem:
    return GoldItem(
        id=id,
        question=str(more.get("question", "Hur många?")),
        answer="98 procent",
        evidence=evidence,
        type=type,
        history=tuple(more.get("history", ())),
        tags=tuple(more.get("tags", ())),
        stated_answerable=more.get("stated_answerable"),
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("items", "problem"),
    [
        ([_item("a"), _item("a")], "a: duplicate id"),
        ([_item("a", evidence=())], "a: needs evidence"),
        ([_item("a", type="unanswerable")], "a: unanswerable items need no evidence"),
        ([_item("a", tags=("switch",))], "a: a topic switch needs history"),
        ([_item("a", stated_answerable=False)], "a: unanswerable items need no evidence"),
        ([_item("a", type="unanswerable", evidence=(), stated_answerable=True)], "a: 'answerable: true' contradicts"),
        ([_item("a", evidence=("Detta står inte i motionen.",))], "a: evidence not in the motion"),
        ([_item("a", question="  ")], "a: empty question"),
    ],
)
def test_validator_catches_each_problem(items: list[GoldItem], problem: str) -> None:
    problems = validate_suite(items, [_document()])
    assert any(p.startswith(problem) for p in problems), problems


def test_validator_accepts_good_items() -> None:
    items = [
        _item("a"),
        _item("b", type="followup", history=("Vad säger motionen om sexualbrott?",)),
        _item("c", type="unanswerable", evidence=()),
        _item("d", evidence=(EVIDENCE.replace(" ", "\n"),)),  # whitespace differs from the text
        _item("e", type="a label nobody planned"),  # types are free labels
        _item("f", type="off-topic", evidence=(), stated_answerable=False),
    ]
    assert validate_suite(items, [_document()]) == []


def test_configs_resolve_and_isolate_their_indexes() -> None:
    assert resolve_config("hybrid").settings().index_dir == Settings().index_dir
    assert resolve_config("dense").settings().retrieval_mode == "dense"
    assert resolve_config("hybrid-no-history").options.use_history is False
    chunked = resolve_config("chunk-450").settings()
    assert (chunked.chunk_size, chunked.index_dir) == (450, EVAL_INDEX_ROOT / "chunk-450" / "index")
    custom = resolve_config('{"name": "k8", "top_k": 8}')
    assert (custom.name, custom.settings().top_k, custom.settings().index_dir) == ("k8", 8, Settings().index_dir)
    assert {"baseline-bm25-paragraphs", "baseline-langchain"} <= set(CONFIGS)
    assert [c.name for c in resolve_configs("bm25, chunk-300")] == ["bm25", "chunk-300"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nosuch", "unknown configuration 'nosuch'"),
        ("{not json", "not valid JSON"),
        ('["chunk_size"]', "must be an object"),
        ('{"chunksize": 500}', "unknown settings ['chunksize']"),
        ('{"chunk_size": 5}', "chunk_size: Input should be greater than or equal to 100"),
        ('{"name": "hybrid", "top_k": 3}', "is taken"),
        ('{"use_history": "no"}', "use_history"),
    ],
)
def test_bad_configs_are_refused_clearly(spec: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        resolve_config(spec)
    assert message in str(error.value)


def test_duplicate_configs_are_refused() -> None:
    with pytest.raises(ConfigError, match="listed twice: bm25"):
        resolve_configs("bm25,hybrid,bm25")


def test_gate_messages() -> None:
    thresholds = {"suite": "gold", "config": "hybrid", "minimums": {"recall@5": 0.8, "citation_integrity": 1.0}}
    assert check({"recall@5": 0.81, "citation_integrity": 1.0}, thresholds) == []
    problems = check({"recall@5": 0.7, "citation_integrity": float("nan")}, thresholds)
    assert problems == [
        "recall@5 = 0.700 for hybrid on gold, below the minimum 0.800",
        "citation_integrity is n/a for hybrid on gold (minimum 1.000)",
    ]


def _result(id: str, outcome: str, hit: bool | None, answerable: bool = True, type: str = "fact") -> ItemResult:
    return ItemResult(
        id=id,
        type=type,
        question="?",
        answerable=answerable,
        abstained=outcome == "declined",
        answer="",
        retrieved=[],
        relevant=[],
        citations=[],
        citation_hit=hit,
        citation_precision=None,
        citation_integrity=True,
        f1=None,
        seconds=0.01,
        outcome=outcome,
    )


def test_answered_precision_counts_plain_answers_only_and_unanswerable_as_wrong() -> None:
    results = [
        _result("right", "answered", True),
        _result("wrong", "answered", False),
        _result("hedged", "hedged", False),  # not a plain answer: outside the precision
        _result("declined", "declined", None),
        _result("unans-answered", "answered", None, answerable=False, type="unanswerable"),
        _result("unans-declined", "declined", None, answerable=False, type="unanswerable"),
    ]
    summary = summarize_by_type(results)
    assert summary["all"]["answered_precision"] == pytest.approx(1 / 3)  # 1 right of 3 plain answers
    assert summary["all"]["answered_share"] == pytest.approx(2 / 4)  # 2 of 4 answerable answered plainly
    assert summary["fact"]["answered_precision"] == pytest.approx(1 / 2)
    assert summary["unanswerable"]["answered_precision"] == 0.0
    assert math.isnan(summary["unanswerable"]["answered_share"])  # no answerable item of that type


def test_paired_answered_precision() -> None:
    """States per item: -1 a wrong plain answer, 0 hedged or declined, 1 a right plain answer."""
    a = {"answered_precision": {"1": 1.0, "2": -1.0, "3": -1.0, "4": 0.0}}
    b = {"answered_precision": {"1": 1.0, "2": 0.0, "3": 1.0, "4": 0.0}}
    (row,) = [r for r in compare(defaultdict(dict, a), defaultdict(dict, b)) if r.metric == "answered_precision"]
    assert (row.items, row.mean_a, row.mean_b, row.wins, row.losses) == (4, pytest.approx(1 / 3), 1.0, 2, 0)
    assert 0 < row.p_value <= 1
    assert precision(np.array([[0.0, 0.0], [1.0, -1.0]])).tolist() == [0.0, 0.5]  # no plain answer: 0


def test_one_changed_item_of_many_is_no_significant_difference() -> None:
    """Swapping the one changed item flips the sign of the difference: half the swaps are as extreme as the
    observed one, whatever rounding the means carry (these scores once gave p = 0.0002)."""
    scores = np.random.default_rng(3).choice([0.0, 0.1667, 0.3333, 0.5, 1.0], size=88)
    changed = scores.copy()
    scores[65], changed[65] = 0.1667, 0.5
    a = {"mrr@10": {str(i): float(s) for i, s in enumerate(scores)}}
    b = {"mrr@10": {str(i): float(s) for i, s in enumerate(changed)}}
    (row,) = [r for r in compare(defaultdict(dict, a), defaultdict(dict, b)) if r.metric == "mrr@10"]
    assert (row.wins, row.losses) == (1, 0) and row.p_value > 0.5
