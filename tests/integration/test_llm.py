"""The optional generative mode against a real (fake) OpenAI-compatible server on loopback.

Checks ``assistant/read/llm.py``'s validation (citations, shapes, sizes) and fallback to the
extractive answer, and the request time limit: a slow endpoint yields a 504 or the
extractive answer, and never holds up other requests.
"""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
from helpers import FakeLLM, api_for, chat_reply, variant
from pydantic import SecretStr
from servers import LiveServer

from assistant.read.llm import GenerativeAnswerer

DN_QUESTION = "Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?"


@pytest.fixture(scope="module")
def llm():
    with FakeLLM() as server:
        yield server


@pytest.fixture()
def passages(assistant):
    return assistant.index.chunks[:4]


def answerer(assistant, llm: FakeLLM, timeout: float = 5.0, **extra) -> GenerativeAnswerer:
    settings = assistant.settings.model_copy(
        update={"llm_base_url": llm.url, "llm_model": "fake-model", "llm_timeout_seconds": timeout, **extra}
    )
    return GenerativeAnswerer(settings)


def test_cited_reply_is_used_and_renumbered(assistant, llm: FakeLLM, passages) -> None:
    llm.behave = FakeLLM.reply("Första påståendet [2]. Andra [4], och igen [2].")
    answer = answerer(assistant, llm, llm_api_key=SecretStr("llm-secret")).answer("Vad?", passages, "sv")
    assert answer is not None and answer.answerable
    assert answer.text == "Första påståendet [1]. Andra [2], och igen [1]."
    assert [(c.n, c.id) for c in answer.citations] == [(1, passages[1].id), (2, passages[3].id)]
    sent = llm.requests[-1]
    assert sent["path"] == "/v1/chat/completions" and sent["json"]["model"] == "fake-model"
    assert sent["headers"]["Authorization"] == "Bearer llm-secret"
    prompt = sent["json"]["messages"][-1]["content"]
    assert all(f"[{n}]" in prompt for n in range(1, 5)) and "[5]" not in prompt


@pytest.mark.parametrize(
    "behave",
    [
        FakeLLM.reply("Inga källor alls."),
        FakeLLM.reply("Fel källa [5]."),
        FakeLLM.reply("Noll [0]."),
        FakeLLM.reply("Jättestor [" + "9" * 400 + "]."),
        FakeLLM.reply(""),
        FakeLLM.reply(None),
        FakeLLM.reply("Långt [1]. " * 500),
        FakeLLM.raw(200, b"<html>not json</html>", "text/html"),
        FakeLLM.raw(200, b'{"choices": []}'),
        FakeLLM.raw(200, b'{"choices": [{"message": {}}]}'),
        FakeLLM.raw(200, b'{"choices": "many"}'),
        FakeLLM.raw(200, b"[1, 2, 3]"),
        FakeLLM.raw(200, b"\xff\xfe garbage"),
        FakeLLM.raw(200, chat_reply("Stor [1]. " + "x" * 2_000_000)),
        FakeLLM.raw(500, b'{"error": "boom"}'),
        FakeLLM.raw(401, b'{"error": "no key"}'),
        FakeLLM.raw(429, b'{"error": "slow down"}'),
    ],
    ids=[
        "no-citation",
        "cites-unknown-passage",
        "cites-zero",
        "absurd-number",
        "empty",
        "null-content",
        "too-long",
        "html",
        "no-choices",
        "no-content",
        "choices-not-a-list",
        "json-list",
        "not-utf8",
        "huge-body",
        "status-500",
        "status-401",
        "status-429",
    ],
)
def test_bad_replies_fall_back(assistant, llm: FakeLLM, passages, behave) -> None:
    llm.behave = behave
    assert answerer(assistant, llm).answer("Vad?", passages, "sv") is None


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:9/v1", "not a url", "http://[::1", "ftp://127.0.0.1/v1"])
def test_unreachable_or_malformed_endpoint_falls_back(assistant, passages, base_url: str) -> None:
    settings = assistant.settings.model_copy(
        update={"llm_base_url": base_url, "llm_model": "m", "llm_timeout_seconds": 2.0}
    )
    assert GenerativeAnswerer(settings).answer("Vad?", passages, "sv") is None


