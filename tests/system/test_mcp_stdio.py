"""``motionqa mcp``: the MCP tools over stdio, as a desktop client runs them (a subprocess), driven by the
official SDK's client; and its stdout carries nothing but the protocol, even while a first run builds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp_types import TextContent

from assistant.api.settings import Settings
from eval.bench.server import child_environment

MOTIONQA = str(Path(sys.executable).with_name("motionqa"))
TOOLS = {"search", "ask", "get_passage", "list_yrkanden", "get_yrkande", "get_footnote"}


def test_a_desktop_client_lists_and_calls_the_tools(settings: Settings, assistant, document) -> None:
    """One session over stdio (the index is built by the ``assistant`` fixture): every tool, and bad calls."""
    server = StdioServerParameters(command=MOTIONQA, args=["mcp"], env=child_environment(settings))

    async def session() -> dict[str, Any]:
        async with stdio_client(server) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            seen: dict[str, Any] = {"tools": (await client.list_tools()).tools}
            for name, arguments in {
                "search": {"query": "våldsbejakande pornografi", "k": 2},
                "ask": {"question": "Vad menas med ekonomiskt våld?"},
                "get_yrkande": {"number": 7},
                "get_footnote": {"number": 12},
                "list_yrkanden": {},
                "bad_yrkande": {"number": 22},
                "bad_k": {"query": "våld", "k": 0},
                "bad_question": {"question": " \n "},
            }.items():
                tool = {"bad_yrkande": "get_yrkande", "bad_k": "search", "bad_question": "ask"}.get(name, name)
                seen[name] = await client.call_tool(tool, arguments)
            passage_id = seen["search"].structured_content["results"][0]["id"]
            seen["get_passage"] = await client.call_tool("get_passage", {"id": passage_id})
            return seen

    seen = anyio.run(session)
    assert {tool.name for tool in seen["tools"]} == TOOLS
    assert all(tool.input_schema and tool.output_schema for tool in seen["tools"])
    assert "pornografi" in seen["search"].structured_content["results"][0]["text"].lower()
    assert seen["ask"].structured_content["outcome"] == "answered"
    assert seen["get_yrkande"].structured_content["text"] == document.slice(document.yrkanden[6])
    assert seen["get_footnote"].structured_content["text"] == document.slice(document.footnotes[11])
    assert len(seen["list_yrkanden"].structured_content["yrkanden"]) == 21
    assert seen["get_passage"].structured_content["id"] == seen["search"].structured_content["results"][0]["id"]
    for bad, message in (
        ("bad_yrkande", "no yrkande 22"),
        ("bad_k", "greater than or equal to 1"),
        ("bad_question", "question: Must not be empty or blank"),
    ):
        result = seen[bad]
        assert result.is_error and message in " ".join(b.text for b in result.content if isinstance(b, TextContent))


@pytest.mark.timeout(600)
def test_stdout_is_only_protocol_while_a_first_run_builds(tiny_settings: Settings) -> None:
    """A fresh index folder: the build's messages go to stderr, every stdout line is a JSON-RPC message."""
    process = subprocess.Popen(
        [MOTIONQA, "mcp"],
        env=child_environment(tiny_settings),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None

    def exchange(*messages: dict[str, Any]) -> dict[str, Any]:
        """Send, then read the next stdout line: it must be a JSON-RPC message."""
        assert process.stdin is not None and process.stdout is not None
        for message in messages:
            process.stdin.write(json.dumps({"jsonrpc": "2.0", **message}) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        reply = json.loads(line)
        assert reply["jsonrpc"] == "2.0", line
        return reply

    try:
        hello = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}
        initialized = exchange({"id": 1, "method": "initialize", "params": hello})
        assert initialized["result"]["serverInfo"]["name"] == "motionqa"
        listed = exchange(
            {"method": "notifications/initialized"},
            {"id": 2, "method": "tools/call", "params": {"name": "list_yrkanden", "arguments": {}}},
        )
        assert listed["id"] == 2 and listed["result"]["structuredContent"]["yrkanden"]
    finally:
        stdout, stderr = process.communicate(timeout=120)  # closes stdin: the server ends
    assert process.returncode == 0, stderr
    assert all(json.loads(line)["jsonrpc"] == "2.0" for line in stdout.splitlines()), stdout
    assert "building the index" in stderr, "the first run's message is on stderr"
