"""Find and parse the documents in the data folder (one ``.txt`` export plus ``.json`` metadata each)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from index.document import Document, Metadata
from index.parser import parse_motion


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
    return [load_document(path) for path in source_files(data_dir)]


def load_document(path: Path) -> Document:
    meta_path = path.with_suffix(".json")
    fields = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    meta = Metadata(
        doc_id=fields.get("doc_id", path.stem),
        title=fields.get("title", path.stem),
        party=fields.get("party", ""),
        riksmote=fields.get("riksmote", ""),
        language=fields.get("language", "sv"),
    )
    return parse_motion(path.read_text(encoding="utf-8"), meta)
