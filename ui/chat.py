"""The Gradio chat: a conversation with the motion, every answer beside the passages it quotes.

It calls the in-process ``Assistant`` (the same object the API uses), so there is no
second implementation of retrieval or answering, and it needs no API key.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.api.settings import ApiSettings
from assistant.conversation import UnknownSession
from assistant.service import AskResult, Assistant
from assistant.streaming import answer_events
from ui.render import (
    EMPTY_SOURCES,
    SEARCHING,
    answer_markdown,
    header_html,
    see_also_line,
    sources_html,
    turn_html,
    yrkanden_html,
)

EXAMPLES = [
    "Hur lång tid tar det innan en våldtäktsanmälan leder till ett första förhör?",
    "Vad säger motionen om barnahus?",
    "Vilka förslag gör motionen om skyddat boende?",
    "What does the motion propose about men's violence against women?",
]
ANSWER_CONCURRENCY = 4
KEPT_TURNS = 20  # answers whose sources stay in the panel (and in every update of it)
Message = dict[str, str]
Outputs = tuple[Any, ...]


def theme() -> gr.themes.Base:
    """System fonts only: the page must not wait for a font CDN it may not reach."""
    return gr.themes.Soft(
        primary_hue="rose",
        neutral_hue="slate",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    )


class ChatUI:
    """The event handlers, bound to one ``Assistant``; ``build()`` lays out the page."""

    def __init__(self, assistant: Assistant, limits: ApiSettings) -> None:
        self.assistant = assistant
        self.limits = limits  # the same question and body limits as the API
        self.documents = list(assistant.index.documents.values())

    def new_session(self) -> str:
        """A conversation in the chat's own store: API clients cannot evict it, nor it them."""
        return self.assistant.chat_sessions.create()

    def respond(
        self, question: str, history: list[Message], session_id: str | None, turns: list[str]
    ) -> Iterator[Outputs]:
        """Stream one answer into the chat, then show its sources.

        Yields (chat, question box, sources panel, session id, per-answer sources HTML).
        """
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        limit = self.limits.max_question_chars
        if len(question) > limit:
            gr.Warning(f"Frågan är {len(question)} tecken lång; gränsen är {limit}.")
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        history = [*history, {"role": "user", "content": question}]
        yield history, "", SEARCHING, gr.skip(), gr.skip()
        try:
            session_id, result = self._ask(question, session_id)
        except Exception as error:
            raise gr.Error("Något gick fel när svaret togs fram. Försök igen.") from error
        text = ""
        reply: list[Message] = []
        for event in answer_events(result):
            if event.event == "delta":
                text += event.data["text"]
                reply = [{"role": "assistant", "content": answer_markdown(text)}]
                yield [*history, *reply], gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if not result.answer.answerable:
            reply = [{"role": "assistant", "content": answer_markdown(text + see_also_line(result.answer))}]
        turns = [
            *turns[-(KEPT_TURNS - 1) :],
            turn_html(question, result.answer, self.assistant.index.documents, self.assistant.chunks_by_id),
        ]
        yield [*history, *reply], gr.skip(), sources_html(turns), session_id, turns

    def _ask(self, question: str, session_id: str | None) -> tuple[str, AskResult]:
        """Ask within the browser's session; an expired one is replaced (the history is gone anyway)."""
        if session_id is None:
            session_id = self.new_session()
        try:
            return session_id, self._ask_in(question, session_id)
        except UnknownSession:
            session_id = self.new_session()
            return session_id, self._ask_in(question, session_id)

    def _ask_in(self, question: str, session_id: str) -> AskResult:
        return self.assistant.ask(question, session_id=session_id, sessions=self.assistant.chat_sessions)

    def reset(self) -> Outputs:
        """Ny konversation: empty chat and sources, and a fresh server-side session."""
        return [], "", EMPTY_SOURCES, self.new_session(), []

    def build(self) -> gr.Blocks:
        title = self.documents[0].meta.title if self.documents else "motionen"
        with gr.Blocks(title=f"Fråga motionen – {title}", analytics_enabled=False) as blocks:
            session = gr.State(None)
            turns = gr.State([])
            gr.HTML(header_html(self.documents), elem_id="mq-header")
            for document in self.documents:
                label = f"Motionens {len(document.yrkanden)} yrkanden"
                with gr.Accordion(label, open=False, elem_classes="mq-yrkanden-list"):
                    gr.HTML(yrkanden_html(document))
            with gr.Row(equal_height=False, elem_id="mq-main"):
                with gr.Column(scale=3, min_width=340, elem_id="mq-chat-column"):
                    chatbot = gr.Chatbot(
                        elem_id="mq-chat",
                        show_label=False,
                        height=540,
                        placeholder="**Fråga motionen**<br>Välj en exempelfråga eller skriv en egen.",
                        examples=[{"text": q} for q in EXAMPLES],
                        feedback_options=None,
                        buttons=[],
                        layout="bubble",
                        latex_delimiters=[],
                    )
                    with gr.Row(elem_id="mq-input-row"):
                        question = gr.Textbox(
                            elem_id="mq-question",
                            show_label=False,
                            placeholder="Skriv din fråga …",
                            container=False,
                            lines=1,
                            max_lines=4,
                            scale=5,
                            min_width=160,
                        )
                        send = gr.Button("Skicka", variant="primary", scale=1, min_width=90, elem_id="mq-send")
                    new = gr.Button("Ny konversation", variant="secondary", size="sm", elem_id="mq-new")
                with gr.Column(scale=2, min_width=300, elem_id="mq-sources-column"):
                    sources = gr.HTML(EMPTY_SOURCES, elem_id="mq-sources")
            outputs = [chatbot, question, sources, session, turns]
            inputs = [question, chatbot, session, turns]
            answering: dict[str, Any] = {
                "concurrency_id": "answer",
                "concurrency_limit": ANSWER_CONCURRENCY,
                "api_visibility": "private",
            }
            running = [
                question.submit(self.respond, inputs, outputs, **answering),
                send.click(self.respond, inputs, outputs, **answering),
                chatbot.example_select(_example_text, None, question, queue=False, api_visibility="private").then(
                    self.respond, inputs, outputs, **answering
                ),
            ]
            for clear in (new.click, chatbot.clear):
                clear(self.reset, None, outputs, cancels=running, queue=False, api_visibility="private")
        return blocks


def _example_text(event: gr.SelectData) -> str:
    return event.value["text"]


def preload_matplotlib() -> None:
    """Gradio imports matplotlib (when installed) on the event loop at the first event, which
    held up the first answer by ~0.6 s and stalled every other request meanwhile; do it now."""
    with contextlib.suppress(ImportError):
        importlib.import_module("matplotlib.pyplot")


def create_chat(assistant: Assistant, limits: ApiSettings) -> gr.Blocks:
    """The chat page for one loaded assistant."""
    preload_matplotlib()
    return ChatUI(assistant, limits).build()
