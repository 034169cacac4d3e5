"""The corpus maps and heading vectors the build derives and the assistant looks things up in (tiny corpus)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.api.settings import Settings
from assistant.retrieve.corpus_map import CorpusMap
from index.encode.embedder import Embedder
from index.store.files import CORPUS_MAPS, HEADING_VECTORS, load_index
from index.text.traits import traits

# What CorpusMap computed at every start before the build derived it (same model, chunk size 200).
# Regenerate only for an intended change of the parser, chunker or maps.
TINY_MAPS = Path(__file__).parents[1] / "data" / "tiny-corpus-maps.json"


def snapshot(corpus: CorpusMap) -> dict[str, Any]:
    """Every map of ``corpus`` as plain JSON values, in its own order."""
    return {
        "sentences": [[r.doc_id, r.span.start, r.span.end, list(r.chunks), r.block] for r in corpus.sentences],
        "sentence_section": list(corpus.sentence_section),
        "sentence_terms": [sorted(terms) for terms in corpus.sentence_terms],
        "chunk_sentences": corpus.chunk_sentences,
        "footnote_citing": [[chunk, sentences] for chunk, sentences in corpus.footnote_citing.items()],
        "sentence_footnotes": sorted([s, chunks] for s, chunks in corpus.sentence_footnotes.items()),
        "yrkande_chunks": corpus.yrkande_chunks,
        "argued_section": [[chunk, section] for chunk, section in corpus.argued_section.items()],
        "restating_sentence": [[chunk, sentence] for chunk, sentence in corpus.restating_sentence.items()],
        "boilerplate": sorted(corpus.boilerplate),
        "frame_terms": sorted(corpus.frame_terms),
        "core_frame_terms": sorted(corpus.core_frame_terms),
        "common_terms": sorted(corpus.common_terms),
    }


def test_persisted_corpus_maps_equal_what_was_computed_at_load(tiny_reference: Settings) -> None:
    index = load_index(tiny_reference.index_dir)
    assert {CORPUS_MAPS, HEADING_VECTORS} <= set(index.manifest.files), "checksummed like every index file"
    corpus = CorpusMap(index)
    found = snapshot(corpus)
    assert found == json.loads(TINY_MAPS.read_text(encoding="utf-8"))
    assert found["restating_sentence"] and found["footnote_citing"], "the tiny corpus exercises both links"
    assert corpus.sentence_traits == [traits(text) for text in corpus.sentence_texts]
    assert any(t.years for t in corpus.sentence_traits) and any(t.number for t in corpus.sentence_traits)


def test_loading_runs_no_model_for_the_heading_vectors_the_build_encoded(
    tiny_reference: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.service import Assistant
    from index.store.files import center

    def refuse(*_args: object, **_kwargs: object) -> np.ndarray:
        raise AssertionError("loading an index ran the encoder")

    with monkeypatch.context() as patch:
        patch.setattr(Embedder, "encode_passages", refuse)
        patch.setattr(Embedder, "encode_queries", refuse)
        assistant = Assistant.load(tiny_reference)
    documents = list(assistant.index.documents.values())
    texts = [d.meta.title for d in documents] + [s.title for d in documents for s in d.sections]
    assert len(texts) == 1 + 4, "the title, then the four headings"
    expected = center(assistant.embedder.encode_passages(texts, few=True), assistant.index.centroid)
    np.testing.assert_allclose(assistant.retriever.heading_vectors, expected, atol=1e-5)
    assert assistant.retriever.title_count == len(documents)
