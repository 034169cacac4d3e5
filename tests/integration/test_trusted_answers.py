"""Issue 19's behaviours through every door a client uses: a server session, a stateless ``history`` with
the assistant's turns, and ``/v1`` with the official ``openai`` client, over a real server on loopback.

A yrkande asked for by number after another topic is that yrkande; a question about what the motion
never mentions names the missing word; a question whose asked-for detail is missing is hedged; a
follow-up is answered from next to what the previous answer quoted. Every yrkande and footnote can be
asked for by number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from openai import OpenAI

BARNAHUS = "Vad säger motionen om barnahus?"
BARNAHUS_SECTION = "Likvärdiga barnahus i hela landet"
YRKANDEN = 21
FOOTNOTES = 43
NEAR = 2000  # characters: "next to" the previous answer's passage

Body = dict[str, Any]  # answer, outcome, citations: as /api/ask returns them
Door = Callable[[list[str]], list[Body]]


@pytest.fixture()
def openai_client(live_server) -> OpenAI:
    return OpenAI(base_url=f"{live_server.url}/v1", api_key="unused", max_retries=0, timeout=60)


def in_a_session(client: httpx.Client) -> Door:
    """The server keeps the conversation: the first question opens a session, the rest name it."""

    def converse(questions: list[str]) -> list[Body]:
        first = client.post("/api/ask", json={"question": questions[0], "new_session": True}).json()
        bodies = [first]
        for question in questions[1:]:
            body = client.post("/api/ask", json={"question": question, "session_id": first["session_id"]}).json()
            assert body["session_id"] == first["session_id"]
            bodies.append(body)
        return bodies

    return converse


def with_history(client: httpx.Client) -> Door:
    """The client keeps the conversation, its own questions and the assistant's answers."""

    def converse(questions: list[str]) -> list[Body]:
        history: list[dict[str, str]] = []
        bodies = []
        for question in questions:
            body = client.post("/api/ask", json={"question": question, "history": history}).json()
            assert body["session_id"] is None
            history += [{"role": "user", "content": question}, {"role": "assistant", "content": body["answer"]}]
            bodies.append(body)
        return bodies

    return converse


def over_v1(openai: OpenAI) -> Door:
    """An OpenAI client's messages are the conversation; the outcome and citations come in ``motionqa``."""

    def converse(questions: list[str]) -> list[Body]:
        messages: list[Any] = []
        bodies = []
        for question in questions:
            messages.append({"role": "user", "content": question})
            completion = openai.chat.completions.create(model="motionqa", messages=messages)
            content = completion.choices[0].message.content or ""
            messages.append({"role": "assistant", "content": content})
            bodies.append({"answer": content, **(completion.model_extra or {})["motionqa"]})
        return bodies

    return converse


@pytest.fixture(params=["session", "history", "v1"])
def door(request: pytest.FixtureRequest, client: httpx.Client, openai_client: OpenAI) -> Door:
    if request.param == "v1":
        return over_v1(openai_client)
    return in_a_session(client) if request.param == "session" else with_history(client)


def sections(body: Body) -> set[str]:
    return {c["section"] for c in body["citations"]}


# --- a yrkande asked for by number after another topic ---------------------------------------------------


@pytest.mark.parametrize(
    ("questions", "number", "lead"),
    [
        ([BARNAHUS, "Vad står det i yrkande 3?"], 3, "Yrkande 3 av 21 föreslår att"),
        (["What does the motion say about barnahus?", "What does proposal 5 say?"], 5, "Proposal (yrkande) 5 of 21"),
        ([BARNAHUS, "What does proposal 5 say?"], 5, "Proposal (yrkande) 5 of 21"),
    ],
)
def test_a_yrkande_asked_for_by_number_after_another_topic_is_that_yrkande(
    door: Door, questions: list[str], number: int, lead: str
) -> None:
    """The explicit reference outranks the history: "det" in "Vad står det i" is not the barnahus answer."""
    topic, referenced = door(questions)
    assert BARNAHUS_SECTION in sections(topic)
    assert referenced["outcome"] == "answered" and referenced["answer"].startswith(lead), referenced["answer"]
    assert referenced["citations"] and {c["yrkande"] for c in referenced["citations"]} == {number}
    assert BARNAHUS_SECTION not in sections(referenced)


