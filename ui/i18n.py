"""The chat's interface text in Swedish (the default) and English, in one table.

Only the interface is translated: answers are the motion's own Swedish words, whatever the
question's language. The browser script gets the same table (``client_strings``), so the
reconnect banner, refusals, the character count and the queue speak the language the page does.
"""

from __future__ import annotations

import json
from typing import Literal

Lang = Literal["sv", "en"]
LANGUAGES: tuple[Lang, ...] = ("sv", "en")
DEFAULT: Lang = "sv"

STRINGS: dict[str, dict[Lang, str]] = {
    "page_title": {"sv": "Fråga motionen", "en": "Ask the motion"},
    "meta": {
        "sv": "Motion från <strong>{party}</strong>, riksmöte {riksmote} · {n} yrkanden",
        "en": "Motion by <strong>{party}</strong>, Riksdag session {riksmote} · {n} proposals (yrkanden)",
    },
    "intro": {
        "sv": "Fråga på svenska eller engelska. Svaren är ordagranna citat ur motionen; "
        "klicka på [1], [2] … för att se källan.",
        "en": "Ask in Swedish or English. Answers are verbatim quotes from the (Swedish) motion; "
        "click [1], [2] … to see the source.",
    },
    "api_docs": {"sv": "API-dokumentation", "en": "API documentation"},
    "switch_language": {"sv": "In English", "en": "På svenska"},
    "switch_language_lang": {"sv": "en", "en": "sv"},
    "dark_mode": {"sv": "Mörkt läge", "en": "Dark mode"},
    "question_label": {"sv": "Din fråga", "en": "Your question"},
    "placeholder": {"sv": "Skriv din fråga …", "en": "Type your question …"},
    "send": {"sv": "Skicka", "en": "Send"},
    "new_conversation": {"sv": "Ny konversation", "en": "New conversation"},
    "conversation": {"sv": "Konversation", "en": "Conversation"},
    "try_asking": {"sv": "Prova att fråga", "en": "Try asking"},
    "empty_chat": {
        "sv": "Ställ en fråga om motionen – svaret citerar motionen och visar var det står.",
        "en": "Ask a question about the motion – the answer quotes it and shows where.",
    },
    "you_asked": {"sv": "Din fråga", "en": "Your question"},
    "answer": {"sv": "Svar", "en": "Answer"},
    "searching": {"sv": "Söker i motionen …", "en": "Searching the motion …"},
    "sources": {"sv": "Källor", "en": "Sources"},
    "sources_count": {"sv": "Källor ({n})", "en": "Sources ({n})"},
    "hedged": {"sv": "Närmast i motionen", "en": "Closest in the motion"},
    "declined": {"sv": "Se även – de närmaste avsnitten", "en": "See also – the closest sections"},
    "sources_empty": {
        "sv": "Här visas de stycken ur motionen som varje svar bygger på, med de citerade meningarna markerade. "
        "Klicka på en siffra i svaret för att komma till sin källa.",
        "en": "The passages of the motion each answer rests on appear here, with the quoted sentences "
        "highlighted. Click a number in an answer to get to its source.",
    },
    "question_prefix": {"sv": "Fråga", "en": "Question"},
    "earlier_answer": {"sv": "Svar {n}: {question}", "en": "Answer {n}: {question}"},
    "show_context": {"sv": "Visa sammanhang", "en": "Show context"},
    "open_in_motion": {"sv": "Visa i motionen", "en": "Show in the motion"},
    "yrkande": {"sv": "yrkande {n}", "en": "yrkande (proposal) {n}"},
    "footnote": {"sv": "fotnot {n}", "en": "footnote {n}"},
    "see_also": {"sv": "Se även", "en": "See also"},
    "copy": {"sv": "Kopiera", "en": "Copy"},
    "copy_label": {"sv": "Kopiera svaret med källor", "en": "Copy the answer with its sources"},
    "copied": {"sv": "Kopierat", "en": "Copied"},
    "good": {"sv": "Bra svar", "en": "Good answer"},
    "bad": {"sv": "Dåligt svar", "en": "Bad answer"},
    "comment_label": {"sv": "Vad var fel? (valfritt)", "en": "What was wrong? (optional)"},
    "comment_label_good": {"sv": "Kommentar (valfri)", "en": "Comment (optional)"},
    "send_comment": {"sv": "Skicka kommentar", "en": "Send comment"},
    "thanks": {"sv": "Tack för din återkoppling!", "en": "Thank you for your feedback!"},
    "comment_saved": {"sv": "Tack – kommentaren är sparad.", "en": "Thanks – your comment was saved."},
    "followups": {"sv": "Fortsätt med", "en": "Follow up"},
    "followup_yrkande_q": {
        "sv": "Vad föreslår motionen i yrkande {n}?",
        "en": "What does the motion propose in proposal {n}?",
    },
    "followup_yrkande_open": {"sv": "Visa yrkande {n} i motionen", "en": "Show proposal (yrkande) {n} in the motion"},
    "followup_reasons_q": {
        "sv": "Hur motiverar motionen yrkande {n}?",
        "en": "How does the motion argue for proposal {n}?",
    },
    "followup_reasons_open": {
        "sv": "Läs motiveringen till yrkande {n}: «{heading}»",
        "en": "Read the reasons for proposal {n}: «{heading}»",
    },
    "followup_section_q": {
        "sv": "Vad står det i avsnittet «{heading}»?",
        "en": "What does the section «{heading}» say?",
    },
    "followup_next_open": {"sv": "Läs nästa avsnitt: «{heading}»", "en": "Read the next section: «{heading}»"},
    "followup_footnote": {
        "sv": "Visa fotnot {n}: källan till citatet",
        "en": "Show footnote {n}: the source of the quote",
    },
    "tab_sources": {"sv": "Källor", "en": "Sources"},
    "tab_document": {"sv": "Motionen", "en": "The motion"},
    "side_panel": {"sv": "Källor och motionstext", "en": "Sources and the motion's text"},
    "contents": {"sv": "Innehåll", "en": "Contents"},
    "toc_sections": {"sv": "Avsnitt", "en": "Sections"},
    "toc_yrkanden": {"sv": "Yrkanden", "en": "Proposals (yrkanden)"},
    "toc_footnotes": {"sv": "Fotnoter", "en": "Footnotes"},
    "argued_in": {"sv": "Motiveras i: {section}", "en": "Argued in: {section}"},
    "back_to_text": {"sv": "Tillbaka till texten", "en": "Back to the text"},
    "back_to_conversation": {"sv": "Tillbaka till samtalet", "en": "Back to the conversation"},
    "to_chat": {"sv": "Till samtalet", "en": "To the conversation"},
    "close": {"sv": "Stäng", "en": "Close"},
    "current_section": {"sv": "Du läser", "en": "You are reading"},
    "reconnecting": {"sv": "Anslutningen bröts – försöker igen …", "en": "Connection lost – trying again …"},
    "queued": {
        "sv": "Frågan skickas när svaret är klart.",
        "en": "Your question will be sent when the answer is complete.",
    },
    "answer_done": {"sv": "Svaret är klart.", "en": "The answer is complete."},
    "queue_label": {"sv": "Frågor som väntar", "en": "Questions waiting"},
    "waiting": {"sv": "Väntar", "en": "Waiting"},
    "not_sent": {"sv": "Inte besvarad", "en": "Not answered"},
    "unqueue": {"sv": "Ta bort", "en": "Remove"},
    "unqueue_label": {"sv": "Ta bort ur kön: {question}", "en": "Remove from the queue: {question}"},
    "retry": {"sv": "Skicka igen", "en": "Send again"},
    "empty_question": {"sv": "Skriv en fråga först.", "en": "Type a question first."},
    "char_count": {"sv": "{n} av {limit} tecken", "en": "{n} of {limit} characters"},
    "too_long": {
        "sv": "Frågan är {n} tecken lång; gränsen är {limit}.",
        "en": "The question is {n} characters long; the limit is {limit}.",
    },
    "failed": {
        "sv": "Något gick fel när svaret togs fram. Försök igen.",
        "en": "Something went wrong while answering. Please try again.",
    },
    "feedback_failed": {
        "sv": "Återkopplingen kunde inte sparas. Försök igen senare.",
        "en": "Your feedback could not be saved. Please try again later.",
    },
    "bad_characters": {
        "sv": "Frågan innehåller tecken som inte är tillåtna (styrtecken).",
        "en": "The question contains characters that are not allowed (control characters).",
    },
    "bad_record": {
        "sv": "Den sparade konversationen kunde inte läsas. Börja en ny konversation.",
        "en": "The saved conversation could not be read. Please start a new conversation.",
    },
    "not_answered_here": {
        "sv": "Bara svar som getts i den här konversationen kan betygsättas.",
        "en": "Only answers given in this conversation can be rated.",
    },
    "too_many_votes": {
        "sv": "För många röster på kort tid. Försök igen om {n} s.",
        "en": "Too many votes in a short time. Please try again in {n} s.",
    },
    "warning": {"sv": "Varning", "en": "Warning"},
    "error": {"sv": "Fel", "en": "Error"},
}

