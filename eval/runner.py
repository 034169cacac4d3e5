"""Run a gold suite through the real assistant (or a retrieval-only baseline) and score every item.

Follow-ups are replayed as real conversations: each earlier question is asked first
and its answer becomes part of the history, exactly as in the chat. Latency is the
time of the answering call alone, as a user would wait for it.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.answer import Citation
from assistant.conversation import Turn
from assistant.service import Assistant
from assistant.settings import RetrievalMode
from eval.metrics import mean, retrieval_scores, token_f1
from eval.relevance import covers, locate
from eval.suite import GoldItem
from index.parse.document import Document

RETRIEVAL_DEPTH = 10
_MARKERS = re.compile(r"\[\d+\]|\((?:källa|source): [^)]*\)")


@dataclass
class ItemResult:
    id: str
    type: str
    question: str
    answerable: bool
    abstained: bool
    answer: str
    retrieved: list[str]
    relevant: list[str]
    citations: list[dict[str, Any]]
    citation_hit: bool | None
    citation_precision: float | None
    citation_integrity: bool
    f1: float | None
    seconds: float
    retrieval: dict[str, float] = field(default_factory=dict)
    retrieval_only: bool = False
    outcome: str = "answered"
    evidence_coverage: float | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunOptions:
    mode: RetrievalMode | None = None
    use_history: bool = True


@dataclass(frozen=True)
class Passage:
    """A retrievable unit of any configuration, as character offsets into a clean document text."""

    id: str
    doc_id: str
    start: int
    end: int


Spans = dict[str, list[tuple[int, int]]]


def spans_in(documents: Mapping[str, Document], item: GoldItem) -> Spans:
    """Where each evidence string of ``item`` occurs, per document."""
    return {
        doc_id: [span for text in item.evidence for span in locate(document.text, text)]
        for doc_id, document in documents.items()
    }


def evidence_spans(assistant: Assistant, item: GoldItem) -> Spans:
    return spans_in(assistant.index.documents, item)


def relevant_passages(passages: Iterable[Passage], spans: Spans) -> list[str]:
    """The one relevance rule for every configuration: covers half of an evidence string."""
    return [p.id for p in passages if covers(p.start, p.end, spans.get(p.doc_id, []))]


def relevant_chunks(assistant: Assistant, spans: Spans) -> list[str]:
    chunks = assistant.index.chunks
    return relevant_passages((Passage(c.id, c.doc_id, c.start, c.end) for c in chunks), spans)


def citation_relevant(citation: Citation, spans: Spans) -> bool:
    return quote_relevant(citation.doc_id, citation.start, citation.end, spans)


def quote_relevant(doc_id: str, start: int, end: int, spans: Spans) -> bool:
    """A quoted sentence is relevant when it overlaps an evidence string by half of the shorter one."""
    for s, e in spans.get(doc_id, []):
        shorter = min(e - s, end - start)
        if shorter > 0 and min(e, end) - max(s, start) >= 0.5 * shorter:
            return True
    return False


def replay_history(assistant: Assistant, item: GoldItem, options: RunOptions) -> list[Turn]:
    turns: list[Turn] = []
    if not options.use_history:
        return turns
    for question in item.history:
        answer = assistant.ask(question, history=turns).answer
        turns += [Turn("user", question), Turn("assistant", answer.text)]
    return turns


def run_item(assistant: Assistant, item: GoldItem, options: RunOptions) -> ItemResult:
    history = replay_history(assistant, item, options)
    # Ask first, so its time includes encoding the question; the deeper search then hits the cache.
    result = assistant.ask(item.question, history=history)
    hits = assistant.search(item.question, k=RETRIEVAL_DEPTH, mode=options.mode, history=history)
    answer = result.answer
    spans = evidence_spans(assistant, item)
    documents = assistant.index.documents
    quoted = answer.citations + answer.see_also  # abstentions show passages: those must be exact too
    integrity = all(documents[c.doc_id].text[c.start : c.end] == c.text for c in quoted)
    relevant_flags = [citation_relevant(c, spans) for c in answer.citations]
    answered = answer.answerable and item.answerable
    coverage = evidence_coverage(item, answer.citations, documents) if item.answerable else None
    return ItemResult(
        id=item.id,
        type=item.type,
        question=item.question,
        answerable=item.answerable,
        abstained=not answer.answerable,
        answer=answer.text,
        retrieved=[h.chunk.id for h in hits],
        relevant=relevant_chunks(assistant, spans),
        citations=[asdict(c) for c in answer.citations],
        citation_hit=any(relevant_flags) if answered else None,
        citation_precision=mean(relevant_flags) if answered and relevant_flags else None,
        citation_integrity=integrity,
        f1=token_f1(_MARKERS.sub("", answer.text), item.answer) if answered else None,
        seconds=result.seconds,
        outcome=answer.outcome,
        evidence_coverage=coverage,
        tags=item.tags,
    )


def evidence_coverage(item: GoldItem, citations: list[Citation], documents: Mapping[str, Document]) -> float:
    """Share of the item's evidence strings that some citation covers (the citation relevance rule)."""
    covered = 0
    for text in item.evidence:
        spans = {doc_id: locate(document.text, text) for doc_id, document in documents.items()}
        covered += any(citation_relevant(c, spans) for c in citations)
    return covered / len(item.evidence) if item.evidence else 0.0


