"""What the chat's Gradio app may be asked: the page, its assets and its event routes, and inputs only
of the chat components' own types.

Gradio copies any file a request's data names (``{"path": ..., "meta": {"_type": "gradio.FileData"}}``)
into its cache and serves the copy at ``/gradio_api/file=…``; its check of where the file lies is
skipped for an app mounted with ``gr.mount_gradio_app``, so any file the server could read came back.
The chat takes typed text and its own JSON record, never a file, so this middleware (inside the
mounted Gradio app) answers before Gradio sees a request:

* a path the page does not use (file serving, uploads, the API explorer, heartbeats, …): 404;
* ``cancel`` and ``reset`` without the chat's login when one is configured: 401 (Gradio checks the
  login on its event routes but not on these two);
* an event call whose ``fn_index`` is not one of the chat's Python functions, or whose ``data`` is
  not exactly one value per input, each of its component's type (a string for a textbox, the
  stored-conversation record for the ``BrowserState``), or whose ``event_data`` is not of the
  handler's declared ``TypedEventData`` (a flat object of scalars for a handler that declares
  none): 422, with one sentence saying what was wrong and nothing echoed.

A component type without a known input type stops the app at start-up, so a new input cannot
slip through unchecked. Gradio's file cache is moved to a private per-process folder besides
(``private_cache_folder``).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

import gradio as gr
from gradio.utils import get_type_hints
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.stored import StoredRecord

API = "/gradio_api"
# Every route the chat page requests (its login page, and app_id to see the server back after a restart);
# anything else Gradio serves is refused.
READ_PATHS = re.compile(
    r"/|/config/?|/theme\.css|/favicon\.ico|/manifest\.json|/robots\.txt|/logout/?"
    rf"|/(assets|static)/[^?#]+|{API}/queue/data|{API}/app_id/?"
)
EVENT_PATHS = {f"{API}/queue/join", f"{API}/run/predict"}
# Gradio checks no login on these two (they act on a session by its id): the guard does.
SESSION_PATHS = {f"{API}/cancel", f"{API}/reset"}
WRITE_PATHS = EVENT_PATHS | SESSION_PATHS | {"/login", "/login/"}

Scalar = Annotated[StrictStr, Field(max_length=10_000)] | StrictInt | StrictFloat | StrictBool | None


class EventCall(BaseModel):
    """The body of ``queue/join`` and ``run/predict`` as the page sends it; ``data`` is checked per input."""

    model_config = ConfigDict(extra="forbid")

    fn_index: StrictInt
    data: list[Any]
    session_hash: Annotated[StrictStr, Field(max_length=100)] | None = None
    event_data: Any = None
    trigger_id: StrictInt | None = None


class TypedEventData(gr.EventData):
    """Event data of a declared shape (``payload_type``): a handler that takes it as a parameter gets
    ``payload`` parsed, and the guard refuses a call whose event data is not of that shape (422)."""

    payload_type: ClassVar[type[BaseModel]]

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.payload = self.payload_type.model_validate(data)


@dataclass(frozen=True)
class Handler:
    """What one chat function accepts: a type per input, and the type of its event data."""

    inputs: list[TypeAdapter[Any]]
    event: TypeAdapter[Any]


# Event data of a handler that declares no ``TypedEventData``: small, flat, no file object possible.
FLAT_EVENT: TypeAdapter[Any] = TypeAdapter(dict[Annotated[str, Field(max_length=100)], Scalar] | None)


# The input type of each component class the chat uses: what the page can send for it, and nothing else.
INPUT_TYPES: dict[type[gr.components.Component], TypeAdapter[Any]] = {
    gr.Textbox: TypeAdapter(StrictStr),
    gr.BrowserState: TypeAdapter(StoredRecord),
}


class UnguardedInput(TypeError):
    """A chat function takes a component whose input type the guard does not know."""


class BadCall(ValueError):
    """The request is not one the chat's page could have sent; the message says why."""


