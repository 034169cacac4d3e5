"""Test helpers for reliability tests: assistant variants, a fake LLM endpoint, a server subprocess."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from assistant.service import Assistant

ROOT = Path(__file__).resolve().parents[1]


def variant(assistant: Assistant, **settings: Any) -> Assistant:
    """A fresh assistant (own sessions and caches) with other settings over the same loaded index and model."""
    return Assistant(assistant.settings.model_copy(update=settings), assistant.index, assistant.embedder)


def api_for(assistant: Assistant) -> Any:
    """The API app over ``assistant``, with the API settings the test gave it (``variant``)."""
    from assistant.api.app import create_api

    return create_api(assistant, assistant.settings)  # the tests' settings hold every layer


def sse_events(lines: Iterable[str]) -> list[tuple[str | None, Any]]:
    """(event, decoded data) pairs of a Server-Sent Events stream, in order."""
    events: list[tuple[str | None, Any]] = []
    event = None
    for line in lines:
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            events.append((event, json.loads(line.split(":", 1)[1])))
    return events


def chat_reply(content: str | None) -> bytes:
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()


class FakeLLM:
    """An OpenAI-compatible ``/chat/completions`` on loopback whose behaviour a test sets.

    ``behave(handler, request_json)`` writes the whole response; ``reply()`` and friends make common ones.
    """

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.behave: Callable[[BaseHTTPRequestHandler, dict[str, Any]], None] = self.reply("Svar [1].")
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                request = json.loads(body)
                outer.requests.append({"path": self.path, "headers": dict(self.headers), "json": request})
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    outer.behave(self, request)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def raw(status: int, body: bytes, content_type: str = "application/json", delay: float = 0.0):
        def behave(handler: BaseHTTPRequestHandler, _: dict[str, Any]) -> None:
            time.sleep(delay)
            handler.send_response(status)
            handler.send_header("content-type", content_type)
            handler.send_header("content-length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        return behave

    @classmethod
    def reply(cls, content: str | None, delay: float = 0.0):
        return cls.raw(200, chat_reply(content), delay=delay)

    @staticmethod
    def trickle(content: str, seconds_per_byte: float):
        """Headers at once, then the body one byte at a time: every single read is quick."""

        def behave(handler: BaseHTTPRequestHandler, _: dict[str, Any]) -> None:
            body = chat_reply(content)
            handler.send_response(200)
            handler.send_header("content-type", "application/json")
            handler.send_header("content-length", str(len(body)))
            handler.end_headers()
            for byte in body:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(seconds_per_byte)

        return behave


def error_text(response: httpx.Response) -> str:
    """An /api error as one line, its shape checked: a 422's structured problems, or any other status's sentence."""
    detail = response.json()["detail"]
    if response.status_code != 422:
        assert isinstance(detail, str), detail
        return detail
    assert isinstance(detail, list) and detail, detail
    for problem in detail:
        assert set(problem) == {"loc", "msg", "type"} and problem["loc"][0] == "body", problem
        assert isinstance(problem["msg"], str) and isinstance(problem["type"], str), problem
    return "; ".join(f"{'.'.join(map(str, p['loc'][1:]))}: {p['msg']} ({p['type']})" for p in detail)


def gradio_event(http: httpx.Client, route: str, body: dict[str, Any]) -> tuple[int, str]:
    """Call a chat function as the page does (``queue/join`` then its stream, or ``run/predict``): the
    status and everything the server sent back (0: the connection broke)."""
    try:
        response = http.post(route, json=body)
        text = response.text
        if route.endswith("/queue/join") and response.status_code == 200:
            query = {"session_hash": body["session_hash"]}
            with http.stream("GET", "/gradio_api/queue/data", params=query) as stream:
                for line in stream.iter_lines():
                    text += line + "\n"
                    if "process_completed" in line:
                        break
    except httpx.TransportError as error:
        return 0, f"{route}: {error!r}"
    return response.status_code, text