# --- what the motion does not say ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Vill Vänsterpartiet höja skatten på bensin?", "Motionen nämner inte bensin"),
        ("Vill de höja skatten på bensin?", "Motionen nämner inte bensin"),
        # Not in English: without a translation model there is no telling which Swedish word an English one
        # would be ("Does the motion mention fireworks?" is answered from the introduction; see docs/evaluation.md).
    ],
)
def test_an_off_topic_question_names_the_word_the_motion_never_uses(door: Door, question: str, named: str) -> None:
    (body,) = door([question])
    assert body["outcome"] in ("declined", "hedged"), body["answer"]
    assert body["answer"].startswith(named), body["answer"]


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Hur mycket kostar barnahusen?", "Motionen anger inget belopp."),
        ("Vad kostar trygghetsteamen?", "Motionen anger inget belopp."),
        # English questions sit further from the Swedish text: declined as off topic until the off-topic
        # bound was calibrated per language.
        ("How much do the barnahus cost?", "The motion gives no amount."),
        # A figure of something else is no count of what was asked ("elva kvinnor" for boys).
        ("Hur många pojkar dödades av en partner under 2024?", "Motionen anger inte hur många pojkar"),
        ("Hur många flickor har skyddad identitet?", "Motionen anger inte hur många flickor"),
        # A year already past answers no question about what is to come (the first commission's 1995).
        ("När ska den nya kvinnofridskommissionen vara klar?", "Motionen anger ingen tidpunkt."),
        ("Vem ska leda den nya kvinnofridskommissionen?", "Motionen nämner ingen sådan person."),  # nor who
    ],
)
def test_a_missing_detail_is_hedged_and_named(door: Door, question: str, missing: str) -> None:
    """The topic is there, the amount is not: the closest passages, said to be only that."""
    (body,) = door([question])
    assert body["outcome"] == "hedged" and body["answer"].startswith(missing), body["answer"]
    assert body["citations"]


def test_a_date_still_to_come_answers_a_question_about_the_future(door: Door) -> None:
    (body,) = door(["När ska uppdraget om ekonomiskt våld slutredovisas?"])
    assert body["outcome"] == "answered" and "2026" in body["citations"][0]["text"], body["answer"]


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("Hur många kvinnor dödades av en partner under 2024?", "elva kvinnor"),
        # People in general are counted by a figure of any kind of people.
        ("Hur många personer lever med skyddad folkbokföring?", "15 000 kvinnor"),
    ],
)
def test_a_count_of_what_was_asked_is_answered(door: Door, question: str, figure: str) -> None:
    (body,) = door([question])
    assert body["outcome"] == "answered" and figure in body["answer"], body["answer"]


# --- follow-ups keep the thread --------------------------------------------------------------------------


def near(citation: Body, earlier: list[Body]) -> bool:
    return any(citation["section"] == e["section"] or abs(citation["start"] - e["start"]) <= NEAR for e in earlier)


@pytest.mark.parametrize(
    "questions",
    [
        [BARNAHUS, "Varför då?"],
        ["Vad var koncept Karin?", "Berätta mer"],
        ["Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?", "Varför då?"],
        ["Vad säger motionen om skyddade boenden?", "Varför då?"],
        ["What is economic violence?", "Why?"],
        # A few everyday words name no topic of their own: elliptic, about the last answer.
        ["How long do you wait for a first police interview after reporting a rape?", "Why so long?"],
    ],
)
def test_a_followup_is_answered_from_next_to_the_previous_answer(door: Door, questions: list[str]) -> None:
    """Alone, "Varför då?" asks what is meant; after an answer it continues from that answer's passage."""
    first, followup = door(questions)
    assert first["outcome"] == "answered" and first["citations"]
    assert followup["outcome"] != "declined" and followup["citations"], followup["answer"]
    far = [c["section"] for c in followup["citations"] if not near(c, first["citations"])]
    assert not far, f"cited away from the previous answer: {far}"


def test_the_count_asked_for_is_quoted_first(door: Door) -> None:
    """Of the best sentences, the one that counts what was asked (men: "300 individer", not "17 mord") leads."""
    _, count = door(["vad är operation beta?", "hur många män har de hittat då?"])
    assert count["outcome"] != "declined" and count["citations"], count["answer"]
    assert "300 individer" in count["citations"][0]["text"], count["answer"]


def test_why_after_an_answer_gives_a_reason_it_did_not_quote_yet(door: Door) -> None:
    """ "Varför då?" asks about what was just quoted: repeating that quote first answers nothing."""
    first, why = door(["Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?", "Varför då?"])
    assert why["outcome"] != "declined" and why["citations"], why["answer"]
    assert why["citations"][0]["text"] not in {c["text"] for c in first["citations"]}, why["answer"]
    assert all(near(c, first["citations"]) for c in why["citations"]), why["answer"]


