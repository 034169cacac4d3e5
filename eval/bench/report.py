"""Write the benchmark as JSON and a PNG, and print it as rich tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


def write_json(result: dict[str, Any], report_dir: Path) -> Path:
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / "bench.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# "cold" is a question the server has not seen (the model runs); "warm" the same again (caches).
PHASES = {"cold": "new question", "warm": "repeated"}


def latency_rows(result: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(label, percentile dict) for every latency measurement, in display order."""
    rows = []
    for path, phases in result["http"]["latency"].items():
        rows += [(f"HTTP {path}, {PHASES[phase]}", stats) for phase, stats in phases.items()]
    rows += [(f"in-process search, {PHASES[p]}", stats) for p, stats in result["inprocess"]["search"].items()]
    rows.append(("floor: one forward pass (no cache)", result["inprocess"]["floor"]))
    if "langchain" in result:
        rows.append(("LangChain similarity_search", result["langchain"]["search"]))
    return rows


def write_plot(result: dict[str, Any], report_dir: Path) -> Path:
    """Latency bars (p50 and p95) and throughput against concurrent clients."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [(label, stats) for label, stats in latency_rows(result) if stats.get("n")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    positions = range(len(rows))
    left.barh([p + 0.2 for p in positions], [s["p50"] for _, s in rows], height=0.4, label="p50")
    left.barh([p - 0.2 for p in positions], [s["p95"] for _, s in rows], height=0.4, label="p95")
    left.set_yticks(list(positions), [label for label, _ in rows], fontsize=8)
    left.set_xscale("log")
    left.set_xlabel("ms per query (log)")
    left.legend()
    for path, runs in result["http"]["throughput"].items():
        right.plot([r["clients"] for r in runs], [r["rps"] for r in runs], marker="o", label=path)
    right.set_xscale("log", base=2)
    right.set_xlabel("concurrent clients")
    right.set_ylabel("requests/s")
    right.legend()
    fig.suptitle(f"motionqa bench ({result['settings']['encoder_backend']}, load {result['machine']['load_before']})")
    fig.tight_layout()
    path = report_dir / "bench.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def print_tables(result: dict[str, Any], console: Console) -> None:
    latency = Table(title="Latency (ms)")
    for column in ("measurement", "n", "p50", "p95", "p99", "errors"):
        latency.add_column(column, justify="left" if column == "measurement" else "right")
    for label, stats in latency_rows(result):
        latency.add_row(
            label,
            str(stats.get("n", 0)),
            *(_ms(stats.get(p)) for p in ("p50", "p95", "p99")),
            str(stats.get("errors", "")),
        )
    console.print(latency)
    rps = Table(title="Throughput over loopback HTTP")
    for column in ("endpoint", "clients", "requests", "req/s", "p50", "p95", "errors"):
        rps.add_column(column, justify="left" if column == "endpoint" else "right")
    for path, runs in result["http"]["throughput"].items():
        for r in runs:
            rps.add_row(
                path,
                str(r["clients"]),
                str(r["requests"]),
                f"{r['rps']:.0f}",
                _ms(r.get("p50")),
                _ms(r.get("p95")),
                str(r["errors"]),
            )
    console.print(rps)
    facts = Table(title="Build, load, memory, targets")
    facts.add_column("figure")
    facts.add_column("value", justify="right")
    for label, value in _facts(result):
        facts.add_row(label, value)
    console.print(facts)


def _facts(result: dict[str, Any]) -> list[tuple[str, str]]:
    http, inproc = result["http"], result["inprocess"]
    rows = [
        ("server startup (to /api/health)", f"{http['server_startup_seconds']:.1f} s"),
        (
            "server RSS now / peak",
            f"{http['server_memory']['rss_mb']:.0f} / {http['server_memory']['peak_rss_mb']:.0f} MB",
        ),
        ("motionqa model load", f"{inproc['model_load_seconds']:.2f} s"),
        ("floor: one forward pass, p50", f"{inproc['floor']['p50']:.1f} ms"),
        ("in-process search p50 / floor p50", f"{result['floor_ratio']:.2f}x"),
        ("motionqa index load", f"{inproc['index_load_seconds']:.2f} s"),
    ]
    if "index_build" in result:
        b = result["index_build"]
        rows.append(("motionqa index build", f"{b['seconds']:.1f} s ({b['texts_per_second']:.1f} texts/s)"))
    if "langchain" in result:
        lc = result["langchain"]
        rows += [
            ("LangChain model load", f"{lc['model_load_seconds']:.2f} s"),
            ("LangChain index build", f"{lc['index_build_seconds']:.1f} s ({lc['texts_per_second']:.1f} chunks/s)"),
            (
                "speed-up vs LangChain (p50, in-process / HTTP)",
                f"{result['speedup']['inprocess_p50']:.1f}x / {result['speedup']['http_search_p50']:.1f}x",
            ),
        ]
    rows.append(("HTTP errors", str(result["errors"])))
    rows += [
        (f"target {name}", f"{_ms(t['value'])} vs {t['target']:g}: {'met' if t['met'] else 'MISSED'}")
        for name, t in result["targets"].items()
    ]
    rows.append(
        ("load average before / after", f"{result['machine']['load_before']} / {result['machine']['load_after']}")
    )
    return rows
