"""What every route needs from the request: the loaded assistant, the API settings, a time limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from anyio import to_thread
from fastapi import HTTPException, Request

from assistant.api.settings import ApiSettings
from assistant.service import Assistant

T = TypeVar("T")


def assistant_of(request: Request) -> Assistant:
    """The one ``Assistant`` the app was created around."""
    return request.app.state.assistant


def api_settings(request: Request) -> ApiSettings:
    """The API layer's settings (limits, key) the app was created with."""
    return request.app.state.settings


async def with_time_limit(request: Request, work: Callable[[], T]) -> T:
    """Run blocking work off the event loop; past the limit answer 504 and let other requests go on."""
    limit = api_settings(request).request_timeout_seconds
    try:
        return await off_the_loop(work, limit)
    except TimeoutError:
        raise HTTPException(504, too_slow(limit)) from None


async def off_the_loop(work: Callable[[], T], limit: float) -> T:
    """Blocking work in a worker thread, or ``TimeoutError`` after ``limit`` seconds (the API's and the MCP tools').

    The worker thread is abandoned, not waited for: it finishes (or hits the LLM timeout) on its own.
    """
    return await asyncio.wait_for(to_thread.run_sync(work, abandon_on_cancel=True), timeout=limit)


def too_slow(limit: float) -> str:
    return f"the request took longer than {limit:g} s"
