"""Votes on answers: POST /api/feedback on a real server, the log's atomicity and size bound, and
``motionqa feedback export`` as a real subprocess producing items the eval suite loader accepts."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers import api_for, error_text, variant
from servers import LiveServer

from assistant.feedback import FeedbackFull, FeedbackLog, FeedbackRecord
from eval.suite import load_suite, validate_suite

MOTIONQA = str(Path(sys.executable).with_name("motionqa"))
DN_QUESTION = "Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?"
RECORD_FIELDS = {"question", "history", "answer", "citations", "outcome", "vote", "comment", "time"}


@pytest.fixture()
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "votes" / "feedback.jsonl"


@contextlib.contextmanager
def serve(assistant, log_path: Path, max_bytes: int = 1_000_000) -> Iterator[LiveServer]:
    """The API on loopback with its own feedback log."""
    with LiveServer(api_for(variant(assistant, feedback_path=log_path, feedback_max_bytes=max_bytes))) as live:
        yield live


@pytest.fixture()
def server(assistant, log_path: Path) -> Iterator[LiveServer]:
    with serve(assistant, log_path) as live:
        yield live


@pytest.fixture()
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def _vote_on_a_real_answer(http: httpx.Client, vote: str, question: str = DN_QUESTION, **extra) -> dict:
    """Ask, then send the answer back with a vote, as a client would."""
    history = extra.pop("history", None)
    answer = http.post("/api/ask", json={"question": question, "history": history}).json()
    payload = {
        "question": question,
        "history": history,
        "answer": answer["answer"],
        "citations": answer["citations"],
        "outcome": answer["outcome"],
        "vote": vote,
        **extra,
    }
    return payload


def test_a_down_vote_lands_in_the_log_with_its_fields_and_no_ip(http: httpx.Client, log_path: Path) -> None:
    history = [{"role": "user", "content": "Vad säger motionen om sexualbrott?"}]
    payload = _vote_on_a_real_answer(http, "down", history=history, comment="Fel siffra?")
    response = http.post("/api/feedback", json=payload)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "recorded"

    raw = log_path.read_text(encoding="utf-8")
    (line,) = raw.splitlines()
    stored = json.loads(line)
    assert set(stored) == RECORD_FIELDS
    assert stored["vote"] == "down" and stored["comment"] == "Fel siffra?"
    assert stored["question"] == DN_QUESTION and stored["history"] == history
    assert stored["answer"] == payload["answer"] and stored["outcome"] == payload["outcome"]
    assert [c["id"] for c in stored["citations"]] == [c["id"] for c in payload["citations"]]
    assert stored["time"] == response.json()["time"].replace("+00:00", "Z") and stored["time"].endswith("Z")
    assert "127.0.0.1" not in raw


def test_an_up_vote_without_comment_is_recorded_too(http: httpx.Client, log_path: Path) -> None:
    payload = _vote_on_a_real_answer(http, "up", comment="   ")
    assert http.post("/api/feedback", json=payload).status_code == 201
    stored = json.loads(log_path.read_text(encoding="utf-8"))
    assert stored["vote"] == "up" and stored["comment"] is None and stored["history"] == []


def test_the_longest_real_answer_fits_the_limits(http: httpx.Client, log_path: Path) -> None:
    """The overview (21 yrkanden, 21 citations) is the longest answer there is: a vote on it is recorded whole."""
    payload = _vote_on_a_real_answer(http, "down", question="Vad vill Vänsterpartiet att regeringen ska göra?")
    assert len(payload["answer"]) > 5000 and len(payload["citations"]) == 21
    assert http.post("/api/feedback", json=payload).status_code == 201
    (record,) = FeedbackLog(log_path, 1_000_000).read()
    assert record.answer == payload["answer"] and len(record.citations) == 21


MINIMAL = {"question": "Vad?", "answer": "Motionen tar inte upp det.", "outcome": "declined", "vote": "down"}


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"vote": "sideways"}, "vote: Input should be 'up' or 'down' (literal_error)"),
        ({"vote": None}, "vote: Input should be 'up' or 'down'"),
        ({"vote": 1}, "vote: Input should be 'up' or 'down'"),
        ({"outcome": "maybe"}, "outcome: Input should be 'answered', 'hedged' or 'declined'"),
        ({"question": " "}, "question: Must not be empty or blank (text_empty)"),
        ({"answer": ""}, "answer: Must not be empty"),
        ({"comment": "x" * 2001}, "comment: Should have at most 2000 characters, not 2001 (text_too_long)"),
        ({"comment": "hej\u0000"}, "comment: Should not contain control characters"),
        ({"history": [{"role": "system", "content": "x"}]}, "history.0.role"),
        ({"history": [{"role": "user", "content": " "}]}, "history.0.content: Must not be empty"),
        ({"citations": [{"n": 1}]}, "citations.0.id: Field required"),
        ({"ip": "10.0.0.1"}, "ip: Extra inputs are not permitted"),
    ],
)
def test_bad_votes_get_a_422_that_says_why(http: httpx.Client, log_path: Path, change: dict, fragment: str) -> None:
    response = http.post("/api/feedback", json={**MINIMAL, **change})
    assert response.status_code == 422, response.text
    assert fragment in error_text(response)
    assert not log_path.exists()


def test_the_body_limit_applies(http: httpx.Client, settings, log_path: Path) -> None:
    response = http.post("/api/feedback", json={**MINIMAL, "comment": "x" * settings.max_request_bytes})
    assert response.status_code == 413 and "request body over" in response.json()["detail"]
    assert not log_path.exists()


def test_an_unwritable_log_is_a_503_without_internals(assistant, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with serve(assistant, blocker / "feedback.jsonl") as broken:
        response = httpx.post(f"{broken.url}/api/feedback", json=MINIMAL, timeout=60)
    assert response.status_code == 503
    assert response.json()["detail"] == "the feedback log cannot be written; nothing was recorded"


def test_a_full_log_refuses_with_507_and_keeps_every_earlier_line(assistant, log_path: Path) -> None:
    vote = {**MINIMAL, "comment": "x" * 1500}
    with serve(assistant, log_path, max_bytes=8192) as small, httpx.Client(base_url=small.url) as http:
        statuses = [http.post("/api/feedback", json=vote).status_code for _ in range(7)]
        full = statuses.index(507)
        assert full >= 3 and statuses[full:] == [507] * (7 - full), statuses
        before = log_path.read_bytes()
        refused = http.post("/api/feedback", json=vote)
    assert refused.status_code == 507 and "MOTIONQA_FEEDBACK_MAX_BYTES" in refused.json()["detail"]
    assert log_path.read_bytes() == before and len(before) <= 8192
    lines = before.decode().splitlines()
    assert len(lines) == full and all(json.loads(line)["comment"] == vote["comment"] for line in lines)


# A separate interpreter per writer: the lock must hold between processes, not only threads.
WRITER = """
import sys
from pathlib import Path
from assistant.feedback import FeedbackLog, FeedbackRecord

