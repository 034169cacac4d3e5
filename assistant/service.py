"""The assistant as one object: load the index once, then search and ask.

The HTTP API, the Gradio UI, the eval runner and the benchmark all call this class,
so there is exactly one implementation of retrieval and answering.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from assistant.answer import Answer
from assistant.cache.answers import ANSWER_CACHE_SIZE, AnswerKey, answer_key
from assistant.cache.lru import LRUCache
from assistant.cache.query_vectors import CachedQueryEncoder
from assistant.conversation import SessionStore, Turn
from assistant.planner import Planner
from assistant.query.analysis import QueryAnalyzer
from assistant.query.language import detect_language
from assistant.query.plan import QueryPlan
from assistant.read.cross_encoder import CrossEncoderReranker
from assistant.read.llm import GenerativeAnswerer
from assistant.read.ranker import RankerMismatch, SentenceRanker, TrainedUnder, load_ranker
from assistant.read.reader import read
from assistant.retrieve.corpus_map import CorpusMap
from assistant.retrieve.retriever import Hit, QueryState, Retriever
from assistant.settings import RetrievalMode, ServiceSettings
from index.encode.embedder import Embedder
from index.scoring import SCORING
from index.store.files import RANKER, IndexNotReady, LoadedIndex, load_index

# Questions analysed at once; more wait their turn (their model passes are bounded per core anyway).
PLANNERS = 8


@dataclass
class AskResult:
    answer: Answer
    session_id: str | None
    hits: list[Hit] = field(default_factory=list)
    seconds: float = 0.0


class Assistant:
    def __init__(
        self,
        settings: ServiceSettings,
        index: LoadedIndex,
        embedder: Embedder,
        *,
        allow_ranker_mismatch: bool = False,
    ) -> None:
        """Refuses an index or a ranker made for other inputs. ``allow_ranker_mismatch`` is for measuring and
        training only (eval, ``train-ranker``): the mismatch is then kept in ``ranker_mismatch`` to report."""
        built_with = index.manifest.model
        if built_with.checksum != embedder.checksum:
            raise IndexNotReady(
                f"The index was built with model {built_with.id} (checksum {built_with.checksum[:12]}), "
                "not the configured one."
            )
        if index.manifest.scoring != SCORING:
            changed = [k for k, v in SCORING if getattr(index.manifest.scoring, k) != v]
            raise IndexNotReady(f"The index was built with other scoring constants ({', '.join(changed)}).")
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.encoder = CachedQueryEncoder(embedder)
        self.corpus = CorpusMap(index)
        detect_language("Vad föreslår motionen?")  # loads the language models now, not in the first answer
        self.analyzer = QueryAnalyzer(
            index.lexical.analyzer,
            self.corpus.frame_terms,
            self.corpus.core_frame_terms,
            self.corpus.common_terms,
            [document.meta for document in self.corpus.documents.values()],
        )
        self.ranker: SentenceRanker = load_ranker(index.path / RANKER)
        running = TrainedUnder(model=built_with, scoring=settings.scoring, retrieval_mode=settings.retrieval_mode)
        self.ranker_mismatch = self.ranker.differences(running)
        if self.ranker_mismatch and not allow_ranker_mismatch:
            raise RankerMismatch(self.ranker_mismatch)
        self.retriever = Retriever(index, self.encoder, settings, self.corpus)
        self.planner = Planner(self.analyzer, self.corpus, self.retriever.about_whole_motion, settings)
        self.cross_encoder = CrossEncoderReranker(settings.reranker_model) if settings.reranker_model else None
        # API and chat conversations live in separate stores, so neither kind can evict the other.
        bounds = (settings.session_max, settings.session_max_turns, settings.session_ttl_seconds)
        self.sessions = SessionStore(*bounds, max_per_owner=settings.session_max_per_client)
        self.chat_sessions = SessionStore(*bounds, max_per_owner=settings.session_max_per_client)
        self.chunks_by_id = index.chunk_by_id()
        self.generator = GenerativeAnswerer(settings) if GenerativeAnswerer.enabled(settings) else None
        self.answers: LRUCache[AnswerKey, tuple[Answer, list[Hit]]] = LRUCache(ANSWER_CACHE_SIZE)
        # Plans of new questions, beside their question's model pass (see ``plan``).
        self._planning = ThreadPoolExecutor(PLANNERS, thread_name_prefix="motionqa-plan")
        self.started = time.monotonic()

    @classmethod
    def load(cls, settings: ServiceSettings, *, allow_ranker_mismatch: bool = False) -> Assistant:
        """Open a built index and its model: no building, no export, no writes (``index.build`` builds)."""
        index = load_index(settings.index_dir)
        return cls(settings, index, Embedder(settings), allow_ranker_mismatch=allow_ranker_mismatch)

    def search(
        self, query: str, k: int | None = None, mode: RetrievalMode | None = None, history: list[Turn] | None = None
    ) -> list[Hit]:
        return self.retriever.search(self.plan(query, history or []), k or self.settings.top_k, mode).hits

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        session_id: str | None = None,
        k: int | None = None,
        sessions: SessionStore | None = None,
    ) -> AskResult:
        """Answer; with ``session_id`` the server-side history is used and extended.

        ``sessions`` is the store the id belongs to: the API's by default, the chat passes its own.
        """
        started = time.perf_counter()
        store = self.sessions if sessions is None else sessions  # an empty store is falsy
        if session_id is not None:
            history = store.history(session_id) + list(history or [])
        plan = self.plan(question, history or [])
        # --- answer cache (assistant/cache/answers.py): same question + effective history + k -> same answer
        already_said = earlier_answers(history or [])
        key = answer_key(question, list(plan.parts), k or self.settings.top_k, f"{bool(history)}|{already_said}")
        cached = self.answers.get(key)
        if cached is None:
            state = self.retriever.search(plan, k or self.settings.top_k)
            answer, settled = self._compose(state, already_said)
            cached = (answer, state.hits)
            if settled:  # an LLM fallback is not cached: the endpoint may answer next time
                self.answers.put(key, cached)
        answer, hits = cached
        # --- end answer cache
        if session_id is not None:
            store.append(session_id, Turn("user", question), Turn("assistant", answer.text))
        return AskResult(answer, session_id, list(hits), time.perf_counter() - started)

    def plan(self, question: str, history: list[Turn]) -> QueryPlan:
        """The question's plan (``Planner``): its type, reference, history use and weighted texts.

        A new question's own model pass runs here while a planner thread plans the question and
        runs its focus's pass (each text still alone in its pass): the two passes overlap on the two
        cores and the planning hides behind them. A question already encoded is planned here.
        """
        if question in self.encoder:
            return self._plan(question, history)
        planned = self._planning.submit(self._plan, question, history)
        self.encoder.encode([question])
        return planned.result()

    def _plan(self, question: str, history: list[Turn]) -> QueryPlan:
        plan = self.planner.plan(question, history)
        if len(plan.parts) > 1:
            self.encoder.encode([p.text for p in plan.parts[1:]])  # the focus and history turns, cached for retrieval
        return plan

    def _compose(self, state: QueryState, already_said: str) -> tuple[Answer, bool]:
        """Extractive by default; a configured LLM may rephrase, but only with checked citations.

        Returns the answer and whether it is settled (False when the LLM failed and we fell back).
        """
        answer = read(
            state, self.corpus, self.ranker, self.settings.answer_max_sentences, already_said, self.cross_encoder
        )
        if self.generator is None or answer.outcome != "answered":
            return answer, True
        generated = self.generator.answer(state.plan.text, [h.chunk for h in state.hits], state.plan.language)
        return (generated, True) if generated else (answer, False)

    def uptime(self) -> float:
        return time.monotonic() - self.started

    def cache_stats(self) -> dict[str, dict[str, int]]:
        return {"query_embeddings": self.encoder.stats(), "answers": self.answers.stats()}


def earlier_answers(history: list[Turn]) -> str:
    return " ".join(turn.content for turn in history if turn.role == "assistant")
