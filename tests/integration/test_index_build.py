"""Index build, persistence and rebuild-on-change, on a tiny corpus with the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.api.settings import Settings
from index.build import build_index
from index.store.files import MANIFEST, IndexNotReady, load_index
from index.store.manifest import SCHEMA_VERSION


def test_build_writes_a_loadable_index_with_manifest(tiny_settings: Settings) -> None:
    report = build_index(tiny_settings, show_progress=False)
    assert report.rebuilt and report.chunks > 0 and report.texts_per_second > 0
    assert tiny_settings.index_dir.is_symlink()
    loaded = load_index(tiny_settings.index_dir)
    manifest = loaded.manifest
    assert manifest.schema_version == SCHEMA_VERSION
    assert manifest.model.id.startswith("bundled:multilingual-e5-small")
    assert len(manifest.model.checksum) == 64
    assert (manifest.chunker.size, manifest.chunker.overlap) == (200, 0)
    assert manifest.counts["yrkande"] == 2 and manifest.counts["footnote"] == 2
    assert loaded.dense.ntotal == len(loaded.chunks)
    assert loaded.sentence_vectors.shape == (manifest.counts["sentences"], manifest.embedding.dimension)
    assert loaded.lexical.scores("ekonomiskt våld").max() > 0


def test_rebuild_only_when_an_input_changes(tiny_settings: Settings) -> None:
    first = build_index(tiny_settings, show_progress=False)
    assert not build_index(tiny_settings, show_progress=False).rebuilt
    assert build_index(tiny_settings, force=True, show_progress=False).reason == "forced"

    resized = tiny_settings.model_copy(update={"chunk_size": 300})
    report = build_index(resized, show_progress=False)
    assert report.rebuilt and "chunker" in report.reason

    source = next(tiny_settings.data_dir.glob("*.txt"))
    source.write_text(source.read_text(encoding="utf-8") + "Ett nytt stycke om kvinnojourer.\n", encoding="utf-8")
    report = build_index(resized, show_progress=False)
    assert report.rebuilt and "corpus_fingerprint" in report.reason
    generations = [p for p in tiny_settings.index_dir.parent.iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(generations) == 2, "generations older than the previous one are removed after publishing"
    assert first.index_dir == report.index_dir


def test_missing_index_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(IndexNotReady, match="motionqa index build"):
        load_index(tmp_path / "nothing-here")


def test_damaged_file_is_detected(tiny_built: Settings) -> None:
    chunks = tiny_built.index_dir / "chunks.jsonl"
    chunks.write_bytes(chunks.read_bytes()[:-20])
    with pytest.raises(IndexNotReady, match="damaged"):
        load_index(tiny_built.index_dir)
    report = build_index(tiny_built, show_progress=False)
    assert report.rebuilt and "damaged" in report.reason, "a build repairs what load refuses"
    load_index(tiny_built.index_dir)


def test_bit_flip_in_vectors_is_detected(tiny_built: Settings) -> None:
    dense = tiny_built.index_dir / "dense.faiss"
    data = bytearray(dense.read_bytes())
    data[len(data) // 2] ^= 0x01
    dense.write_bytes(bytes(data))
    with pytest.raises(IndexNotReady, match="damaged"):
        load_index(tiny_built.index_dir)


@pytest.mark.parametrize("field", ["sha256", "title", "doc_id"])
def test_a_tampered_document_record_in_the_manifest_is_detected(tiny_built: Settings, field: str) -> None:
    """Issue 18, item 9: a changed document sha256 in the manifest went unnoticed: /api/health reported it
    and ``index build`` called the index current."""
    manifest_path = tiny_built.index_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["documents"][0][field] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexNotReady, match="damaged"):
        load_index(tiny_built.index_dir)
    report = build_index(tiny_built, show_progress=False)
    assert report.rebuilt and "damaged" in report.reason
    assert load_index(tiny_built.index_dir).manifest.documents[0].sha256 != "0" * 64


def test_other_schema_version_is_refused(tiny_built: Settings) -> None:
    manifest_path = tiny_built.index_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "schema_version": SCHEMA_VERSION + 1}))
    with pytest.raises(IndexNotReady, match="schema"):
        load_index(tiny_built.index_dir)
    assert build_index(tiny_built, show_progress=False).rebuilt, "a foreign schema triggers a rebuild"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda m: {**m, "tokenizer": "other"}, "tokenizer"),  # written by another motionqa
        (lambda m: {k: v for k, v in m.items() if k != "embedding"}, "embedding"),
        (lambda m: {**m, "counts": {"chunks": "many"}}, "counts.chunks"),
    ],
)
def test_a_manifest_that_does_not_fit_the_typed_record_is_refused_by_name(
    tiny_built: Settings, change, field: str
) -> None:
    manifest_path = tiny_built.index_dir / MANIFEST
    manifest_path.write_text(json.dumps(change(json.loads(manifest_path.read_text()))))
    with pytest.raises(IndexNotReady, match="incomplete or foreign") as error:
        load_index(tiny_built.index_dir)
    assert field in str(error.value)


def test_language_means_of_another_dimension_are_refused(tiny_built: Settings) -> None:
    manifest_path = tiny_built.index_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    assert set(manifest["embedding"]["language_means"]) == {"sv", "en"}
    manifest["embedding"]["language_means"]["en"] = [0.0, 1.0]
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexNotReady, match="language means of dimension"):
        load_index(tiny_built.index_dir)


def test_interrupted_build_leftovers_do_not_matter(tiny_built: Settings) -> None:
    leftover = tiny_built.index_dir.parent / ".index-building-crashed"
    leftover.mkdir()
    (leftover / "chunks.jsonl").write_text("{broken")
    load_index(tiny_built.index_dir)
    build_index(tiny_built, force=True, show_progress=False)
    assert not leftover.exists()


def _tree_state(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folders`` with its size and modification time (symlinks resolved)."""
    return {
        str(path): (path.stat().st_size, path.stat().st_mtime_ns)
        for folder in folders
        for path in sorted(folder.resolve().rglob("*"))
        if path.is_file()
    }


