"""Build ONNX copies of a sentence-transformers model once, offline, for the fast query path.

Why not ``SentenceTransformer(path, backend="onnx")``: that route needs ``optimum-onnx``, whose
releases pin ``transformers<4.58`` and cannot coexist with the transformers 5 that the rest of
motionqa uses. So we trace the model ourselves (``torch.onnx.export``, pooling and L2
normalization inside the graph) and quantize with ``onnxruntime.quantization``. The result is a
self-contained folder (graph + ``tokenizer.json`` + marker): serving needs only onnxruntime and
tokenizers, not torch.

Layout: ``<cache>/fp32/model.onnx`` and ``<cache>/int8/model_qint8.onnx``, each with a marker that
records the checksum of the source model; a different source checksum means rebuild. Builds are
serialized by a file lock and swapped into place atomically.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from index.store.checksums import file_sha256, files_intact, folder_sha256s

Precision = Literal["fp32", "int8"]

EXPORT_VERSION = "1"
MARKER_NAME = "motionqa_onnx.json"
GRAPH_NAMES: dict[Precision, str] = {"fp32": "model.onnx", "int8": "model_qint8.onnx"}
OPSET = 17
logger = logging.getLogger("motionqa.model")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class ModelError(RuntimeError):
    """The model files cannot be loaded or rebuilt; the message says what to do."""


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The marker of an ONNX folder, or None when absent or unreadable."""
    try:
        return json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(folder: Path, precision: Precision, source_checksum: str) -> bool:
    """True when ``folder`` holds a complete, intact build of this precision from this exact source model."""
    marker = read_marker(folder)
    return (
        marker is not None
        and marker.get("source_checksum") == source_checksum
        and marker.get("export_version") == EXPORT_VERSION
        and (folder / GRAPH_NAMES[precision]).is_file()
        and (folder / "tokenizer.json").is_file()
        and graph_intact(folder, precision, marker)
    )


def graph_intact(folder: Path, precision: Precision, marker: dict[str, Any]) -> bool:
    """The folder's bytes are those recorded when it was built: a scrambled or truncated graph, or a
    changed ``tokenizer.json``, is not used. Folders built before ``files`` was recorded (motionqa
    before issue 18) are checked by their graph alone until rebuilt."""
    recorded = marker.get("files") or {GRAPH_NAMES[precision]: marker.get("graph_sha256")}
    return isinstance(recorded, dict) and files_intact(folder, recorded)


def ensure_onnx(source: str, source_checksum: str, cache: Path, precision: Precision) -> Path:
    """The folder of an up-to-date ONNX build of ``source``; exports/quantizes it when needed."""
    folder = cache / precision
    if is_current(folder, precision, source_checksum):
        return folder
    _warn_if_damaged(folder, precision)
    try:
        _rebuild(source, source_checksum, cache, precision)
    except OSError as error:  # a read-only models/ cannot heal itself: say where it must be rebuilt
        raise ModelError(
            f"The ONNX model in {folder} must be rebuilt but {cache} is not writable ({error.strerror}); "
            "run `motionqa index build` where it is."
        ) from None
    return folder


def _rebuild(source: str, source_checksum: str, cache: Path, precision: Precision) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    with _locked(cache / ".build.lock"):  # another process may have built it while we waited
        if is_current(cache / precision, precision, source_checksum):
            return
        fp32 = cache / "fp32"
        if not is_current(fp32, "fp32", source_checksum):
            _build(fp32, lambda tmp: _export_fp32(source, tmp), source_checksum, "fp32")
        if precision == "int8":
            _build(cache / precision, lambda tmp: _quantize(fp32, tmp), source_checksum, "int8")


def _warn_if_damaged(folder: Path, precision: Precision) -> None:
    """Say why a model that was built once is built again: its graph no longer matches its checksum."""
    marker = read_marker(folder)
    if marker and (folder / GRAPH_NAMES[precision]).is_file() and not graph_intact(folder, precision, marker):
        logger.warning(
            "motionqa: %s does not match the checksum recorded when it was built; rebuilding it from the bundled model",
            folder / GRAPH_NAMES[precision],
        )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(folder: Path, write: Any, source_checksum: str, precision: Precision) -> None:
    """Run ``write(tmp)`` in a temp folder beside ``folder``, add the marker, then swap it into place."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        info: dict[str, Any] = write(tmp)
        graph = tmp / GRAPH_NAMES[precision]
        marker = {
            **info,
            "precision": precision,
            "graph": graph.name,
            "graph_sha256": file_sha256(graph),
            "files": folder_sha256s(tmp),  # the graph and tokenizer.json (the marker is written after)
            "source_checksum": source_checksum,
            "export_version": EXPORT_VERSION,
            "versions": {d: _version(d) for d in ("torch", "transformers", "onnx", "onnxruntime")},
        }
        (tmp / MARKER_NAME).write_text(json.dumps(marker, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for path in [tmp, *tmp.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
            os.replace(folder, old / folder.name)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _export_fp32(source: str, out: Path) -> dict[str, Any]:
    """Trace tokens -> normalized sentence embedding; returns what the runtime needs besides the graph."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(source, device="cpu")
    model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            features = self.inner({"input_ids": input_ids, "attention_mask": attention_mask})
            return torch.nn.functional.normalize(features["sentence_embedding"], p=2, dim=-1)

    tokenizer = model.tokenizer.backend_tokenizer
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tokenizer.save(str(out / "tokenizer.json"))
    # Padding in the sample keeps the traced graph on the masked-attention path for every input.
    sample = model.tokenizer(["query: a", "passage: en lite längre mening"], padding=True, return_tensors="pt")
    with torch.no_grad():
        torch.onnx.export(
            Pooled().eval(),
            (sample["input_ids"], sample["attention_mask"]),
            str(out / GRAPH_NAMES["fp32"]),
            dynamo=False,  # the TorchScript exporter needs no onnxscript and handles BERT fine
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
        )
    first = model[0]
    return {
        "dimension": _known(model.get_embedding_dimension(), "embedding dimension"),
        "max_seq_length": _known(model.max_seq_length, "max_seq_length"),
        "pad_id": int(model.tokenizer.pad_token_id or 0),
        "pad_token": str(model.tokenizer.pad_token or "<pad>"),
        "do_lower_case": bool(getattr(first, "do_lower_case", False)),
        "prompts": dict(model.prompts or {}),
    }


def _quantize(fp32: Path, out: Path) -> dict[str, Any]:
    """Dynamic int8: weights per channel; ``reduce_range`` keeps it exact on AVX2 CPUs without VNNI."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32 / GRAPH_NAMES["fp32"]),
        str(out / GRAPH_NAMES["int8"]),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=True,
    )
    shutil.copy2(fp32 / "tokenizer.json", out / "tokenizer.json")
    marker = read_marker(fp32) or {}
    keep = ("dimension", "max_seq_length", "pad_id", "pad_token", "do_lower_case", "prompts")
    return {key: marker[key] for key in keep if key in marker}


def _known(value: int | None, what: str) -> int:
    """A model property the export needs; a model without it cannot be exported."""
    if value is None:
        raise ValueError(f"the model does not declare its {what}")
    return int(value)
