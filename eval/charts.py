"""Report charts as inline SVG strings, so the HTML report is one self-contained file."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after use("Agg"): no display needed

matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "motionqa", "font.size": 9})
DEPTHS = (1, 3, 5, 10)


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _value(summary: dict[str, Any], name: str) -> float:
    value = summary.get(name)
    return float("nan") if value is None else float(value)


def recall_curves(configs: list[dict[str, Any]]) -> str:
    """recall@k and success@k against k, one line per configuration."""
    figure, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for axis, family in zip(axes, ("recall", "success"), strict=True):
        for config in configs:
            overall = config["summary"]["all"]
            style = "--" if config["kind"] != "assistant" else "-"
            axis.plot(
                DEPTHS, [_value(overall, f"{family}@{k}") for k in DEPTHS], style, marker="o", label=config["name"]
            )
        axis.set(title=f"{family}@k", xlabel="k (passages)", xticks=DEPTHS, ylim=(0, 1.02))
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("mean over answerable items")
    axes[1].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
    return _svg(figure)


def type_bars(configs: list[dict[str, Any]], metric: str = "success@5") -> str:
    """One group of bars per question type, one bar per configuration."""
    types = [t for t in configs[0]["summary"] if t not in ("all", "unanswerable")]
    figure, axis = plt.subplots(figsize=(10, 3.6))
    width = 0.8 / len(configs)
    for n, config in enumerate(configs):
        values = [_value(config["summary"].get(t, {}), metric) for t in types]
        axis.bar([i + n * width for i in range(len(types))], values, width, label=config["name"])
    axis.set_xticks([i + 0.4 - width / 2 for i in range(len(types))], types)
    axis.set(title=f"{metric} by question type", ylim=(0, 1.02))
    axis.grid(axis="y", alpha=0.3)
    axis.legend(fontsize=7, ncols=min(5, len(configs)), loc="upper center", bbox_to_anchor=(0.5, -0.1))
    return _svg(figure)


def latency_histogram(configs: list[dict[str, Any]]) -> str:
    """Per-item latency in ms (answering call; baselines: retrieval only), one outline per configuration."""
    figure, axis = plt.subplots(figsize=(10, 3.2))
    everything = [max(1000 * item["seconds"], 0.01) for config in configs for item in config["items"]]
    low, high = min(everything, default=0.01), max(everything, default=1.0) * 1.01
    bins = [low * (high / low) ** (i / 40) for i in range(41)]  # log-spaced: baselines are far faster
    for config in configs:
        times = [max(1000 * item["seconds"], 0.01) for item in config["items"]]
        axis.hist(times, bins=bins, histtype="step", linewidth=1.4, label=config["name"])
    axis.set_xscale("log")
    axis.set(title="latency per item (log scale)", xlabel="ms", ylabel="items")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=7)
    return _svg(figure)
