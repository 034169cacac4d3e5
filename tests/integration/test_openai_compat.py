"""motionqa as an OpenAI "model": the official openai client and LangChain's ChatOpenAI, unchanged,
against the real server on loopback, plain and streamed."""

from __future__ import annotations

import operator
from functools import reduce

import httpx
import pytest
from helpers import api_for
from langchain_openai import ChatOpenAI
from openai import OpenAI, UnprocessableEntityError

DN_QUESTION = "Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?"


@pytest.fixture()
def openai_client(live_server) -> OpenAI:
    return OpenAI(base_url=f"{live_server.url}/v1", api_key="unused", max_retries=0, timeout=60)


def test_models_lists_motionqa(openai_client: OpenAI) -> None:
    assert [m.id for m in openai_client.models.list()] == ["motionqa"]


def test_a_chat_completion_is_a_cited_answer(openai_client: OpenAI, document) -> None:
    completion = openai_client.chat.completions.create(
        model="motionqa", messages=[{"role": "user", "content": DN_QUESTION}], temperature=0.2
    )
    message = completion.choices[0].message
    assert completion.object == "chat.completion" and completion.choices[0].finish_reason == "stop"
    assert message.role == "assistant" and "55 dagar" in message.content and "[1]" in message.content
    extra = completion.model_extra["motionqa"]
    assert extra["outcome"] == "answered" and extra["language"] == "sv"
    for citation in extra["citations"]:
        assert document.text[citation["start"] : citation["end"]] == citation["text"]


def test_the_messages_are_the_conversation(openai_client: OpenAI) -> None:
    """A follow-up that means nothing alone is answered from the earlier messages; system ones are ignored."""
    completion = openai_client.chat.completions.create(
        model="motionqa",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Vad var koncept Karin?"},
            {"role": "assistant", "content": "Koncept Karin var ett samarbete i Malmö."},
            {"role": "user", "content": [{"type": "text", "text": "Fungerade det?"}]},
        ],
    )
    sections = {c["section"] for c in completion.model_extra["motionqa"]["citations"]}
    assert sections == {"Stödcenter för vuxna utsatta för sexualiserat våld"}


