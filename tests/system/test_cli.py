"""The motionqa command line: real commands, real index; errors are one line and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.api.settings import get_settings
from ui.cli import app

runner = CliRunner()
MOTIONQA = str(Path(sys.executable).with_name("motionqa"))
ROOT = Path(__file__).resolve().parents[2]
DN_QUESTION = "Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?"


def test_search_prints_the_dn_passage_first(assistant) -> None:
    result = runner.invoke(app, ["search", DN_QUESTION, "-k", "3"], terminal_width=400)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│ 1 ")]
    assert rows and "I juli 2023 larmade DN" in rows[0]
    assert "Hanteringen av" in rows[0]


def test_ask_prints_a_cited_answer(assistant) -> None:
    result = runner.invoke(app, ["ask", "Vad menas med ekonomiskt våld?"], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert "[1]" in result.output and "Ekonomiskt våld" in result.output


def test_index_build_reports_a_current_index(assistant) -> None:
    result = runner.invoke(app, ["index", "build"])
    assert result.exit_code == 0 and "current" in result.output


def test_bad_input_is_one_line_and_exit_1() -> None:
    for args, message in (
        (["search", "våld", "--mode", "fuzzy"], "unknown mode"),
        (["search", "   "], "empty"),
        (["ask", ""], "empty"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and message in result.output, result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize(("depth", "columns"), [(1, None), (3, "80"), (7, "40"), (30, "80")])
def test_missing_index_fails_on_one_line_whatever_the_width(tmp_path: Path, depth: int, columns: str | None) -> None:
    """The error stays one line for short and long paths and narrow terminals (a wrapped line once broke CI)."""
    index_dir = tmp_path.joinpath(*(["deep-folder"] * depth), "none")
    env = {"MOTIONQA_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    if columns:
        env["COLUMNS"] = columns
    info = subprocess.run([MOTIONQA, "index", "info"], env=env, capture_output=True, text=True, timeout=120)
    lines = info.stderr.strip().splitlines()
    assert info.returncode == 1 and len(lines) == 1, info.stderr
    assert "motionqa index build" in lines[0] and str(index_dir) in lines[0]


@pytest.mark.parametrize(
    ("command", "setting", "named"),
    [
        (["ask", "Vad är barnahus?"], {"MOTIONQA_RRF_K": "60"}, "rrf_k"),
        (["serve", "--port", "1"], {"MOTIONQA_RETRIEVAL_MODE": "dense"}, "retrieval_mode"),
    ],
)
def test_a_ranker_trained_under_other_settings_is_one_line_and_exit_1(
    assistant, command: list[str], setting: dict[str, str], named: str
) -> None:
    """``ask`` answers nothing and ``serve`` does not start (port 1 is never bound: it stops before)."""
    env = {**os.environ, **setting, "COLUMNS": "40"}
    run = subprocess.run([MOTIONQA, *command], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1 and len(lines) == 1 and run.stdout == "", run.stderr
    assert f"trained under other settings ({named}: trained with" in lines[0] and "train-ranker" in lines[0]


def test_bad_settings_fail_cleanly(tmp_path: Path) -> None:
    env = {"MOTIONQA_INDEX_DIR": str(tmp_path / "none"), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    bad = subprocess.run(
        [MOTIONQA, "index", "info"], env={**env, "MOTIONQA_TOP_K": "0"}, capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 1 and "MOTIONQA_TOP_K" in bad.stderr and "Traceback" not in bad.stderr
    get_settings.cache_clear()
