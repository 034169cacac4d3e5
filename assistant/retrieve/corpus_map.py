"""Lookups over a loaded index: sentences ↔ chunks, footnote scopes, proposal ↔ restating sentence.

The maps are derived once by the build (``index.derive``) and read with the index; at load only
their inverses and the sentence texts (slices) are made. Retrieval, features and the reader only
look things up.
"""

from __future__ import annotations

from collections.abc import Iterable

from index.chunker import Chunk
from index.parse.document import Document
from index.scoring import SCORING
from index.store.derived import CorpusMaps
from index.store.files import LoadedIndex
from index.structure import numbered_chunks
from index.text.analyzer import SwedishAnalyzer

# A document and a section of it (None: before the first heading).
Place = tuple[str, int | None]


class CorpusMap:
    """Everything the reader and the ranker's features look up: no one reaches past it into the index."""

    def __init__(self, index: LoadedIndex) -> None:
        self._read(index.documents, index.chunks, index.maps, index.lexical.analyzer)

    @classmethod
    def of_parts(
        cls, documents: dict[str, Document], chunks: list[Chunk], maps: CorpusMaps, analyzer: SwedishAnalyzer
    ) -> CorpusMap:
        """The same lookups from what a build derives, without a stored index (no model, no vectors)."""
        corpus = cls.__new__(cls)
        corpus._read(documents, chunks, maps, analyzer)
        return corpus

    def _read(
        self, documents: dict[str, Document], chunks: list[Chunk], maps: CorpusMaps, analyzer: SwedishAnalyzer
    ) -> None:
        self.chunks = chunks
        self.documents = documents
        self.sentences = maps.sentences
        self.sentence_chunks = [ref.chunks for ref in self.sentences]
        self.chunk_sentences: list[list[int]] = [[] for _ in chunks]
        for position, ref in enumerate(self.sentences):
            for chunk in ref.chunks:
                self.chunk_sentences[chunk].append(position)
        self.sentence_texts = [documents[r.doc_id].slice(r.span) for r in self.sentences]
        self.sentence_terms = maps.sentence_terms
        self.sentence_traits = maps.sentence_traits
        self.footnote_citing = maps.footnote_citing
        self.sentence_footnotes: dict[int, list[int]] = {}
        for footnote_chunk, sentences in self.footnote_citing.items():
            for sentence in sentences:
                self.sentence_footnotes.setdefault(sentence, []).append(footnote_chunk)
        self.yrkande_chunks = [i for i, c in enumerate(chunks) if c.kind == "yrkande"]
        self.sentence_section = [ref.section for ref in self.sentences]
        self.argued_section = maps.argued_section
        self.restating_sentence = maps.restating_sentence
        self.restating = frozenset(self.restating_sentence.values())
        self.boilerplate = maps.boilerplate
        self.frame_terms = maps.frame_terms
        self.core_frame_terms = maps.core_frame_terms
        self.common_terms = maps.common_terms
        self.footnote_targets = maps.footnote_targets
        self.word_forms = maps.word_forms
        self.lemmas = maps.lemmas
        self._numbered: dict[tuple[str, str], dict[int, int]] = {}
        for kind in ("yrkande", "footnote"):
            for doc_id, number, position in numbered_chunks(chunks, kind):
                self._numbered.setdefault((kind, doc_id), {})[number] = position
        self._title_terms = {
            (doc_id, s.index): frozenset(analyzer.terms(s.title))
            for doc_id, document in documents.items()
            for s in document.sections
        }

    def numbered(self, kind: str, doc_id: str) -> dict[int, int]:
        """Yrkande or footnote number -> its chunk, for one document."""
        return self._numbered.get((kind, doc_id), {})

    def section_named(self, terms: frozenset[str], doc_id: str) -> int | None:
        """The section whose heading the question's topic terms name, if any: most of the heading's words,
        or most of the question's ("avsnittet om barnahusen" names «Likvärdiga barnahus i hela landet»)."""
        best, best_score = None, 0.0
        for (doc, index), title in self._title_terms.items():
            shared = sum(any(_same_word(t, q) for q in terms) for t in title)
            score = shared / min(len(title), len(terms)) if title and terms and doc == doc_id else 0.0
            if shared and score > best_score:
                best, best_score = index, score
        return best if best_score >= SCORING.heading_match else None

    def place_of(self, sentence: int) -> Place:
        """A sentence's document and section."""
        ref = self.sentences[sentence]
        return ref.doc_id, ref.section

    def terms_at(self, places: frozenset[Place]) -> frozenset[str]:
        """Every term the sentences of these places use."""
        return frozenset().union(*(terms for s, terms in enumerate(self.sentence_terms) if self.place_of(s) in places))

    def yrkanden_argued_in(self, places: Iterable[Place]) -> list[int]:
        """The yrkanden that these (document, section) places argue, in their numbered order."""
        wanted = set(places)
        argued = (c for c, section in self.argued_section.items() if (self.chunks[c].doc_id, section) in wanted)
        return sorted(argued, key=lambda c: self.chunks[c].yrkande or 0)

    def section_chunks(self, doc_id: str, section: int) -> tuple[int, ...]:
        """The section's own passages (body text, not its yrkanden or footnotes), in reading order."""
        return tuple(
            i
            for i, c in enumerate(self.chunks)
            if c.doc_id == doc_id and c.section_index == section and c.kind == "body"
        )

    def previous_in_paragraph(self, sentence: int) -> int | None:
        """The sentence before this one when both are in the same paragraph."""
        if sentence == 0:
            return None
        before, this = self.sentences[sentence - 1], self.sentences[sentence]
        return sentence - 1 if (before.doc_id, before.block) == (this.doc_id, this.block) else None


def _same_word(a: str, b: str) -> bool:
    """Two stems of one word: equal, or one the other's inflected form ("eftervåld", "eftervåldet")."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= SCORING.heading_stem_min and long.startswith(short) and len(long) - len(short) <= 3
