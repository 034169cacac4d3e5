"""Report charts as inline SVG strings, so the HTML report is one self-contained file."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after use("Agg"): no display needed

matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "motionqa", "font.size": 9})
DEPTHS = (1, 3, 5, 10)
TYPE_BAR_METRICS = ("success@5", "citation_hit_rate", "answered_precision", "answered_share", "unanswerable_caught")
METRIC_TITLES = {
    "success@5": "success@5",
    "citation_hit_rate": "citation hit",
    "answered_precision": "answered precision",
    "answered_share": "answered share",
    "unanswerable_caught": "unanswerable caught",
}


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


def type_bars(configs: list[dict[str, Any]], metrics: tuple[str, ...] = TYPE_BAR_METRICS) -> str:
    """One panel per main metric, a row per type and tag (any label the suite uses), a bar per configuration.

    A metric that does not apply to a label (retrieval for unanswerable items) leaves its row empty.
    """
    labels = list(configs[0]["summary"])
    height = 0.8 / len(configs)
    figure, axes = plt.subplots(
        1, len(metrics), figsize=(2.6 * len(metrics) + 1.5, 0.9 + 0.28 * len(labels) * max(1, len(configs) / 2)),
        sharey=True, squeeze=False,
    )  # fmt: skip
    for axis, metric in zip(axes[0], metrics, strict=True):
        for n, config in enumerate(configs):
            values = [_value(config["summary"].get(label, {}), metric) for label in labels]
            axis.barh([i + n * height for i in range(len(labels))], values, height, label=config["name"])
        axis.set(title=METRIC_TITLES.get(metric, metric), xlim=(0, 1.02))
        axis.grid(axis="x", alpha=0.3)
    axes[0][0].set_yticks([i + 0.4 - height / 2 for i in range(len(labels))], labels)
    axes[0][0].invert_yaxis()  # "all" on top, as in the tables
    if len(configs) > 1:
        axes[0][-1].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
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
