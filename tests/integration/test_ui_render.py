"""The chat's HTML and its browser-kept record, without a browser: escaping, highlights, the
compact record's round trip, follow-ups that the assistant really answers, copy text."""

from __future__ import annotations

import json
from html import escape

import pytest

from assistant.answer import Answer, Citation
from index.chunker import Chunk
from index.parse.document import Document, Metadata
from ui.chatlog import copy_text, turn_html
from ui.render import source_html
from ui.stored import Conversation, ConversationCodec, StoredRecord


def test_rendering_escapes_motion_text_and_marks_every_cited_sentence() -> None:
    text = "Inledning. Före <b>x</b> & *y*. Mitt_ord [2] här. Efter. " + "Mer text. " * 60
    start, end, cited = text.index("Före"), text.index("Efter."), text.index("Mitt_ord")
    document = Document(Metadata("d", "T", "P", "2025/26"), text, [], [], [], [])
    chunk = Chunk("d:p1", "d", "body", "Avsnitt <i>", 0, start, end, text[start:end])
    citation = Citation(1, "d:p1", "d", "Mitt_ord [2] här.", "Avsnitt <i>", cited, cited + len("Mitt_ord [2] här."), 3)

    html = source_html(7, [citation], document, chunk, "sv")
    assert "<b>" not in html and "<i>" not in html and "&lt;b&gt;x&lt;/b&gt; &amp; *y*." in html
    assert "<mark>Mitt_ord [2] här.</mark>" in html and 'id="mq-src-7-1"' in html
    assert '<span lang="sv">Avsnitt &lt;i&gt;</span> · yrkande 3' in html and "Inledning." in html
    assert '<blockquote class="mq-passage" lang="sv">' in html and "Mer text." in html
    assert "<mark>" not in source_html(7, [citation], document, chunk, "sv", highlight=False)
    before = Citation(2, "d:p1", "d", "Före", "Avsnitt <i>", start, start + len("Före"), 3)
    card = source_html(7, [before, citation], document, chunk, "sv")
    # Both marked in the passage and again in its unfoldable context: one card, both numbers in its heading.
    assert card.count("<mark>") == 4 and "[2] [1]" in card and card.count('class="mq-source"') == 1

    answer = Answer("A <script> *b* [1] och [2].", "answered", "sv", [citation, before])
    chat = turn_html(7, "Fråga <x>?", answer, "sv")
    assert "&lt;script&gt;" in chat and "<script>" not in chat and "Fråga &lt;x&gt;?" in chat
    # both numbers link to the one card that shows them
    assert chat.count('href="#mq-src-7-1"') == 2
    plain = copy_text(answer, "en")
    assert (
        plain.startswith("A <script> *b* [1] och [2].") and "[1] Avsnitt <i> · yrkande (proposal) 3: ”Mitt_ord" in plain
    )


def test_the_browser_record_restores_every_answer_exactly(assistant) -> None:
    codec = ConversationCodec(assistant.index.documents, assistant.chunks_by_id)
    conversation = Conversation("s")
    for question in (
        "Vad säger motionen om barnahus?",
        "Vad vill Vänsterpartiet att regeringen ska göra?",
        "Vem vann melodifestivalen förra året?",
        "Vilken källa anges för uppgiften om sexköp?",
    ):
        conversation.add(question, assistant.ask(question).answer)
    StoredRecord.model_validate(codec.dump(conversation))  # the shape the chat's guard accepts
    restored = codec.load(codec.dump(conversation))
    assert [t.answer for t in restored.turns] == [t.answer for t in conversation.turns]
    assert restored.session == "s" and restored.next_id == 5
    tampered = codec.dump(conversation)
    tampered["turns"][0]["c"][0][2] = -5
    tampered["turns"][1]["c"][0][1] = "no-such-passage"
    assert [t.id for t in codec.load(tampered).turns] == [3, 4]
    assert codec.load("not a record").turns == []


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Vad säger motionen om barnahus?", "sv"),
        ("Vad säger motionen om samtyckeslagstiftningen?", "sv"),
        ("What does the motion say about barnahus?", "en"),
        ("Vilka förslag gör motionen om skyddat boende?", "en"),  # an overview: the yrkanden, in an English page
    ],
)
def test_follow_ups_name_the_motions_places_in_the_interfaces_language(assistant, question: str, lang: str) -> None:
    """Each step is a question the assistant answers from the place it names, or opens that place; its
    wording is the interface's, a heading only quoted; never the introduction, never what was asked."""
    from ui.followups import follow_ups

    documents, chunks = assistant.index.documents, assistant.chunks_by_id
    document = next(iter(documents.values()))
    answer = assistant.ask(question).answer
    check = lambda q: assistant.ask(q).answer  # noqa: E731
    steps = follow_ups(answer, [question], documents, chunks, lang, check)
    assert steps, question
    introduction = next(s for s in document.sections if s.title == "Inledning")
    for step in steps:
        assert step.anchor != f"mq-doc-sec-{introduction.index}" and "Inledning" not in step.label
        assert step.question != question
        if step.heading:
            assert f"«{step.heading}»" in step.label and step.heading in {s.title for s in document.sections}
        without_heading = step.label.replace(f"«{step.heading}»", "") if step.heading else step.label
        swedish = {"vad", "motionen", "avsnitt", "läs", "visa", "om", "yrkande"}
        words = set(without_heading.lower().replace("?", " ").replace(":", " ").split())
        assert (words & swedish) if lang == "sv" else not (words & swedish - {"yrkande"}), step.label
        if step.question is not None:
            reply = assistant.ask(step.question).answer
            assert reply.outcome == "answered" and reply.language == lang, step
            first = chunks[reply.citations[0].id]
            assert step.anchor in (f"mq-doc-sec-{first.section_index}", f"mq-doc-y-{first.yrkande}"), step
    # Without a way to check the answers, every step opens its place instead of asking.
    unchecked = follow_ups(answer, [question], documents, chunks, lang)
    assert [s.anchor for s in unchecked] == [s.anchor for s in steps] and all(s.question is None for s in unchecked)
    # A suggested question already asked is not suggested again.
    asked = [question, *(s.question for s in steps if s.question)]
    assert not any(s.question in asked for s in follow_ups(answer, asked, documents, chunks, lang, check))


