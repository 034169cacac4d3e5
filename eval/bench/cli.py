"""The ``motionqa bench`` command (registered in ``ui.cli``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assistant.api.settings import get_settings


def bench(
    requests: Annotated[int, typer.Option("--requests", min=1, help="Requests per measurement.")] = 200,
    report: Annotated[Path, typer.Option("--report", help="Folder for bench.json and bench.png.")] = Path(".")
    / "var"
    / "bench",
    build: Annotated[bool, typer.Option("--build/--no-build", help="Time a full index build too.")] = True,
    langchain: Annotated[bool, typer.Option("--langchain/--no-langchain", help="Run the LangChain baseline.")] = True,
) -> None:
    """Latency, throughput, memory and build time of motionqa over HTTP and in-process, vs LangChain."""
    from eval.bench.report import print_tables, write_json, write_plot
    from eval.bench.runner import run_bench

    console = Console()
    result = run_bench(get_settings(), requests, build=build, langchain=langchain)
    json_path = write_json(result, report)
    png_path = write_plot(result, report)
    print_tables(result, console)
    console.print(f"Wrote {json_path} and {png_path}.")
