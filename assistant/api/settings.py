"""API and security settings (one key, one set of limits for every route), and the served process' whole set."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode

from assistant.settings import ServiceSettings
from index.settings import MOTIONQA_ENV, working_path


class ApiSettings(BaseSettings):
    """Binding, the API key, CORS, request limits and deadlines, the feedback log: the same for the API and the chat."""

    model_config = MOTIONQA_ENV

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    api_key: SecretStr | None = None
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Allowed CORS origins: a JSON list or comma-separated; empty = CORS off."
    )
    max_question_chars: int = Field(2000, ge=10)
    max_history_turns: int = Field(40, ge=0)
    max_request_bytes: int = Field(256_000, ge=1024)
    request_timeout_seconds: float = Field(30.0, gt=0)
    request_read_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="Deadline to receive a request's headers (from connect or the previous response) and, "
        "separately, its body: slower clients are cut off (body: 408) instead of holding a connection.",
    )
    max_connections: int = Field(
        200, ge=1, description="Connections served at once; requests on further connections get 503."
    )

    # Feedback on answers (thumbs up/down), the raw material of new eval items.
    feedback_path: Path = Field(default_factory=lambda: working_path("var", "feedback.jsonl"))
    # The command line's log: libraries' warnings and debug lines (``motionqa --verbose`` shows them too).
    log_path: Path = Field(default_factory=lambda: working_path("var", "motionqa.log"))
    feedback_max_bytes: int = Field(
        50_000_000, ge=1024, description="Size bound of the feedback log: further votes are refused (507), none lost."
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            return json.loads(text) if text.startswith("[") else [o.strip() for o in text.split(",") if o.strip()]
        return value


class Settings(ServiceSettings, ApiSettings):
    """Everything one served process reads: index, service and API layers together."""

    model_config = MOTIONQA_ENV


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
