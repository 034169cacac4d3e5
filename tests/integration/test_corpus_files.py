"""Bad data files end in one clear line naming the file, never a decoding traceback or a 500 later."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from servers import TINY_MOTION

from assistant.api.settings import Settings
from index.parse.corpus import CorpusError, load_corpus

MOTIONQA = str(Path(sys.executable).with_name("motionqa"))
TEXT = TINY_MOTION.read_text(encoding="utf-8")


def _copy_motion(data: Path) -> None:
    shutil.copy(data / "tiny.txt", data / "copy.txt")
    shutil.copy(data / "tiny.json", data / "copy.json")


BAD_FILES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "duplicate-doc-id": (_copy_motion, "duplicate doc_id 'tiny'", "copy.txt"),
    "binary": (lambda d: (d / "tiny.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "NUL", "tiny.txt"),
    "latin-1": (lambda d: (d / "tiny.txt").write_bytes(TEXT.encode("latin-1")), "not UTF-8", "tiny.txt"),
    "utf-16": (lambda d: (d / "tiny.txt").write_text(TEXT, encoding="utf-16"), "UTF-16", "tiny.txt"),
    "utf-16-no-bom": (lambda d: (d / "tiny.txt").write_bytes(TEXT.encode("utf-16-le")), "NUL", "tiny.txt"),
    "nul-in-text": (lambda d: (d / "tiny.txt").write_text(TEXT.replace("\n", "\n\0", 3)), "NUL", "tiny.txt"),
    "malformed-json": (lambda d: (d / "tiny.json").write_text('{"doc_id": "tiny",'), "not valid JSON", "tiny.json"),
    "json-not-object": (lambda d: (d / "tiny.json").write_text("[1, 2]"), "JSON object", "tiny.json"),
    "json-latin-1": (lambda d: (d / "tiny.json").write_bytes(b'{"title": "V\xe5ld"}'), "not UTF-8", "tiny.json"),
    "doc-id-not-text": (lambda d: (d / "tiny.json").write_text('{"doc_id": 7}'), "doc_id", "tiny.json"),
    "party-abbreviation-not-text": (
        lambda d: (d / "tiny.json").write_text('{"party_abbreviation": ["V"]}'),
        "party_abbreviation",
        "tiny.json",
    ),
    "examples-not-a-list": (
        lambda d: (d / "tiny.json").write_text('{"examples": {"sv": "Vad föreslår motionen?"}}'),
        "examples must map a language to a list of questions",
        "tiny.json",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_data_file_is_a_corpus_error_naming_it(tiny_settings: Settings, case: str) -> None:
    damage, message, culprit = BAD_FILES[case]
    damage(tiny_settings.data_dir)
    with pytest.raises(CorpusError, match=message) as error:
        load_corpus(tiny_settings.data_dir)
    assert str(tiny_settings.data_dir / culprit) in str(error.value)
    assert "\n" not in str(error.value)


def test_duplicate_doc_id_names_both_files(tiny_settings: Settings) -> None:
    _copy_motion(tiny_settings.data_dir)
    with pytest.raises(CorpusError) as error:
        load_corpus(tiny_settings.data_dir)
    assert str(tiny_settings.data_dir / "tiny.txt") in str(error.value)


def test_a_utf8_bom_is_accepted(tiny_settings: Settings) -> None:
    path = tiny_settings.data_dir / "tiny.txt"
    (plain,) = load_corpus(tiny_settings.data_dir)
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    meta = tiny_settings.data_dir / "tiny.json"
    meta.write_bytes(codecs.BOM_UTF8 + meta.read_bytes())
    (with_bom,) = load_corpus(tiny_settings.data_dir)
    assert with_bom.text == plain.text and "\ufeff" not in with_bom.text
    assert with_bom.doc_id == "tiny"


@pytest.mark.parametrize("case", ["duplicate-doc-id", "latin-1", "malformed-json"])
def test_index_build_fails_on_one_line(tiny_settings: Settings, case: str) -> None:
    damage, message, culprit = BAD_FILES[case]
    damage(tiny_settings.data_dir)
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "MOTIONQA_DATA_DIR": str(tiny_settings.data_dir),
        "MOTIONQA_INDEX_DIR": str(tiny_settings.index_dir),
    }
    run = subprocess.run([MOTIONQA, "index", "build"], env=env, capture_output=True, text=True, timeout=300)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1 and len(lines) == 1, run.stderr
    assert message in lines[0] and culprit in lines[0] and "Traceback" not in run.stderr
