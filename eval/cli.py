"""``motionqa eval``: run gold suites under named configurations, print a table, write a report.

Heavy imports (torch, the index) happen inside the commands, so ``--help`` and input
errors answer at once.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
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

from assistant.api.settings import get_settings
from eval.configs import DEFAULT_CONFIG, ConfigError, EvalConfig, resolve_config, resolve_configs
from eval.printer import OutputFormat, Printer
from eval.suite import GoldItem, SuiteError, bundled_suites, load_suite, resolve_suite, suite_notes, validate_suite
from eval.tables import paired_grid, summary_grids

app = typer.Typer(help="Evaluate retrieval and answers against gold Q&A suites.", no_args_is_help=True)
console = Console()
SCRATCH_REPORTS = Path("reports") / "tmp"  # under the working directory

SuiteArg = Annotated[
    str, typer.Argument(help="A bundled suite (gold, heldout, readers) or a path to a .jsonl or .csv file.")
]
SuitesArg = Annotated[
    list[str],
    typer.Argument(help="Bundled suites (gold, heldout, readers) or .jsonl/.csv paths; each is reported separately."),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", help="Tables for the terminal, Markdown for reports, or JSON (all figures) on stdout."),
]
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


def _print_run(printer: Printer, suite: str, runs: list[Any], label: str) -> None:
    """A suite's summaries: by type and tag for one configuration, by configuration for several."""
    if len(runs) == 1:
        title, rows = f"{suite} · {runs[0].config.name}", runs[0].summary
    else:
        title, rows = suite, {run.config.name: run.summary["all"] for run in runs}
    for grid in summary_grids(title, label, rows):
        printer.grid(grid)
    for run in runs:
        printer.record("runs", {"suite": suite, "config": run.config.name, "summary": run.summary})


def _write(printer: Printer, directory: Path, suite_path: Path, items: list[GoldItem], runs: list[Any]) -> Path:
    from eval.report import build_payload, write_report

    try:
        results, html = write_report(directory, build_payload(suite_path, items, runs))
    except OSError as error:
        fail(f"cannot write the report to {directory}: {error}")
    printer.note(f"Wrote {results} and {html}")
    return results


def _report_dir(report: Path | None, suites: int, suite_path: Path, default_name: str) -> Path:
    """``--report`` itself for one suite, a folder per suite inside it for several; else a scratch folder."""
    if report is None:
        return SCRATCH_REPORTS / default_name
    return report if suites == 1 else report / suite_path.stem


def _load_all(suites: list[str], limit: int | None) -> list[tuple[Path, list[GoldItem]]]:
    """Every suite checked before anything runs, so a typo in the third suite costs no time."""
    loaded = [load_checked_suite(suite, limit) for suite in suites]
    names = [path.stem for path, _ in loaded]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        fail(f"suite listed twice: {', '.join(repeated)}")
    return loaded


@app.command()
def validate(suite: SuiteArg) -> None:
    """Check a suite: ids unique, evidence verbatim in the motion, conversations well formed; then what it holds."""
    path, items = load_checked_suite(suite)
    console.print(f"{path.name}: {len(items)} items, all valid", highlight=False)
    for note in suite_notes(items):
        console.print(f"  {escape(note)}", highlight=False, soft_wrap=True)