class ChatGuard:
    """ASGI middleware for the mounted Gradio app of ``blocks`` (see the module docstring)."""

    def __init__(self, app: ASGIApp, blocks: gr.Blocks) -> None:
        self.app = app
        self.handlers = handlers(blocks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # the chat uses no websockets
            await send({"type": "websocket.close", "code": 1008})
            return
        path = route_path(scope)
        method = scope["method"]
        allowed = READ_PATHS.fullmatch(path) if method in ("GET", "HEAD") else path in WRITE_PATHS
        if not allowed:
            await _refuse(send, 404, "Not Found")
            return
        if path in SESSION_PATHS and not logged_in(scope):
            await _refuse(send, 401, "Not authenticated")
            return
        if path not in EVENT_PATHS:
            await self.app(scope, receive, send)
            return
        body, replay = await _read_body(receive)
        try:
            self.check(body)
        except BadCall as problem:
            await _refuse(send, 422, str(problem))
            return
        await self.app(scope, replay, send)

    def check(self, body: bytes) -> None:
        """Raises ``BadCall`` unless ``body`` calls one of the chat's functions with its inputs' own types."""
        try:
            call = EventCall.model_validate_json(body)
        except PydanticValidationError as error:
            raise BadCall(f"not an event call of this page ({_first(error)})") from None
        handler = self.handlers.get(call.fn_index)
        if handler is None:
            raise BadCall("no such function") from None
        if len(call.data) != len(handler.inputs):
            raise BadCall(f"the function takes {len(handler.inputs)} inputs, not {len(call.data)}")
        for position, (value, adapter) in enumerate(zip(call.data, handler.inputs, strict=True)):
            try:
                adapter.validate_python(value)
            except PydanticValidationError as error:
                raise BadCall(f"input {position}: {_first(error)}") from None
        try:
            handler.event.validate_python(call.event_data)
        except PydanticValidationError as error:
            raise BadCall(f"event data: {_first(error)}") from None


def handlers(blocks: gr.Blocks) -> dict[int, Handler]:
    """For each function with Python code, by ``fn_index``: the type of each input and of its event data."""
    found: dict[int, Handler] = {}
    for index, fn in blocks.fns.items():
        if fn.fn is None:  # JavaScript only: the page never calls the server for it
            continue
        typed = [h for h in get_type_hints(fn.fn).values() if isinstance(h, type) and issubclass(h, TypedEventData)]
        event = TypeAdapter(typed[0].payload_type) if typed else FLAT_EVENT
        found[index] = Handler(inputs=[_input_type(block) for block in fn.inputs], event=event)
    return found


def _input_type(block: Any) -> TypeAdapter[Any]:
    adapter = INPUT_TYPES.get(type(block))
    if adapter is None:
        raise UnguardedInput(f"no input type known for {type(block).__name__}: add it to ui.gradio_guard.INPUT_TYPES")
    return adapter


def caller(request: gr.Request) -> str:
    """The client address of the request that runs a chat handler (as ``assistant.api.limits`` sees it)."""
    client = request.client
    return str(client.host) if client is not None and client.host else "unknown"


def route_path(scope: Scope) -> str:
    """The path inside the mounted app (Starlette keeps the full path and the mount's prefix as root_path)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return (path[len(root) :] or "/") if root and path.startswith(root) else path


def private_cache_folder() -> str:
    """A new folder only this process can read, made Gradio's cache (``GRADIO_TEMP_DIR``) for the
    components created after this call; nothing should land there, and nothing shared can."""
    folder = tempfile.mkdtemp(prefix="motionqa-gradio-")  # mode 0700
    atexit.register(shutil.rmtree, folder, True)
    os.environ["GRADIO_TEMP_DIR"] = folder
    return folder


def _first(error: PydanticValidationError) -> str:
    problem = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}" if where else problem["msg"]


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body (the app's body limit has bounded it already) and a ``receive`` that replays it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


def logged_in(scope: Scope) -> bool:
    """Gradio's own test (``get_current_user`` in ``gradio.routes``): no login configured, or the request
    carries the cookie of a token the app handed out at login."""
    app = scope.get("app")
    if getattr(app, "auth", None) is None and getattr(app, "auth_dependency", None) is None:
        return True
    if app.auth_dependency is not None:  # type: ignore[union-attr]
        return False  # not used by motionqa: refuse rather than guess how it decides
    cookies = Request(scope).cookies
    cookie_id = app.cookie_id  # type: ignore[union-attr]
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return token is not None and token in app.tokens  # type: ignore[union-attr]


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