def test_an_english_answer_marks_its_swedish_quotes(assistant) -> None:
    """The Swedish sentences in an English answer are quotations in Swedish (lang="sv", set apart), the
    section names in its lead too; the answer itself is English."""
    answer = assistant.ask("Why does the motion want a new women's peace commission?").answer
    assert answer.language == "en" and answer.citations
    html = turn_html(3, "Why?", answer, "en", motion_lang="sv")
    assert '<div class="mq-answer" lang="en">' in html
    for citation in answer.citations:
        assert f'<q lang="sv">{escape(citation.text, quote=False)}</q>' in html
    assert html.count('<p class="mq-quoted">') >= 1 and '«<span lang="sv">' in html
    swedish = turn_html(
        3,
        "Varför?",
        assistant.ask("Varför vill motionen ha en ny kvinnofridskommission?").answer,
        "en",
        motion_lang="sv",
    )
    assert '<div class="mq-answer" lang="sv">' in swedish and "<q " not in swedish


def test_a_second_motion_brings_its_own_examples_to_the_chat_and_the_api_docs(tiny_settings) -> None:
    """The example questions are the motion's data: another motion's metadata shows its own, no code change."""
    from assistant.api.app import create_api
    from assistant.api.limits import ClientLimits
    from assistant.service import Assistant
    from index.build import build_index
    from ui.chat import ChatUI

    meta = tiny_settings.data_dir / "tiny.json"
    examples = {"sv": ["Vad föreslår motionen om kvinnojourer?"], "en": ["What is economic violence?"]}
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "examples": examples}))
    build_index(tiny_settings, show_progress=False)
    tiny = Assistant.load(tiny_settings)
    chat = ChatUI(tiny, tiny_settings, ClientLimits.from_settings(tiny_settings))
    assert chat.examples("sv") == [
        ("Vad föreslår motionen om kvinnojourer?", "sv"),
        ("What is economic violence?", "en"),
    ]
    assert chat.examples("en") == [
        ("What is economic violence?", "en"),
        ("Vad föreslår motionen om kvinnojourer?", "sv"),
    ]
    landing = chat.page(None, "en")[9]
    assert 'data-question="What is economic violence?" lang="en"' in landing and "barnahus" not in landing
    properties = create_api(tiny, tiny_settings).openapi()["components"]["schemas"]["AskRequest"]["properties"]
    assert properties["question"]["examples"] == [*examples["sv"], *examples["en"]]


def test_feedback_record_carries_the_conversation_before_the_vote(assistant) -> None:
    from ui.feedback import BadComment, answer_digest, answered_history, feedback_record

    store = assistant.chat_sessions
    session = store.create(owner="127.0.0.1")
    conversation = Conversation(session)
    for question in ("Vad säger motionen om barnahus?", "Hur många finns det?"):
        answer = assistant.ask(question, session_id=session, sessions=store).answer
        conversation.add(question, answer)
    first, turn = conversation.turns
    assert answered_history(store, session, turn) is None, "the server has not marked it as given"
    for given in conversation.turns:
        store.mark_answered(session, answer_digest(given.question, given.answer))
    history = answered_history(store, session, turn)
    assert history is not None and [t.content for t in history][:1] == ["Vad säger motionen om barnahus?"]
    record = feedback_record(history, turn, "down", "  Fel län. ", assistant.settings)
    assert record.question == "Hur många finns det?" and record.comment == "Fel län."
    assert record.citations == turn.answer.citations and record.vote == "down"
    with pytest.raises(BadComment):
        feedback_record(history, turn, "down", "bell \x07", assistant.settings)
    assert answered_history(store, session, first) == []
    assert answered_history(store, "another-session", turn) is None
