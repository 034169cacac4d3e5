"""results.json (every figure, every item) and a self-contained HTML report rendered from it.

The HTML is built from the JSON payload alone, so a report can be re-rendered from an
archived results.json without re-running anything.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections import Counter
from dataclasses import asdict
from html import escape
from pathlib import Path
from typing import Any

from eval import charts
from eval.evaluate import ConfigRun
from eval.runner import ItemResult
from eval.suite import GoldItem
from eval.tables import format_value

# Column order of the comparison table; ``LOWER_IS_BETTER`` decides which value is marked best.
TABLE_METRICS = (
    "recall@1",
    "recall@3",
    "recall@5",
    "recall@10",
    "success@1",
    "success@3",
    "success@5",
    "success@10",
    "mrr@10",
    "ndcg@10",
    "answered_precision",
    "answered_share",
    "citation_hit_rate",
    "citation_precision",
    "citation_integrity",
    "evidence_coverage",
    "answer_f1",
    "abstention_accuracy",
    "unanswerable_caught",
    "false_abstention_rate",
    "hedged_rate",
    "unreachable",
    "latency_p50_ms",
    "latency_p95_ms",
)
# Columns of the per-type table.
TYPE_METRICS = (
    "items",
    "recall@5",
    "mrr@10",
    "answered_precision",
    "answered_share",
    "citation_hit_rate",
    "evidence_coverage",
    "unanswerable_caught",
    "hedged",
    "declined",
)
LOWER_IS_BETTER = frozenset({"false_abstention_rate", "hedged_rate", "unreachable", "latency_p50_ms", "latency_p95_ms"})
DEFINITIONS = (
    "A passage is relevant when it covers at least half of an evidence string (spacing, case, final stop aside); "
    "retrieval figures are means over answerable items at depth 10 (ir_measures), with items whose evidence "
    "lies in no passage counted as 0. success@k: any relevant passage in the top k. Answered precision: of the "
    "plain answers (outcome answered, neither hedged nor declined), the share citing a relevant sentence; a plain "
    "answer to an unanswerable item counts as wrong. Answered share: share of answerable items answered plainly. "
    "Citation figures score "
    "the quoted sentences of answered, answerable items; integrity: every quote equals the clean text at its "
    "offsets. Evidence coverage: share of an item's evidence strings that the answer cites. Abstention "
    "accuracy: share of unanswerable items declined; unanswerable caught: declined or hedged; hedged rate: "
    "share of answerable items hedged. Latency: the answering call "
    "(baselines: retrieval only), wall-clock on the machine that made this report: compare it within one "
    "report only. Baselines retrieve only, so their answer figures are n/a."
)


def json_ready(value: Any) -> Any:
    """JSON-safe: NaN becomes null, floats are rounded to 4 decimals."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def _item_record(result: ItemResult) -> dict[str, Any]:
    record = asdict(result)
    record["citations"] = [{k: c[k] for k in ("n", "id", "start", "end")} for c in result.citations]
    return record


def build_payload(suite_path: Path, items: list[GoldItem], runs: list[ConfigRun]) -> dict[str, Any]:
    """Everything measured, per configuration: settings, summary by type, failures and per-item results."""
    return json_ready(
        {
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "suite": {
                "name": suite_path.stem,
                "path": str(suite_path),
                "sha256": hashlib.sha256(suite_path.read_bytes()).hexdigest(),
                "items": len(items),
                "types": dict(sorted(Counter(item.type for item in items).items())),
            },
            "definitions": DEFINITIONS,
            "machine": {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]},
            "configs": [
                {
                    **run.config.describe(),
                    "index": run.index,
                    "summary": run.summary,
                    "failures": run.failures,
                    "items": [_item_record(r) for r in run.results],
                }
                for run in runs
            ],
        }
    )