@app.command()
def run(
    suites: SuitesArg,
    config: Annotated[
        str, typer.Option("--config", help="A named configuration or a JSON object of settings overrides.")
    ] = DEFAULT_CONFIG,
    report: ReportOpt = None,
    limit: LimitOpt = None,
    gate: Annotated[bool, typer.Option("--gate", help="Exit non-zero outside eval/thresholds.json.")] = False,
    against: Annotated[
        Path | None,
        typer.Option("--against", help="An earlier run (results.json or --report folder): a paired test per suite."),
    ] = None,
    output_format: FormatOpt = OutputFormat.table,
) -> None:
    """Run one configuration over one or more suites: tables by type and tag per suite, then the reports."""
    try:
        chosen = resolve_config(config)
    except ConfigError as error:
        fail(str(error))
    loaded = _load_all(suites, limit)
    thresholds = {path: _gate_thresholds(path, chosen, limit) for path, _ in loaded} if gate else {}
    earlier = _saved_runs(against) if against else {}
    printer = Printer(output_format)
    problems = []
    for path, items in loaded:
        (result,) = _execute([chosen], items)
        _print_run(printer, path.stem, [result], "type")
        directory = _report_dir(report, len(loaded), path, f"{path.stem}-{chosen.name}")
        results = _write(printer, directory, path, items, [result])
        if path.stem in earlier:
            _print_paired(printer, path.stem, items, (earlier[path.stem], None), (results, chosen.name))
        elif against:
            printer.note(f"{against} has no run of {path.stem}: no paired test for it")
        if path in thresholds:
            problems += _gate_problems(thresholds[path], result.summary["all"])
    printer.finish()
    if gate:
        _gate(problems)


def _gate_thresholds(path: Path, chosen: EvalConfig, limit: int | None) -> dict[str, Any]:
    """The stored minimums, refused up front when this run is not the one they were set for."""
    from eval.gate import gate_for, load_gates

    gate = gate_for(path.stem, load_gates())
    if gate is None or (chosen.name, limit) != (gate["config"], None):
        fail("gates apply to the full bundled suites under their configuration (see eval/thresholds.json)")
    return gate


def _gate_problems(thresholds: dict[str, Any], summary: dict[str, float]) -> list[str]:
    from eval.gate import check

    return check(summary, thresholds)


def _gate(problems: list[str]) -> None:
    if problems:
        fail("quality gate failed:\n  " + "\n  ".join(problems))
    Console(stderr=True).print("[green]quality gate passed[/]")


@app.command()
def compare(
    suites: SuitesArg,
    configs: Annotated[str, typer.Option("--configs", help="Comma-separated configuration names.")],
    report: ReportOpt = None,
    limit: LimitOpt = None,
    output_format: FormatOpt = OutputFormat.table,
) -> None:
    """Run several configurations over each suite: side by side, then a paired test against the first."""
    try:
        chosen = resolve_configs(configs)
    except ConfigError as error:
        fail(str(error))
    loaded = _load_all(suites, limit)
    printer = Printer(output_format)
    for path, items in loaded:
        runs = _execute(chosen, items)
        _print_run(printer, path.stem, runs, "config")
        results = _write(printer, _report_dir(report, len(loaded), path, f"{path.stem}-compare"), path, items, runs)
        for run in runs[1:]:
            if not run.config.retrieval_only:
                _print_paired(printer, path.stem, items, (results, runs[0].config.name), (results, run.config.name))
    printer.finish()


@app.command()
def diff(
    reference: Annotated[Path, typer.Argument(help="The reference run (A): a results.json or a --report folder.")],
    candidate: Annotated[Path, typer.Argument(help="The candidate run (B): a results.json or a --report folder.")],
    reference_config: Annotated[str | None, typer.Option(help="Configuration name inside A.")] = None,
    candidate_config: Annotated[str | None, typer.Option(help="Configuration name inside B.")] = None,
    output_format: FormatOpt = OutputFormat.table,
) -> None:
    """Compare two saved runs item by item, per suite both hold, with a paired randomization test."""
    runs_a, runs_b = _saved_runs(reference), _saved_runs(candidate)
    common = [name for name in runs_a if name in runs_b]
    if not common:
        fail(f"{reference} ({', '.join(runs_a)}) and {candidate} ({', '.join(runs_b)}) share no suite")
    printer = Printer(output_format)
    for name in common:
        _, items = load_checked_suite(_suite_of(runs_b[name]))
        _print_paired(printer, name, items, (runs_a[name], reference_config), (runs_b[name], candidate_config))
    printer.finish()


def _saved_runs(location: Path) -> dict[str, Path]:
    """{suite name: results.json} in a results.json or a --report folder (one suite, or a folder per suite)."""
    from eval.paired import RunFileError, suite_name

    files = (
        [location]
        if location.is_file()
        else sorted(location.glob("results.json")) or sorted(location.glob("*/results.json"))
    )
    if not files:
        fail(f"{location} holds no results.json")
    try:
        return {suite_name(file): file for file in files}
    except RunFileError as error:
        fail(str(error))