path, writer = Path(sys.argv[1]), sys.argv[2]
log = FeedbackLog(path, 10_000_000)
for i in range(25):
    # 40 kB lines: far past the size a single pipe write keeps whole
    log.append(FeedbackRecord(question=f"writer {writer} vote {i}", answer="å" * 20_000, outcome="answered",
                              vote="down"))
"""


def test_concurrent_appends_from_processes_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(w)]) for w in range(4)]
    assert [process.wait(timeout=120) for process in writers] == [0] * 4
    records = FeedbackLog(path, 10_000_000).read()  # raises on any mangled line
    assert sorted(r.question for r in records) == sorted(f"writer {w} vote {i}" for w in range(4) for i in range(25))
    assert all(len(r.answer) == 20_000 for r in records)


def test_concurrent_votes_over_http_all_land(server: LiveServer, log_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def post(i: int) -> int:
        vote = {**MINIMAL, "question": f"Fråga {i}?", "comment": "ö" * 2000}
        return httpx.post(f"{server.url}/api/feedback", json=vote, timeout=60).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post, range(6)))
    assert statuses == [201] * 6
    questions = [r.question for r in FeedbackLog(log_path, 1_000_000).read()]
    assert sorted(questions) == sorted(f"Fråga {i}?" for i in range(6))


def test_the_size_bound_holds_for_the_typed_api_too(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "f.jsonl", 1024)
    record = FeedbackRecord(question="Vad?", answer="a" * 600, outcome="answered", vote="up")
    log.append(record)
    with pytest.raises(FeedbackFull):
        log.append(record)
    assert log.read() == [record]


def _export(log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOTIONQA_FEEDBACK_PATH": str(log), "HF_HUB_OFFLINE": "1", "COLUMNS": "80"}
    return subprocess.run([MOTIONQA, "feedback", "export", *args], env=env, capture_output=True, text=True, timeout=300)


def test_export_turns_down_votes_into_items_the_suite_loader_reads(
    http: httpx.Client, log_path: Path, tmp_path: Path, document
) -> None:
    karin = [{"role": "user", "content": "Vad var koncept Karin?"}, {"role": "assistant", "content": "Ett samarbete."}]
    for payload in (
        _vote_on_a_real_answer(http, "down", comment="Saknar siffran"),
        _vote_on_a_real_answer(http, "down", comment="Fortfarande fel"),  # same question: one item, two votes
        _vote_on_a_real_answer(http, "up", question="Vad är IPVI?"),
        _vote_on_a_real_answer(http, "down", question="Fungerade det?", history=karin),
    ):
        assert http.post("/api/feedback", json=payload).status_code == 201, payload

    out = tmp_path / "candidates.jsonl"
    done = _export(log_path, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "2 candidate item(s) from 3 down-vote(s) of 4 vote(s)" in done.stderr

    items = load_suite(out)
    assert [i.question for i in items] == [DN_QUESTION, "Fungerade det?"]
    assert items[1].history == ("Vad var koncept Karin?",)  # the suites replay the user's turns
    assert all(i.to_complete == ("type", "answer", "evidence") and not i.evidence and not i.answer for i in items)
    problems = validate_suite(items, [document])
    assert problems == [f"{i.id}: to complete by an analyst: type, answer, evidence" for i in items]
    check = subprocess.run([MOTIONQA, "eval", "validate", str(out)], capture_output=True, text=True, timeout=300)
    assert check.returncode == 1 and "2 problem(s)" in check.stderr, check.stderr
    assert f"{items[0].id}: to complete by an analyst: type, answer, evidence" in check.stderr

    raw = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [v["comment"] for v in raw[0]["feedback"]] == ["Saknar siffran", "Fortfarande fel"]
    assert any("55 dagar" in c["text"] for c in raw[0]["candidates"])  # evidence to pick from, re-retrieved
    assert any(c["section"] == "Stödcenter för vuxna utsatta för sexualiserat våld" for c in raw[1]["candidates"])
    for candidate in raw[0]["candidates"]:
        assert document.text[candidate["start"] : candidate["end"]] == candidate["text"]

    # Completed by an analyst, the item is a valid gold item.
    raw[0].update(type="fact", answer="55 dagar.", evidence=[raw[0]["candidates"][0]["text"][:40]])
    del raw[0]["to_complete"]
    out.write_text(json.dumps(raw[0], ensure_ascii=False) + "\n", encoding="utf-8")
    assert validate_suite(load_suite(out), [document]) == []

    again = _export(log_path)  # to standard output, with the same stable ids
    assert [json.loads(line)["id"] for line in again.stdout.splitlines()] == [i.id for i in items]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no feedback log at"),
        ('{"question": "Vad?"}\n', "feedback.jsonl:1: not a feedback record (answer: Field required)"),
        ("\n" + json.dumps({**MINIMAL, "time": "2026-01-01T00:00:00Z"}) + "\n{not json\n", "feedback.jsonl:3:"),
    ],
)
def test_export_of_a_missing_or_corrupt_log_is_one_line_and_exit_1(
    tmp_path: Path, content: str | None, message: str
) -> None:
    log = tmp_path / "feedback.jsonl"
    if content is not None:
        log.write_text(content, encoding="utf-8")
    done = _export(log)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
