"""Run a gold suite through the real assistant and score every item.

Follow-ups are replayed as real conversations: each earlier question is asked first
and its answer becomes part of the history, exactly as in the chat.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.answer import Citation
from assistant.conversation import Turn
from assistant.service import Assistant
from eval.metrics import mean, retrieval_scores, token_f1
from eval.relevance import covers, locate
from eval.suite import GoldItem
from index.settings import RetrievalMode

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


@dataclass(frozen=True)
class RunOptions:
    mode: RetrievalMode | None = None
    use_history: bool = True


def evidence_spans(assistant: Assistant, item: GoldItem) -> dict[str, list[tuple[int, int]]]:
    return {
        doc_id: [span for text in item.evidence for span in locate(document.text, text)]
        for doc_id, document in assistant.index.documents.items()
    }


def relevant_chunks(assistant: Assistant, spans: dict[str, list[tuple[int, int]]]) -> list[str]:
    return [c.id for c in assistant.index.chunks if covers(c.start, c.end, spans.get(c.doc_id, []))]


def citation_relevant(citation: Citation, spans: dict[str, list[tuple[int, int]]]) -> bool:
    """A quoted sentence is relevant when it overlaps an evidence string by half of the shorter one."""
    for s, e in spans.get(citation.doc_id, []):
        shorter = min(e - s, citation.end - citation.start)
        if shorter > 0 and min(e, citation.end) - max(s, citation.start) >= 0.5 * shorter:
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
    started = time.perf_counter()
    hits = assistant.search(item.question, k=RETRIEVAL_DEPTH, mode=options.mode, history=history)
    result = assistant.ask(item.question, history=history)
    seconds = time.perf_counter() - started
    answer = result.answer
    spans = evidence_spans(assistant, item)
    documents = assistant.index.documents
    integrity = all(documents[c.doc_id].text[c.start : c.end] == c.text for c in answer.citations)
    relevant_flags = [citation_relevant(c, spans) for c in answer.citations]
    answered = answer.answerable and item.answerable
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
        seconds=seconds,
    )


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
    scores = retrieval_scores(
        {r.id: set(r.relevant) for r in results if r.answerable and r.relevant},
        {r.id: r.retrieved for r in results},
    )
    for r in results:
        r.retrieval = scores.get(r.id, {})
    return results


def summarize(results: list[ItemResult]) -> dict[str, float]:
    """The headline figures over a set of results (all items, or one question type)."""
    scored = [r for r in results if r.retrieval]
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    latencies = sorted(r.seconds for r in results)
    summary = {name: mean(r.retrieval[name] for r in scored) for name in (scored[0].retrieval if scored else {})}
    summary.update(
        {
            "items": len(results),
            "citation_hit_rate": mean(float(r.citation_hit) for r in results if r.citation_hit is not None),
            "citation_precision": mean(r.citation_precision for r in results if r.citation_precision is not None),
            "citation_integrity": mean(float(r.citation_integrity) for r in results),
            "answer_f1": mean(r.f1 for r in results if r.f1 is not None),
            "abstention_accuracy": mean(float(r.abstained) for r in unanswerable),
            "false_abstention_rate": mean(float(r.abstained) for r in answerable),
            "latency_p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
            "latency_p95_ms": 1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
            if latencies
            else float("nan"),
        }
    )
    return summary


def summarize_by_type(results: list[ItemResult]) -> dict[str, dict[str, float]]:
    types = sorted({r.type for r in results})
    return {"all": summarize(results)} | {t: summarize([r for r in results if r.type == t]) for t in types}
