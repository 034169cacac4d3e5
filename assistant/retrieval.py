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
from assistant.intent import asks_for_proposal, asks_for_source
from assistant.language import detect_language
from index.chunker import Chunk
from index.document import Span
from index.settings import RetrievalMode, Settings
from index.store import LoadedIndex

INTENT_DEPTH = 3


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
        self.footnote_citing = self._footnote_citing_sentences()
        self.sentence_footnotes: dict[int, list[int]] = {}
        for footnote_chunk, sentences in self.footnote_citing.items():
            for sentence in sentences:
                self.sentence_footnotes.setdefault(sentence, []).append(footnote_chunk)
        # Computed once: answer composition reads them for every candidate sentence of every question.
        self.sentence_texts = [index.documents[r.doc_id].slice(r.span) for r in self.sentences]
        analyzer = index.lexical.analyzer
        self.sentence_terms = [frozenset(analyzer.terms(text)) for text in self.sentence_texts]
        self.yrkande_chunks = [i for i, c in enumerate(self.chunks) if c.kind == "yrkande"]

    def query_vector(self, parts: list[WeightedText]) -> np.ndarray:
        vectors = self.encoder.encode([p.text for p in parts])
        weights = np.array([p.weight for p in parts], dtype=np.float32)[:, None]
        mixed = (vectors * weights).sum(axis=0)
        return (mixed / (np.linalg.norm(mixed) or 1.0)).astype(np.float32)

    def best_sentence_score(self, parts: list[WeightedText]) -> float:
        """How close the best sentence of the corpus is to this query (cosine)."""
        return float((self.index.sentence_vectors @ self.query_vector(parts)).max())

    def search(self, parts: list[WeightedText], k: int, mode: RetrievalMode | None = None) -> QueryState:
        mode = mode or self.settings.retrieval_mode
        # Sentence scores are needed for the answer whatever ranks the chunks, so always embed.
        vector = self.query_vector(parts)
        sentence_scores = self.index.sentence_vectors @ vector
        question = parts[0].text
        source = asks_for_source(question)
        rankings: list[tuple[float, list[tuple[int, float]]]] = []
        if mode in ("dense", "hybrid"):
            # Footnotes are bibliography: semantically close to many questions (often English titles),
            # but they answer only questions about sources; BM25 still finds them by name.
            dense = self._dense_chunks(vector)
            sentences = self._sentence_chunks(sentence_scores)
            if not source:
                dense = [(c, s) for c, s in dense if self.chunks[c].kind != "footnote"]
                sentences = [(c, s) for c, s in sentences if self.chunks[c].kind != "footnote"]
            rankings += [(1.0, dense), (self.settings.sentence_weight, sentences)]
            if source:
                rankings.append((1.0, self._footnotes_by_citing_sentence(sentence_scores)[:INTENT_DEPTH]))
            if asks_for_proposal(question):
                rankings.append((1.0, self._yrkanden(sentence_scores)[:INTENT_DEPTH]))
        if mode in ("bm25", "hybrid"):
            # English words rarely meet the Swedish text; BM25 then mostly adds noise from names.
            lexical_weight = 0.5 if mode == "hybrid" and detect_language(question) == "en" else 1.0
            rankings.append((lexical_weight, self._lexical(parts)))
        fused = rankings[0][1] if len(rankings) == 1 else self._fuse(rankings)
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

    def _footnotes_by_citing_sentence(self, sentence_scores: np.ndarray) -> list[tuple[int, float]]:
        """For "where does this come from?": footnotes ranked by the sentence that cites them."""
        scored = [
            (chunk, max(float(sentence_scores[s]) for s in sentences))
            for chunk, sentences in self.footnote_citing.items()
        ]
        return sorted(scored, key=lambda item: -item[1])[: self.settings.candidate_pool]

    def _yrkanden(self, sentence_scores: np.ndarray) -> list[tuple[int, float]]:
        """For "what do they want?": the numbered proposals ranked by their best sentence."""
        scored = [(c, max(float(sentence_scores[s]) for s in self.chunk_sentences[c])) for c in self.yrkande_chunks]
        return sorted(scored, key=lambda item: -item[1])

    def _footnote_citing_sentences(self) -> dict[int, list[int]]:
        """Footnote chunk position -> positions of the sentences that footnote sources."""
        starts = {(ref.doc_id, ref.span.start): i for i, ref in enumerate(self.sentences)}
        citing: dict[int, list[int]] = {}
        for position, chunk in enumerate(self.chunks):
            if chunk.footnote is None:
                continue
            document = self.index.documents[chunk.doc_id]
            footnote = next(f for f in document.footnotes if f.number == chunk.footnote)
            citing[position] = [starts[(chunk.doc_id, s.start)] for s in document.footnote_scope(footnote)]
        return citing

    def _lexical(self, parts: list[WeightedText]) -> list[tuple[int, float]]:
        scores = sum(p.weight * self.index.lexical.scores(p.text) for p in parts)
        order = np.argsort(-scores)[: self.settings.candidate_pool]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def _fuse(self, rankings: list[tuple[float, list[tuple[int, float]]]]) -> list[tuple[int, float]]:
        """Weighted reciprocal rank fusion: robust to the very different score scales of BM25 and cosine."""
        fused: dict[int, float] = {}
        for weight, ranking in rankings:
            for rank, (chunk, _) in enumerate(ranking):
                fused[chunk] = fused.get(chunk, 0.0) + weight / (self.settings.rrf_k + rank + 1)
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
