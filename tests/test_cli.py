"""The motionqa command line: real commands, real index; errors are one line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from index.settings import get_settings
from ui.cli import app

runner = CliRunner()
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


def test_missing_index_and_bad_settings_fail_cleanly(tmp_path: Path) -> None:
    env = {"MOTIONQA_INDEX_DIR": str(tmp_path / "none"), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    motionqa = str(Path(sys.executable).with_name("motionqa"))
    info = subprocess.run([motionqa, "index", "info"], env=env, capture_output=True, text=True, timeout=120)
    assert info.returncode == 1 and "motionqa index build" in info.stderr and "Traceback" not in info.stderr
    bad = subprocess.run(
        [motionqa, "index", "info"], env={**env, "MOTIONQA_TOP_K": "0"}, capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 1 and "MOTIONQA_TOP_K" in bad.stderr and "Traceback" not in bad.stderr
    get_settings.cache_clear()
