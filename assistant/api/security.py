"""Optional bearer-token protection of ``/api`` (everything but ``/api/health``)."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from index.settings import Settings


def require_api_key(settings: Settings):
    """A dependency that enforces ``MOTIONQA_API_KEY`` when set, comparing in constant time."""
    expected = settings.api_key.get_secret_value().encode() if settings.api_key else None

    async def check(request: Request) -> None:
        if expected is None:
            return
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
            raise HTTPException(401, "missing or wrong API key", headers={"WWW-Authenticate": "Bearer"})

    return check
