"""What the assistant looks up, derived once per build from the documents, chunks and sentence vectors.

Computing it here rather than at every start keeps loading an index to reading files; the build
also encodes the title and heading vectors (``heading_texts``). Nothing here runs a model.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from index.chunker import Chunk
from index.parse.document import Document
from index.scoring import SCORING
from index.store.derived import CorpusMaps, SentenceRef
from index.structure import footnote_targets, word_forms
from index.text.analyzer import SwedishAnalyzer
from index.text.traits import traits

_WHITESPACE = re.compile(r"\s+")


def derive_maps(
    documents: list[Document], chunks: list[Chunk], sentence_vectors: np.ndarray, analyzer: SwedishAnalyzer
) -> CorpusMaps:
    """The corpus maps; ``sentence_vectors`` as the index stores them, ``analyzer`` the BM25 one."""
    by_id = {d.doc_id: d for d in documents}
    sentences = _sentence_refs(documents, chunks)
    texts = [by_id[ref.doc_id].slice(ref.span) for ref in sentences]
    argued = _argued_sections(by_id, chunks)
    passage_terms = [analyzer.terms(c.text) for c in chunks]
    # The motion's own title and author name what every question is about anyway.
    metadata = " ".join(f"{d.meta.title} {d.meta.party}" for d in documents)
    forms, lemmas = word_forms(d.text for d in documents)
    return CorpusMaps(
        sentences=sentences,
        sentence_terms=[frozenset(analyzer.terms(text)) for text in texts],
        sentence_traits=[traits(text) for text in texts],
        footnote_citing=_footnote_citing(documents, chunks),
        argued_section=argued,
        restating_sentence=_restating_sentences(by_id, chunks, sentences, argued, sentence_vectors),
        boilerplate=_repeated_sentences(texts),
        frame_terms=_frame_terms(passage_terms, SCORING.frame_document_frequency),
        core_frame_terms=_frame_terms(passage_terms, SCORING.core_frame_document_frequency)
        | set(analyzer.terms(metadata)),
        common_terms=_frame_terms(passage_terms, SCORING.common_name_document_frequency),
        footnote_targets=footnote_targets(documents, chunks),
        word_forms=forms,
        lemmas=lemmas,
    )


def heading_texts(documents: list[Document]) -> list[str]:
    """The documents' titles first (one per document), then every heading: "is a question about the whole
    motion?" compares them."""
    return [d.meta.title for d in documents] + [s.title for d in documents for s in d.sections]


def _sentence_refs(documents: list[Document], chunks: list[Chunk]) -> list[SentenceRef]:
    """Sentences in index order (documents, then sentence order), each mapped to its chunks and block."""
    by_doc: dict[str, list[int]] = {}
    for position, chunk in enumerate(chunks):
        by_doc.setdefault(chunk.doc_id, []).append(position)
    refs = []
    for document in documents:
        positions = by_doc.get(document.doc_id, [])
        blocks = document.blocks
        block = 0
        for span in document.sentences:
            while block < len(blocks) - 1 and span.start >= blocks[block].end:
                block += 1
            containing = tuple(p for p in positions if chunks[p].start <= span.start and span.end <= chunks[p].end)
            refs.append(SentenceRef(document.doc_id, span, containing, block, blocks[block].section))
    return refs


def _footnote_citing(documents: list[Document], chunks: list[Chunk]) -> dict[int, list[int]]:
    """Footnote chunk position -> positions of the sentences that footnote sources (the parser's scope)."""
    first_sentence, count = {}, 0
    for document in documents:
        first_sentence[document.doc_id] = count
        count += len(document.sentences)
    scopes = {(d.doc_id, f.number): f.scope for d in documents for f in d.footnotes}
    return {
        position: [first_sentence[chunk.doc_id] + i for i in scopes[chunk.doc_id, chunk.footnote]]
        for position, chunk in enumerate(chunks)
        if chunk.footnote is not None
    }


def _argued_sections(documents: dict[str, Document], chunks: list[Chunk]) -> dict[int, int]:
    """Yrkande chunk -> the index of the section that argues it (as the parser linked them)."""
    found: dict[int, int] = {}
    for position, chunk in enumerate(chunks):
        if chunk.kind != "yrkande":
            continue
        yrkande = next((y for y in documents[chunk.doc_id].yrkanden if y.number == chunk.yrkande), None)
        if yrkande is not None and yrkande.section is not None:
            found[position] = yrkande.section
    return found


def _restating_sentences(
    documents: dict[str, Document],
    chunks: list[Chunk],
    sentences: list[SentenceRef],
    argued: dict[int, int],
    vectors: np.ndarray,
) -> dict[int, int]:
    """Yrkande chunk -> the body sentence of its arguing section closest to it (its restatement)."""
    found: dict[int, int] = {}
    for position, section in argued.items():
        doc_id = chunks[position].doc_id
        candidates = [
            i
            for i, ref in enumerate(sentences)
            if ref.doc_id == doc_id
            and ref.section == section
            and documents[doc_id].blocks[ref.block].kind == "paragraph"
        ]
        own = [i for i, ref in enumerate(sentences) if position in ref.chunks]
        if candidates and own:
            query = vectors[own].mean(axis=0)
            found[position] = candidates[int(np.argmax(vectors[candidates] @ query))]
    return found


def _repeated_sentences(texts: list[str]) -> frozenset[int]:
    """Sentences said word for word more than once: procedure ("Detta bör riksdagen …"), not content."""
    keys = [_WHITESPACE.sub(" ", text.strip().lower()) for text in texts]
    counts = Counter(keys)
    return frozenset(i for i, key in enumerate(keys) if counts[key] > 1)


def _frame_terms(passages: list[list[str]], share: float) -> frozenset[str]:
    frequency = Counter(term for terms in passages for term in set(terms))
    limit = share * len(passages)
    return frozenset(term for term, count in frequency.items() if count > limit)
