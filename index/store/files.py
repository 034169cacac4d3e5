"""Persist and load the index directory: documents, chunks, FAISS, BM25, corpus maps and a manifest.

The manifest records what the index was built from (schema, model, chunker, corpus)
and a sha256 of every file, so a stale, truncated or foreign index is refused with a
clear message instead of giving silently wrong answers. A build is written into a
fresh generation folder and published by atomically swapping a symlink, so a crash
at any point leaves the previous index intact. The generation before the live one is
kept until the next publish, so a reader that resolved the link just before a swap can
finish. Reading takes no lock and writes nothing: a current index can be served from a
read-only filesystem.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from pydantic import ValidationError

from index.chunker import Chunk
from index.parse.document import Document
from index.store.bm25 import LexicalIndex
from index.store.checksums import file_sha256
from index.store.derived import CorpusMaps
from index.store.manifest import SCHEMA_VERSION, DocumentRecord, Manifest

MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
CHUNKS = "chunks.jsonl"
DENSE = "dense.faiss"
SENTENCE_VECTORS = "sentence_vectors.npy"
LEXICAL = "bm25"
RANKER = "sentence_ranker.json"
CORPUS_MAPS = "corpus_maps.json"
HEADING_VECTORS = "heading_vectors.npy"


class IndexNotReady(RuntimeError):
    """The index is missing, broken or built for other inputs; the message says what to run."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem} Run `motionqa index build` (add --force to rebuild from scratch).")
        self.problem = problem


@dataclass
class LoadedIndex:
    manifest: Manifest
    documents: dict[str, Document]
    chunks: list[Chunk]
    dense: faiss.Index
    lexical: LexicalIndex
    sentence_vectors: np.ndarray
    path: Path
    maps: CorpusMaps
    # The documents' titles, then every heading (``index.derive.heading_texts``), centered like the rest.
    heading_vectors: np.ndarray

    def chunk_by_id(self) -> dict[str, Chunk]:
        return {c.id: c for c in self.chunks}

    @property
    def centroid(self) -> np.ndarray:
        """Subtracted from every stored vector; queries are centered the same way."""
        return np.asarray(self.manifest.embedding.centroid, dtype=np.float32)

    @property
    def language_means(self) -> dict[str, np.ndarray]:
        """Each question language's mean query vector (``index.encode.language_means``)."""
        means = self.manifest.embedding.language_means
        return {language: np.asarray(mean, dtype=np.float32) for language, mean in means.items()}


def center(vectors: np.ndarray, centroid: np.ndarray) -> np.ndarray:
    """Unit vectors relative to the corpus centroid: generic passages no longer sit close to every query.

    Accepts one vector or a matrix of row vectors.
    """
    shifted = np.asarray(vectors, dtype=np.float32) - centroid
    norms = np.linalg.norm(shifted, axis=-1, keepdims=True)
    return (shifted / np.where(norms == 0, 1.0, norms)).astype(np.float32)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One builder at a time per index (other processes wait), so generations never clobber each other."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with (index_dir.parent / f".{index_dir.name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_dense_index(vectors: np.ndarray, factory: str) -> faiss.Index:
    """Inner product over unit vectors = cosine; IVF-style factories are trained first."""
    index = faiss.index_factory(vectors.shape[1], factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        index.train(vectors)
    index.add(vectors)
    return index


@dataclass(frozen=True)
class IndexContents:
    """What one index generation holds, as written by ``write_index``."""

    documents: list[Document]
    chunks: list[Chunk]
    dense: faiss.Index
    lexical: LexicalIndex
    sentence_vectors: np.ndarray
    ranker: Path
    maps: CorpusMaps
    heading_vectors: np.ndarray


def write_index(index_dir: Path, manifest: Manifest, contents: IndexContents) -> Path:
    """Write a new generation next to ``index_dir`` and publish it atomically; returns its folder.

    Call under ``build_lock``: publishing removes leftovers of interrupted builds. A write that
    fails (a full disk, say) removes its partial generation; the previous index stays live.
    """
    parent = index_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    generation = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}-building-", dir=parent))
    try:
        _write_generation(generation, manifest, contents)
        final = parent / f"{index_dir.name}-{time.strftime('%Y%m%d-%H%M%S')}-{generation.name[-8:]}"
        generation.rename(final)
    except Exception as error:
        shutil.rmtree(generation, ignore_errors=True)
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            raise OSError(errno.ENOSPC, f"disk full at {error.filename or parent}; the index was not changed") from None
        raise
    _publish(index_dir, final)
    return final


def _write_generation(generation: Path, manifest: Manifest, contents: IndexContents) -> None:
    """Every file, synced, and last the manifest with their checksums; readable by any user."""
    generation.chmod(0o755)  # mkdtemp makes it owner-only: a server running as another user must read it
    (generation / DOCUMENTS).write_text(
        json.dumps([d.to_dict() for d in contents.documents], ensure_ascii=False), encoding="utf-8"
    )
    with (generation / CHUNKS).open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in contents.chunks)
    faiss.write_index(contents.dense, str(generation / DENSE))
    np.save(generation / SENTENCE_VECTORS, contents.sentence_vectors, allow_pickle=False)
    np.save(generation / HEADING_VECTORS, contents.heading_vectors, allow_pickle=False)
    contents.maps.save(generation / CORPUS_MAPS)
    (generation / LEXICAL).mkdir()
    contents.lexical.save(generation / LEXICAL)
    shutil.copyfile(contents.ranker, generation / RANKER)
    _sync_tree(generation)
    complete = manifest.model_copy(update={"files": _file_hashes(generation)})
    _write_json_synced(generation / MANIFEST, complete.model_dump(mode="json"))


