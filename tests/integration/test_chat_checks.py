"""The chat's functions check what they are sent as the API does (issue 18, items 3 and 4), called as
the page calls them, on a real server on loopback: a question gets ``/api/ask``'s checks, a vote is
recorded only for an answer the server gave in that session, and a call the page could not have
made is a 4xx, never a 500 with a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import gradio_event, variant
from servers import LiveServer
from starlette.routing import Mount

QUESTION = "Vad säger motionen om barnahus?"
JOIN, PREDICT = "/gradio_api/queue/join", "/gradio_api/run/predict"


class Page:
    """The chat's functions, found in its ``/config`` as the page finds them, and a client to call them."""

    def __init__(self, server: LiveServer, feedback: Path) -> None:
        self.http = httpx.Client(base_url=server.url, timeout=120)
        self.feedback = feedback
        config = self.http.get("/config").json()
        kinds = {c["id"]: c["type"] for c in config["components"]}
        by_event: dict[tuple[str, int], int] = {}
        for dependency in config["dependencies"]:
            if dependency["backend_fn"]:
                for _, event in dependency["targets"]:
                    by_event[(event, len(dependency["inputs"]))] = dependency["id"]
        self.respond = by_event[("click", 3)]
        self.load = by_event[("load", 2)]
        self.vote, self.comment = by_event[("like", 2)], by_event[("submit", 2)]
        self.kinds = kinds
        self.calls = 0

    def call(
        self, fn_index: int, data: list[Any], event_data: Any = None, route: str = JOIN, session: str | None = None
    ) -> tuple[int, list]:
        """The status and the stream's messages (JSON) of one call, from ``session`` (default: a new page)."""
        self.calls += 1
        body = {
            "fn_index": fn_index,
            "data": data,
            "event_data": event_data,
            "session_hash": session or f"s{self.calls}",
        }
        status, text = gradio_event(self.http, route, body)
        messages = [json.loads(line[5:]) for line in text.splitlines() if line.startswith("data:")]
        return status, messages

    def ask(self, question: str, record: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
        """The conversation record after asking (None: nothing answered) and the warnings shown."""
        status, messages = self.call(self.respond, [question, record, "sv"])
        assert status == 200, messages
        return completed(messages, 4), warnings(messages)

    def logged(self) -> list[dict[str, Any]]:
        if not self.feedback.exists():
            return []
        return [json.loads(line) for line in self.feedback.read_text().splitlines()]


def completed(messages: list[dict[str, Any]], position: int) -> Any:
    """Output ``position`` of the finished call (None when the handler changed nothing there)."""
    done = next(m for m in messages if m.get("msg") == "process_completed")
    assert done["success"], done
    value = done["output"]["data"][position]
    return None if isinstance(value, dict) and value.get("__type__") == "update" else value


def warnings(messages: list[dict[str, Any]]) -> list[str]:
    return [m["log"] for m in messages if m.get("msg") == "log" and m.get("level") == "warning"]


@pytest.fixture(scope="module")
def page(assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    from ui.server import create_app

    feedback = tmp_path_factory.mktemp("chat-feedback") / "feedback.jsonl"
    served = variant(assistant, feedback_path=feedback, client_write_rate="6/minute")
    with LiveServer(create_app(served.settings, served)) as server:
        opened = Page(server, feedback)
        yield opened
        opened.http.close()


def fresh() -> dict[str, Any]:
    return {"session": None, "next": 1, "turns": []}


def test_a_vote_records_only_an_answer_the_server_gave_in_that_session(page: Page) -> None:
    """Item 3: a vote with an invented record stored a 5,000-character question with NUL and ESC and a
    150,000-character answer the assistant never gave; export made it an eval candidate."""
    record, shown = page.ask(QUESTION, fresh())
    assert record is not None and not shown and record["turns"][0]["q"] == QUESTION
    before = len(page.logged())
    invented = {**record, "turns": [{**record["turns"][0], "q": "x" * 5000 + "\x00\x1b", "a": "y" * 150_000}]}
    answer_changed = {**record, "turns": [{**record["turns"][0], "a": "Motionen vill avskaffa barnahus."}]}
    other_session = {**record, "session": "not-the-session-that-answered"}
    for tampered in (invented, answer_changed, other_session):
        status, messages = page.call(page.vote, [tampered, "sv"], {"turn": 1, "value": "down"})
        assert status == 200 and completed(messages, 1) is None, "the thumb is not shown as pressed"
        assert warnings(messages) == ["Bara svar som getts i den här konversationen kan betygsättas."]
    assert len(page.logged()) == before, "nothing was recorded"

    status, messages = page.call(page.vote, [record, "sv"], {"turn": 1, "value": "down"})
    assert status == 200 and not warnings(messages) and completed(messages, 1)["turns"][0]["f"] == "down"
    logged = page.logged()[-1]
    assert len(page.logged()) == before + 1 and logged["question"] == QUESTION and logged["vote"] == "down"
    assert logged["answer"] == record["turns"][0]["a"] and logged["history"] == []


def test_a_question_gets_the_checks_of_api_ask(page: Page) -> None:
    """Item 3: the chat checked only the length; NUL, ESC and lone surrogates went to the assistant."""
    for question, warning in (
        ("Vad säger motionen\x00 om\x1b barnahus?", "Frågan innehåller tecken som inte är tillåtna (styrtecken)."),
        ("x" * 2001, "Frågan är 2001 tecken lång; gränsen är 2000."),
    ):
        record, shown = page.ask(question, fresh())
        assert record is None and shown == [warning], question[:40]
        api = page.http.post("/api/ask", json={"question": question})
        assert api.status_code == 422, "the API refuses the same question"
    record, shown = page.ask("   ", fresh())
    assert record is None and not shown, "a blank question is ignored, as before"


def test_a_history_the_browser_sends_back_gets_the_checks_of_api_ask(page: Page, assistant) -> None:
    """Item 3: a record whose session the server no longer knows seeds a new one with its turns; those
    turns are a history from the client, checked as /api/ask checks one."""
    record, _ = page.ask(QUESTION, fresh())
    assert record is not None
    forgotten = {**record, "session": "forgotten-after-a-restart"}
    record_after, shown = page.ask("Hur många finns det?", forgotten)
    assert record_after is not None and not shown, "a clean history seeds the new session"
    for bad in ("a" * 20_001, "svar med \x07 klocka"):
        tampered = {**forgotten, "turns": [{**record["turns"][0], "a": bad}]}
        record_after, shown = page.ask("Hur många finns det?", tampered)
        assert record_after is None
        assert shown == ["Den sparade konversationen kunde inte läsas. Börja en ny konversation."]


def test_votes_count_toward_the_clients_write_rate_with_the_apis(page: Page) -> None:
    """Item 8: the chat's thumbs were unbounded; they share the client's write rate with /api/feedback."""
    record, _ = page.ask(QUESTION, fresh())
    results = [page.call(page.vote, [record, "sv"], {"turn": 1, "value": "up"}) for _ in range(8)]
    shown = [warnings(messages) for _, messages in results]
    limited = [w for w in shown if w]
    assert limited and all(w[0].startswith("För många röster på kort tid. Försök igen om ") for w in limited)
    vote = {"question": "Vad?", "answer": "Svar.", "outcome": "answered", "vote": "up"}
    refused = page.http.post("/api/feedback", json=vote)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1


@pytest.mark.parametrize("route", [JOIN, PREDICT])
@pytest.mark.parametrize("fn_index", [-1, 99, 10**30, None, "abc", 1.5])
def test_an_unknown_function_is_a_4xx_without_a_traceback(
    page: Page, route: str, fn_index: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    """Item 4: an unknown fn_index (-1, 99, huge, missing) was a 500 with a traceback in the log."""
    body = {"data": ["x", fresh(), "sv"], "session_hash": "unknown-fn"}
    if fn_index is not None:
        body["fn_index"] = fn_index
    response = page.http.post(route, json=body)
    assert response.status_code == 422 and set(response.json()) == {"detail"}
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    "event_data",
    [
        {"turn": "abc", "value": "up"},
        {"turn": 1},
        {"turn": 1, "value": "sideways"},
        {"turn": 1, "value": "up", "x": 1},
        [],
        "up",
    ],
)
def test_a_malformed_vote_is_a_4xx_without_a_traceback(
    page: Page, event_data: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    """Item 4: ``int("abc")`` in the vote handler was a 500 with a traceback."""
    for fn_index in (page.vote, page.comment):
        response = page.http.post(
            JOIN, json={"fn_index": fn_index, "data": [fresh(), "sv"], "event_data": event_data, "session_hash": "v"}
        )
        assert response.status_code == 422 and response.json()["detail"].startswith("event data")
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    "record",
    [
        {**fresh(), "next": 2**64},
        {**fresh(), "turns": [{"id": 2**64, "q": "q", "a": "a", "o": "answered", "l": "sv", "c": [], "s": []}]},
        {
            **fresh(),
            "turns": [{"id": 1, "q": "q", "a": "a", "o": "answered", "l": "sv", "c": [[1, "x", 0, 2**64]], "s": []}],
        },
    ],
    ids=["next", "turn id", "citation offset"],
)
def test_a_record_with_an_integer_no_browser_could_keep_is_a_4xx_without_a_traceback(
    page: Page, record: dict[str, Any], capfd: pytest.CaptureFixture[str]
) -> None:
    """An integer past 64 bits in the stored record passed the guard, came back in the page's output and
    broke Gradio's stream encoder (orjson): an "unexpected_error" for the client, a traceback in the log."""
    status, messages = page.call(page.load, [record, "sv"])
    assert status == 422 and messages == [], messages
    assert "Traceback" not in capfd.readouterr().err


PAGE_STATES = 4


def test_the_server_keeps_the_state_of_only_so_many_pages(assistant, tmp_path: Path) -> None:
    """Gradio kept every page's state (about 100 KB: the page's components) for up to 10,000 session ids, so
    a client (with the key) inventing ids grew the server by up to a gigabyte. Now the least recently used
    page's state goes past ``MOTIONQA_MAX_CHAT_PAGE_STATES``, and that page still works: its conversation is
    in the browser and in the session store, not in Gradio's state."""
    from ui.server import create_app

    served = variant(assistant, max_chat_page_states=PAGE_STATES)
    app = create_app(served.settings, served)
    chat = next(route.app.blocks for route in app.routes if isinstance(route, Mount) and route.path == "")
    held = chat.state_holder.session_data
    with LiveServer(app) as server:
        page = Page(server, tmp_path / "feedback.jsonl")
        for _ in range(PAGE_STATES + 6):
            status, messages = page.call(page.load, [fresh(), "sv"])
            assert status == 200 and completed(messages, 14) == fresh()
            assert len(held) <= PAGE_STATES
        assert "s1" not in held, "the first page's state went"
        status, messages = page.call(page.respond, [QUESTION, fresh(), "sv"], session="s1")
        assert status == 200 and completed(messages, 4)["turns"][0]["q"] == QUESTION
        assert len(held) <= PAGE_STATES and "s1" in held
        page.http.close()
