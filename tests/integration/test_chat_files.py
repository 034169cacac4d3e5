"""No file of the server can be read through the chat (issue 18, item 1), on a real server on loopback.

Every function the chat registers (read from the page's own ``/config``, checked against the
Blocks), a Gradio file object in every input position — as the whole value and in place of every
field of a valid value — and in the event data, on every route that takes event data; with and
without ``MOTIONQA_API_KEY`` (then logged in, as a browser would be). A canary file holding a
random secret must never come back, be named, or be copied into Gradio's cache.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import gradio_event, variant
from pydantic import SecretStr
from servers import LiveServer
from starlette.routing import Mount

KEY = "files-test-key"
QUESTION = "Vad säger motionen om barnahus?"


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    secret = f"canary-{secrets.token_hex(16)}"
    path = tmp_path_factory.mktemp("canary") / "canary.txt"
    path.write_text(secret)
    return path, secret


class Chat:
    """A running app, a client of it (logged in when the app has a key) and what the page declares."""

    def __init__(self, server: LiveServer, app: Any, key: str | None) -> None:
        self.server = server
        self.app = app
        self.http = httpx.Client(base_url=server.url, timeout=60)
        if key is not None:
            assert self.http.post("/login", data={"username": "x", "password": key}).status_code == 200
        self.config = self.http.get("/config").json()
        self.types = {c["id"]: c["type"] for c in self.config["components"]}

    def blocks(self) -> Any:
        chat = next(r.app for r in self.app.routes if isinstance(r, Mount) and hasattr(r.app, "get_blocks"))
        return chat.get_blocks()


@pytest.fixture(scope="module", params=["open", "keyed"])
def chat(request: pytest.FixtureRequest, assistant) -> Iterator[Chat]:
    from ui.server import create_app

    key = KEY if request.param == "keyed" else None
    served = variant(assistant, api_key=SecretStr(key) if key else None)
    app = create_app(served.settings, served)
    with LiveServer(app) as server:
        client = Chat(server, app, key)
        yield client
        client.http.close()


def valid_value(kind: str, chunk: Any) -> Any:
    """What the page itself sends for an input of this component type."""
    if kind == "textbox":
        return "sv"
    assert kind == "browserstate", f"a new input type ({kind}): add it here and to ui.gradio_guard"
    span = [1, chunk.id, chunk.start, chunk.end]
    turn = {"id": 1, "q": QUESTION, "a": "Svar [1].", "o": "answered", "l": "sv", "c": [span], "s": [span]}
    return {"session": None, "next": 2, "turns": [{**turn, "f": None, "fc": False}]}


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path to every scalar inside a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))
    else:
        yield path


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    out = copy.deepcopy(value)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return out


def attacks(chat: Chat, file: dict[str, Any], chunk: Any) -> Iterator[tuple[dict[str, Any], bool]]:
    """(event call, nested?) with the file object in every input position, whole and in every field."""
    counter = itertools.count()
    for dependency in chat.config["dependencies"]:
        kinds = [chat.types[i] for i in dependency["inputs"]]
        valid = [valid_value(kind, chunk) for kind in kinds]

        def call(data: list[Any], event_data: Any = None, dependency: dict[str, Any] = dependency) -> dict[str, Any]:
            hash_ = f"attack{next(counter)}"
            return {"fn_index": dependency["id"], "data": data, "event_data": event_data, "session_hash": hash_}

        for position, value in enumerate(valid):
            yield call(replaced(valid, (position,), file)), False
            for path in leaves(value):
                yield call(replaced(valid, (position, *path), file)), True
        for event_data in (file, {"turn": file, "value": "up"}, {"turn": 1, "value": file}):
            yield call(valid, event_data), True
        if not valid:
            yield call([file]), False


def routes_for(dependency: dict[str, Any], nested: bool) -> list[str]:
    """Every route that takes event data; the nested variants on the page's own two."""
    routes = ["/gradio_api/queue/join", "/gradio_api/run/predict"]
    name = dependency.get("api_name")
    if not nested and name:
        routes += [f"/gradio_api/{kind}/{name}" for kind in ("run", "api", "call", "call/v2")]
    return routes


def send(chat: Chat, route: str, body: dict[str, Any]) -> tuple[int, str]:
    return gradio_event(chat.http, route, body)


def fetch(chat: Chat, url: str) -> tuple[int, str]:
    try:
        response = chat.http.get(url)
    except httpx.TransportError as error:
        return 0, repr(error)
    return response.status_code, response.text


def test_no_input_of_any_chat_function_reads_a_file(chat: Chat, canary: tuple[Path, str], assistant) -> None:
    path, secret = canary
    backend = [d for d in chat.config["dependencies"] if d["backend_fn"]]
    assert len(chat.config["dependencies"]) == len(chat.blocks().fns) and len(backend) >= 5
    file = {"path": str(path), "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}
    chunk = next(iter(assistant.chunks_by_id.values()))
    by_id = {d["id"]: d for d in chat.config["dependencies"]}
    accepted, answers = [], []
    for body, nested in attacks(chat, file, chunk):
        for route in routes_for(by_id[body["fn_index"]], nested):
            status, text = send(chat, route, {**body, "session_hash": f"{body['session_hash']}-{len(answers)}"})
            answers.append(text)
            if not 400 <= status < 500:
                accepted.append((route, body["fn_index"], status, text[:200]))
    everything = "\n".join(answers)
    named = sorted(set(re.findall(r"/gradio_api/file=[^\"'&<\s\\]+", everything)))
    direct = [f"/gradio_api/file={path}", f"/gradio_api/file/{path}", f"/file={path}"]
    served = {url: fetch(chat, url) for url in named + direct}
    assert not [url for url, (_, text) in served.items() if secret in text], "the canary was served"
    assert secret not in everything and str(path) not in everything, "the canary was read or named"
    caches = [Path(chat.app.state.gradio_cache), Path(tempfile.gettempdir()) / "gradio"]
    copies = [p for cache in caches for p in cache.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert not copies, f"the canary was copied to {copies}"
    assert not accepted, f"{len(accepted)} of {len(answers)} calls accepted: {accepted[:3]}"
    assert all(status == 404 for status, _ in served.values()), served
    print(f"{len(answers)} calls of {len(backend)} functions refused, the canary never read")


def test_the_chats_own_calls_still_work(chat: Chat, assistant) -> None:
    """The guard refuses what the page never sends, not what it does: every function, valid inputs."""
    chunk = next(iter(assistant.chunks_by_id.values()))
    events = {"like": {"turn": 1, "value": "up"}, "submit": {"turn": 1, "value": "down", "comment": "Bra."}}
    for dependency in (d for d in chat.config["dependencies"] if d["backend_fn"]):
        data = [valid_value(chat.types[i], chunk) for i in dependency["inputs"]]
        event = events.get(dependency["targets"][0][1])
        body = {"fn_index": dependency["id"], "data": data, "event_data": event, "session_hash": "ok", "trigger_id": 1}
        route = "/gradio_api/queue/join" if dependency["queue"] else "/gradio_api/run/predict"
        status, text = send(chat, route, body)
        assert status == 200, (dependency["id"], text[:300])
        assert '"success":false' not in text.replace(" ", ""), (dependency["id"], text[:300])
        if dependency["targets"][0][1] == "submit" and len(data) == 3:  # the question: an answer came back
            assert "barnahus" in json.dumps(text)