def test_loading_a_current_index_builds_and_writes_nothing(tiny_built: Settings) -> None:
    from assistant.service import Assistant

    before = _tree_state(tiny_built.index_dir.parent, tiny_built.models_dir)
    assert Assistant.load(tiny_built).ask("Vad är ekonomiskt våld?").answer.citations
    assert _tree_state(tiny_built.index_dir.parent, tiny_built.models_dir) == before


def test_loading_without_a_built_index_or_model_refuses_instead_of_building(
    tiny_settings: Settings, tmp_path: Path
) -> None:
    from assistant.service import Assistant
    from index.encode.embedder import Embedder
    from index.encode.export import ModelError

    with pytest.raises(IndexNotReady):
        Assistant.load(tiny_settings)
    assert not tiny_settings.index_dir.exists(), "loading must not build"
    empty = tiny_settings.model_copy(update={"models_dir": tmp_path / "no-models"})
    with pytest.raises(ModelError, match="motionqa index build"):
        Embedder(empty)
    assert not (tmp_path / "no-models").exists(), "loading must not convert or export a model"


def test_scoring_constants_travel_with_the_index(tiny_built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest records the scoring constants; other constants make the index stale and are refused at load."""
    import assistant.service
    import index.build
    from assistant.service import Assistant
    from index.scoring import SCORING

    assert load_index(tiny_built.index_dir).manifest.scoring == SCORING
    changed = SCORING.model_copy(update={"max_proposals": SCORING.max_proposals + 1})
    monkeypatch.setattr(assistant.service, "SCORING", changed)
    with pytest.raises(IndexNotReady, match="max_proposals"):
        Assistant.load(tiny_built)
    monkeypatch.setattr(index.build, "SCORING", changed)
    assert build_index(tiny_built, show_progress=False).reason == "changed since the last build: scoring"
