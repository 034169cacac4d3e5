"""``motionqa eval``: run gold suites under named configurations, print a table, write a report.

Heavy imports (torch, the index) happen inside the commands, so ``--help`` and input
errors answer at once.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from assistant.api.settings import get_settings
from eval.configs import DEFAULT_CONFIG, ConfigError, EvalConfig, resolve_config, resolve_configs
from eval.report import format_value
from eval.suite import GoldItem, SuiteError, load_suite, resolve_suite, validate_suite

app = typer.Typer(help="Evaluate retrieval and answers against gold Q&A suites.", no_args_is_help=True)
console = Console()
SCRATCH_REPORTS = Path("reports") / "tmp"  # under the working directory
# Two narrow tables rather than one wide one, so they fit an 80-column terminal.
RETRIEVAL_COLUMNS = {
    "items": "items",
    "recall@1": "R@1",
    "recall@5": "R@5",
    "recall@10": "R@10",
    "success@1": "S@1",
    "success@5": "S@5",
    "mrr@10": "MRR",
    "ndcg@10": "nDCG",
}
ANSWER_COLUMNS = {
    "citation_hit_rate": "cite\nhit",
    "citation_precision": "cite\nprec",
    "citation_integrity": "integ-\nrity",
    "evidence_coverage": "evid\ncover",
    "answer_f1": "answer\nF1",
    "unanswerable_caught": "unans\ncaught",
    "false_abstention_rate": "false\nabstain",
    "hedged_rate": "hedged",
    "latency_p50_ms": "p50\nms",
    "latency_p95_ms": "p95\nms",
}

SuiteArg = Annotated[str, typer.Argument(help="A bundled suite (gold, heldout) or a path to a .jsonl file.")]
ReportOpt = Annotated[
    Path | None, typer.Option("--report", help="Folder for results.json and report.html (default: reports/tmp/…).")
]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N items (a quick check).")]


def fail(message: str) -> NoReturn:
    """A clear message on stderr and exit code 1 instead of a stack trace (every motionqa command's way).

    Printed as exactly one line, whatever the terminal width: scripts and people grep it.
    """
    one_line = " ".join(message.split())
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(one_line)}")
    raise typer.Exit(code=1)


def load_checked_suite(suite: str, limit: int | None = None) -> tuple[Path, list[GoldItem]]:
    """The suite's items, refused when any item is malformed or its evidence is not in the motion."""
    from index.parse.corpus import CorpusError, load_corpus
    from index.parse.parser import ParseError

    try:
        path = resolve_suite(suite)
        items = load_suite(path)
        documents = load_corpus(get_settings().data_dir)
    except (SuiteError, CorpusError, ParseError, OSError) as error:
        fail(str(error))
    if not items:
        fail(f"{path} has no items")
    problems = validate_suite(items, documents)
    if problems:
        shown = "\n  ".join(problems[:25]) + (f"\n  … and {len(problems) - 25} more" if len(problems) > 25 else "")
        fail(f"{path.name} has {len(problems)} problem(s):\n  {shown}")
    return path, items[:limit] if limit else items


def _execute(configs: list[EvalConfig], items: list[GoldItem]) -> list[Any]:
    """Each configuration in turn, with a progress bar per configuration."""
    from eval.evaluate import evaluate
    from index.parse.corpus import CorpusError
    from index.parse.parser import ParseError
    from index.store.files import IndexNotReady

    runs = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, TimeRemainingColumn(), console=Console(stderr=True)) as progress:
        for config in configs:
            task = progress.add_task(config.name, total=len(items))
            try:
                runs.append(
                    evaluate(
                        config,
                        items,
                        on_item=partial(_advance, progress, task),
                        on_status=partial(_status, progress),
                    )
                )
            except (IndexNotReady, CorpusError, ParseError, OSError, ValueError) as error:
                progress.stop()
                fail(f"configuration {config.name!r} failed: {error}")
    return runs


