"""The one process users run: the API under ``/api`` and the Gradio chat at ``/``, on one port."""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI

from assistant.api.app import create_api
from assistant.service import Assistant
from index.settings import Settings
from ui.chat import create_chat, theme
from ui.style import CSS, HEAD


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """Load the assistant once (building the index if needed) and serve API and chat from it.

    The chat is mounted on the app itself, not under the ``/api`` router, so the API key
    dependency never applies to it: the UI calls the assistant in-process.
    """
    assistant = assistant or Assistant.load(settings)
    app = create_api(assistant)
    chat = create_chat(assistant)
    return gr.mount_gradio_app(app, chat, path="/", theme=theme(), css=CSS, head=HEAD, footer_links=[], ssr_mode=False)
