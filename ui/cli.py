"""The ``motionqa`` command line: build the index, search, serve, evaluate, benchmark."""

from __future__ import annotations

import contextlib
import sys
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from assistant.api.settings import get_settings
from assistant.settings import RetrievalMode
from eval.bench.cli import bench
from eval.cli import app as eval_app
from eval.cli import fail
from index.encode.export import ModelError
from index.parse.corpus import CorpusError
from index.parse.parser import ParseError
from index.store.files import IndexNotReady
from ui.feedback_cli import feedback_app
from ui.logs import route_diagnostics
from ui.ready import ready_assistant, say

app = typer.Typer(help="Ask a Swedish Riksdag motion questions, with cited answers.", no_args_is_help=True)
index_app = typer.Typer(help="Build and inspect the search index.", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.add_typer(eval_app, name="eval")
app.add_typer(feedback_app, name="feedback")
app.command("bench")(bench)
console = Console()


@app.callback()
def check_settings(
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show libraries' warnings and debug lines (else only in the log file).")
    ] = False,
) -> None:
    """Read MOTIONQA_* settings once, up front, so a bad value is one clear line, not a traceback."""
    try:
        settings = get_settings()
    except ValidationError as error:
        problems = "; ".join(f"MOTIONQA_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors())
        fail(f"invalid settings: {problems}")
    route_diagnostics(settings.log_path, verbose)


@index_app.command("build")
def index_build(force: Annotated[bool, typer.Option("--force", help="Rebuild even if current.")] = False) -> None:
    """Parse, chunk and embed the motion; rebuilds only when an input changed."""
    from index.build import build_index

    try:
        report = build_index(get_settings(), force=force, show_progress=sys.stderr.isatty(), announce=say)
    except (CorpusError, ParseError, IndexNotReady, ModelError, OSError) as error:
        fail(str(error))
    if not report.rebuilt:
        console.print("the index is current: nothing to do (--force rebuilds it)", highlight=False)
        return
    console.print(
        f"built a new index: {report.plain_reason} ({report.chunks} passages and {report.sentences} sentences "
        f"in {report.seconds:.0f} s)",
        soft_wrap=True,
        highlight=False,
    )


@index_app.command("info")
def index_info() -> None:
    """Show the manifest of the current index."""
    from index.store.files import read_manifest

    try:
        manifest = read_manifest(get_settings().index_dir)
    except IndexNotReady as error:
        fail(str(error))
    console.print_json(data=manifest.model_dump(mode="json", exclude={"files"}))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="A question or keywords, Swedish or English.")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many passages.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, dense or bm25.")] = "hybrid",
) -> None:
    """Print the best passages with section, score and offsets."""
    if mode not in ("hybrid", "dense", "bm25"):
        fail(f"unknown mode {mode!r}: choose hybrid, dense or bm25")
    if not query.strip():
        fail("the query is empty")
    assistant = ready_assistant()
    hits = assistant.search(query, k=k, mode=_mode(mode))
    table = Table(show_lines=True)
    for column in ("#", "score", "section", "offsets", "passage"):
        table.add_column(column)
    for rank, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        label = chunk.section + (f" (yrkande {chunk.yrkande})" if chunk.yrkande else "")
        label += f" (fotnot {chunk.footnote})" if chunk.footnote else ""
        table.add_row(str(rank), f"{hit.score:.4f}", label, f"{chunk.start}–{chunk.end}", chunk.text)
    console.print(table)


@app.command()
def ask(question: Annotated[str, typer.Argument(help="A question, Swedish or English.")]) -> None:
    """Answer one question with cited sentences."""
    if not question.strip():
        fail("the question is empty")
    result = ready_assistant().ask(question)
    console.print(result.answer.text)
    for citation in result.answer.citations or result.answer.see_also:
        console.print(f"  [{citation.n}] {citation.section} ({citation.start}–{citation.end}) {citation.id}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default from MOTIONQA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default from MOTIONQA_PORT).")] = None,
) -> None:
    """Serve the chat UI at / and the API at /api on one port (builds the index first if needed)."""
    import uvicorn

    from ui.server import create_app
    from ui.serving import uvicorn_options

    # The app is built for the address it serves (the MCP transport's Host check reads it).
    settings = get_settings().model_copy(
        update={"host": host or get_settings().host, "port": port or get_settings().port}
    )
    application = create_app(settings, ready_assistant())
    host, port = settings.host, settings.port
    console.print(f"motionqa: chat at http://{host}:{port}/ · API docs at http://{host}:{port}/docs", soft_wrap=True)
    uvicorn.run(application, host=host, port=port, **uvicorn_options(settings))


@app.command("mcp")
def mcp_stdio() -> None:
    """Serve the MCP tools over stdio, for desktop clients such as Claude Desktop (builds the index first if needed).

    stdout carries only the protocol: loading messages and logs go to stderr.
    """
    from assistant.api.mcp_server import create_mcp

    with contextlib.redirect_stdout(sys.stderr):
        server = create_mcp(ready_assistant(), get_settings())
    server.run("stdio")


def _mode(mode: str) -> RetrievalMode:
    return mode  # type: ignore[return-value]  # validated by the caller
