"""Lookups over a loaded index: sentences ↔ chunks, footnote scopes, proposal ↔ restating sentence.

The maps are derived once by the build (``index.derive``) and read with the index; at load only
their inverses and the sentence texts (slices) are made. Retrieval, features and the reader only
look things up.
"""

from __future__ import annotations

from index.store.files import LoadedIndex


class CorpusMap:
    """Everything the reader and the ranker's features look up: no one reaches past it into the index."""

    def __init__(self, index: LoadedIndex) -> None:
        self.chunks = index.chunks
        self.documents = index.documents
        maps = index.maps
        self.sentences = maps.sentences
        self.sentence_chunks = [ref.chunks for ref in self.sentences]
        self.chunk_sentences: list[list[int]] = [[] for _ in index.chunks]
        for position, ref in enumerate(self.sentences):
            for chunk in ref.chunks:
                self.chunk_sentences[chunk].append(position)
        self.sentence_texts = [index.documents[r.doc_id].slice(r.span) for r in self.sentences]
        self.sentence_terms = maps.sentence_terms
        self.sentence_traits = maps.sentence_traits
        self.footnote_citing = maps.footnote_citing
        self.sentence_footnotes: dict[int, list[int]] = {}
        for footnote_chunk, sentences in self.footnote_citing.items():
            for sentence in sentences:
                self.sentence_footnotes.setdefault(sentence, []).append(footnote_chunk)
        self.yrkande_chunks = [i for i, c in enumerate(index.chunks) if c.kind == "yrkande"]
        self.sentence_section = [ref.section for ref in self.sentences]
        self.argued_section = maps.argued_section
        self.restating_sentence = maps.restating_sentence
        self.restating = frozenset(self.restating_sentence.values())
        self.boilerplate = maps.boilerplate
        self.frame_terms = maps.frame_terms
        self.core_frame_terms = maps.core_frame_terms
        self.common_terms = maps.common_terms

    def previous_in_paragraph(self, sentence: int) -> int | None:
        """The sentence before this one when both are in the same paragraph."""
        if sentence == 0:
            return None
        before, this = self.sentences[sentence - 1], self.sentences[sentence]
        return sentence - 1 if (before.doc_id, before.block) == (this.doc_id, this.block) else None
