"""Hybrid retrieval: dense chunks, dense sentences and Swedish BM25, fused by reciprocal rank.

Vectors are centered on the corpus centroid (the index stores them so; the query is
centered here), which demotes the generic passages that sit near every question.
The query vector mixes the question with its *focus* (the question without the
corpus' frame words), so "Vad vill Vänsterpartiet om X?" is about X. Fusion works on
ranks, so no score of one model's cosine scale leaks into the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.cache.query_vectors import CachedQueryEncoder
from assistant.query.history import WeightedText
from assistant.query.language import uncommon_english
from assistant.query.plan import QueryPlan
from assistant.retrieve.corpus_map import CorpusMap
from assistant.settings import RetrievalMode, ServiceSettings
from index.chunker import Chunk
from index.encode.language_means import to_language
from index.store.files import LoadedIndex, center


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    position: int


@dataclass
class QueryState:
    """What one query computed, reused by the reader (no second model call)."""

    plan: QueryPlan
    vector: np.ndarray
    sentence_scores: np.ndarray
    hits: list[Hit]
    closeness: float = 1.0


class Retriever:
    def __init__(
        self, index: LoadedIndex, encoder: CachedQueryEncoder, settings: ServiceSettings, corpus: CorpusMap
    ) -> None:
        self.index = index
        self.encoder = encoder
        self.settings = settings
        self.scoring = settings.scoring
        self.corpus = corpus
        self.chunks = index.chunks
        self.centroid = index.centroid
        self.centroid_direction = self.centroid / (np.linalg.norm(self.centroid) or 1.0)
        # The motion's title(s) first, then every heading, encoded by the build: "is this question about the
        # whole motion?"
        self.heading_vectors = index.heading_vectors
        self.title_count = len(index.documents)
        self.language_means = index.language_means
        self.document_language = next(iter(index.documents.values())).meta.language

    def query_vector(self, parts: tuple[WeightedText, ...], language: str) -> tuple[np.ndarray, float]:
        """All texts encoded (each its own model run, cached), moved from the question's ``language`` to the
        motion's (``index.encode.language_means``) and mixed by weight; returns the vector centered like the
        stored ones, and how close the question is to the corpus as a whole (cosine to the centroid:
        a question about something else entirely is far from it)."""
        vectors = self.encoder.encode([p.text for p in parts])
        vectors = to_language(vectors, self.language_means, language, self.document_language)
        weights = np.array([p.weight for p in parts], dtype=np.float32)[:, None]
        mixed = (vectors * weights).sum(axis=0)
        mixed /= np.linalg.norm(mixed) or 1.0
        return center(mixed, self.centroid), float(mixed @ self.centroid_direction)

    def about_whole_motion(self, text: str) -> bool:
        """Is ``text`` closer to the motion's title than to any of its headings (ranks, not raw cosines)?"""
        scores = self.heading_vectors @ center(self.encoder.encode([text])[0], self.centroid)
        return int(np.argmax(scores)) < self.title_count

    def search(self, plan: QueryPlan, k: int, mode: RetrievalMode | None = None) -> QueryState:
        mode = mode or self.settings.retrieval_mode
        # Sentence scores are needed for the answer whatever ranks the chunks, so always embed.
        vector, closeness = self.query_vector(plan.parts, plan.language)
        sentence_scores = self.index.sentence_vectors @ vector
        source = plan.qtype == "source" or (plan.reference is not None and plan.reference.asked.kind == "footnote")
        rankings: list[tuple[float, list[tuple[int, float]]]] = []
        if mode in ("dense", "hybrid"):
            # Footnotes are bibliography: semantically close to many questions (often English titles),
            # but they answer only questions about sources; BM25 still finds them by name.
            dense = self._dense_chunks(vector)
            sentences = self._sentence_chunks(sentence_scores)
            if not source:
                dense = [(c, s) for c, s in dense if self.chunks[c].kind != "footnote"]
                sentences = [(c, s) for c, s in sentences if self.chunks[c].kind != "footnote"]
            rankings += [(1.0, dense), (self.scoring.sentence_weight, sentences)]
            if source:
                rankings.append((1.0, self._footnotes_by_citing_sentence(sentence_scores)[: self.scoring.intent_depth]))
            if plan.qtype in ("proposal", "overview"):
                yrkanden = self._yrkanden(sentence_scores)[: self.scoring.intent_depth]
                rankings.append((1.0, yrkanden))
                rankings.append((1.0, self._restating(yrkanden)))
        if mode in ("bm25", "hybrid"):
            # English words rarely meet the Swedish text; BM25 then mostly adds noise from names.
            english = mode == "hybrid" and plan.language == "en"
            lexical_weight = self.scoring.english_lexical_weight if english else 1.0
            rankings.append((lexical_weight, self._lexical(plan.parts, english=plan.language == "en")))
        if plan.thread:
            rankings.append((self.scoring.thread_weight, self._around(plan.thread)))
        fused = rankings[0][1] if len(rankings) == 1 else self._fuse(rankings)
        if plan.reference is not None and plan.reference.found:
            # What the question points at by number or heading comes first, whatever else is close.
            pointed = dict.fromkeys(plan.reference.chunks + _optional(plan.reference.target))
            fused = [(c, 1.0) for c in pointed] + [(c, s) for c, s in fused if c not in pointed]
        hits = [Hit(self.chunks[i], score, i) for i, score in fused[:k]]
        return QueryState(plan, vector, sentence_scores, hits, closeness)

    def _around(self, thread: tuple[int, ...]) -> list[tuple[int, float]]:
        """For a follow-up: the passages around what the previous answer quoted, nearest first (the
        same section, within ``thread_window`` characters)."""
        quoted = [self.corpus.sentences[s] for s in thread]
        distance: dict[int, int] = {}
        # A quoted yrkande continues in the section that argues it ("Varför då?" after "yrkande 3").
        quoted_chunks = {c for s in thread for c in self.corpus.sentence_chunks[s]}
        argued = {self.corpus.argued_section[c] for c in quoted_chunks if c in self.corpus.argued_section}
        for position, chunk in enumerate(self.chunks):
            if chunk.kind != "footnote" and chunk.section_index in argued:
                distance[position] = 0
        for position, chunk in enumerate(self.chunks):
            if chunk.kind == "footnote":
                continue
            for ref in quoted:
                if ref.doc_id != chunk.doc_id or chunk.section_index != ref.section:
                    continue
                gap = max(0, chunk.start - ref.span.end, ref.span.start - chunk.end)
                if gap <= self.scoring.thread_window:
                    distance[position] = min(gap, distance.get(position, gap))
        return sorted(((c, -float(d)) for c, d in distance.items()), key=lambda item: -item[1])

    def _dense_chunks(self, vector: np.ndarray) -> list[tuple[int, float]]:
        pool = min(self.scoring.candidate_pool, len(self.chunks))
        scores, ids = self.index.dense.search(vector[None, :], pool)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _sentence_chunks(self, sentence_scores: np.ndarray) -> list[tuple[int, float]]:
        """Chunks ranked by their best sentence."""
        best: dict[int, float] = {}
        for position in np.argsort(-sentence_scores)[: self.scoring.candidate_pool * self.scoring.sentence_pool_factor]:
            for chunk in self.corpus.sentence_chunks[position]:
                best.setdefault(chunk, float(sentence_scores[position]))
        return sorted(best.items(), key=lambda item: -item[1])[: self.scoring.candidate_pool]

    def _footnotes_by_citing_sentence(self, sentence_scores: np.ndarray) -> list[tuple[int, float]]:
        """For "where does this come from?": footnotes ranked by the sentence that cites them."""
        scored = [
            (chunk, max(float(sentence_scores[s]) for s in sentences))
            for chunk, sentences in self.corpus.footnote_citing.items()
        ]
        return sorted(scored, key=lambda item: -item[1])[: self.scoring.candidate_pool]

    def _yrkanden(self, sentence_scores: np.ndarray) -> list[tuple[int, float]]:
        """For "what do they want?": the numbered proposals ranked by their best sentence."""
        chunk_sentences = self.corpus.chunk_sentences
        scored = [(c, max(float(sentence_scores[s]) for s in chunk_sentences[c])) for c in self.corpus.yrkande_chunks]
        return sorted(scored, key=lambda item: -item[1])

    def _restating(self, yrkanden: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """The body passages where the motion argues each of these proposals, in the same order."""
        ranking: dict[int, float] = {}
        for chunk, score in yrkanden:
            sentence = self.corpus.restating_sentence.get(chunk)
            if sentence is not None:
                for body_chunk in self.corpus.sentence_chunks[sentence]:
                    ranking.setdefault(body_chunk, score)
        return list(ranking.items())

    def _lexical(self, parts: tuple[WeightedText, ...], english: bool) -> list[tuple[int, float]]:
        """BM25 over the lexical texts; an English question only with the words a Swedish text can share with
        it (names, borrowed terms): "violence" would match only the motion's English titles."""
        scores = np.zeros(len(self.chunks))
        for part in parts:
            if part.lexical:
                text = uncommon_english(part.text, self.scoring.english_lexical_zipf) if english else part.text
                scores += part.weight * self.index.lexical.scores(text)
        order = np.argsort(-scores)[: self.scoring.candidate_pool]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def _fuse(self, rankings: list[tuple[float, list[tuple[int, float]]]]) -> list[tuple[int, float]]:
        """Weighted reciprocal rank fusion: robust to the very different score scales of BM25 and cosine."""
        fused: dict[int, float] = {}
        for weight, ranking in rankings:
            for rank, (chunk, _) in enumerate(ranking):
                fused[chunk] = fused.get(chunk, 0.0) + weight / (self.scoring.rrf_k + rank + 1)
        return sorted(fused.items(), key=lambda item: -item[1])


def _optional(value: int | None) -> tuple[int, ...]:
    return () if value is None else (value,)
