"""Find and parse the documents in the data folder (one ``.txt`` export plus ``.json`` metadata each).

Every problem with a data file is a ``CorpusError`` naming the file, so the CLI prints one line
instead of a ``UnicodeDecodeError`` or ``JSONDecodeError`` traceback.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path
from typing import Any

from index.parse.document import Document, Metadata
from index.parse.parser import parse_motion

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class CorpusError(ValueError):
    """The data folder has no usable documents."""


def source_files(data_dir: Path) -> list[Path]:
    files = sorted(data_dir.glob("*.txt"))
    if not files:
        raise CorpusError(f"no .txt documents in {data_dir}")
    return files


def corpus_fingerprint(data_dir: Path) -> str:
    """Hash of every source and metadata file: the index is stale when this changes."""
    digest = hashlib.sha256()
    for path in source_files(data_dir):
        for part in (path, path.with_suffix(".json")):
            digest.update(part.name.encode())
            if part.exists():
                digest.update(part.read_bytes())
    return digest.hexdigest()


def load_corpus(data_dir: Path) -> list[Document]:
    """Every document, refusing two files with one doc_id: ids key chunks, citations and URLs."""
    metas: dict[str, tuple[Metadata, Path]] = {}
    for path in source_files(data_dir):
        meta = load_metadata(path)
        if meta.doc_id in metas:
            raise CorpusError(f"duplicate doc_id {meta.doc_id!r} in {metas[meta.doc_id][1]} and {path}")
        metas[meta.doc_id] = (meta, path)
    return [parse_motion(read_text(path), meta) for meta, path in metas.values()]


def load_metadata(path: Path) -> Metadata:
    """The ``.json`` next to ``path`` (optional): an object whose fields are strings, plus example questions."""
    meta_path = path.with_suffix(".json")
    fields = _read_json(meta_path) if meta_path.exists() else {}
    values = {
        "doc_id": fields.get("doc_id", path.stem),
        "title": fields.get("title", path.stem),
        "party": fields.get("party", ""),
        "party_abbreviation": fields.get("party_abbreviation", ""),
        "riksmote": fields.get("riksmote", ""),
        "language": fields.get("language", "sv"),
    }
    wrong = [key for key, value in values.items() if not isinstance(value, str)]
    if wrong or not values["doc_id"].strip():
        raise CorpusError(f"metadata {meta_path}: {', '.join(wrong) or 'doc_id'} must be a non-empty string")
    return Metadata(**values, examples=_examples(fields.get("examples", {}), meta_path))


def _examples(value: Any, meta_path: Path) -> dict[str, list[str]]:
    """``{"sv": [question, …], "en": […]}``: example questions by language."""
    if isinstance(value, dict) and all(
        isinstance(questions, list) and all(isinstance(q, str) and q.strip() for q in questions)
        for questions in value.values()
    ):
        return {str(lang): [q.strip() for q in questions] for lang, questions in value.items()}
    raise CorpusError(f"metadata {meta_path}: examples must map a language to a list of questions")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        fields = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise CorpusError(f"metadata {path} is not valid JSON ({error})") from None
    if not isinstance(fields, dict):
        raise CorpusError(f"metadata {path} must be a JSON object, not {type(fields).__name__}")
    return fields


def read_text(path: Path) -> str:
    """UTF-8 text (a UTF-8 BOM is dropped); UTF-16, other encodings and NUL bytes are refused."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CorpusError(f"cannot read {path}: {error.strerror}") from None
    if raw.startswith(_UTF16_BOMS):
        raise CorpusError(f"{path} is UTF-16; save it as UTF-8")
    if b"\0" in raw:
        raise CorpusError(f"{path} contains NUL bytes (binary or UTF-16?); save it as UTF-8 text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path} is not UTF-8 (byte {error.start}); save it as UTF-8") from None