def test_streaming_sends_text_then_a_closing_chunk_with_citations(openai_client: OpenAI) -> None:
    chunks = list(
        openai_client.chat.completions.create(
            model="motionqa", messages=[{"role": "user", "content": DN_QUESTION}], stream=True
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant" and "55 dagar" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["motionqa"]["citations"]


def test_a_declined_question_says_so_in_the_outcome(openai_client: OpenAI) -> None:
    completion = openai_client.chat.completions.create(
        model="motionqa", messages=[{"role": "user", "content": "What is the best recipe for pancakes?"}]
    )
    assert completion.choices[0].message.content == "The motion does not address that."
    assert completion.model_extra["motionqa"]["outcome"] == "declined"


def test_bad_conversations_get_a_clear_422(openai_client: OpenAI) -> None:
    for messages in ([{"role": "assistant", "content": "Hej"}], [{"role": "user", "content": "   "}]):
        with pytest.raises(UnprocessableEntityError):
            openai_client.chat.completions.create(model="motionqa", messages=messages)
    assert httpx.post(f"{openai_client.base_url}chat/completions", json={"messages": []}).status_code == 422


def test_the_model_name_is_bounded_since_it_is_echoed(openai_client: OpenAI) -> None:
    question = [{"role": "user", "content": "Vad är barnahus?"}]
    with pytest.raises(UnprocessableEntityError) as caught:
        openai_client.chat.completions.create(model="m" * 201, messages=question)
    assert caught.value.param == "model" and "200 characters" in caught.value.body["message"]
    named = openai_client.chat.completions.create(model="any-name", messages=question)
    assert named.model == "any-name" and named.choices[0].message.content


def test_langchain_chat_openai_works_unchanged(live_server) -> None:
    chat = ChatOpenAI(base_url=f"{live_server.url}/v1", api_key="unused", model="motionqa", max_retries=0)
    reply = chat.invoke([("human", "Vad menas med ekonomiskt våld?")])
    assert "Ekonomiskt våld" in reply.content and "[1]" in reply.content
    streamed = "".join(chunk.content for chunk in chat.stream("Vad menas med ekonomiskt våld?"))
    assert streamed == reply.content


def test_the_api_key_protects_the_endpoint(assistant) -> None:
    from openai import AuthenticationError
    from pydantic import SecretStr
    from servers import LiveServer

    from assistant.service import Assistant

    keyed = Assistant(assistant.settings.model_copy(update={"api_key": SecretStr("k3y")}), assistant.index,
                      assistant.embedder)  # fmt: skip
    with LiveServer(api_for(keyed)) as server:
        wrong = OpenAI(base_url=f"{server.url}/v1", api_key="wrong", max_retries=0)
        with pytest.raises(AuthenticationError):
            wrong.models.list()
        right = OpenAI(base_url=f"{server.url}/v1", api_key="k3y", max_retries=0)
        reply = right.chat.completions.create(model="motionqa", messages=[{"role": "user", "content": DN_QUESTION}])
        assert "55 dagar" in reply.choices[0].message.content


def test_errors_are_openai_error_objects_the_sdk_understands(openai_client: OpenAI, settings) -> None:
    """Not FastAPI's {"detail": …}: the SDK fills message, type, param and code from OpenAI's error object."""
    with pytest.raises(UnprocessableEntityError) as caught:
        openai_client.chat.completions.create(model="motionqa", messages=[{"role": "user", "content": "x" * 3000}])
    error = caught.value
    assert error.type == "invalid_request_error" and error.code == "text_too_long"
    assert error.param == "messages.0.content"
    assert error.body["message"] == "messages.0.content: Should have at most 2000 characters, not 3000"

    messages = [{"role": "user", "content": "Hej"}, {"role": "assistant", "content": "Hej!"}]
    with pytest.raises(UnprocessableEntityError) as caught:
        openai_client.chat.completions.create(model="motionqa", messages=messages)
    assert caught.value.param == "messages" and caught.value.code == "conversation"

    too_big = httpx.post(
        f"{openai_client.base_url}chat/completions",
        json={"messages": [{"role": "user", "content": "x" * settings.max_request_bytes}]},
    )
    assert too_big.status_code == 413
    assert too_big.json() == {
        "error": {
            "message": f"request body over {settings.max_request_bytes} bytes",
            "type": "invalid_request_error",
            "param": None,
            "code": "request_too_large",
        }
    }


def test_langchain_chat_openai_carries_a_conversation_and_surfaces_errors(live_server) -> None:
    """LangChain message objects map onto the conversation (system ignored); a bad one raises the SDK's 422."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    chat = ChatOpenAI(base_url=f"{live_server.url}/v1", api_key="unused", model="motionqa", max_retries=0)
    conversation = [
        SystemMessage("Answer briefly."),
        HumanMessage("Vad var koncept Karin?"),
        AIMessage("Koncept Karin var ett samarbete i Malmö."),
        HumanMessage("Fungerade det?"),
    ]
    reply = chat.invoke(conversation)
    assert "koncept Karin" in reply.content and "[1]" in reply.content
    streamed = list(chat.stream(conversation))
    whole = reduce(operator.add, streamed)  # LangChain's own merge of the chunks
    assert len(streamed) > 3 and whole.content == reply.content
    assert whole.response_metadata["finish_reason"] == "stop" and whole.response_metadata["model_name"] == "motionqa"

    with pytest.raises(UnprocessableEntityError) as caught:
        chat.invoke([HumanMessage("   ")])
    assert caught.value.code == "text_empty" and caught.value.param == "messages.0.content"


def test_langchain_chat_openai_sends_the_api_key(assistant) -> None:
    from openai import AuthenticationError
    from pydantic import SecretStr
    from servers import LiveServer

    from assistant.service import Assistant

    keyed = Assistant(assistant.settings.model_copy(update={"api_key": SecretStr("k3y")}), assistant.index,
                      assistant.embedder)  # fmt: skip
    with LiveServer(api_for(keyed)) as server:
        wrong = ChatOpenAI(base_url=f"{server.url}/v1", api_key="wrong", model="motionqa", max_retries=0)
        with pytest.raises(AuthenticationError) as caught:
            wrong.invoke("Vad är IPVI?")
        assert caught.value.code == "invalid_api_key" and caught.value.type == "authentication_error"
        right = ChatOpenAI(base_url=f"{server.url}/v1", api_key="k3y", model="motionqa", max_retries=0)
        assert "IPVI" in right.invoke("Vad är IPVI?").content
