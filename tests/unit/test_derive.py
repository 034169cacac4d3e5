"""The corpus maps the build derives, on the real motion (no model: the vectors are random here)."""

from __future__ import annotations

import numpy as np
import pytest

from index.chunker import Chunk, chunk_document
from index.derive import derive_maps, heading_texts
from index.parse.document import Document
from index.store.derived import CorpusMaps
from index.text.analyzer import SwedishAnalyzer


@pytest.fixture(scope="module")
def analyzer(document: Document) -> SwedishAnalyzer:
    return SwedishAnalyzer.fit(c.search_text for c in chunk_document(document, 800))


@pytest.fixture(scope="module")
def derived(document: Document, analyzer: SwedishAnalyzer) -> tuple[list[Chunk], CorpusMaps]:
    chunks = chunk_document(document, 800)
    vectors = np.random.default_rng(0).standard_normal((len(document.sentences), 8)).astype(np.float32)
    return chunks, derive_maps([document], chunks, vectors, analyzer)


def test_every_sentence_is_in_the_chunks_that_span_it(document: Document, derived) -> None:
    chunks, maps = derived
    assert [ref.span for ref in maps.sentences] == document.sentences
    for ref in maps.sentences:
        spanning = [i for i, c in enumerate(chunks) if c.start <= ref.span.start and ref.span.end <= c.end]
        assert ref.chunks == tuple(spanning) and ref.chunks, document.slice(ref.span)
        assert document.blocks[ref.block].start <= ref.span.start < document.blocks[ref.block].end
        assert ref.section == document.blocks[ref.block].section


def test_footnotes_cite_the_sentences_before_their_marker(document: Document, derived) -> None:
    chunks, maps = derived
    assert sorted(chunks[c].footnote or 0 for c in maps.footnote_citing) == list(range(1, 44))
    six = next(c for c in maps.footnote_citing if chunks[c].footnote == 6)
    assert any("55 dagar" in document.slice(maps.sentences[s].span) for s in maps.footnote_citing[six])


def test_procedure_said_twice_is_boilerplate_and_frame_words_are_frequent(
    document: Document, analyzer: SwedishAnalyzer, derived
) -> None:
    _, maps = derived
    repeated = [document.slice(maps.sentences[s].span) for s in maps.boilerplate]
    assert repeated and all(sum(t == r for t in repeated) > 1 for r in repeated)
    title = analyzer.terms(f"{document.meta.title} {document.meta.party}")
    assert "våld" in maps.frame_terms and set(title) <= maps.core_frame_terms
    assert maps.core_frame_terms - set(title) <= maps.frame_terms <= maps.common_terms, "stricter shares, fewer stems"


def test_every_argued_yrkande_has_a_restating_sentence_in_its_section(derived) -> None:
    chunks, maps = derived
    assert sorted(chunks[c].yrkande or 0 for c in maps.argued_section) == list(range(1, 22))
    for chunk, sentence in maps.restating_sentence.items():
        assert maps.sentences[sentence].section == maps.argued_section[chunk]


def test_heading_texts_are_titles_first(document: Document) -> None:
    texts = heading_texts([document])
    assert texts[0] == document.meta.title and texts[1:] == [s.title for s in document.sections]
