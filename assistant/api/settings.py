"""API and security settings (one key, one set of limits for every route), and the served process' whole set."""

from __future__ import annotations

import json
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Annotated

import limits
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
        200,
        ge=1,
        description="Connections served at once: when full, idle ones (waiting for a request) are closed first "
        "to make room; a request on a further connection gets 503.",
    )
    max_header_bytes: int = Field(16_384, ge=1024, description="One request header (name and value): more is a 431.")
    max_headers_bytes: int = Field(65_536, ge=4096, description="The request line and all headers: more is a 431.")
    max_chat_page_states: int = Field(
        100,
        ge=1,
        description="Chat pages whose Gradio state (75 KB for a new page, ~0.5 MB after five questions) the server "
        "keeps; past it the least recently used page's goes, and that page still works (its conversation is in the "
        "browser and the session store).",
    )

    # Per client address (see assistant.api.limits): no one client can crowd out the others.
    max_connections_per_client: int = Field(
        16, ge=1, description="Connections one client address may hold at once; a further one is answered 429."
    )
    client_request_rate: str = Field(
        "1200/minute", description="Requests one client address may make (a `limits` rate); more get 429."
    )
    client_write_rate: str = Field("20/minute", description="Feedback votes one client address may send (API, chat).")
    client_login_rate: str = Field("10/minute", description="Attempts at the chat's /login per client address.")
    forwarded_allow_ips: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list,
        description="Proxies (addresses or networks, comma-separated) whose X-Forwarded-For/-Proto/-Host are "
        "believed; from anyone else those headers are dropped. Empty: nobody's.",
    )

    # Feedback on answers (thumbs up/down), the raw material of new eval items.
    feedback_path: Path = Field(default_factory=lambda: working_path("var", "feedback.jsonl"))
    # The command line's log: libraries' warnings and debug lines (``motionqa --verbose`` shows them too).
    log_path: Path = Field(default_factory=lambda: working_path("var", "motionqa.log"))
    feedback_max_bytes: int = Field(
        50_000_000, ge=1024, description="Size bound of the feedback log: further votes are refused (507), none lost."
    )
    feedback_max_record_bytes: int = Field(
        32_000, ge=1024, description="One vote's record at most (its JSON line): a larger one is refused (422)."
    )

    @field_validator("cors_origins", "forwarded_allow_ips", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            return json.loads(text) if text.startswith("[") else [o.strip() for o in text.split(",") if o.strip()]
        return value

    @field_validator("client_request_rate", "client_write_rate", "client_login_rate")
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            limits.parse(value)
        except ValueError:
            raise ValueError(f"not a rate such as 20/minute or 5 per second: {value!r}") from None
        return value


class Settings(ServiceSettings, ApiSettings):
    """Everything one served process reads: index, service and API layers together."""

    model_config = MOTIONQA_ENV


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
