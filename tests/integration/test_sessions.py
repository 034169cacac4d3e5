"""The server-side session store: bounded in sessions, turns and time; safe under concurrent turns."""

from __future__ import annotations

import gc
import threading
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from helpers import api_for, variant
from servers import LiveServer

import assistant.conversation as conversation
from assistant.conversation import SessionStore, Turn, UnknownSession

CLIENT = "127.0.0.1"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(conversation.time, "monotonic", fake)
    return fake


def pair(i: int) -> tuple[Turn, Turn]:
    return Turn("user", f"fråga {i}"), Turn("assistant", f"svar {i}")


def assert_paired(turns: list[Turn]) -> None:
    assert [t.role for t in turns] == ["user", "assistant"] * (len(turns) // 2)
    for question, answer in zip(turns[::2], turns[1::2], strict=True):
        assert question.content.removeprefix("fråga ") == answer.content.removeprefix("svar ")


def test_at_most_max_sessions_least_recently_used_go_first() -> None:
    store = SessionStore(max_sessions=100, max_turns=10, ttl_seconds=3600)
    first = store.create()
    ids = [store.create() for _ in range(98)]
    store.history(first)  # touched: now the most recent
    newer = [store.create() for _ in range(5)]
    assert len(store) == 100
    store.history(first)
    with pytest.raises(UnknownSession):
        store.history(ids[0])
    assert all(store.history(i) == [] for i in newer)


def test_creating_sessions_in_a_loop_does_not_grow_memory() -> None:
    store = SessionStore(max_sessions=500, max_turns=4, ttl_seconds=3600)
    tracemalloc.start()
    try:
        for i in range(2_000):
            store.append(store.create(), *pair(i))
        gc.collect()
        warm, _ = tracemalloc.get_traced_memory()
        for i in range(20_000):
            store.append(store.create(), *pair(i))
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(store) == 500
    assert after - warm < 100_000, f"grew {after - warm} bytes over 20 000 more sessions"


@pytest.mark.parametrize("max_turns", [2, 3, 7, 10])
def test_turns_are_capped_in_whole_pairs(max_turns: int) -> None:
    store = SessionStore(max_sessions=10, max_turns=max_turns, ttl_seconds=3600)
    session = store.create()
    for i in range(30):
        store.append(session, *pair(i))
        turns = store.history(session)
        assert len(turns) <= max_turns
        assert_paired(turns)
        assert turns[-1].content == f"svar {i}"


def test_sessions_expire_after_the_ttl_unless_used(clock: Clock) -> None:
    store = SessionStore(max_sessions=10, max_turns=10, ttl_seconds=60)
    idle, active = store.create(), store.create()
    for _ in range(5):
        clock.now += 30
        store.append(active, *pair(0))
    with pytest.raises(UnknownSession):
        store.history(idle)
    assert len(store.history(active)) == 10
    clock.now += 61
    assert len(store) == 0
    with pytest.raises(UnknownSession):
        store.append(active, *pair(1))


def test_concurrent_turns_stay_paired_and_in_order() -> None:
    store = SessionStore(max_sessions=10, max_turns=100_000, ttl_seconds=3600)
    session = store.create()
    barrier = threading.Barrier(16)

    def worker(w: int) -> None:
        barrier.wait()
        for i in range(200):
            store.append(session, *pair(w * 1000 + i))
            store.history(session)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(worker, range(16)))
    turns = store.history(session)
    assert len(turns) == 2 * 16 * 200
    assert_paired(turns)
    for w in range(16):  # each client's own turns keep their order
        mine = [int(t.content.split()[1]) for t in turns[::2] if int(t.content.split()[1]) // 1000 == w]
        assert mine == sorted(mine) and len(mine) == 200


def test_api_sessions_are_bounded(assistant) -> None:
    bounded = variant(assistant, session_max=20)
    with LiveServer(api_for(bounded)) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        started = {"question": "Vad är barnahus?", "new_session": True}
        issued = [http.post("/api/ask", json=started).json()["session_id"] for _ in range(60)]
        assert len(set(issued)) == 60
        assert http.get("/api/health").json()["sessions"] == 20
        assert http.post("/api/ask", json={"question": "Och sen?", "session_id": issued[0]}).status_code == 404
        assert http.post("/api/ask", json={"question": "Och sen?", "session_id": issued[-1]}).status_code == 200


def test_concurrent_api_turns_in_one_session(assistant) -> None:
    """16 clients asking in one session at once: every stored pair is a question and the answer it got."""
    shared = variant(assistant, session_max_turns=1000)
    questions = [
        "Vad säger motionen om barnahus?",
        "Vad menas med ekonomiskt våld?",
        "Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?",
        "Vad föreslås om kvinnojourer?",
    ]
    with LiveServer(api_for(shared)) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        session = http.post("/api/ask", json={"question": questions[0], "new_session": True}).json()["session_id"]

        def ask(i: int) -> tuple[str, str]:
            question = questions[i % len(questions)]
            body = http.post("/api/ask", json={"question": question, "session_id": session}).json()
            return question, body["answer"]

        with ThreadPoolExecutor(16) as pool:
            answered = list(pool.map(ask, range(32)))
    turns = shared.sessions.history(session)
    assert len(turns) == 2 * 33
    assert [t.role for t in turns] == ["user", "assistant"] * 33
    stored = [(q.content, a.content) for q, a in zip(turns[2::2], turns[3::2], strict=True)]
    assert sorted(stored) == sorted(answered)


def test_stateless_asks_store_nothing_and_evict_no_conversation(assistant) -> None:
    """Asks without ``new_session`` (or ``session_id``) answer and forget: 100 of them leave a store of 20 alone."""
    bounded = variant(assistant, session_max=20)
    with LiveServer(api_for(bounded)) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        kept = http.post("/api/ask", json={"question": "Vad är barnahus?", "new_session": True}).json()["session_id"]
        for i in range(100):
            answer = http.post("/api/ask", json={"question": f"Vad är barnahus? ({i})"}).json()
            assert answer["session_id"] is None
        assert http.get("/api/health").json()["sessions"] == 1
        assert http.post("/api/ask", json={"question": "Hur många?", "session_id": kept}).status_code == 200


def test_chat_and_api_conversations_cannot_evict_each_other(assistant) -> None:
    from assistant.api.limits import ClientLimits
    from ui.chat import ChatUI

    bounded = variant(assistant, session_max=5)
    chat = ChatUI(bounded, bounded.settings, ClientLimits.from_settings(bounded.settings))
    tab = chat.new_session(CLIENT)
    api = bounded.sessions.create()
    for _ in range(20):
        bounded.sessions.create()
    for _ in range(20):
        chat.new_session(CLIENT)
    assert len(bounded.sessions) == 5 and len(bounded.chat_sessions) == 5
    with pytest.raises(UnknownSession):
        bounded.sessions.history(api)
    with pytest.raises(UnknownSession):
        bounded.chat_sessions.history(tab)

    tab, api = chat.new_session(CLIENT), bounded.sessions.create()
    for _ in range(20):
        bounded.sessions.create()
    session, _ = chat._ask("Vad är barnahus?", tab, [], CLIENT)
    assert session == tab and len(bounded.chat_sessions.history(tab)) == 2, "20 API sessions left the chat's alone"
    with pytest.raises(UnknownSession):
        bounded.chat_sessions.history(api)  # an API id means nothing to the chat's store


def client_at(server: LiveServer, address: str) -> httpx.Client:
    """A client connecting from ``address`` (127.0.0.2, 127.0.0.3, … are distinct clients on loopback)."""
    return httpx.Client(base_url=server.url, timeout=60, transport=httpx.HTTPTransport(local_address=address))


def test_a_burst_from_one_client_evicts_no_one_elses_conversation(assistant) -> None:
    """Issue 18, item 7: 1,000 new conversations from one address (the store holds 1,000) used to evict
    every other conversation; now each address holds at most its share and evicts its own oldest."""
    served = variant(assistant, client_request_rate="1000000/minute")  # the rate limit is not what is tested
    with LiveServer(api_for(served)) as server, client_at(server, "127.0.0.2") as victim:
        started = {"question": "Vad säger motionen om barnahus?", "new_session": True}
        kept = victim.post("/api/ask", json=started).json()["session_id"]
        with client_at(server, "127.0.0.3") as attacker:
            burst = [attacker.post("/api/ask", json=started).json()["session_id"] for _ in range(1000)]
        assert len(set(burst)) == 1000
        follow_up = victim.post("/api/ask", json={"question": "Hur många finns det?", "session_id": kept})
        assert follow_up.status_code == 200, follow_up.text
        share = served.settings.session_max_per_client
        assert victim.get("/api/health").json()["sessions"] == 1 + share
        own_oldest = victim.post("/api/ask", json={"question": "Och sen?", "session_id": burst[0]})
        assert own_oldest.status_code == 404 and attacker_keeps(victim, burst[-share:])


def attacker_keeps(http: httpx.Client, sessions: list[str]) -> bool:
    return all(http.post("/api/ask", json={"question": "Och?", "session_id": s}).status_code == 200 for s in sessions)


def test_each_owner_has_a_share_of_the_store() -> None:
    store = SessionStore(max_sessions=100, max_turns=10, ttl_seconds=3600, max_per_owner=5)
    mine = store.create(owner="a")
    theirs = [store.create(owner="b") for _ in range(200)]
    store.history(mine)
    assert len(store) == 6 and [s for s in theirs if _known(store, s)] == theirs[-5:]
    anonymous = [store.create() for _ in range(200)]  # no owner: only the store's own bound
    assert len(store) == 100 and _known(store, anonymous[-1]) and not _known(store, mine)


def _known(store: SessionStore, session: str) -> bool:
    try:
        store.history(session)
    except UnknownSession:
        return False
    return True
