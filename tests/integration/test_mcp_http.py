"""The MCP tools at ``/mcp`` over streamable HTTP, driven by the official SDK's client against the whole app
(API and chat) on loopback, with ``MOTIONQA_API_KEY`` set: tools, schemas, real content, tool errors, the key."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import anyio
import httpx
import pytest
from helpers import api_for, variant
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp_types import CallToolResult, TextContent
from pydantic import SecretStr
from servers import LiveServer

from assistant.api.settings import Settings

KEY = "mcp-test-key-5f2c"
TOOLS = {"search", "ask", "get_passage", "list_yrkanden", "get_yrkande", "get_footnote"}
T = TypeVar("T")
HELLO = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "httpx", "version": "0"}}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": HELLO}


@pytest.fixture(scope="module")
def keyed_server(assistant) -> Iterator[LiveServer]:
    from ui.server import create_app

    keyed = variant(assistant, api_key=SecretStr(KEY))
    with LiveServer(create_app(keyed.settings, keyed), keyed.settings) as server:
        yield server


def over_mcp(server: LiveServer, work: Callable[[ClientSession], Awaitable[T]], key: str = KEY) -> T:
    """Run ``work`` in an initialized SDK client session with the key as bearer token."""

    async def session() -> T:
        headers = {"Authorization": f"Bearer {key}"}
        async with (
            create_mcp_http_client(headers=headers) as http,
            streamable_http_client(f"{server.url}/mcp", http_client=http) as (read, write),
            ClientSession(read, write) as client,
        ):
            await client.initialize()
            return await work(client)

    return anyio.run(session)


def call(server: LiveServer, tool: str, arguments: dict[str, Any]) -> CallToolResult:
    return over_mcp(server, lambda client: client.call_tool(tool, arguments))


def text_of(result: CallToolResult) -> str:
    return " ".join(block.text for block in result.content if isinstance(block, TextContent))


def test_every_tool_has_input_and_output_schemas(keyed_server: LiveServer) -> None:
    tools = over_mcp(keyed_server, lambda client: client.list_tools()).tools
    assert {tool.name for tool in tools} == TOOLS
    for tool in tools:
        assert tool.description and tool.input_schema["type"] == "object", tool.name
        assert tool.output_schema is not None and tool.output_schema["type"] == "object", tool.name
        assert tool.annotations is not None and tool.annotations.read_only_hint, tool.name
    schemas = {tool.name: tool.input_schema for tool in tools}
    assert schemas["search"]["required"] == ["query"]
    assert schemas["search"]["properties"]["k"]["maximum"] == 50  # the API's limit, from the same type
    assert set(schemas["search"]["properties"]["mode"]["enum"]) == {"hybrid", "dense", "bm25"}


def test_search_finds_passages_with_their_offsets(keyed_server: LiveServer, document) -> None:
    result = call(keyed_server, "search", {"query": "barnahus", "k": 3, "mode": "bm25"})
    assert not result.is_error, text_of(result)
    passages = result.structured_content["results"]
    assert len(passages) == 3 and "barnahus" in passages[0]["text"].lower()
    for passage in passages:
        assert document.text[passage["start"] : passage["end"]] == passage["text"]


def test_ask_gives_a_cited_answer(keyed_server: LiveServer, document) -> None:
    result = call(keyed_server, "ask", {"question": "Vad menas med ekonomiskt våld?"})
    answer = result.structured_content
    assert not result.is_error and answer["outcome"] == "answered" and "Ekonomiskt våld" in answer["answer"]
    assert answer["citations"] and all(document.text[c["start"] : c["end"]] == c["text"] for c in answer["citations"])


def test_ask_follows_up_with_the_history(keyed_server: LiveServer) -> None:
    first = "Vad föreslår motionen om barnahus?"
    earlier = call(keyed_server, "ask", {"question": first}).structured_content["answer"]
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": earlier}]
    alone = call(keyed_server, "ask", {"question": "Varför?"}).structured_content
    followed = call(keyed_server, "ask", {"question": "Varför?", "history": history}).structured_content
    assert alone["outcome"] == "declined", "a bare 'Varför?' with nothing to follow asks what is meant"
    assert followed["outcome"] != "declined" and followed["citations"]


def test_get_passage_gives_the_passage_in_context(keyed_server: LiveServer, document) -> None:
    found = call(keyed_server, "search", {"query": "IPVI", "k": 1}).structured_content["results"][0]
    passage = call(keyed_server, "get_passage", {"id": found["id"], "context": 40}).structured_content
    assert passage["text"] == found["text"]
    assert passage["context_before"] == document.text[max(0, found["start"] - 40) : found["start"]]
    assert passage["context_after"] == document.text[found["end"] : found["end"] + 40]


def test_the_yrkanden_and_footnotes_are_the_motions_own(keyed_server: LiveServer, document) -> None:
    listed = call(keyed_server, "list_yrkanden", {}).structured_content["yrkanden"]
    assert [y["number"] for y in listed] == list(range(1, 22))
    seventh = call(keyed_server, "get_yrkande", {"number": 7}).structured_content
    assert seventh == listed[6] and seventh["text"] == document.slice(document.yrkanden[6])
    assert "ogrundade processer i syfte att trakassera" in seventh["text"]
    footnote = call(keyed_server, "get_footnote", {"number": 12}).structured_content
    assert footnote["number"] == 12 and footnote["text"].startswith("SOU 2022:70, En uppväxt fri från våld")
    assert document.text[footnote["start"] : footnote["end"]] == footnote["text"]


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    [
        ("get_yrkande", {"number": 99}, "no yrkande 99; the motion's yrkanden are numbered 1–21"),
        ("get_footnote", {"number": 44}, "no footnote 44; the motion's footnotes are numbered 1–43"),
        ("get_yrkande", {"number": 0}, "greater than or equal to 1"),
        ("get_yrkande", {"number": 7, "doc_id": "nope"}, "no document 'nope'"),
        ("search", {"query": "barnahus", "k": 99}, "less than or equal to 50"),
        ("search", {"query": "barnahus", "mode": "fuzzy"}, "'hybrid', 'dense' or 'bm25'"),
        ("search", {"query": "   "}, "query: Must not be empty or blank"),
        ("ask", {"question": ""}, "question: Must not be empty or blank"),
        ("ask", {"question": "x" * 2001}, "question: Should have at most 2000 characters"),
        ("ask", {"question": "Varför?", "history": [{"role": "robot", "content": "hej"}]}, "'user' or 'assistant'"),
        ("ask", {"question": "Varför?", "history": [{"role": "user", "content": "a\x00b"}]}, "control characters"),
        ("get_passage", {"id": "no-such-passage"}, "no passage 'no-such-passage'"),
        ("get_passage", {"id": "x", "context": -1}, "greater than or equal to 0"),
    ],
)
def test_bad_input_is_a_tool_error_with_a_clear_message(
    keyed_server: LiveServer, tool: str, arguments: dict[str, Any], message: str
) -> None:
    result = call(keyed_server, tool, arguments)
    assert result.is_error and result.structured_content is None
    assert message in text_of(result)


def test_mcp_needs_the_key(keyed_server: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
    for headers in ({}, {"authorization": "Bearer nope"}, {"authorization": KEY}):
        response = httpx.post(f"{keyed_server.url}/mcp", json=INITIALIZE, headers=headers, timeout=30)
        assert response.status_code == 401 and response.json() == {"detail": "missing or wrong API key"}
        assert response.headers["www-authenticate"] == "Bearer"
    caplog.clear()
    with caplog.at_level(logging.INFO, "motionqa.access"), pytest.raises(Exception):  # noqa: B017 (the SDK's group)
        over_mcp(keyed_server, lambda client: client.list_tools(), key="nope")
    statuses = {json.loads(r.getMessage())["status"] for r in caplog.records if r.name == "motionqa.access"}
    assert statuses == {401}, "the SDK's client was refused at the door, before any MCP message"


def test_mcp_has_the_apis_body_limit_and_a_host_check(keyed_server: LiveServer, settings: Settings) -> None:
    headers = {"authorization": f"Bearer {KEY}", "content-type": "application/json"}
    too_big = b"x" * (settings.max_request_bytes + 1)
    big = httpx.post(f"{keyed_server.url}/mcp", content=too_big, headers=headers, timeout=30)
    assert big.status_code == 413 and "request body over" in big.json()["detail"]
    rebound = httpx.post(
        f"{keyed_server.url}/mcp", json=INITIALIZE, headers={**headers, "host": "evil.example"}, timeout=30
    )
    assert rebound.status_code == 421, "a loopback server answers only to loopback names (DNS rebinding)"
    assert rebound.text == "Invalid Host header"
    foreign = httpx.post(
        f"{keyed_server.url}/mcp", json=INITIALIZE, headers={**headers, "origin": "http://evil.example"}, timeout=30
    )
    assert foreign.status_code == 403


@pytest.mark.parametrize("method", ["GET", "DELETE", "PUT"])
def test_only_post_is_served(keyed_server: LiveServer, method: str) -> None:
    """A stateless server has no event stream to GET (the SDK's would hang for ever) and no session to DELETE."""
    headers = {"authorization": f"Bearer {KEY}", "accept": "text/event-stream"}
    response = httpx.request(method, f"{keyed_server.url}/mcp", headers=headers, timeout=10)
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert response.json()["detail"].startswith(f"method {method} not allowed here; use POST")


def test_a_server_bound_beyond_loopback_answers_to_its_names(assistant) -> None:
    """Bound to every interface, clients reach it by other names; the key, not the Host check, protects it."""
    with LiveServer(api_for(variant(assistant, host="0.0.0.0"))) as server:
        named = httpx.post(f"{server.url}/mcp", json=INITIALIZE, headers={"host": "motionqa.example:8000"}, timeout=30)
    assert named.status_code == 200 and named.json()["result"]["serverInfo"]["name"] == "motionqa"


def test_the_server_leaves_logging_to_the_app(assistant, settings: Settings) -> None:
    """The SDK's constructor would configure the root logger (python-sdk #1656): ``motionqa serve``'s access
    log would change format and every library's INFO lines would print."""
    from assistant.api.mcp_server import create_mcp

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers.clear()  # as in ``motionqa serve``: nobody configured logging
    try:
        create_mcp(assistant, settings)
        assert root.handlers == [] and root.level == level
    finally:
        root.handlers[:] = handlers
