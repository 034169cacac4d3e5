"""A damaged model file is never used silently: a graph that fails its recorded checksum is rebuilt,
and one that onnxruntime cannot parse is one clear line, not an InvalidProtobuf traceback."""

from __future__ import annotations

import errno
import io
import json
import logging
import shutil
from pathlib import Path

import pytest

import index.encode.export as onnx_export
from assistant.api.settings import Settings
from index.encode.embedder import _OnnxEngine, base_model, model_checksum
from index.encode.export import GRAPH_NAMES, MARKER_NAME, ModelError, ensure_onnx, is_current
from index.store.checksums import file_sha256


@pytest.fixture()
def onnx_cache(settings: Settings, tmp_path: Path) -> tuple[str, str, Path]:
    """The bundled model's ONNX builds in a temporary cache: fp32 hard-linked (never written), int8 copied."""
    return _copy_of_the_shipped_builds(settings, tmp_path)


def _copy_of_the_shipped_builds(settings: Settings, folder: Path) -> tuple[str, str, Path]:
    location, _ = base_model(settings)
    checksum = model_checksum(location)
    shipped = Path(location) / "onnx"
    ensure_onnx(location, checksum, shipped, "int8")
    cache = folder / "onnx"
    shutil.copytree(shipped / "fp32", cache / "fp32", copy_function=_link)
    shutil.copytree(shipped / "int8", cache / "int8")
    return location, checksum, cache


@pytest.fixture(scope="module")
def rebuilt(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path, str, str]:
    """A copy of the int8 build with its graph scrambled, then ``ensure_onnx`` on it: the model, its cache,
    the graph's checksum from before and what was logged. Quantizing takes seconds: two tests read this one."""
    location, checksum, cache = _copy_of_the_shipped_builds(settings, tmp_path_factory.mktemp("rebuilt"))
    graph = cache / "int8" / GRAPH_NAMES["int8"]
    recorded = json.loads((cache / "int8" / MARKER_NAME).read_text())["graph_sha256"]
    _scramble(graph)
    assert not is_current(cache / "int8", "int8", checksum)
    logged = io.StringIO()
    handler = logging.StreamHandler(logged)
    logging.getLogger("motionqa.model").addHandler(handler)
    try:
        ensure_onnx(location, checksum, cache, "int8")
    finally:
        logging.getLogger("motionqa.model").removeHandler(handler)
    return location, checksum, cache, recorded, logged.getvalue()


def _link(source: str, destination: str) -> None:
    Path(destination).hardlink_to(source)


def _scramble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0x5A for b in data[middle : middle + 64])
    path.write_bytes(bytes(data))


def test_a_scrambled_graph_is_rebuilt_from_the_bundled_model(rebuilt: tuple[str, str, Path, str, str]) -> None:
    _, checksum, cache, recorded, logged = rebuilt
    folder = cache / "int8"
    assert "does not match the checksum" in logged and str(folder / GRAPH_NAMES["int8"]) in logged
    assert is_current(folder, "int8", checksum)
    assert file_sha256(folder / GRAPH_NAMES["int8"]) == recorded  # quantizing is deterministic
    assert _OnnxEngine(folder).encode(["query: våld"], "", 1, 1, False).shape == (1, 384)


def test_an_unparsable_graph_is_one_clear_line(onnx_cache: tuple[str, str, Path]) -> None:
    """Even when its marker agrees (both replaced), a truncated graph never reaches the user as a traceback."""
    _, _, cache = onnx_cache
    folder = cache / "int8"
    graph = folder / GRAPH_NAMES["int8"]
    graph.write_bytes(graph.read_bytes()[:4096])
    marker = json.loads((folder / MARKER_NAME).read_text())
    (folder / MARKER_NAME).write_text(json.dumps({**marker, "graph_sha256": file_sha256(graph)}))
    with pytest.raises(ModelError, match="cannot be loaded") as error:
        _OnnxEngine(folder)
    assert str(graph) in str(error.value) and "motionqa index build" in str(error.value)
    assert "\n" not in str(error.value)


def test_a_damaged_graph_in_a_read_only_folder_says_where_to_rebuild(
    onnx_cache: tuple[str, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    location, checksum, cache = onnx_cache
    _scramble(cache / "int8" / GRAPH_NAMES["int8"])

    def read_only(path: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(onnx_export, "_locked", read_only)
    with pytest.raises(ModelError, match="not writable") as error:
        ensure_onnx(location, checksum, cache, "int8")
    assert str(cache / "int8") in str(error.value) and "motionqa index build" in str(error.value)


def test_a_changed_tokenizer_is_not_used_and_is_rebuilt(
    rebuilt: tuple[str, str, Path, str, str], tmp_path: Path
) -> None:
    """Issue 18, item 9: only the ONNX graph was checksummed; a changed ``tokenizer.json`` was used."""
    location, checksum, built, _, _ = rebuilt
    cache = tmp_path / "onnx"
    shutil.copytree(built / "fp32", cache / "fp32", copy_function=_link)
    shutil.copytree(built / "int8", cache / "int8")  # built by this motionqa: every file's sha256 recorded
    folder = cache / "int8"
    assert set(json.loads((folder / MARKER_NAME).read_text())["files"]) == {GRAPH_NAMES["int8"], "tokenizer.json"}
    tokenizer = folder / "tokenizer.json"
    original = tokenizer.read_bytes()
    assert "▁våld".encode() in original
    tokenizer.write_bytes(original.replace("▁våld".encode(), "▁fred".encode(), 1))
    assert not is_current(folder, "int8", checksum)
    ensure_onnx(location, checksum, cache, "int8")
    assert tokenizer.read_bytes() == original