def run_suite(
    assistant: Assistant,
    items: list[GoldItem],
    options: RunOptions = RunOptions(),
    on_item: Callable[[ItemResult], None] | None = None,
) -> list[ItemResult]:
    results = []
    for item in items:
        results.append(run_item(assistant, item, options))
        if on_item:
            on_item(results[-1])
    return score_retrieval(results)


def score_retrieval(results: list[ItemResult]) -> list[ItemResult]:
    """Attach ir_measures scores; every answerable item counts, even if no passage holds its evidence."""
    scores = retrieval_scores(
        {r.id: set(r.relevant) for r in results if r.answerable},
        {r.id: r.retrieved for r in results},
    )
    for r in results:
        r.retrieval = scores.get(r.id, {})
    return results


def run_retrieval_only(
    search: Callable[[str], list[Passage]],
    passages: list[Passage],
    documents: Mapping[str, Document],
    items: list[GoldItem],
    on_item: Callable[[ItemResult], None] | None = None,
) -> list[ItemResult]:
    """Score a baseline that only ranks passages: no answer, no history (the question alone)."""
    results = []
    for item in items:
        started = time.perf_counter()
        ranked = search(item.question)[:RETRIEVAL_DEPTH]
        seconds = time.perf_counter() - started
        results.append(
            ItemResult(
                id=item.id,
                type=item.type,
                question=item.question,
                answerable=item.answerable,
                abstained=False,
                answer="",
                retrieved=[p.id for p in ranked],
                relevant=relevant_passages(passages, spans_in(documents, item)),
                citations=[],
                citation_hit=None,
                citation_precision=None,
                citation_integrity=True,
                f1=None,
                seconds=seconds,
                retrieval_only=True,
            )
        )
        if on_item:
            on_item(results[-1])
    return score_retrieval(results)


def answered_right(result: ItemResult) -> bool:
    """A plain answer is right when it cites a relevant sentence; to an unanswerable question it is wrong."""
    return result.answerable and bool(result.citation_hit)


def summarize(results: list[ItemResult]) -> dict[str, float]:
    """The headline figures over a set of results (all items, or one question type)."""
    scored = [r for r in results if r.retrieval]
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    latencies = sorted(r.seconds for r in results)
    summary = {name: mean(r.retrieval[name] for r in scored) for name in (scored[0].retrieval if scored else {})}
    answering = [r for r in results if not r.retrieval_only]
    plain = [r for r in answering if r.outcome == "answered"]
    summary.update(
        {
            "items": len(results),
            "unreachable": sum(1 for r in answerable if not r.relevant),
            "citation_hit_rate": mean(float(r.citation_hit) for r in answering if r.citation_hit is not None),
            "citation_precision": mean(r.citation_precision for r in answering if r.citation_precision is not None),
            "citation_integrity": mean(float(r.citation_integrity) for r in answering),
            "answer_f1": mean(r.f1 for r in answering if r.f1 is not None),
            "answered_precision": mean(float(answered_right(r)) for r in plain),
            "answered_share": mean(float(r.outcome == "answered") for r in answering if r.answerable),
            "evidence_coverage": mean(r.evidence_coverage for r in answering if r.evidence_coverage is not None),
            "abstention_accuracy": mean(float(r.abstained) for r in unanswerable if not r.retrieval_only),
            "unanswerable_caught": mean(float(r.outcome != "answered") for r in unanswerable if not r.retrieval_only),
            "false_abstention_rate": mean(float(r.abstained) for r in answerable if not r.retrieval_only),
            "hedged_rate": mean(float(r.outcome == "hedged") for r in answerable if not r.retrieval_only),
            "hedged": sum(1 for r in answering if r.outcome == "hedged"),
            "declined": sum(1 for r in answering if r.outcome == "declined"),
            "latency_p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
            "latency_p95_ms": 1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
            if latencies
            else float("nan"),
        }
    )
    return summary


def summarize_by_type(results: list[ItemResult]) -> dict[str, dict[str, float]]:
    """``all`` first, then one summary per question type, then one per tag (``#en``, ``#typo``, ``#switch``)."""
    types = sorted({r.type for r in results})
    tags = sorted({tag for r in results for tag in r.tags})
    by_type = {t: summarize([r for r in results if r.type == t]) for t in types}
    by_tag = {f"#{tag}": summarize([r for r in results if tag in r.tags]) for tag in tags}
    return {"all": summarize(results)} | by_type | by_tag
