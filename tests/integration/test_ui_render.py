"""The chat's HTML and its browser-kept record, without a browser: escaping, highlights, the
compact record's round trip, follow-ups that the assistant really answers, copy text."""

from __future__ import annotations

import pytest

from assistant.answer import Answer, Citation
from index.chunker import Chunk
from index.parse.document import Document, Metadata
from ui.chatlog import copy_text, turn_html
from ui.render import source_html
from ui.stored import Conversation, ConversationCodec


def test_rendering_escapes_motion_text_and_marks_every_cited_sentence() -> None:
    text = "Inledning. Före <b>x</b> & *y*. Mitt_ord [2] här. Efter. " + "Mer text. " * 60
    start, end, cited = text.index("Före"), text.index("Efter."), text.index("Mitt_ord")
    document = Document(Metadata("d", "T", "P", "2025/26"), text, [], [], [], [])
    chunk = Chunk("d:p1", "d", "body", "Avsnitt <i>", 0, start, end, text[start:end])
    citation = Citation(1, "d:p1", "d", "Mitt_ord [2] här.", "Avsnitt <i>", cited, cited + len("Mitt_ord [2] här."), 3)

    html = source_html(7, [citation], document, chunk, "sv")
    assert "<b>" not in html and "<i>" not in html and "&lt;b&gt;x&lt;/b&gt; &amp; *y*." in html
    assert "<mark>Mitt_ord [2] här.</mark>" in html and 'id="mq-src-7-1"' in html
    assert "Avsnitt &lt;i&gt; · yrkande 3" in html and "Inledning." in html and "Mer text." in html
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
    restored = codec.load(codec.dump(conversation))
    assert [t.answer for t in restored.turns] == [t.answer for t in conversation.turns]
    assert restored.session == "s" and restored.next_id == 5
    tampered = codec.dump(conversation)
    tampered["turns"][0]["c"][0][2] = -5
    tampered["turns"][1]["c"][0][1] = "no-such-passage"
    assert [t.id for t in codec.load(tampered).turns] == [3, 4]
    assert codec.load("not a record").turns == []


@pytest.mark.parametrize(
    "question", ["Vad säger motionen om barnahus?", "Vad säger motionen om samtyckeslagstiftningen?"]
)
def test_suggested_follow_ups_are_answered_where_the_motion_says(assistant, question: str) -> None:
    from ui.followups import follow_ups

    answer = assistant.ask(question).answer
    suggestions = follow_ups(answer, [question], assistant.index.documents, assistant.chunks_by_id)
    asked = [s for s in suggestions if s.question]
    assert asked, suggestions
    for suggestion in asked:
        follow = assistant.ask(suggestion.question).answer
        assert follow.outcome == "answered", suggestion


def test_feedback_record_carries_the_conversation_before_the_vote(assistant) -> None:
    from ui.feedback import BadComment, feedback_record

    conversation = Conversation()
    for question in ("Vad säger motionen om barnahus?", "Hur många finns det?"):
        conversation.add(question, assistant.ask(question).answer)
    turn = conversation.turns[-1]
    record = feedback_record(conversation, turn, "down", "  Fel län. ", assistant.settings)
    assert record.question == "Hur många finns det?" and record.comment == "Fel län."
    assert [t.content for t in record.history][:1] == ["Vad säger motionen om barnahus?"]
    assert record.citations == turn.answer.citations and record.vote == "down"
    with pytest.raises(BadComment):
        feedback_record(conversation, turn, "down", "bell \x07", assistant.settings)
    first = conversation.turns[0]
    assert feedback_record(conversation, first, "up", None, assistant.settings).history == []
