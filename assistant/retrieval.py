"""Hybrid retrieval: dense chunks, dense sentences and Swedish BM25, fused by reciprocal rank.

Sentence vectors let a single precise sentence pull up its chunk even when the rest of
the chunk is about something else; BM25 catches names, numbers and report ids
("SOU 2023:97") that embeddings blur. History arrives as weighted texts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.encoding import CachedQueryEncoder
from assistant.history import WeightedText
from index.chunker import Chunk
from index.document import Span
from index.settings import RetrievalMode, Settings
from index.store import LoadedIndex


@dataclass(frozen=True)
class SentenceRef:
    """A sentence of the corpus: where it is, and which chunks contain it."""

    doc_id: str
    span: Span
    chunks: tuple[int, ...]


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    position: int


@dataclass
class QueryState:
    """What one query computed, reused by the answer composer (no second model call)."""

    vector: np.ndarray
    sentence_scores: np.ndarray
    hits: list[Hit]


class Retriever:
    def __init__(self, index: LoadedIndex, encoder: CachedQueryEncoder, settings: Settings) -> None:
        self.index = index
        self.encoder = encoder
        self.settings = settings
        self.chunks = index.chunks
        self.sentences = _sentence_refs(index)
        self.chunk_sentences: list[list[int]] = [[] for _ in self.chunks]
        for position, sentence in enumerate(self.sentences):
            for chunk in sentence.chunks:
                self.chunk_sentences[chunk].append(position)

    def query_vector(self, parts: list[WeightedText]) -> np.ndarray:
        vectors = self.encoder.encode([p.text for p in parts])
        weights = np.array([p.weight for p in parts], dtype=np.float32)[:, None]
        mixed = (vectors * weights).sum(axis=0)
        return (mixed / (np.linalg.norm(mixed) or 1.0)).astype(np.float32)

    def search(self, parts: list[WeightedText], k: int, mode: RetrievalMode | None = None) -> QueryState:
        mode = mode or self.settings.retrieval_mode
        vector = self.query_vector(parts) if mode != "bm25" else np.zeros(0, dtype=np.float32)
        sentence_scores = (
            self.index.sentence_vectors @ vector if mode != "bm25" else np.zeros(len(self.sentences), np.float32)
        )
        rankings: list[list[tuple[int, float]]] = []
        if mode in ("dense", "hybrid"):
            rankings.append(self._dense_chunks(vector))
            rankings.append(self._sentence_chunks(sentence_scores))
        if mode in ("bm25", "hybrid"):
            rankings.append(self._lexical(parts))
        fused = rankings[0] if len(rankings) == 1 else self._fuse(rankings)
        hits = [Hit(self.chunks[i], score, i) for i, score in fused[:k]]
        return QueryState(vector=vector, sentence_scores=sentence_scores, hits=hits)

    def _dense_chunks(self, vector: np.ndarray) -> list[tuple[int, float]]:
        pool = min(self.settings.candidate_pool, len(self.chunks))
        scores, ids = self.index.dense.search(vector[None, :], pool)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _sentence_chunks(self, sentence_scores: np.ndarray) -> list[tuple[int, float]]:
        """Chunks ranked by their best sentence."""
        best: dict[int, float] = {}
        for position in np.argsort(-sentence_scores)[: self.settings.candidate_pool * 2]:
            for chunk in self.sentences[position].chunks:
                best.setdefault(chunk, float(sentence_scores[position]))
        return sorted(best.items(), key=lambda item: -item[1])[: self.settings.candidate_pool]

    def _lexical(self, parts: list[WeightedText]) -> list[tuple[int, float]]:
        scores = sum(p.weight * self.index.lexical.scores(p.text) for p in parts)
        order = np.argsort(-scores)[: self.settings.candidate_pool]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def _fuse(self, rankings: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
        """Reciprocal rank fusion: robust to the very different score scales of BM25 and cosine."""
        fused: dict[int, float] = {}
        for ranking in rankings:
            for rank, (chunk, _) in enumerate(ranking):
                fused[chunk] = fused.get(chunk, 0.0) + 1.0 / (self.settings.rrf_k + rank + 1)
        return sorted(fused.items(), key=lambda item: -item[1])


def _sentence_refs(index: LoadedIndex) -> list[SentenceRef]:
    """Sentences in index order (documents, then sentence order), each mapped to its chunks."""
    by_doc: dict[str, list[int]] = {}
    for position, chunk in enumerate(index.chunks):
        by_doc.setdefault(chunk.doc_id, []).append(position)
    refs = []
    for doc_id, document in index.documents.items():
        positions = by_doc.get(doc_id, [])
        for span in document.sentences:
            containing = tuple(
                p for p in positions if index.chunks[p].start <= span.start and span.end <= index.chunks[p].end
            )
            refs.append(SentenceRef(doc_id, span, containing))
    return refs
