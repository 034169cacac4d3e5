"""Optional protection by ``MOTIONQA_API_KEY``: a bearer token for ``/api`` (everything but
``/api/health``), and the password of the chat's login page."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from fastapi import HTTPException, Request

from assistant.api.settings import ApiSettings


def require_api_key(settings: ApiSettings):
    """A dependency that enforces ``MOTIONQA_API_KEY`` when set, comparing in constant time."""
    expected = settings.api_key.get_secret_value().encode() if settings.api_key else None

    async def check(request: Request) -> None:
        if expected is None:
            return
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
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