def write_report(directory: Path, payload: dict[str, Any]) -> tuple[Path, Path]:
    """Write results.json and report.html into ``directory``; returns both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    results = directory / "results.json"
    results.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    html = directory / "report.html"
    html.write_text(render_html(payload), encoding="utf-8")
    return results, html


def _best(configs: list[dict[str, Any]], metric: str) -> float | None:
    values = [c["summary"]["all"].get(metric) for c in configs]
    values = [v for v in values if v is not None]
    if not values:
        return None
    return min(values) if metric in LOWER_IS_BETTER else max(values)


def comparison_table(configs: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{escape(m)}</th>" for m in TABLE_METRICS)
    rows = []
    for config in configs:
        overall = config["summary"]["all"]
        cells = []
        for metric in TABLE_METRICS:
            value = overall.get(metric)
            best = value is not None and value == _best(configs, metric) and len(configs) > 1
            cells.append(f"<td{' class=best' if best else ''}>{format_value(metric, value)}</td>")
        tag = " <span class=tag>baseline</span>" if config["kind"] != "assistant" else ""
        rows.append(
            f"<tr><th title='{escape(config['description'])}'>{escape(config['name'])}{tag}</th>{''.join(cells)}</tr>"
        )
    return f"<table><tr><th>config</th>{head}</tr>{''.join(rows)}</table>"


def type_table(config: dict[str, Any]) -> str:
    metrics = TYPE_METRICS
    head = "".join(f"<th>{m}</th>" for m in metrics)
    rows = "".join(
        f"<tr><th>{escape(t)}</th>{''.join(f'<td>{format_value(m, s.get(m))}</td>' for m in metrics)}</tr>"
        for t, s in config["summary"].items()
    )
    return f"<table><tr><th>type</th>{head}</tr>{rows}</table>"


def failure_list(config: dict[str, Any]) -> str:
    entries = []
    for failure in config["failures"]:
        retrieved = "".join(
            f"<li class='{'rel' if r['relevant'] else ''}'><code>{escape(r['id'])} [{r['start']}–{r['end']}]</code>"
            f"{' ✓ relevant' if r['relevant'] else ''}<br>{escape(r['text'])}…</li>"
            for r in failure["retrieved"]
        )
        history = f"<div>history: {escape(' / '.join(failure['history']))}</div>" if failure["history"] else ""
        answer = f"<div>answer: {escape(failure['answer'])}</div>" if failure["answer"] else ""
        evidence = "".join(f"<li>{escape(e)}</li>" for e in failure["evidence"])
        entries.append(
            f"<div class=fail><b>{escape(failure['id'])}</b> ({escape(failure['type'])}) — "
            f"<span class=why>{escape('; '.join(failure['reasons']))}</span>"
            f"<div>Q: {escape(failure['question'])}</div>{history}"
            f"<div>expected: {escape(failure['expected'])}</div>"
            f"{f'<div>evidence:<ul>{evidence}</ul></div>' if evidence else ''}{answer}"
            f"<div>retrieved (top 5):<ol>{retrieved}</ol></div></div>"
        )
    return "".join(entries) or "<p>No failed items.</p>"


_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1250px;color:#222}
table{border-collapse:collapse;font-size:12px;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 6px}
td{text-align:right}th{background:#f4f4f4;text-align:left}td.best{font-weight:bold;background:#e6f4ea}
.tag{font-size:10px;background:#eee;border-radius:3px;padding:0 3px}.note{background:#fff7e0;padding:.6em}
.fail{border-left:3px solid #d33;margin:.8em 0;padding-left:.6em;font-size:12px}.why{color:#b00}
li.rel{background:#e6f4ea}code{font-size:11px}details{margin:.5em 0}summary{cursor:pointer;font-weight:600}
"""


def render_html(payload: dict[str, Any]) -> str:
    suite, configs = payload["suite"], payload["configs"]
    heldout = (
        "<p class=note>Held-out suite: never used for tuning; report it separately from the gold suite.</p>"
        if suite["name"] == "heldout"
        else ""
    )
    types = ", ".join(f"{t} {n}" for t, n in suite["types"].items())
    load = payload.get("machine", {})
    machine = f"{load.get('cpus', '?')} CPUs, load average {load.get('load_average', '?')} at the end"
    sections = "".join(
        f"<details{' open' if i == 0 else ''}><summary>{escape(c['name'])}: {len(c['failures'])} failed items, "
        f"{c['index'].get('passages', '?')} passages</summary><p>{escape(c['description'])}</p>"
        f"{type_table(c)}{failure_list(c)}</details>"
        for i, c in enumerate(configs)
    )
    return f"""<!doctype html><html lang=en><head><meta charset=utf-8>
<title>motionqa eval: {escape(suite["name"])}</title><style>{_STYLE}</style></head><body>
<h1>motionqa evaluation: {escape(suite["name"])}</h1>
<p>{suite["items"]} items ({escape(types)}); suite sha256 <code>{suite["sha256"][:16]}</code>;
generated {escape(payload["generated_at"])} on {machine}.</p>{heldout}
<h2>Comparison</h2>{comparison_table(configs)}<p>{escape(payload["definitions"])}</p>
<h2>Retrieval depth</h2>{charts.recall_curves(configs)}
<h2>By type and tag</h2>{charts.type_bars(configs)}
<h2>Latency</h2>{charts.latency_histogram(configs)}
<h2>Per configuration: by type, and failed items</h2>
<p>Failed: no relevant passage in the top 5, a false abstention, or an answer to an unanswerable question.</p>
{sections}</body></html>
"""
