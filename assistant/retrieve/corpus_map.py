"""Derived maps over a loaded index: sentences ↔ chunks, footnote scopes, proposal ↔ restating sentence.

Computed once at load; retrieval, features and the reader only look things up.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from assistant.read.evidence import SentenceTraits, traits
from index.parse.document import Span
from index.store.files import LoadedIndex

# A stem in more than this share of passages is part of the corpus' frame ("våld", "regeringen" here):
# left out of the query's focus text (measured robust between 0.10 and 0.20).
FRAME_DOCUMENT_FREQUENCY = 0.15
# Stricter, for deciding whether a question names a topic: a frequent subject ("polisen", 0.20 here)
# is still a topic a question can be about; only what nearly every passage says is not.
CORE_FRAME_DOCUMENT_FREQUENCY = 0.30
# A name in more passages than this ("Sverige") does not restrict what a question asks about.
COMMON_NAME_DOCUMENT_FREQUENCY = 0.05
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SentenceRef:
    """A sentence of the corpus: where it is, which chunks contain it, which paragraph holds it."""

    doc_id: str
    span: Span
    chunks: tuple[int, ...]
    block: int


class CorpusMap:
    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        chunks = index.chunks
        self.sentences = _sentence_refs(index)
        self.sentence_chunks = [ref.chunks for ref in self.sentences]
        self.chunk_sentences: list[list[int]] = [[] for _ in chunks]
        for position, ref in enumerate(self.sentences):
            for chunk in ref.chunks:
                self.chunk_sentences[chunk].append(position)
        self.sentence_texts = [index.documents[r.doc_id].slice(r.span) for r in self.sentences]
        analyzer = index.lexical.analyzer
        self.sentence_terms = [frozenset(analyzer.terms(text)) for text in self.sentence_texts]
        self.sentence_traits: list[SentenceTraits] = [traits(text) for text in self.sentence_texts]
        self.footnote_citing = self._footnote_citing_sentences()
        self.sentence_footnotes: dict[int, list[int]] = {}
        for footnote_chunk, sentences in self.footnote_citing.items():
            for sentence in sentences:
                self.sentence_footnotes.setdefault(sentence, []).append(footnote_chunk)
        self.yrkande_chunks = [i for i, c in enumerate(chunks) if c.kind == "yrkande"]
        self.sentence_section = [
            index.documents[ref.doc_id].blocks[ref.block].section for ref in self.sentences
        ]  # fmt: skip
        self.argued_section = self._argued_sections()
        self.restating_sentence = self._restating_sentences()
        self.restating = frozenset(self.restating_sentence.values())
        self.boilerplate = _repeated_sentences(self.sentence_texts)
        passage_terms = [analyzer.terms(c.text) for c in chunks]
        self.frame_terms = _frame_terms(passage_terms, FRAME_DOCUMENT_FREQUENCY)
        self.common_terms = _frame_terms(passage_terms, COMMON_NAME_DOCUMENT_FREQUENCY)
        # The motion's own title and author name what every question is about anyway.
        metadata = " ".join(f"{d.meta.title} {d.meta.party}" for d in index.documents.values())
        self.core_frame_terms = _frame_terms(passage_terms, CORE_FRAME_DOCUMENT_FREQUENCY) | set(
            analyzer.terms(metadata)
        )

    def previous_in_paragraph(self, sentence: int) -> int | None:
        """The sentence before this one when both are in the same paragraph."""
        if sentence == 0:
            return None
        before, this = self.sentences[sentence - 1], self.sentences[sentence]
        return sentence - 1 if (before.doc_id, before.block) == (this.doc_id, this.block) else None

    def _footnote_citing_sentences(self) -> dict[int, list[int]]:
        """Footnote chunk position -> positions of the sentences that footnote sources."""
        starts = {(ref.doc_id, ref.span.start): i for i, ref in enumerate(self.sentences)}
        citing: dict[int, list[int]] = {}
        for position, chunk in enumerate(self.index.chunks):
            if chunk.footnote is None:
                continue
            document = self.index.documents[chunk.doc_id]
            footnote = next(f for f in document.footnotes if f.number == chunk.footnote)
            citing[position] = [starts[(chunk.doc_id, s.start)] for s in document.footnote_scope(footnote)]
        return citing

    def _argued_sections(self) -> dict[int, int]:
        """Yrkande chunk -> the index of the section that argues it (as the parser linked them)."""
        found: dict[int, int] = {}
        for position in self.yrkande_chunks:
            chunk = self.index.chunks[position]
            document = self.index.documents[chunk.doc_id]
            yrkande = next((y for y in document.yrkanden if y.number == chunk.yrkande), None)
            if yrkande is not None and yrkande.section is not None:
                found[position] = yrkande.section
        return found

    def _restating_sentences(self) -> dict[int, int]:
        """Yrkande chunk -> the body sentence of its arguing section closest to it (its restatement)."""
        vectors = self.index.sentence_vectors
        found: dict[int, int] = {}
        for chunk_position, section in self.argued_section.items():
            chunk = self.index.chunks[chunk_position]
            document = self.index.documents[chunk.doc_id]
            candidates = [
                i
                for i, ref in enumerate(self.sentences)
                if ref.doc_id == chunk.doc_id
                and self.sentence_section[i] == section
                and document.blocks[ref.block].kind == "paragraph"
            ]
            own = self.chunk_sentences[chunk_position]
            if candidates and own:
                query = vectors[own].mean(axis=0)
                found[chunk_position] = candidates[int(np.argmax(vectors[candidates] @ query))]
        return found


def _sentence_refs(index: LoadedIndex) -> list[SentenceRef]:
    """Sentences in index order (documents, then sentence order), each mapped to its chunks and block."""
    by_doc: dict[str, list[int]] = {}
    for position, chunk in enumerate(index.chunks):
        by_doc.setdefault(chunk.doc_id, []).append(position)
    refs = []
    for doc_id, document in index.documents.items():
        positions = by_doc.get(doc_id, [])
        blocks = document.blocks
        block = 0
        for span in document.sentences:
            while block < len(blocks) - 1 and span.start >= blocks[block].end:
                block += 1
            containing = tuple(
                p for p in positions if index.chunks[p].start <= span.start and span.end <= index.chunks[p].end
            )
            refs.append(SentenceRef(doc_id, span, containing, block))
    return refs


def _repeated_sentences(texts: list[str]) -> frozenset[int]:
    """Sentences said word for word more than once: procedure ("Detta bör riksdagen …"), not content."""
    keys = [_WHITESPACE.sub(" ", text.strip().lower()) for text in texts]
    counts = Counter(keys)
    return frozenset(i for i, key in enumerate(keys) if counts[key] > 1)


def _frame_terms(passages: list[list[str]], share: float) -> frozenset[str]:
    frequency = Counter(term for terms in passages for term in set(terms))
    limit = share * len(passages)
    return frozenset(term for term, count in frequency.items() if count > limit)