def test_a_followup_to_a_referenced_yrkande_continues_from_that_yrkande(door: Door) -> None:
    """ "Varför då?" after yrkande 3 asks why yrkande 3: its own section argues it, not the barnahus before it."""
    _, referenced, why = door([BARNAHUS, "Vad står det i yrkande 3?", "Varför då?"])
    argued = re.search(r"motiveras i avsnittet «([^»]+)»", referenced["answer"])
    assert argued, referenced["answer"]
    assert BARNAHUS_SECTION not in sections(why), why["answer"]
    assert sections(why) <= {argued.group(1), referenced["citations"][0]["section"]}, why["answer"]


def test_which_yrkande_after_an_answer_is_the_one_argued_where_it_quoted(door: Door) -> None:
    """No topic of its own: the yrkanden argued in the section the previous answer quoted, from the structure."""
    first, which = door(["Vad var koncept Karin?", "Vilket yrkande hör det ihop med?"])
    assert first["outcome"] == "answered" and first["citations"], first["answer"]
    assert which["outcome"] == "answered", which["answer"]
    argued = set(re.findall(r"motiveras i avsnittet «([^»]+)»", which["answer"]))
    assert argued and argued <= sections(first), which["answer"]
    assert all(c["yrkande"] for c in which["citations"]), which["answer"]


@pytest.mark.parametrize(
    "question", ["Vad vill V göra åt vårdnadstvister?", "What do they want done about custody fights?"]
)
def test_what_they_propose_about_a_topic_is_the_yrkande_argued_where_the_motion_discusses_it(
    door: Door, question: str
) -> None:
    """The section closest to the topic argues a yrkande: it is listed, even when its own wording is far."""
    (body,) = door([question])
    assert body["outcome"] == "answered" and body["citations"], body["answer"]
    assert body["citations"][0]["yrkande"], body["answer"]
    assert "section «Rättsprocesser som en del av eftervåldet»" in body["answer"].replace("avsnittet", "section")


def test_which_proposal_after_a_section_that_argues_none_says_so(door: Door) -> None:
    """The barnahus section makes no proposal (the motion says it refrains): said, and quoted from there."""
    first, which = door(["What does the motion say about barnahus?", "Which proposal is that tied to?"])
    assert sections(first) == {BARNAHUS_SECTION}, first["answer"]
    assert which["answer"].startswith(f"The section «{BARNAHUS_SECTION}» argues for none"), which["answer"]
    assert which["citations"] and sections(which) == {BARNAHUS_SECTION}, which["answer"]


# --- the motion's numbering, every number ----------------------------------------------------------------

YRKANDE_ASKED = ["Vad står det i yrkande {n}?", "yrkande {n}", "What does proposal {n} say?", "Vad säger förslag {n}?"]
FOOTNOTE_ASKED = ["Vad står det i fotnot {n}?", "fotnot {n}", "What does footnote {n} say?", "Vad säger not {n}?"]


@pytest.mark.parametrize("number", range(1, YRKANDEN + 1))
def test_every_yrkande_can_be_asked_for_by_number(assistant, number: int) -> None:
    question = YRKANDE_ASKED[number % len(YRKANDE_ASKED)].format(n=number)
    answer = assistant.ask(question).answer
    assert answer.outcome == "answered" and answer.citations, (question, answer.text)
    assert answer.citations[0].yrkande == number, (question, answer.text)


@pytest.mark.parametrize("number", range(1, FOOTNOTES + 1))
def test_every_footnote_can_be_asked_for_by_number(assistant, document, number: int) -> None:
    """A footnote that only says "A.a." is the footnote before it: that one is quoted, this one named."""
    question = FOOTNOTE_ASKED[number % len(FOOTNOTE_ASKED)].format(n=number)
    answer = assistant.ask(question).answer
    assert answer.outcome == "answered" and answer.citations, (question, answer.text)
    footnote = next(f for f in document.footnotes if f.number == number)
    if document.slice(footnote) == "A.a.":
        assert answer.text.startswith((f"Fotnot {number} lyder «A.a.»", f"Footnote {number} reads «A.a.»"))
        assert answer.citations[0].footnote == number - 1, (question, answer.text)
    else:
        assert answer.citations[0].footnote == number, (question, answer.text)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Vad står det i yrkande 99?", "Motionen har 21 yrkanden; något yrkande 99 finns inte."),
        ("What does proposal 22 say?", "The motion has 21 proposals (yrkanden); there is no proposal 22."),
        ("Vad står det i fotnot 44?", "Motionen har 43 fotnoter; någon fotnot 44 finns inte."),
    ],
)
def test_a_number_the_motion_does_not_have_is_answered_with_how_many_it_has(
    door: Door, question: str, says: str
) -> None:
    (body,) = door([question])
    assert body["outcome"] == "declined" and body["answer"] == says and body["citations"] == []