# The browser script needs only these (the rest is rendered on the server).
CLIENT_KEYS = (
    "page_title",
    "reconnecting",
    "queued",
    "copied",
    "copy",
    "sources_count",
    "tab_sources",
    "dark_mode",
    "answer_done",
    "queue_label",
    "waiting",
    "not_sent",
    "unqueue",
    "unqueue_label",
    "retry",
    "empty_question",
    "too_long",
    "char_count",
    "failed",
    "back_to_conversation",
    "current_section",
    "toc_footnotes",
    "contents",
)


def text(lang: str, key: str, **values: object) -> str:
    """The interface string ``key`` in ``lang`` (Swedish for anything else), filled with ``values``."""
    entry = STRINGS[key]
    template = entry.get(lang, entry[DEFAULT])  # type: ignore[call-overload]
    return template.format(**values) if values else template


def language(value: str | None) -> Lang:
    """A stored or browser-reported language tag ('en-GB', 'sv') as one of ours; Swedish by default."""
    tag = (value or "").strip().lower()
    return "en" if tag.startswith("en") else DEFAULT


def client_strings() -> str:
    """The strings the browser script shows itself, as JSON: {lang: {key: text}}."""
    return json.dumps({lang: {key: STRINGS[key][lang] for key in CLIENT_KEYS} for lang in LANGUAGES})
