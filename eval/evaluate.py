"""Run one configuration end to end: open (or build) its index, run the suite, collect failures.

The CLI, the report and the quality gate all go through here, so a number in the HTML
is the number the gate checks.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from eval.configs import EvalConfig
from eval.runner import ItemResult, Passage, run_retrieval_only, run_suite, summarize_by_type
from eval.suite import GoldItem

FAILURE_DEPTH = 5
PREVIEW_CHARS = 160
WARM_UP_QUESTION = "Vad handlar motionen om?"

Status = Callable[[str], None]


@dataclass
class ConfigRun:
    config: EvalConfig
    results: list[ItemResult]
    summary: dict[str, dict[str, float]]
    failures: list[dict[str, Any]]
    index: dict[str, Any] = field(default_factory=dict)


def evaluate(
    config: EvalConfig,
    items: list[GoldItem],
    on_item: Callable[[ItemResult], None] | None = None,
    on_status: Status | None = None,
) -> ConfigRun:
    """Score ``items`` under ``config``; the index is built first if this configuration needs its own."""
    status = on_status or (lambda _message: None)
    run = _run_assistant if config.kind == "assistant" else _run_baseline
    results, passages, texts, index = run(config, items, on_item, status)
    gc.collect()  # drop the model and index before the next configuration loads its own
    failures = find_failures(results, items, passages, texts)
    return ConfigRun(config, results, summarize_by_type(results), failures, index)


def _run_assistant(
    config: EvalConfig, items: list[GoldItem], on_item: Callable[[ItemResult], None] | None, status: Status
) -> tuple[list[ItemResult], dict[str, Passage], dict[str, str], dict[str, Any]]:
    from assistant.service import Assistant
    from index.build import build_index

    settings = config.settings()
    report = build_index(settings, show_progress=False, announce=lambda step: status(f"{config.name}: {step}"))
    if report.rebuilt:
        status(f"{config.name}: built a new index: {report.plain_reason} ({report.seconds:.0f} s)")
    # A configuration that changes what the ranker was trained under (dense, torch-fp32, an rrf_k) is measured
    # with the shipped ranker as is, as every comparison has been: retraining per configuration would measure
    # another ranker too. The run says so, and results.json records what differed.
    assistant = Assistant.load(settings, allow_ranker_mismatch=True)
    if assistant.ranker_mismatch:
        differing = "; ".join(assistant.ranker_mismatch)
        status(f"{config.name}: measured with a sentence ranker trained under other settings ({differing})")
    assistant.ask(WARM_UP_QUESTION)  # the first call pays for lazy model set-up; keep it out of latency
    results = run_suite(assistant, items, config.options, on_item)
    chunks = assistant.index.chunks
    passages = {c.id: Passage(c.id, c.doc_id, c.start, c.end) for c in chunks}
    index = {
        "passages": len(chunks),
        "rebuilt": report.rebuilt,
        "build_seconds": round(report.seconds, 1),
        "ranker_mismatch": assistant.ranker_mismatch,
    }
    return results, passages, {c.id: c.text for c in chunks}, index


def _run_baseline(
    config: EvalConfig, items: list[GoldItem], on_item: Callable[[ItemResult], None] | None, status: Status
) -> tuple[list[ItemResult], dict[str, Passage], dict[str, str], dict[str, Any]]:
    from eval.baselines import LangChainDense, ParagraphBM25
    from index.encode.embedder import base_model
    from index.parse.corpus import load_corpus

    settings = config.settings()
    documents = {d.doc_id: d for d in load_corpus(settings.data_dir)}
    status(f"{config.name}: indexing the clean text")
    if config.kind == "langchain":
        baseline: ParagraphBM25 | LangChainDense = LangChainDense(documents, base_model(settings)[0])
    else:
        baseline = ParagraphBM25(documents)
    baseline.search(WARM_UP_QUESTION)
    results = run_retrieval_only(baseline.search, baseline.passages, documents, items, on_item)
    passages = {p.id: p for p in baseline.passages}
    return results, passages, baseline.texts, {"passages": len(passages), "rebuilt": True}


def failure_reasons(result: ItemResult) -> list[str]:
    """Why an item counts as failed: retrieval missed, or the answer/abstention decision was wrong."""
    reasons = []
    if result.answerable and not result.relevant:
        reasons.append("evidence lies in no single passage of this configuration")
    elif result.answerable and not set(result.retrieved[:FAILURE_DEPTH]) & set(result.relevant):
        reasons.append(f"no relevant passage in top {FAILURE_DEPTH}")
    if not result.retrieval_only and result.answerable and result.abstained:
        reasons.append("false abstention")
    if not result.retrieval_only and not result.answerable and not result.abstained:
        reasons.append("answered an unanswerable question")
    return reasons


def find_failures(
    results: list[ItemResult], items: list[GoldItem], passages: Mapping[str, Passage], texts: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Failed items with what was retrieved, for reading in the report."""
    by_id = {item.id: item for item in items}
    failures = []
    for result in results:
        reasons = failure_reasons(result)
        if not reasons:
            continue
        item = by_id[result.id]
        relevant = set(result.relevant)
        retrieved = [
            {
                "rank": rank,
                "id": pid,
                "start": passages[pid].start,
                "end": passages[pid].end,
                "relevant": pid in relevant,
                "text": texts[pid][:PREVIEW_CHARS],
            }
            for rank, pid in enumerate(result.retrieved[:FAILURE_DEPTH], start=1)
        ]
        failures.append(
            {
                "id": result.id,
                "type": result.type,
                "question": result.question,
                "history": list(item.history),
                "reasons": reasons,
                "expected": item.answer,
                "evidence": [text[:PREVIEW_CHARS] for text in item.evidence],
                "answer": result.answer,
                "retrieved": retrieved,
            }
        )
    return failures
