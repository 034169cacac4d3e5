"""Optional protection by ``MOTIONQA_API_KEY``: a bearer token for ``/api`` (``/api/health`` answers
without it, with liveness only), and the password of the chat's login page."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from fastapi import HTTPException, Request

from assistant.api.settings import ApiSettings


def carries_api_key(request: Request, settings: ApiSettings) -> bool:
    """Whether ``request`` may see what ``MOTIONQA_API_KEY`` guards: no key is set, or it sends the key as a
    bearer token (compared in constant time)."""
    if not settings.api_key:  # unset, or empty: open
        return True
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.api_key.get_secret_value().encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected)


def require_api_key(settings: ApiSettings):
    """A dependency that enforces ``MOTIONQA_API_KEY`` when set: 401 without it."""

    async def check(request: Request) -> None:
        if not carries_api_key(request, settings):
            raise HTTPException(401, "missing or wrong API key", headers={"WWW-Authenticate": "Bearer"})

    return check


def chat_login(settings: ApiSettings) -> Callable[[str, str], bool] | None:
    """Gradio's login check for the chat: any user name, the API key as password (None: the chat is open).

    Without it a key would lock the API while the chat, which answers the same questions, stayed open.
    """
    if settings.api_key is None:
        return None
    expected = settings.api_key.get_secret_value().encode()

    def check(username: str, password: str) -> bool:
        return hmac.compare_digest(password.encode(), expected)

    return check