def _sync_tree(directory: Path) -> None:
    """Flush every file and folder entry to disk, so a power loss after publishing cannot leave holes."""
    for path in [*sorted(directory.rglob("*")), directory]:
        _fsync(path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json_synced(path: Path, data: dict[str, Any]) -> None:
    with path.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.flush()
        os.fsync(out.fileno())


def _publish(index_dir: Path, generation: Path) -> None:
    """Point ``index_dir`` (a symlink) at ``generation`` with one atomic rename, then drop old ones.

    The generation it replaces is kept until the next publish: a reader that resolved the link just
    before the swap is still hashing and reading it.
    """
    if index_dir.exists() and not index_dir.is_symlink():
        index_dir.rename(index_dir.with_name(f"{index_dir.name}-legacy-{int(time.time())}"))
    previous = index_dir.parent / os.readlink(index_dir) if index_dir.is_symlink() else None
    link = index_dir.with_name(f".{index_dir.name}-link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(generation.name)
    os.replace(link, index_dir)
    _fsync(index_dir.parent)
    _remove_old_generations(index_dir, keep={generation, previous})


def _remove_old_generations(index_dir: Path, keep: set[Path | None]) -> None:
    """Drop this index's old generations and build leftovers, and nothing else.

    Names are matched exactly: a sibling index such as ``index-fp32`` (and its generations) is
    another index, not an old generation of ``index``.
    """
    name = re.escape(index_dir.name)
    generations = re.compile(rf"{name}-(?:\d{{8}}-\d{{6}}-\w{{8}}|legacy-\d+)|\.{name}-building-\w+")
    for path in index_dir.parent.iterdir():
        if path.is_symlink():
            if re.fullmatch(rf"\.{name}-link-\d+", path.name):
                path.unlink(missing_ok=True)  # a publish interrupted before its rename
        elif generations.fullmatch(path.name) and path.is_dir() and path not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _file_hashes(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): file_sha256(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def read_manifest(index_dir: Path) -> Manifest:
    path = index_dir / MANIFEST
    if not path.exists():
        raise IndexNotReady(f"No index at {index_dir}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexNotReady(f"The index manifest {path} is unreadable ({error}).") from error
    found = data.get("schema_version") if isinstance(data, dict) else None
    if found != SCHEMA_VERSION:
        raise IndexNotReady(f"The index at {index_dir} has schema {found}, this motionqa needs {SCHEMA_VERSION}.")
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in error.errors())
        raise IndexNotReady(f"The index manifest {path} is incomplete or foreign (fields: {fields}).") from None
    return manifest


def verify_files(index_dir: Path, manifest: Manifest, shown: Path | None = None) -> None:
    """Every file present with the sha256 the manifest records (and no others), and the manifest's
    documents (their ids, titles and source sha256, which ``/api/health`` reports) those of the
    index's own ``documents.json``; else ``IndexNotReady``."""
    where = shown or index_dir
    if _file_hashes(index_dir.resolve()) != manifest.files:
        raise IndexNotReady(f"The index at {where} is damaged (a file is missing or its checksum differs).")
    try:
        stored = [Document.from_dict(d) for d in json.loads((index_dir / DOCUMENTS).read_text("utf-8"))]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexNotReady(f"The index at {where} could not be read ({error}).") from error
    if manifest.documents != [DocumentRecord.of(d) for d in stored]:
        raise IndexNotReady(f"The index at {where} is damaged (its manifest names other documents or checksums).")


def load_index(index_dir: Path) -> LoadedIndex:
    """Load and verify every file against the manifest's checksums.

    The symlink is resolved once, so a build that publishes meanwhile cannot mix two generations.
    """
    shown, index_dir = index_dir, index_dir.resolve()
    manifest = read_manifest(index_dir)
    verify_files(index_dir, manifest, shown)
    try:
        documents = [Document.from_dict(d) for d in json.loads((index_dir / DOCUMENTS).read_text("utf-8"))]
        with (index_dir / CHUNKS).open(encoding="utf-8") as lines:
            chunks = [Chunk.from_dict(json.loads(line)) for line in lines]
        dense = faiss.read_index(str(index_dir / DENSE))
        lexical = LexicalIndex.load(index_dir / LEXICAL, len(chunks))
        sentence_vectors = np.load(index_dir / SENTENCE_VECTORS, allow_pickle=False)
        heading_vectors = np.load(index_dir / HEADING_VECTORS, allow_pickle=False)
        maps = CorpusMaps.load(index_dir / CORPUS_MAPS)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexNotReady(f"The index at {shown} could not be read ({error}).") from error
    if dense.ntotal != len(chunks):
        raise IndexNotReady(f"The index at {shown} has {dense.ntotal} vectors for {len(chunks)} chunks.")
    sentences = sum(len(d.sentences) for d in documents)
    if sentence_vectors.shape[0] != sentences:
        raise IndexNotReady(f"The index at {shown} has {sentence_vectors.shape[0]} sentence vectors for {sentences}.")
    headings = sum(1 + len(d.sections) for d in documents)
    if len(maps.sentences) != sentences or heading_vectors.shape != (headings, sentence_vectors.shape[1]):
        raise IndexNotReady(f"The index at {shown} has corpus maps or heading vectors of another corpus.")
    dimension = sentence_vectors.shape[1]
    embedding = manifest.embedding
    if len(embedding.centroid) != dimension or any(len(m) != dimension for m in embedding.language_means.values()):
        raise IndexNotReady(f"The index at {shown} has no centroid or language means of dimension {dimension}.")
    return LoadedIndex(
        manifest,
        {d.doc_id: d for d in documents},
        chunks,
        dense,
        lexical,
        sentence_vectors,
        index_dir,
        maps,
        heading_vectors,
    )
