"""Build the index when its inputs changed: corpus, model, chunker or FAISS structure."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.chunker import chunk_document, sentence_search_texts
from index.derive import derive_maps, heading_texts
from index.encode.embedder import Embedder, model_checksum, model_prepared, resolve_model
from index.encode.language_means import language_means
from index.parse.corpus import corpus_fingerprint, load_corpus
from index.scoring import SCORING
from index.settings import IndexSettings
from index.store.bm25 import LexicalIndex
from index.store.checksums import file_sha256
from index.store.files import (
    MANIFEST,
    IndexContents,
    IndexNotReady,
    build_dense_index,
    build_lock,
    center,
    read_manifest,
    verify_files,
    write_index,
)
from index.store.manifest import (
    BuildInputs,
    CalibrationRecord,
    ChunkerRecord,
    DocumentRecord,
    EmbeddingRecord,
    Manifest,
    ModelRecord,
    RankerRecord,
)
from index.text.sentences import ABBREVIATIONS_FILE


@dataclass(frozen=True)
class Staleness:
    """Why an index must be built: ``plain`` for people ("there was none"), ``detail`` for logs and tests."""

    plain: str
    detail: str


@dataclass(frozen=True)
class BuildReport:
    rebuilt: bool
    reason: str
    index_dir: Path
    plain_reason: str = "it is current"
    chunks: int = 0
    sentences: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def texts_per_second(self) -> float:
        """Encoding throughput over chunks and sentences together."""
        return (self.chunks + self.sentences) / self.embed_seconds if self.embed_seconds else 0.0


# Each build input in plain words, for the line that says why an index was built.
CHANGED_INPUT_WORDS = {
    "model": "the model changed",
    "chunker": "the chunk settings changed",
    "faiss_factory": "the vector index type changed",
    "pipeline": "motionqa's text processing changed",
    "corpus_fingerprint": "the motion changed",
    "ranker": "the sentence ranker changed",
    "scoring": "the scoring settings changed",
}
FORCED = Staleness("a rebuild was asked for (--force)", "forced")

# The modules whose code shapes the index: a change to any of them makes the old index stale.
PIPELINE_MODULES = (
    "index.text.analyzer",
    "index.store.bm25",
    "index.chunker",
    "index.derive",
    "index.store.derived",
    "index.parse.corpus",
    "index.parse.document",
    "index.parse.parser",
    "index.text.sentences",
    "index.text.traits",
)


def pipeline_fingerprint() -> str:
    """The code and data that shape the index (the sentence splitter's abbreviation list too)."""
    digest = hashlib.sha256()
    for name in PIPELINE_MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        digest.update(Path(spec.origin).read_bytes())
    digest.update(ABBREVIATIONS_FILE.read_bytes())
    return digest.hexdigest()[:16]


def build_inputs(settings: IndexSettings, model_id: str, checksum: str) -> BuildInputs:
    """Everything the index depends on; any difference from the manifest means rebuild."""
    return BuildInputs(
        model=ModelRecord(id=model_id, checksum=checksum),
        chunker=ChunkerRecord(size=settings.chunk_size, overlap=settings.chunk_overlap),
        faiss_factory=settings.faiss_factory,
        pipeline=pipeline_fingerprint(),
        corpus_fingerprint=corpus_fingerprint(settings.data_dir),
        ranker=ranker_record(settings.ranker_path),
        scoring=SCORING,
    )


def staleness(settings: IndexSettings, inputs: BuildInputs) -> Staleness | None:
    """Why the current index cannot be used for ``inputs`` (None when it can).

    Files are checked against the manifest too: whatever ``load_index`` would refuse, a build repairs.
    """
    try:
        manifest = read_manifest(settings.index_dir)
        verify_files(settings.index_dir, manifest)
    except IndexNotReady as unusable:
        missing = not (settings.index_dir / MANIFEST).exists()
        return Staleness("there was none" if missing else "the old one could not be used", unusable.problem)
    changed = inputs.changed_since(manifest.inputs())
    if not changed:
        return None
    plain = ", ".join(dict.fromkeys(CHANGED_INPUT_WORDS.get(name, f"{name} changed") for name in changed))
    return Staleness(plain, f"changed since the last build: {', '.join(changed)}")


def build_index(
    settings: IndexSettings,
    force: bool = False,
    show_progress: bool = True,
    announce: Callable[[str], None] | None = None,
) -> BuildReport:
    """Rebuild only when needed (or forced); writes atomically, one builder at a time.

    ``announce`` hears each long step in plain words before it starts ("preparing the model (once)",
    "building the index: 214 passages"), so the CLI can say what the minute is spent on.

    A current index is recognised without the build lock, so serving needs no write access
    (a read-only deployment); the check is repeated under the lock, as another builder may
    have published meanwhile.
    """
    tell = announce or (lambda _step: None)
    if not model_prepared(settings):
        tell("preparing the model (once)")
    location, model_id = resolve_model(settings, prepare=True)  # the one place a model is converted or exported
    inputs = build_inputs(settings, model_id, model_checksum(location))
    if not force and staleness(settings, inputs) is None:
        return _current(settings)
    with build_lock(settings.index_dir):
        reason = FORCED if force else staleness(settings, inputs)
        if reason is None:
            return _current(settings)
        return _build(settings, inputs, reason, show_progress, tell)


def _current(settings: IndexSettings) -> BuildReport:
    return BuildReport(rebuilt=False, reason="index is current", index_dir=settings.index_dir)


def _build(
    settings: IndexSettings, inputs: BuildInputs, reason: Staleness, show_progress: bool, tell: Callable[[str], None]
) -> BuildReport:
    started = time.perf_counter()
    documents = load_corpus(settings.data_dir)
    chunks = [c for d in documents for c in chunk_document(d, settings.chunk_size, settings.chunk_overlap)]
    tell(f"building the index: {len(chunks)} passages")
    texts = [c.search_text for c in chunks]
    embedder = Embedder(settings)
    embed_started = time.perf_counter()
    vectors = embedder.encode_passages(texts, show_progress=show_progress)
    sentence_vectors = embedder.encode_passages(
        [text for d in documents for text in sentence_search_texts(d)], show_progress=show_progress
    )
    embed_seconds = time.perf_counter() - embed_started
    centroid = corpus_centroid(vectors, sentence_vectors)
    vectors, sentence_vectors = center(vectors, centroid), center(sentence_vectors, centroid)
    # Compared with single queries, so encoded one per run like them (int8 scales activations per batch).
    heading_vectors = center(embedder.encode_passages(heading_texts(documents), few=True), centroid)
    lexical = LexicalIndex.build(texts)
    manifest = Manifest(
        **dict(inputs),
        embedding=EmbeddingRecord(
            dimension=embedder.dimension,
            query_prompt=embedder.query_prompt,
            passage_prompt=embedder.passage_prompt,
            centroid=_rounded(centroid),
            language_means={lang: _rounded(mean) for lang, mean in language_means(embedder).items()},
        ),
        documents=[DocumentRecord.of(d) for d in documents],
        counts={"chunks": len(chunks), "sentences": len(sentence_vectors), **_kind_counts(chunks)},
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        files={},  # the checksums of what write_index writes, added by it
    )
    contents = IndexContents(
        documents,
        chunks,
        build_dense_index(vectors, settings.faiss_factory),
        lexical,
        sentence_vectors,
        settings.ranker_path,
        derive_maps(documents, chunks, sentence_vectors, lexical.analyzer),
        heading_vectors,
    )
    write_index(settings.index_dir, manifest, contents)
    return BuildReport(
        rebuilt=True,
        reason=reason.detail,
        index_dir=settings.index_dir,
        plain_reason=reason.plain,
        chunks=len(chunks),
        sentences=len(sentence_vectors),
        seconds=time.perf_counter() - started,
        embed_seconds=embed_seconds,
    )


def ranker_record(path: Path) -> RankerRecord:
    """The sentence ranker this index serves: its checksum, and the model its features were calibrated for
    (the service checks the rest of what it was trained under: ``assistant.read.ranker``)."""
    try:
        model = (json.loads(path.read_text(encoding="utf-8")).get("trained_under") or {}).get("model")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError) as error:
        raise IndexNotReady(f"The sentence ranker {path} cannot be read ({error}).") from error
    calibrated_for = CalibrationRecord(model=model["id"], checksum=model["checksum"]) if model else None
    return RankerRecord(sha256=file_sha256(path), calibrated_for=calibrated_for)


def _rounded(vector: np.ndarray) -> list[float]:
    return [round(float(x), 7) for x in vector]


def corpus_centroid(*matrices: np.ndarray) -> np.ndarray:
    """The mean of every passage and sentence vector: the direction all of this corpus shares."""
    return np.concatenate(matrices).mean(axis=0).astype(np.float32)


def _kind_counts(chunks: list) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chunk in chunks:
        counts[chunk.kind] = counts.get(chunk.kind, 0) + 1
    return counts
