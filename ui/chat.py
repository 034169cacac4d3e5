"""The Gradio chat: a conversation with the motion, every answer beside the passages it quotes.

It calls the in-process ``Assistant`` (the same object the API uses), so there is no second
implementation of retrieval or answering, and it needs no API key. The conversation lives in the
browser (``BrowserState``): a reload or a server restart restores it, and a server that no longer
knows the tab's session gets a new one seeded with that history.

Questions reach the server one at a time, in order: the page's script keeps the questions sent
while one is answered in a visible queue and hands each to a hidden trigger (``#mq-ask``) once the
previous answer is in, so none is lost and the question box is never cleared under the reader.
What comes from the motion (its title, party, example questions) comes from its metadata.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi.exceptions import RequestValidationError

from assistant.answer import Answer
from assistant.api.limits import ClientLimits
from assistant.api.schemas import TurnIn
from assistant.api.settings import ApiSettings
from assistant.api.validation import clean_history, clean_text
from assistant.conversation import Turn, UnknownSession
from assistant.feedback import FeedbackFull, FeedbackLog, RecordTooLarge
from assistant.service import AskResult, Assistant
from assistant.streaming import answer_events
from ui.chatlog import live_html, log_html
from ui.chrome import (
    QUEUE_HTML,
    STATUS_HTML,
    footer_html,
    header_html,
    panel_bar_html,
    phone_nav_html,
)
from ui.document_view import document_html
from ui.feedback import BadComment, VoteEvent, VotePayload, answer_digest, answered_history, feedback_record
from ui.gradio_guard import caller
from ui.i18n import LANGUAGES, Lang, client_strings, language, text
from ui.render import sources_html
from ui.stored import Conversation, ConversationCodec, StoredTurn

ANSWER_CONCURRENCY = 4
QUESTION_LINES = 6  # the question box grows up to this many lines (upward: the conversation gives way)
# Streamed text goes out at most this often: one update per word made a 300-word overview take 12 s
# in Gradio's queue; the first words still go out at once.
STREAM_INTERVAL = 0.05
SCRIPT = Path(__file__).with_name("static") / "chat.js"
Outputs = tuple[Any, ...]
PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def theme() -> gr.themes.Base:
    """System fonts only (no font CDN), and colours that pass WCAG AA contrast in light and dark."""
    return gr.themes.Soft(
        primary_hue="rose",
        neutral_hue="slate",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    ).set(
        body_text_color_subdued="*neutral_600",
        body_text_color_subdued_dark="*neutral_300",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_dark="*primary_700",
        button_primary_background_fill_hover_dark="*primary_600",
        button_primary_text_color="white",
        button_primary_text_color_dark="white",
        link_text_color="*primary_800",
        link_text_color_dark="*primary_300",
        color_accent="*primary_700",
    )


def head() -> str:
    """The page script and its strings, inline: nothing is fetched from outside."""
    return f"<script>window.MQ_STRINGS = {client_strings()};</script><script>{SCRIPT.read_text()}</script>"


class ChatUI:
    """The event handlers, bound to one ``Assistant``; ``build()`` lays out the page."""

    def __init__(self, assistant: Assistant, settings: ApiSettings, limits: ClientLimits) -> None:
        self.assistant = assistant
        self.settings = settings  # the API layer's: the same limits and feedback log as the API
        self.limits = limits  # the app's, per client address: a vote counts as the API's writes do
        self.documents = list(assistant.index.documents.values())
        self.codec = ConversationCodec(assistant.index.documents, assistant.chunks_by_id)
        self.document_views = {lang: "".join(document_html(d, lang) for d in self.documents) for lang in LANGUAGES}

    # --- sessions -------------------------------------------------------------------------
    def new_session(self, client: str) -> str:
        """A conversation in the chat's own store (API clients cannot evict it, nor it them), counted
        toward the client address's share, so one client's many tabs cannot evict anyone else's."""
        return self.assistant.chat_sessions.create(owner=client)

    def _ask(self, question: str, session_id: str | None, history: list[Turn], client: str) -> tuple[str, AskResult]:
        """Ask within the tab's session; one the server no longer knows (expired, or the server
        restarted) is replaced by a new one holding the browser's copy of the conversation, checked
        as ``/api/ask`` checks a history (``RequestValidationError`` if it fails)."""
        if session_id is not None:
            with contextlib.suppress(UnknownSession):
                return session_id, self._ask_in(question, session_id)
        kept = history[-self.settings.max_history_turns :] if self.settings.max_history_turns else []
        seed = clean_history([TurnIn(role=t.role, content=t.content) for t in kept], self.settings)
        session_id = self.new_session(client)
        if seed:
            self.assistant.chat_sessions.append(session_id, *seed)
        return session_id, self._ask_in(question, session_id)

    def _ask_in(self, question: str, session_id: str) -> AskResult:
        """Answer in the session, and remember there that the server gave this answer (votes need it)."""
        sessions = self.assistant.chat_sessions
        result = self.assistant.ask(question, session_id=session_id, sessions=sessions)
        sessions.mark_answered(session_id, answer_digest(question, result.answer))
        return result

    # --- rendering ------------------------------------------------------------------------
    def _log(self, conversation: Conversation, lang: str) -> str:
        index = self.assistant.index
        examples = self.examples(lang)
        return log_html(conversation.turns, index.documents, self.assistant.chunks_by_id, lang, examples, self._check)

    def _sources(self, conversation: Conversation, lang: str, searching: bool = False) -> str:
        index = self.assistant.index
        return sources_html(conversation.turns, index.documents, self.assistant.chunks_by_id, lang, searching)

    def _check(self, question: str) -> Answer:
        """A suggested follow-up's answer, stateless (cached by the assistant), to offer only what is answered."""
        return self.assistant.ask(question).answer

    def examples(self, lang: str) -> list[tuple[str, str]]:
        """The motion's example questions (with their language) in ``lang``, and one in the other language
        to show that it works too."""
        other = next(tag for tag in LANGUAGES if tag != lang)
        shown: list[tuple[str, str]] = []
        for meta in (d.meta for d in self.documents):
            own = lang if lang in meta.examples else meta.language
            shown += [(q, own) for q in meta.example_questions(lang)]
            shown += [(q, other) for q in meta.examples.get(other, [])[:1] if own != other]
        return shown

    def page(self, record: Any, lang_tag: str | None) -> Outputs:
        """Everything language-dependent, and the conversation the browser kept: on load and on a language switch.

        Outputs: header, language button, question box, send, new, dark, panel bar, phone nav, footer, log, live,
        sources, document, lang, record.
        """
        lang = language(lang_tag)
        conversation = self.codec.load(record)
        return (
            header_html(self.documents, lang),
            gr.update(value=text(lang, "switch_language")),
            gr.update(label=text(lang, "question_label"), placeholder=text(lang, "placeholder")),
            gr.update(value=text(lang, "send")),
            gr.update(value=text(lang, "new_conversation")),
            gr.update(value=text(lang, "dark_mode")),
            panel_bar_html(lang),
            phone_nav_html(lang),
            footer_html(lang, self.settings.max_question_chars),
            self._log(conversation, lang),
            "",
            self._sources(conversation, lang),
            self.document_views[lang],
            lang,
            self.codec.dump(conversation),
        )

    # --- answering ------------------------------------------------------------------------
    def respond(self, question: str, record: Any, lang_tag: str, request: gr.Request) -> Iterator[Outputs]:
        """Stream one answer, then file it under the conversation and show its sources.

        The question gets ``/api/ask``'s checks (blank, length, control characters, Unicode).
        Yields (log, live answer, question box, sources, stored conversation).
        """
        lang = language(lang_tag)
        skip = (gr.skip(),) * 5
        limit = self.settings.max_question_chars
        try:
            question = clean_text(question, ("question",), limit)
        except RequestValidationError as error:
            problem = error.errors()[0]["type"]
            if problem != "text_empty":
                too_long = text(lang, "too_long", n=len(question), limit=limit)
                gr.Warning(
                    too_long if problem == "text_too_long" else text(lang, "bad_characters"),
                    title=text(lang, "warning"),
                )
            yield skip
            return
        conversation = self.codec.load(record)
        turn_id = conversation.next_id
        yield (
            gr.skip(),
            live_html(turn_id, question, None, lang),
            "",
            self._sources(conversation, lang, True),
            gr.skip(),
        )
        try:
            conversation.session, result = self._ask(
                question, conversation.session, conversation.history(), caller(request)
            )
        except RequestValidationError:
            gr.Warning(text(lang, "bad_record"), title=text(lang, "warning"))
            yield gr.skip(), "", question, self._sources(conversation, lang), gr.skip()
            return
        except Exception as error:
            raise gr.Error(text(lang, "failed"), title=text(lang, "error")) from error
        shown, sent = "", 0.0
        for event in answer_events(result):
            if event.event == "delta":
                shown += event.data["text"]
                if time.monotonic() - sent >= STREAM_INTERVAL:
                    sent = time.monotonic()
                    yield gr.skip(), live_html(turn_id, question, shown, lang), gr.skip(), gr.skip(), gr.skip()
        conversation.add(question, result.answer)
        yield (
            self._log(conversation, lang),
            "",
            gr.skip(),
            self._sources(conversation, lang),
            self.codec.dump(conversation),
        )

    def vote(self, record: Any, lang_tag: str, event: VoteEvent, request: gr.Request) -> Outputs:
        """A thumb (or a thumb's comment) on one answer, appended to the feedback log the evals read.

        Only an answer the server gave in this tab's session counts, recorded with the server's copy
        of the conversation before it; votes share the client address's write rate with the API's.
        Outputs: (log, stored conversation) — the thumb shows as pressed, then the comment box.
        """
        lang = language(lang_tag)
        vote = event.payload
        conversation = self.codec.load(record)
        turn = conversation.find(vote.turn)
        if turn is None:
            return gr.skip(), gr.skip()
        problem = self._record_vote(conversation, turn, vote, caller(request), lang)
        if problem is not None:
            gr.Warning(problem, title=text(lang, "warning"))
            return gr.skip(), gr.skip()
        turn.feedback = vote.value
        turn.commented = turn.commented or vote.comment is not None
        return self._log(conversation, lang), self.codec.dump(conversation)

    def _record_vote(
        self, conversation: Conversation, turn: StoredTurn, vote: VotePayload, client: str, lang: str
    ) -> str | None:
        """Log the vote; or the reason it was not logged, in the page's language."""
        wait = self.limits.retry_after("write", client)
        if wait is not None:
            return text(lang, "too_many_votes", n=wait)
        history = answered_history(self.assistant.chat_sessions, conversation.session, turn)
        if history is None:
            return text(lang, "not_answered_here")
        try:
            entry = feedback_record(history, turn, vote.value, vote.comment, self.settings)
            FeedbackLog.from_settings(self.settings).append(entry)
        except BadComment as error:
            return str(error)
        except (FeedbackFull, RecordTooLarge, OSError):
            return text(lang, "failed")
        return None

    def reset(self, lang_tag: str, request: gr.Request) -> Outputs:
        """Ny konversation: empty chat and sources, and a fresh server-side session."""
        lang = language(lang_tag)
        conversation = Conversation(self.new_session(caller(request)))
        return self._log(conversation, lang), "", "", self._sources(conversation, lang), self.codec.dump(conversation)

    # --- layout ---------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        title = " / ".join(d.meta.title for d in self.documents)
        storage = storage_key(self.documents[0].source_sha256 if self.documents else "")
        lang: Lang = "sv"
        with gr.Blocks(title=f"{text(lang, 'page_title')} – {title}", analytics_enabled=False) as blocks:
            record = gr.BrowserState(self.codec.dump(Conversation()), storage_key=storage, secret=storage)
            lang_box = gr.Textbox(lang, visible=False)
            asked = gr.Textbox("", visible=False)  # the question being answered, handed over by chat.js
            gr.HTML(STATUS_HTML, elem_id="mq-live-regions", padding=False)
            with gr.Row(elem_id="mq-top", equal_height=False):
                header = gr.HTML(header_html(self.documents, lang), elem_id="mq-header", padding=False)
                with gr.Row(elem_id="mq-switches", scale=0):
                    switch = gr.Button(text(lang, "switch_language"), size="sm", variant="secondary", elem_id="mq-lang")
                    dark = gr.Button(text(lang, "dark_mode"), size="sm", variant="secondary", elem_id="mq-theme")
                    new = gr.Button(text(lang, "new_conversation"), size="sm", variant="secondary", elem_id="mq-new")
            with gr.Row(equal_height=False, elem_id="mq-main"):
                with gr.Column(scale=3, min_width=320, elem_id="mq-chat-column"):
                    with gr.Column(elem_id="mq-scroll"):
                        log = gr.HTML(self._log(Conversation(), lang), elem_id="mq-log", js_on_load=FEEDBACK_JS)
                        live = gr.HTML("", elem_id="mq-live", js_on_load=None)
                        gr.HTML(QUEUE_HTML, elem_id="mq-queue-box", js_on_load=None, padding=False)
                    phone_nav = gr.HTML(phone_nav_html(lang), elem_id="mq-phone-nav", padding=False)
                    with gr.Row(elem_id="mq-input-row", equal_height=False):
                        question = gr.Textbox(
                            elem_id="mq-question",
                            label=text(lang, "question_label"),
                            show_label=False,
                            placeholder=text(lang, "placeholder"),
                            container=False,
                            lines=1,
                            max_lines=QUESTION_LINES,
                            scale=5,
                            min_width=160,
                            autofocus=False,
                            interactive=True,  # read by chat.js, not by an event: Gradio would make it static
                        )
                        send = gr.Button(
                            text(lang, "send"), variant="primary", scale=1, min_width=80, elem_id="mq-send"
                        )
                    footer = gr.HTML(
                        footer_html(lang, self.settings.max_question_chars), elem_id="mq-footer", padding=False
                    )
                    ask = gr.Button("", visible="hidden", elem_id="mq-ask")
                with gr.Column(scale=2, min_width=300, elem_id="mq-side"):
                    bar = gr.HTML(panel_bar_html(lang), elem_id="mq-tabs", js_on_load=None, padding=False)
                    sources = gr.HTML(self._sources(Conversation(), lang), elem_id="mq-sources", js_on_load=None)
                    document = gr.HTML(self.document_views[lang], elem_id="mq-document", js_on_load=None)

            page = [header, switch, question, send, new, dark, bar, phone_nav, footer, log, live, sources, document]
            page += [lang_box, record]
            blocks.load(
                self.page,
                [record, lang_box],
                page,
                js="(record, lang) => [record, window.mqChat ? window.mqChat.start() : lang]",
                **PRIVATE,
            ).then(None, js="() => { window.mqChat && window.mqChat.restored(); }", **PRIVATE)
            switch.click(
                self.page,
                [record, lang_box],
                page,
                js="(record, lang) => [record, window.mqChat ? window.mqChat.switchLanguage(lang) : lang]",
                queue=False,
                **PRIVATE,
            )
            dark.click(None, js="() => { window.mqChat && window.mqChat.toggleTheme(); }", **PRIVATE)
            # Send and Enter are handled by chat.js (checks, the queue); it clicks #mq-ask for each question in turn.
            answering = ask.click(
                self.respond,
                [asked, record, lang_box],
                [log, live, asked, sources, record],
                js="(asked, record, lang) => [window.mqChat.outgoing(record), record, lang]",
                concurrency_id="answer",
                concurrency_limit=ANSWER_CONCURRENCY,
                trigger_mode="multiple",
                show_progress="hidden",
                **PRIVATE,
            )
            answering.then(None, [record], None, js="(record) => { window.mqChat.answered(record); }", **PRIVATE)
            for voted in (log.like, log.submit):
                voted(self.vote, [record, lang_box], [log, record], **PRIVATE)
            new.click(
                self.reset,
                [lang_box],
                [log, live, question, sources, record],
                js="(lang) => { window.mqChat && window.mqChat.reset(); return lang; }",
                cancels=[answering],
                queue=False,
                **PRIVATE,
            )
        return blocks