def _suite_of(results: Path) -> str:
    """The suite a saved run was made on: the bundled suite of that name, else the file it was read from."""
    from eval.paired import suite_record

    record = suite_record(results)
    try:
        return str(resolve_suite(record["name"]))
    except SuiteError:
        return str(record["path"])


def _print_paired(
    printer: Printer, suite: str, items: list[GoldItem], a: tuple[Path, str | None], b: tuple[Path, str | None]
) -> None:
    from eval.paired import RunFileError, compare, item_scores, load_run, per_item_changes
    from index.parse.corpus import load_corpus

    try:
        run_a, run_b = load_run(*a), load_run(*b)
    except RunFileError as error:
        fail(str(error))
    documents = {d.doc_id: d for d in load_corpus(get_settings().data_dir)}
    scores_a, scores_b = item_scores(run_a, items, documents), item_scores(run_b, items, documents)
    rows = compare(scores_a, scores_b)
    title = f"{suite}: {run_b['name']} (B) vs {run_a['name']} (A), paired randomization test"
    printer.grid(paired_grid(title, rows))
    won, lost = per_item_changes(scores_a, scores_b)
    printer.note(f"citation hit won on: {', '.join(won) or '—'}")
    printer.note(f"citation hit lost on: {', '.join(lost) or '—'}")
    printer.record(
        "paired",
        {
            "suite": suite,
            "a": run_a["name"],
            "b": run_b["name"],
            "metrics": [{**row.__dict__, "significant": row.significant} for row in rows],
            "citation_hit_won": won,
            "citation_hit_lost": lost,
        },
    )


@app.command("train-ranker")
def train_ranker(
    suites: Annotated[
        list[str] | None,
        typer.Argument(help="The suites to learn from, each held out in turn (default: every bundled suite)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write (default: MOTIONQA_RANKER_PATH).")
    ] = None,
) -> None:
    """Learn the sentence ranker from suites' evidence, calibrate hedge/decline, write it atomically."""
    from assistant.read.ranker import RankerError, SentenceRanker, load_ranker, save_ranker
    from assistant.service import Assistant
    from eval.ranker_training import train
    from index.build import build_index
    from index.store.checksums import file_sha256

    loaded = {path.stem: (path, items) for path, items in map(load_checked_suite, suites or bundled_suites())}
    if len(loaded) < len(suites or loaded):
        fail("each suite must have its own name: two of those given are called the same")
    settings = get_settings()
    try:
        load_ranker(settings.ranker_path)
    except RankerError:  # new features: start from similarity alone
        save_ranker(SentenceRanker.bootstrap(), settings.ranker_path)
    build_index(settings, show_progress=False)  # the ranker's features need a current index
    assistant = Assistant.load(settings, allow_ranker_mismatch=True)  # retraining is how a mismatch is mended
    records = [
        {"name": name, "sha256": file_sha256(path), "items": len(items)} for name, (path, items) in loaded.items()
    ]
    ranker, trained = train(assistant, {name: items for name, (_, items) in loaded.items()}, records)
    target = output or settings.ranker_path
    try:
        save_ranker(ranker, target)
    except OSError as error:
        fail(f"cannot write the ranker to {target}: {error}")
    held_out = ", ".join(f"{name} {top1:.3f}" for name, top1 in trained["held_out_top1"].items())
    off_topic = ", ".join(f"{language} {bound:.3f}" for language, bound in ranker.thresholds.off_topic.items())
    console.print(
        f"Trained on {trained['questions']} questions ({trained['rows']} sentences, {trained['positives']} relevant), "
        f"C={trained['C']}; top-1 held out ({trained['held_out']}): {held_out}; "
        f"hedge below {ranker.thresholds.hedge:.3f}, decline below {ranker.thresholds.decline:.3f}, "
        f"off topic below {off_topic}. Wrote {target}."
    )
