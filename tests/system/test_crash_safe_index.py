"""A build killed at any point never leaves an index that loads wrongly; damage is detected at load.

Real kills: ``motionqa index build --force`` in a subprocess gets SIGKILL, some right as it starts
writing, some at random times (``MOTIONQA_CRASH_KILLS``, default 2, sets how many; the very first
build is killed too). Every step of
writing and publishing is also crashed deterministically in-process, which real kills rarely hit.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import faiss
import numpy as np
import pytest
from servers import corpus_env, tiny_corpus

import index.store.files as store
from assistant.api.settings import Settings
from index.build import build_index
from index.store.bm25 import LexicalIndex
from index.store.files import MANIFEST, RANKER, IndexContents, IndexNotReady, LoadedIndex, load_index, write_index

KILLS = int(os.environ.get("MOTIONQA_CRASH_KILLS", "2"))
REBUILD_HINT = "motionqa index build"


def fingerprint(loaded: LoadedIndex) -> tuple:
    """What the answers depend on; equal for any two complete builds of the same inputs."""
    return (
        [(c.id, c.text, c.start, c.end) for c in loaded.chunks],
        loaded.dense.ntotal,
        loaded.sentence_vectors.shape,
        loaded.heading_vectors.shape,
        loaded.maps,
        sorted(loaded.documents),
    )


def leftovers(index_dir: Path) -> list[str]:
    return sorted(
        p.name for p in index_dir.parent.iterdir() if p.name != index_dir.name and not p.name.endswith(".lock")
    )


# --- real kills ----------------------------------------------------------------------------------------


def cli_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        **corpus_env(settings),
    }


def start_build(settings: Settings) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("motionqa")), "index", "build", "--force"]
    return subprocess.Popen(command, env=cli_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def writing_started(parent: Path, before: set[str]) -> bool:
    return any(name.startswith(".index-building-") or name not in before for name in os.listdir(parent))


def kill_build(settings: Settings, rng: random.Random, mode: str, expected_seconds: float) -> str:
    """Start a forced build and SIGKILL it: just after it starts writing, or at a random moment."""
    parent = settings.index_dir.parent
    before = set(os.listdir(parent))
    process = start_build(settings)
    started = time.monotonic()
    try:
        if mode == "writing":
            while not writing_started(parent, before) and process.poll() is None:
                if time.monotonic() - started > 10 * expected_seconds + 120:
                    raise AssertionError("the build never started writing")
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.02))
        else:
            time.sleep(rng.uniform(0.2, 1.0) * expected_seconds)
        outcome = "finished before the kill" if process.poll() is not None else f"killed at {mode}"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        if process.stderr is not None:
            process.stderr.close()
    return outcome


def test_killed_builds_never_leave_a_wrong_index(tiny_reference: Settings, tmp_path: Path) -> None:
    settings = tiny_corpus(tmp_path)
    rng = random.Random(int(os.environ.get("MOTIONQA_CRASH_SEED", "7")))

    # The very first build killed early: no index, and a clear message.
    kill_build(settings, rng, "random", expected_seconds=0.5)
    with pytest.raises(IndexNotReady, match=REBUILD_HINT):
        load_index(settings.index_dir)

    started = time.monotonic()
    process = start_build(settings)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()[-2000:]
    full_seconds = time.monotonic() - started
    expected = fingerprint(load_index(settings.index_dir))
    assert expected == fingerprint(load_index(tiny_reference.index_dir))

    outcomes = ["first build killed early: clear error"]
    previous = os.readlink(settings.index_dir)
    for i in range(KILLS):
        outcomes.append(kill_build(settings, rng, "writing" if i % 2 == 0 else "random", full_seconds))
        live = os.readlink(settings.index_dir)
        loaded = load_index(settings.index_dir)  # the previous index, or the new one if it was published
        assert fingerprint(loaded) == expected, outcomes
        outcomes[-1] += ", new index live" if live != previous else ", previous index kept"
        previous = live
    print(f"{KILLS + 1} kills survived: {outcomes}")

    report = build_index(settings, force=True, show_progress=False)
    assert report.rebuilt and fingerprint(load_index(settings.index_dir)) == expected
    generations = leftovers(settings.index_dir)
    assert len(generations) == 2 and not any(g.startswith(".") for g in generations), generations


# --- deterministic crashes at every step ---------------------------------------------------------------


class Crash(BaseException):
    """Stands for the process dying: nothing catches it, nothing cleans up."""


STEPS: dict[str, tuple[object, str, int]] = {
    "documents": (Path, "write_text", 1),
    "chunks-half-written": (store.json, "dumps", 4),
    "dense": (faiss, "write_index", 1),
    "sentence-vectors": (np, "save", 1),
    "heading-vectors": (np, "save", 2),
    "corpus-maps": (Path, "write_text", 2),
    "bm25": (LexicalIndex, "save", 1),
    "fsync": (store, "_sync_tree", 1),
    "manifest": (store, "_write_json_synced", 1),
    "rename-generation": (Path, "rename", 1),
    "new-symlink": (Path, "symlink_to", 1),
    "swap-symlink": (store.os, "replace", 1),
    "cleanup": (store, "_remove_old_generations", 1),
    "cleanup-half-done": (store.shutil, "rmtree", 1),
}
PUBLISHED = {"cleanup", "cleanup-half-done"}  # crashes after the swap: the new index is live


def rewrite(settings: Settings, marker: str) -> None:
    """Write the loaded index again as a new generation whose manifest carries ``marker``."""
    loaded = load_index(settings.index_dir)
    manifest = loaded.manifest.model_copy(update={"files": {}, "built_at": marker})
    contents = IndexContents(
        list(loaded.documents.values()),
        loaded.chunks,
        loaded.dense,
        loaded.lexical,
        loaded.sentence_vectors,
        loaded.path / RANKER,
        loaded.maps,
        loaded.heading_vectors,
    )
    write_index(settings.index_dir, manifest, contents)


@pytest.mark.parametrize("step", list(STEPS))
def test_crash_at_every_write_step(tiny_built: Settings, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    rewrite(tiny_built, "older")  # so that publishing has a generation older than the previous one to remove
    before = load_index(tiny_built.index_dir)
    owner, name, nth = STEPS[step]
    real = getattr(owner, name)
    calls = 0

    def crash(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls >= nth:
            raise Crash
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(owner, name, crash)  # on a class, ``self`` arrives in ``args``
        with pytest.raises(Crash):
            rewrite(tiny_built, "crashed")
    loaded = load_index(tiny_built.index_dir)
    assert fingerprint(loaded) == fingerprint(before)
    assert loaded.manifest.built_at == ("crashed" if step in PUBLISHED else before.manifest.built_at)

    live = tiny_built.index_dir.resolve()
    rewrite(tiny_built, "recovered")  # the next build publishes and sweeps every leftover but the previous one
    assert load_index(tiny_built.index_dir).manifest.built_at == "recovered"
    assert leftovers(tiny_built.index_dir) == sorted([live.name, tiny_built.index_dir.resolve().name])


def test_sibling_indexes_are_not_swept(tiny_built: Settings) -> None:
    """``index-fp32`` next to ``index`` is another index, not an old generation of it."""
    parent = tiny_built.index_dir.parent
    generation = os.readlink(tiny_built.index_dir)
    sibling = parent / "index-fp32-20260101-000000-abcd_123"
    shutil.copytree(parent / generation, sibling)
    (parent / "index-fp32").symlink_to(sibling.name)
    rewrite(tiny_built, "again")
    assert load_index(parent / "index-fp32").manifest.built_at != "again"


# --- damage detected at load ---------------------------------------------------------------------------

INDEX_FILES = [
    "documents.json",
    "chunks.jsonl",
    "dense.faiss",
    "sentence_vectors.npy",
    "heading_vectors.npy",
    "corpus_maps.json",
    "bm25",
    "sentence_ranker.json",
]


@pytest.mark.parametrize("damage", ["truncate", "bit-flip", "delete", "append"])
def test_any_damaged_file_is_detected(tiny_built: Settings, damage: str) -> None:
    files = sorted(p for p in tiny_built.index_dir.resolve().rglob("*") if p.is_file() and p.name != MANIFEST)
    assert {f.relative_to(tiny_built.index_dir.resolve()).parts[0] for f in files} == set(INDEX_FILES)
    for path in files:
        original = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(original[: len(original) // 2])
        elif damage == "bit-flip":
            data = bytearray(original)
            data[len(data) // 3] ^= 0x10
            path.write_bytes(bytes(data))
        elif damage == "delete":
            path.unlink()
        else:
            path.write_bytes(original + b"\n")
        with pytest.raises(IndexNotReady, match="damaged") as error:
            load_index(tiny_built.index_dir)
        assert REBUILD_HINT in str(error.value), path
        path.write_bytes(original)
    load_index(tiny_built.index_dir)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda m, path: path.write_text(path.read_text()[:40]), "unreadable"),
        (lambda m, path: path.write_bytes(b"\xff\xfe\x00"), "unreadable"),
        (lambda m, path: path.unlink(), "No index"),
        (lambda m, path: path.write_text(json.dumps([1, 2])), "schema"),
        (lambda m, path: path.write_text(json.dumps({**m, "schema_version": 0})), "schema"),
        (lambda m, path: path.write_text(json.dumps({k: v for k, v in m.items() if k != "files"})), "incomplete"),
        (lambda m, path: path.write_text(json.dumps({k: v for k, v in m.items() if k != "model"})), "incomplete"),
        (lambda m, path: path.write_text(json.dumps({**m, "files": {}})), "damaged"),
    ],
    ids=["truncated", "not-utf8", "missing", "not-an-object", "old-schema", "no-files", "no-model", "no-checksums"],
)
def test_a_bad_manifest_is_refused(tiny_built: Settings, mangle, message: str) -> None:
    path = tiny_built.index_dir / MANIFEST
    mangle(json.loads(path.read_text()), path)
    with pytest.raises(IndexNotReady, match=message) as error:
        load_index(tiny_built.index_dir)
    assert REBUILD_HINT in str(error.value)


def test_dangling_index_link_says_to_rebuild(tiny_built: Settings) -> None:
    shutil.rmtree(tiny_built.index_dir.resolve())
    with pytest.raises(IndexNotReady, match="No index") as error:
        load_index(tiny_built.index_dir)
    assert REBUILD_HINT in str(error.value)


def test_model_checksum_mismatch_is_refused_by_the_assistant(tiny_built: Settings, assistant) -> None:
    from assistant.service import Assistant

    path = tiny_built.index_dir / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["model"]["checksum"] = "0" * 64
    path.write_text(json.dumps(manifest))
    loaded = load_index(tiny_built.index_dir)  # every file is intact; only the model differs
    with pytest.raises(IndexNotReady, match="checksum") as error:
        Assistant(tiny_built, loaded, assistant.embedder)
    assert REBUILD_HINT in str(error.value)
    with pytest.raises(IndexNotReady, match="checksum"):
        Assistant.load(tiny_built)
    assert build_index(tiny_built, show_progress=False).reason == "changed since the last build: model"


# --- serving without write access, full disks, readers during a publish, repairs -------------------------


def test_a_current_index_is_served_without_the_build_lock(tiny_built: Settings, assistant) -> None:
    """Only building takes the lock: here the lock cannot even be opened (a directory in its place, which
    stops root as well as a read-only filesystem stops a service user), yet the current index serves."""
    from assistant.service import Assistant

    lock = tiny_built.index_dir.parent / f".{tiny_built.index_dir.name}.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    assert not build_index(tiny_built, show_progress=False).rebuilt
    assert Assistant.load(tiny_built).ask("Vad är ekonomiskt våld?").answer.citations
    with pytest.raises(IsADirectoryError):
        build_index(tiny_built, force=True, show_progress=False)


def test_a_full_disk_removes_the_partial_build_and_says_so(
    tiny_built: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = load_index(tiny_built.index_dir)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.np, "save", disk_full)
    with pytest.raises(OSError, match=f"disk full at {tiny_built.index_dir.parent}") as error:
        rewrite(tiny_built, "never")
    assert error.value.errno == errno.ENOSPC and "\n" not in str(error.value)
    assert leftovers(tiny_built.index_dir) == [tiny_built.index_dir.resolve().name], "no partial generation is left"
    assert fingerprint(load_index(tiny_built.index_dir)) == fingerprint(before)


def test_a_reader_of_the_previous_generation_can_finish(tiny_built: Settings) -> None:
    """A reader that resolved the link just before a publish still finds every file; one publish later it may go."""
    resolved = tiny_built.index_dir.resolve()
    rewrite(tiny_built, "first")
    assert load_index(resolved).manifest.built_at != "first"
    rewrite(tiny_built, "second")
    assert not resolved.exists()
    assert load_index(tiny_built.index_dir).manifest.built_at == "second"


@pytest.mark.parametrize("damage", ["truncate-chunks", "delete-dense", "no-checksums"])
def test_build_repairs_what_load_refuses(tiny_built: Settings, damage: str) -> None:
    folder = tiny_built.index_dir.resolve()
    if damage == "truncate-chunks":
        (folder / "chunks.jsonl").write_bytes((folder / "chunks.jsonl").read_bytes()[:-20])
    elif damage == "delete-dense":
        (folder / "dense.faiss").unlink()
    else:
        manifest = json.loads((folder / MANIFEST).read_text())
        (folder / MANIFEST).write_text(json.dumps({**manifest, "files": {}}))
    with pytest.raises(IndexNotReady, match="damaged"):
        load_index(tiny_built.index_dir)
    report = build_index(tiny_built, show_progress=False)
    assert report.rebuilt and "damaged" in report.reason
    load_index(tiny_built.index_dir)