# Thumbs and comments go to the server as events of the log component (see ChatUI.vote).
FEEDBACK_JS = """
element.addEventListener('click', (event) => {
  const thumb = event.target.closest('[data-action=feedback]');
  if (!thumb) return;
  trigger('like', {turn: +thumb.closest('[data-turn]').dataset.turn, value: thumb.dataset.value});
});
element.addEventListener('submit', (event) => {
  const form = event.target.closest('form.mq-comment');
  if (!form) return;
  event.preventDefault();
  trigger('submit', {turn: +form.dataset.turn, value: form.dataset.value,
                     comment: form.querySelector('textarea').value});
});
"""


def storage_key(corpus_checksum: str) -> str:
    """Where the browser keeps the conversation: per motion text, so another motion never restores it.

    The same string is BrowserState's "secret": it only has to be stable across restarts (the
    browser holds it in any case; this is the user's own conversation in the user's own storage).
    """
    return "motionqa-chat-" + hashlib.sha256(f"motionqa:{corpus_checksum}".encode()).hexdigest()[:16]


def preload_matplotlib() -> None:
    """Gradio imports matplotlib (when installed) on the event loop at the first event, which
    held up the first answer by ~0.6 s and stalled every other request meanwhile; do it now."""
    with contextlib.suppress(ImportError):
        importlib.import_module("matplotlib.pyplot")


def create_chat(assistant: Assistant, settings: ApiSettings, limits: ClientLimits) -> gr.Blocks:
    """The chat page for one loaded assistant, under the API layer's limits (and its per-client ones)."""
    preload_matplotlib()
    return ChatUI(assistant, settings, limits).build()
