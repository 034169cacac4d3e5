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

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette.sse import EventSourceResponse

from assistant.api.routes import _with_time_limit
from assistant.api.schemas import HARD_HISTORY_LIMIT, TurnIn, error_responses
from assistant.api.validation import clean_history, clean_text
from assistant.service import AskResult, Assistant

MODEL_ID = "motionqa"
openai_router = APIRouter()


class TextPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


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
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1, max_length=HARD_HISTORY_LIMIT)
    stream: bool = False


def _conversation(body: ChatCompletionRequest, assistant: Assistant) -> tuple[str, list[TurnIn]]:
    """The last user message is the question; earlier user/assistant messages are the history."""
    spoken = [m for m in body.messages if m.role in ("user", "assistant")]
    if not spoken or spoken[-1].role != "user":
        raise HTTPException(422, "messages: the last user or assistant message must be from the user")
    question = clean_text(spoken[-1].text(), "messages[-1].content", assistant.settings.max_question_chars)
    history = [TurnIn(role=m.role, content=m.text()) for m in spoken[:-1] if m.text().strip()]
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


@openai_router.get("/models", summary="The one model: motionqa", operation_id="list_models")
async def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "motionqa"}]}


@openai_router.post(
    "/chat/completions",
    summary="OpenAI-compatible chat completion: a cited answer to the last user message",
    operation_id="create_chat_completion",
    responses=error_responses(422, 504),
)
async def chat_completions(body: ChatCompletionRequest, request: Request) -> Any:
    assistant: Assistant = request.app.state.assistant
    question, turns = _conversation(body, assistant)
    history = clean_history(turns, assistant.settings)
    result = await _with_time_limit(request, lambda: assistant.ask(question, history))
    completion_id = f"chatcmpl-{secrets.token_urlsafe(12)}"
    created = int(time.time())
    if body.stream:
        return EventSourceResponse(_chunks(assistant, result, completion_id, created, body.model))
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


async def _chunks(
    assistant: Assistant, result: AskResult, completion_id: str, created: int, model: str
) -> AsyncIterator[str]:
    """``chat.completion.chunk`` events: the role, the text in word-sized pieces, a closing chunk with
    ``finish_reason`` and the citations, then ``[DONE]``."""

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model}
        return json.dumps({**payload, "choices": [choice], **extra}, ensure_ascii=False)

    yield chunk({"role": "assistant", "content": ""})
    for event in assistant.stream(result):
        if event.event == "delta":
            yield chunk({"content": event.data["text"]})
    yield chunk({}, "stop", motionqa=_extra(result))
    yield "[DONE]"
