"""``pip install .`` (not only ``-e``) gives a working assistant: the built wheel, installed into a
fresh venv and run from another folder, answers a question and evaluates the bundled gold suite. Its
first ``ask`` builds the whole bundled motion's index there and says each step on one line, nothing else
(the first ``serve`` says the same of the tiny motion: tests/system/test_first_run.py).

The fresh venv borrows the test venv's third-party packages through a ``.pth`` line (installing
torch and friends again would take minutes and gigabytes); motionqa itself comes only from the
wheel, which the test checks. The built model is reused read-only from ``models/``: loading never
writes, and converting the model is covered elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("assistant", "index", "eval", "ui")
# Files in the packages that are documentation, not read at run time.
NOT_RUNTIME = ("ui/screenshots/",)
BUILDING = re.compile(r"building the index: \d+ passages")
# What a checkout holds at its top besides the source: never part of the wheel, and slow to copy.
BUILT_OR_LOCAL = {".git", ".venv", "var", "models", "reports", "build", "motionqa.egg-info", "node_modules"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, settings) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel installed, and an environment that cannot see the checkout."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"  # a copy: building writes build/ and *.egg-info into the source tree
    shutil.copytree(ROOT, source, ignore=_local_files)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", base / "dist", source],
        check=True,
        capture_output=True,
        cwd=base,
    )
    (wheel,) = (base / "dist").glob("motionqa-*.whl")
    fresh = base / "venv"
    venv.EnvBuilder(with_pip=True).create(fresh)
    site = purelib(fresh)
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([fresh / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", wheel], check=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MOTIONQA_", "PYTHON"))}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", MOTIONQA_MODELS_DIR=str(settings.models_dir))
    return fresh, env


def purelib(fresh: Path) -> Path:
    """Where the venv installs pure-Python packages."""
    command = [fresh / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    return Path(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip())


def _local_files(folder: str, names: list[str]) -> set[str]:
    """Top-level build output and local state (``assistant/read/models`` is source, ``models/`` is not)."""
    return BUILT_OR_LOCAL & set(names) if Path(folder) == ROOT else {"__pycache__", "node_modules"} & set(names)


def run(fresh: Path, env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [fresh / "bin" / "motionqa", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.mark.timeout(1200)
def test_the_wheel_answers_and_evaluates_from_another_folder(installed, tmp_path: Path) -> None:
    fresh, env = installed
    where = subprocess.run(
        [fresh / "bin" / "python", "-c", "import assistant, index.bundled; print(assistant.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(fresh) in where and str(ROOT) not in where, "motionqa must come from the wheel, not the checkout"

    answer = run(fresh, env, tmp_path, "ask", "Vad är ekonomiskt våld?")
    assert answer.returncode == 0, answer.stderr[-2000:]
    assert "[1]" in answer.stdout
    steps = answer.stderr.splitlines()  # the whole motion's first run: each step one line, and nothing else
    assert len(steps) == 2 and BUILDING.fullmatch(steps[0]), answer.stderr[-2000:]
    assert steps[1] == "built a new index: there was none"
    assert (tmp_path / "var" / "index" / "manifest.json").is_file(), "the index is built under the working folder"

    evaluation = run(fresh, env, tmp_path, "eval", "run", "gold", "--gate", "--report", str(tmp_path / "report"))
    assert evaluation.returncode == 0, evaluation.stderr[-2000:]
    assert "R@5" in evaluation.stdout, evaluation.stdout[-2000:]
    assert not (ROOT / "var" / "index").resolve().is_relative_to(tmp_path)


def test_the_wheel_carries_every_file_the_packages_read(installed) -> None:
    """Data files beside the code (word lists, the ranker, suites, the chat's script) are installed too:
    ``ui/static/chat.js`` was missing, so a pip-installed chat had no queue, checks or Send key."""
    fresh, _ = installed
    site = purelib(fresh)
    listed = subprocess.run(["git", "ls-files", *PACKAGES], cwd=ROOT, check=True, capture_output=True, text=True)
    data = [f for f in listed.stdout.split() if not f.endswith(".py") and not f.startswith(NOT_RUNTIME)]
    assert "ui/static/chat.js" in data
    missing = [f for f in data if not (site / f).is_file()]
    assert not missing, f"not in the wheel: {missing}"
