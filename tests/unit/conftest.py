"""An invented motion about another topic (public transport), with its own numbering and headings, read
into the same lookups the assistant serves from, without the model: the vectors are random, so nothing
here may depend on them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.planner import Planner
from assistant.query.analysis import QueryAnalyzer
from assistant.retrieve.corpus_map import CorpusMap
from assistant.settings import ServiceSettings
from index.chunker import Chunk, chunk_document
from index.derive import derive_maps
from index.parse.corpus import load_corpus
from index.parse.document import Document
from index.store.derived import CorpusMaps
from index.text.analyzer import SwedishAnalyzer

INVENTED_MOTION = Path(__file__).parent.parent / "data" / "invented-motion.txt"
INVENTED_META = {
    "doc_id": "invented-transit",
    "title": "Kollektivtrafik i hela landet",
    "party": "Miljöpartiet",
    "party_abbreviation": "MP",
    "riksmote": "2025/26",
}


@pytest.fixture(scope="session")
def invented_settings(tmp_path_factory: pytest.TempPathFactory) -> ServiceSettings:
    data = tmp_path_factory.mktemp("invented") / "data"
    data.mkdir()
    shutil.copy(INVENTED_MOTION, data / "invented.txt")
    (data / "invented.json").write_text(json.dumps(INVENTED_META, ensure_ascii=False), encoding="utf-8")
    return ServiceSettings(data_dir=data, index_dir=data.parent / "var" / "index")


@pytest.fixture(scope="session")
def invented(invented_settings: ServiceSettings) -> Document:
    (document,) = load_corpus(invented_settings.data_dir)
    return document


@pytest.fixture(scope="session")
def invented_chunks(invented: Document, invented_settings: ServiceSettings) -> list[Chunk]:
    return chunk_document(invented, invented_settings.chunk_size, invented_settings.chunk_overlap)


@pytest.fixture(scope="session")
def invented_analyzer(invented_chunks: list[Chunk]) -> SwedishAnalyzer:
    """The BM25 analyzer, fitted on the passages as the build fits it (``LexicalIndex.build``)."""
    return SwedishAnalyzer.fit(c.search_text for c in invented_chunks)


@pytest.fixture(scope="session")
def invented_maps(invented: Document, invented_chunks: list[Chunk], invented_analyzer: SwedishAnalyzer) -> CorpusMaps:
    """The lookups as the build derives them (``index.build``)."""
    vectors = np.random.default_rng(0).standard_normal((len(invented.sentences), 8)).astype(np.float32)
    return derive_maps([invented], invented_chunks, vectors, invented_analyzer)


@pytest.fixture(scope="session")
def invented_corpus(
    invented: Document, invented_chunks: list[Chunk], invented_maps: CorpusMaps, invented_analyzer: SwedishAnalyzer
) -> CorpusMap:
    return CorpusMap.of_parts({invented.doc_id: invented}, invented_chunks, invented_maps, invented_analyzer)


@pytest.fixture(scope="session")
def invented_questions(invented_corpus: CorpusMap, invented_analyzer: SwedishAnalyzer) -> QueryAnalyzer:
    """The query analysis as the service makes it (``assistant.service``), on the invented motion's frame."""
    corpus = invented_corpus
    metadata = [document.meta for document in corpus.documents.values()]
    return QueryAnalyzer(invented_analyzer, corpus.frame_terms, corpus.core_frame_terms, corpus.common_terms, metadata)


@pytest.fixture(scope="session")
def invented_planner(
    invented_questions: QueryAnalyzer, invented_corpus: CorpusMap, invented_settings: ServiceSettings
) -> Planner:
    """The planner as the service makes it; its whole-motion check (the model's vectors there) says no."""
    return Planner(invented_questions, invented_corpus, lambda _topic: False, invented_settings)
