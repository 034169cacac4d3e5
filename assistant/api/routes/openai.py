"""An OpenAI-compatible chat endpoint, so chat clients (the openai SDK, LangChain's ``ChatOpenAI``,
Open WebUI) can use motionqa as a "model" and get cited answers.

The messages are the conversation and the last user message is the question; the reply is the
cited answer text. Citations, the outcome and the language travel in an extra ``motionqa`` field
of the response, and of the last chunk when streaming. Same assistant, limits and key as ``/api``.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette.sse import EventSourceResponse

from assistant.api.errors import BODY_ERRORS, documented, invalid
from assistant.api.requests import api_settings, assistant_of, with_time_limit
from assistant.api.schemas import HARD_HISTORY_LIMIT, CitationOut, TurnIn
from assistant.api.settings import ApiSettings
from assistant.api.validation import clean_history, clean_text
from assistant.conversation import Turn
from assistant.service import AskResult
from assistant.streaming import answer_events

MODEL_ID = "motionqa"
router = APIRouter()


class TextPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


MAX_MODEL_NAME = 200


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls, … are accepted and ignored
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[TextPart] | None = None  # bounded by the request body limit

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """The chat-completions request; sampling parameters (temperature, max_tokens, …) are accepted
    and ignored, since the answer is quoted, not generated."""

    model_config = ConfigDict(extra="allow")
    # Echoed in the reply, so bounded like a name, not by the body limit (any name means the one model).
    model: str = Field(MODEL_ID, max_length=MAX_MODEL_NAME)
    messages: list[ChatMessage] = Field(min_length=1, max_length=HARD_HISTORY_LIMIT)
    stream: bool = False


class ModelCard(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[ModelCard]


class ReplyMessage(BaseModel):
    role: Literal["assistant"]
    content: str


class Choice(BaseModel):
    index: int
    message: ReplyMessage
    finish_reason: Literal["stop"]
    logprobs: None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class MotionqaExtra(BaseModel):
    """What an OpenAI reply has no field for: the citations and how sure the answer is."""

    outcome: Literal["answered", "hedged", "declined"]
    answerable: bool
    language: Literal["sv", "en"]
    citations: list[CitationOut]
    see_also: list[CitationOut]


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    motionqa: MotionqaExtra


def _conversation(body: ChatCompletionRequest, limits: ApiSettings) -> tuple[str, list[Turn]]:
    """The last user message is the question; earlier non-blank user/assistant messages are the history."""
    spoken = [(i, m) for i, m in enumerate(body.messages) if m.role in ("user", "assistant")]
    if not spoken or spoken[-1][1].role != "user":
        raise invalid(("messages",), "The last user or assistant message must be from the user", "conversation")
    last, asked = spoken[-1]
    question = clean_text(asked.text(), ("messages", last, "content"), limits.max_question_chars)
    earlier = [(i, m) for i, m in spoken[:-1] if m.text().strip()]
    turns = [TurnIn(role=m.role, content=m.text()) for _, m in earlier]
    history = clean_history(turns, limits, "messages", [i for i, _ in earlier])
    return question, history


def _extra(result: AskResult) -> dict[str, Any]:
    answer = result.answer
    return {
        "outcome": answer.outcome,
        "answerable": answer.answerable,
        "language": answer.language,
        "citations": [asdict(c) for c in answer.citations],
        "see_also": [asdict(c) for c in answer.see_also],
    }


def _usage(question: str, answer: str) -> dict[str, int]:
    """Word counts standing in for tokens: there is no generating model to count for."""
    prompt, completion = len(question.split()), len(answer.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


@router.get("/models", operation_id="listModels", response_model=ModelList, summary="The one model: motionqa")
async def models() -> ModelList:
    return ModelList(object="list", data=[ModelCard(id=MODEL_ID, object="model", created=0, owned_by="motionqa")])


@router.post(
    "/chat/completions",
    operation_id="createChatCompletion",
    response_model=ChatCompletion,
    summary="OpenAI-compatible chat completion: a cited answer to the last user message",
    responses={
        200: {
            "description": "The completion; with `stream: true`, `chat.completion.chunk` events then `[DONE]`.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        **documented(*BODY_ERRORS, 504, openai=True),
    },
)
async def chat_completions(body: ChatCompletionRequest, request: Request) -> Any:
    assistant = assistant_of(request)
    question, history = _conversation(body, api_settings(request))
    result = await with_time_limit(request, lambda: assistant.ask(question, history))
    completion_id = f"chatcmpl-{secrets.token_urlsafe(12)}"
    created = int(time.time())
    if body.stream:
        return EventSourceResponse(_chunks(result, completion_id, created, body.model))
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": body.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": result.answer.text},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(question, result.answer.text),
        "motionqa": _extra(result),
    }


async def _chunks(result: AskResult, completion_id: str, created: int, model: str) -> AsyncIterator[str]:
    """``chat.completion.chunk`` events: the role, the text in word-sized pieces, a closing chunk with
    ``finish_reason`` and the citations, then ``[DONE]``."""

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model}
        return json.dumps({**payload, "choices": [choice], **extra}, ensure_ascii=False)

    yield chunk({"role": "assistant", "content": ""})
    for event in answer_events(result):
        if event.event == "delta":
            yield chunk({"content": event.data["text"]})
    yield chunk({}, "stop", motionqa=_extra(result))
    yield "[DONE]"
