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
    """Run blocking work off the event loop; past the limit answer 504 and let other requests go on.

    The worker thread is abandoned, not waited for: it finishes (or hits the LLM timeout) on its own.
    """
    limit = api_settings(request).request_timeout_seconds
    try:
        return await asyncio.wait_for(to_thread.run_sync(work, abandon_on_cancel=True), timeout=limit)
    except TimeoutError:
        raise HTTPException(504, f"the request took longer than {limit:g} s") from None