def test_slow_endpoint_falls_back_within_the_timeout(assistant, llm: FakeLLM, passages) -> None:
    delay = 3.0
    llm.behave = FakeLLM.reply("Sent [1].", delay=delay)
    started = time.monotonic()
    assert answerer(assistant, llm, timeout=0.5).answer("Vad?", passages, "sv") is None
    assert time.monotonic() - started < delay, "gave up before the reply existed, whatever the machine's speed"


def test_trickling_endpoint_cannot_hold_a_thread(assistant, llm: FakeLLM, passages) -> None:
    """Every read is fast, the whole reply is not: the timeout bounds the body too."""
    per_byte = 0.05
    llm.behave = FakeLLM.trickle("Droppvis [1].", seconds_per_byte=per_byte)
    whole_reply = len(chat_reply("Droppvis [1].")) * per_byte  # about 4 s
    started = time.monotonic()
    assert answerer(assistant, llm, timeout=1.0).answer("Vad?", passages, "sv") is None
    assert time.monotonic() - started < whole_reply / 2, "stopped reading long before the reply was complete"


# --- over HTTP: the API with generative mode on ---------------------------------------------------------


def serve(assistant, llm: FakeLLM, **settings) -> LiveServer:
    return LiveServer(api_for(variant(assistant, llm_base_url=llm.url, llm_model="fake-model", **settings)))


def test_api_uses_a_good_generated_answer(assistant, llm: FakeLLM, document) -> None:
    llm.behave = FakeLLM.reply("Det dröjer i genomsnitt länge innan förhör [1].")
    with serve(assistant, llm) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        body = http.post("/api/ask", json={"question": DN_QUESTION}).json()
        assert body["answer"] == "Det dröjer i genomsnitt länge innan förhör [1]." and body["answerable"]
        (citation,) = body["citations"]
        assert document.text[citation["start"] : citation["end"]] == citation["text"]
        with http.stream("POST", "/api/ask/stream", json={"question": DN_QUESTION}) as response:
            data = [json.loads(line[5:]) for line in response.iter_lines() if line.startswith("data:")]
        assert "".join(d.get("text", "") for d in data[:-2]) == body["answer"]


def test_api_falls_back_to_the_extractive_answer(assistant, llm: FakeLLM) -> None:
    llm.behave = FakeLLM.reply("Påhittat svar utan källor.")
    expected = variant(assistant).ask(DN_QUESTION).answer
    with serve(assistant, llm) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        body = http.post("/api/ask", json={"question": DN_QUESTION}).json()
    assert body["answer"] == expected.text and [c["id"] for c in body["citations"]] == [
        c.id for c in expected.citations
    ]


def test_slow_llm_within_request_limit_gives_the_extractive_answer(assistant, llm: FakeLLM) -> None:
    delay = 3.0
    llm.behave = FakeLLM.reply("För sent [1].", delay=delay)
    expected = variant(assistant).ask(DN_QUESTION).answer.text
    with serve(assistant, llm, llm_timeout_seconds=0.5, request_timeout_seconds=10) as server:
        started = time.monotonic()
        response = httpx.post(f"{server.url}/api/ask", json={"question": DN_QUESTION}, timeout=30)
        assert response.status_code == 200 and response.json()["answer"] == expected
        assert time.monotonic() - started < delay, "answered before the endpoint's reply existed"


def test_request_over_the_time_limit_is_504_and_blocks_nothing(assistant, llm: FakeLLM) -> None:
    llm.behave = FakeLLM.reply("Alldeles för sent [1].", delay=4.0)
    with serve(assistant, llm, llm_timeout_seconds=30, request_timeout_seconds=1.0) as server:
        slow: dict[str, object] = {}

        def ask() -> None:
            started = time.monotonic()
            slow["response"] = httpx.post(f"{server.url}/api/ask", json={"question": DN_QUESTION}, timeout=30)
            slow["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=ask)
        thread.start()
        time.sleep(0.3)  # the slow request is now waiting on the LLM
        with httpx.Client(base_url=server.url, timeout=10) as http:
            for _ in range(3):
                started = time.monotonic()
                assert http.get("/api/health").status_code == 200
                assert http.post("/api/search", json={"query": "barnahus", "k": 2}).status_code == 200
                assert http.get("/api/documents").status_code == 200
                assert time.monotonic() - started < 1.0
        thread.join(timeout=30)
        response = slow["response"]
        assert isinstance(response, httpx.Response) and response.status_code == 504
        assert "longer than 1 s" in response.json()["detail"]
        assert slow["seconds"] < 2.5, "the 504 comes at the limit, not when the work finishes"
