"""``/mcp``: the MCP tools over streamable HTTP, on the API's app so its key, limits and middleware apply.

The SDK's transport answers the request itself (stateless, JSON responses: no server-side sessions to
hold or bound); this route only runs the API's dependencies (the key) first.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from assistant.api.settings import ApiSettings

MCP_PATH = "/mcp"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

router = APIRouter()


@router.post(MCP_PATH, include_in_schema=False)
async def mcp(request: Request) -> Response:
    return _Answered(request.app.state.mcp_transport)


@router.api_route(MCP_PATH, methods=["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"], include_in_schema=False)
async def only_post(request: Request) -> Response:
    """405, as the MCP spec allows a server without an event stream (GET) or sessions to end (DELETE).

    The SDK's stateless transport would hold a GET open for ever with nothing to send; without this
    route the chat mounted at ``/`` would answer the other methods.
    """
    detail = f"method {request.method} not allowed here; use POST (a stateless MCP server: no event stream)"
    raise HTTPException(405, detail, headers={"Allow": "POST"})


def mcp_transport(server: MCPServer, settings: ApiSettings) -> Starlette:
    """The SDK's streamable HTTP app for ``server``; its session manager must run in the app's lifespan."""
    return server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        json_response=True,
        max_request_body_size=settings.max_request_bytes,
        transport_security=_rebinding_protection(settings),
    )


def _rebinding_protection(settings: ApiSettings) -> TransportSecuritySettings:
    """The SDK's DNS-rebinding check on a loopback server: Host must be a loopback name, Origin (when sent) a
    loopback page or a configured CORS origin. A server bound beyond loopback is reached by other names; the
    API key protects it there."""
    if settings.host not in LOOPBACK:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    return TransportSecuritySettings(
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*", *settings.cors_origins],
    )


class _Answered(Response):
    """A response that lets the MCP transport answer the request (its status, headers and body)."""

    def __init__(self, transport: Starlette) -> None:
        super().__init__()
        self.transport = transport

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.transport(scope, receive, send)