def _advance(progress: Progress, task: TaskID, _result: object) -> None:
    progress.advance(task)


def _status(progress: Progress, message: str) -> None:
    progress.console.print(f"[dim]{escape(message)}[/]")


def _print_tables(title: str, label: str, rows: dict[str, dict[str, Any]]) -> None:
    for part, columns in (("retrieval", RETRIEVAL_COLUMNS), ("answers", ANSWER_COLUMNS)):
        table = Table(title=f"{title} · {part}", box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
        table.add_column(label, overflow="fold")
        for header in columns.values():
            table.add_column(header, justify="right", no_wrap=True, min_width=5)
        for name, summary in rows.items():
            table.add_row(name, *(format_value(metric, summary.get(metric)) for metric in columns))
        console.print(table)


def _write(report: Path | None, default_name: str, suite_path: Path, items: list[GoldItem], runs: list[Any]) -> Path:
    from eval.report import build_payload, write_report

    directory = report or SCRATCH_REPORTS / default_name
    try:
        results, html = write_report(directory, build_payload(suite_path, items, runs))
    except OSError as error:
        fail(f"cannot write the report to {directory}: {error}")
    console.print(f"Wrote {results} and {html}")
    return results


@app.command()
def validate(suite: SuiteArg) -> None:
    """Check a suite: schema, duplicate ids, types, and that every evidence string is in the motion."""
    path, items = load_checked_suite(suite)
    counts = Counter(item.type for item in items)
    console.print(
        f"{path.name}: {len(items)} items, all valid ({', '.join(f'{t} {n}' for t, n in sorted(counts.items()))})"
    )


@app.command()
def run(
    suite: SuiteArg,
    config: Annotated[
        str, typer.Option("--config", help="A named configuration or a JSON object of settings overrides.")
    ] = DEFAULT_CONFIG,
    report: ReportOpt = None,
    limit: LimitOpt = None,
    gate: Annotated[bool, typer.Option("--gate", help="Exit non-zero outside eval/thresholds.json.")] = False,
) -> None:
    """Run one configuration over a suite: a table by question type, then the report."""
    try:
        chosen = resolve_config(config)
    except ConfigError as error:
        fail(str(error))
    path, items = load_checked_suite(suite, limit)
    thresholds = _gate_thresholds(path, chosen, limit) if gate else None
    (result,) = _execute([chosen], items)
    _print_tables(f"{path.stem} · {chosen.name}", "type", result.summary)
    _write(report, f"{path.stem}-{chosen.name}", path, items, [result])
    if thresholds is not None:
        _gate(thresholds, result.summary["all"])


def _gate_thresholds(path: Path, chosen: EvalConfig, limit: int | None) -> dict[str, Any]:
    """The stored minimums, refused up front when this run is not the one they were set for."""
    from eval.gate import gate_for, load_gates

    gate = gate_for(path.stem, load_gates())
    if gate is None or (chosen.name, limit) != (gate["config"], None):
        fail("gates apply to the full bundled suites under their configuration (see eval/thresholds.json)")
    return gate


def _gate(thresholds: dict[str, Any], summary: dict[str, float]) -> None:
    from eval.gate import check

    problems = check(summary, thresholds)
    if problems:
        fail("quality gate failed:\n  " + "\n  ".join(problems))
    console.print("[green]quality gate passed[/]")


@app.command()
def compare(
    suite: SuiteArg,
    configs: Annotated[str, typer.Option("--configs", help="Comma-separated configuration names.")],
    report: ReportOpt = None,
    limit: LimitOpt = None,
) -> None:
    """Run several configurations over one suite and compare them side by side."""
    try:
        chosen = resolve_configs(configs)
    except ConfigError as error:
        fail(str(error))
    path, items = load_checked_suite(suite, limit)
    runs = _execute(chosen, items)
    _print_tables(f"{path.stem}: {len(items)} items", "config", {r.config.name: r.summary["all"] for r in runs})
    results = _write(report, f"{path.stem}-compare", path, items, runs)
    for run in runs[1:]:
        if not run.config.retrieval_only:
            _print_paired(items, (results, runs[0].config.name), (results, run.config.name))


@app.command()
def diff(
    suite: SuiteArg,
    reference: Annotated[Path, typer.Argument(help="results.json of the reference run (A).")],
    candidate: Annotated[Path, typer.Argument(help="results.json of the candidate run (B).")],
    reference_config: Annotated[str | None, typer.Option(help="Configuration name inside A.")] = None,
    candidate_config: Annotated[str | None, typer.Option(help="Configuration name inside B.")] = None,
) -> None:
    """Compare two saved runs of one suite item by item, with a paired randomization test."""
    _, items = load_checked_suite(suite)
    _print_paired(items, (reference, reference_config), (candidate, candidate_config))


def _print_paired(items: list[GoldItem], a: tuple[Path, str | None], b: tuple[Path, str | None]) -> None:
    from eval.paired import RunFileError, compare, item_scores, load_run, per_item_changes
    from index.parse.corpus import load_corpus

    try:
        run_a, run_b = load_run(*a), load_run(*b)
    except RunFileError as error:
        fail(str(error))
    documents = {d.doc_id: d for d in load_corpus(get_settings().data_dir)}
    scores_a, scores_b = item_scores(run_a, items, documents), item_scores(run_b, items, documents)
    table = Table(
        title=f"{run_b['name']} (B) vs {run_a['name']} (A), paired randomization test",
        box=box.SIMPLE_HEAD,
        header_style="bold",
    )
    for column in ("metric", "items", "A", "B", "B−A", "wins", "losses", "p"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for row in compare(scores_a, scores_b):
        table.add_row(
            row.metric,
            str(row.items),
            f"{row.mean_a:.3f}",
            f"{row.mean_b:.3f}",
            f"{row.mean_b - row.mean_a:+.3f}",
            str(row.wins),
            str(row.losses),
            f"{row.p_value:.4f}" + (" *" if row.significant else ""),
        )
    console.print(table)
    won, lost = per_item_changes(scores_a, scores_b)
    console.print(f"citation hit won on: {', '.join(won) or '—'}", soft_wrap=True)
    console.print(f"citation hit lost on: {', '.join(lost) or '—'}", soft_wrap=True)


@app.command("train-ranker")
def train_ranker(
    suite: Annotated[str, typer.Argument(help="The suite to learn from (never the one you judge on).")] = "gold",
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write (default: MOTIONQA_RANKER_PATH).")
    ] = None,
) -> None:
    """Learn the sentence ranker from a suite's evidence, calibrate hedge/decline, write it atomically."""
    from assistant.read.ranker import RankerError, SentenceRanker, load_ranker, save_ranker
    from assistant.service import Assistant
    from eval.ranker_training import train
    from index.build import build_index
    from index.store.checksums import file_sha256

    path, items = load_checked_suite(suite)
    settings = get_settings()
    try:
        load_ranker(settings.ranker_path)
    except RankerError:  # new features: start from similarity alone
        save_ranker(SentenceRanker.bootstrap(), settings.ranker_path)
    build_index(settings, show_progress=False)  # the ranker's features need a current index
    assistant = Assistant.load(settings)
    ranker, trained = train(assistant, items, {"name": path.stem, "sha256": file_sha256(path), "items": len(items)})
    target = output or settings.ranker_path
    try:
        save_ranker(ranker, target)
    except OSError as error:
        fail(f"cannot write the ranker to {target}: {error}")
    console.print(
        f"Trained on {trained['questions']} questions ({trained['rows']} sentences, {trained['positives']} relevant), "
        f"C={trained['C']}, cross-validated top-1 {max(trained['cv_top1'].values()):.3f}; "
        f"hedge below {ranker.thresholds.hedge:.3f}, decline below {ranker.thresholds.decline:.3f}. Wrote {target}."
    )
