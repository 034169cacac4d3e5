"""The assistant as one object: load the index once, then search, ask and stream.

The HTTP API, the Gradio UI, the eval runner and the benchmark all call this class,
so there is exactly one implementation of retrieval and answering.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.answer import Answer, compose_answer
from assistant.answer_cache import ANSWER_CACHE_SIZE, AnswerKey, answer_key
from assistant.conversation import SessionStore, Turn
from assistant.encoding import CachedQueryEncoder
from assistant.history import WeightedText, weighted_query
from assistant.language import detect_language
from assistant.llm import GenerativeAnswerer
from assistant.lru import LRUCache
from assistant.retrieval import Hit, QueryState, Retriever
from index.build import build_index
from index.embedder import Embedder
from index.settings import RetrievalMode, Settings
from index.store import IndexNotReady, LoadedIndex, load_index


@dataclass
class AskResult:
    answer: Answer
    session_id: str | None
    hits: list[Hit] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class StreamEvent:
    """One Server-Sent Event: ``delta`` pieces of answer text, then ``citations``, then ``done``."""

    event: str
    data: dict[str, Any]


class Assistant:
    def __init__(self, settings: Settings, index: LoadedIndex, embedder: Embedder) -> None:
        if index.manifest["model"]["checksum"] != embedder.checksum:
            raise IndexNotReady(
                f"The index was built with model {index.manifest['model']['id']} (checksum "
                f"{index.manifest['model']['checksum'][:12]}), not the configured one."
            )
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.encoder = CachedQueryEncoder(embedder)
        self.retriever = Retriever(index, self.encoder, settings)
        self.sessions = SessionStore(settings.session_max, settings.session_max_turns, settings.session_ttl_seconds)
        self.chunks_by_id = index.chunk_by_id()
        self.generator = GenerativeAnswerer(settings) if GenerativeAnswerer.enabled(settings) else None
        self.answers: LRUCache[AnswerKey, tuple[Answer, list[Hit]]] = LRUCache(ANSWER_CACHE_SIZE)
        self.started = time.monotonic()

    @classmethod
    def load(cls, settings: Settings, build_if_needed: bool = True) -> Assistant:
        """Open the index (building it first when missing or stale), then the model."""
        if build_if_needed:
            build_index(settings, show_progress=False)
        return cls(settings, load_index(settings.index_dir), Embedder(settings))

    def search(
        self, query: str, k: int | None = None, mode: RetrievalMode | None = None, history: list[Turn] | None = None
    ) -> list[Hit]:
        return self.retriever.search(self._plan(query, history or []), k or self.settings.top_k, mode).hits

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        session_id: str | None = None,
        k: int | None = None,
    ) -> AskResult:
        """Answer; with ``session_id`` the server-side history is used and extended."""
        started = time.perf_counter()
        if session_id is not None:
            history = self.sessions.history(session_id) + list(history or [])
        parts = self._plan(question, history or [])
        # --- answer cache (assistant/answer_cache.py): same question + effective history + k -> same answer
        key = answer_key(question, parts, k or self.settings.top_k)
        cached = self.answers.get(key)
        if cached is None:
            state = self.retriever.search(parts, k or self.settings.top_k)
            answer, settled = self._compose(question, state, " ".join(p.text for p in parts[1:]))
            cached = (answer, state.hits)
            if settled:  # an LLM fallback is not cached: the endpoint may answer next time
                self.answers.put(key, cached)
        answer, hits = cached
        # --- end answer cache
        if session_id is not None:
            self.sessions.append(session_id, Turn("user", question), Turn("assistant", answer.text))
        return AskResult(answer, session_id, list(hits), time.perf_counter() - started)

    def _plan(self, question: str, history: list[Turn]) -> list[WeightedText]:
        """The weighted texts to retrieve with: how much history a question needs depends on
        whether it finds a close sentence on its own (``standalone_threshold``)."""
        if not history:
            return [WeightedText(question, 1.0)]
        alone = self.retriever.best_sentence_score([WeightedText(question, 1.0)])
        return weighted_query(
            question,
            history,
            self.settings.history_turns,
            self.settings.history_decay,
            matches_alone=alone >= self.settings.standalone_threshold,
        )

    def _compose(self, question: str, state: QueryState, already_said: str) -> tuple[Answer, bool]:
        """Extractive by default; a configured LLM may rephrase, but only with checked citations.

        Returns the answer and whether it is settled (False when the LLM failed and we fell back).
        """
        language = detect_language(question)
        answer = compose_answer(question, state, self.retriever, self.settings, language, already_said)
        if self.generator is None or not answer.answerable:
            return answer, True
        generated = self.generator.answer(question, [h.chunk for h in state.hits], language)
        return (generated, True) if generated else (answer, False)

    def uptime(self) -> float:
        return time.monotonic() - self.started

    def cache_stats(self) -> dict[str, dict[str, int]]:
        return {"query_embeddings": self.encoder.stats(), "answers": self.answers.stats()}

    def stream(self, result: AskResult) -> Iterator[StreamEvent]:
        """An answer as events: word-sized text pieces, the citations, then a closing event."""
        words = result.answer.text.split(" ")
        for i, word in enumerate(words):
            yield StreamEvent("delta", {"text": word if i == 0 else f" {word}"})
        yield StreamEvent(
            "citations",
            {
                "citations": [c.__dict__ for c in result.answer.citations],
                "see_also": [c.__dict__ for c in result.answer.see_also],
            },
        )
        yield StreamEvent("done", {"answerable": result.answer.answerable, "session_id": result.session_id})
