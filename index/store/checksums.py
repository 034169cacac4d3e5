"""sha256 of files, streamed: models and index files are hundreds of MB."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_sha256s(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under ``folder`` by relative path, but those whose first part is in ``skip``."""
    return {
        path.relative_to(folder).as_posix(): file_sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).parts[0] not in skip
    }


def files_intact(folder: Path, recorded: dict[str, str]) -> bool:
    """Every file ``recorded`` is there with its recorded sha256. Memoized on (path, size, mtime), so a
    process hashes each file once however often it asks (model files are checked at every start)."""
    for name, expected in recorded.items():
        path = folder / name
        try:
            stat = path.stat()
        except OSError:
            return False
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if key not in _hashes:
            _hashes[key] = file_sha256(path)
        if _hashes[key] != expected:
            return False
    return True


_hashes: dict[tuple[str, int, int], str] = {}
