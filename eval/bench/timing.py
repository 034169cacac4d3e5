"""Latency percentiles and process memory, the two kinds of figures every phase reports."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


def percentiles(samples_ms: list[float]) -> dict[str, float | int]:
    """p50/p95/p99/mean in milliseconds (linear interpolation, as numpy does by default)."""
    if not samples_ms:
        return {"n": 0}
    values = np.asarray(samples_ms, dtype=np.float64)
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {"n": len(samples_ms), "p50": float(p50), "p95": float(p95), "p99": float(p99), "mean": float(values.mean())}


def memory_mb(pid: int | None = None) -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a live process, from /proc (Linux)."""
    status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    kb = {key: float(fields[key].split()[0]) for key in ("VmRSS", "VmHWM") if key in fields}
    return {"rss_mb": kb.get("VmRSS", 0.0) / 1024, "peak_rss_mb": kb.get("VmHWM", 0.0) / 1024}


def load_average() -> list[float]:
    """1/5/15-minute load: other jobs on a 2-core machine change every number here."""
    return [round(x, 2) for x in os.getloadavg()]
