"""The one process users run: the API under ``/api`` and the Gradio chat at ``/``, on one port."""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI
from starlette.middleware import Middleware

from assistant.api.app import create_api
from assistant.api.security import chat_login
from assistant.api.settings import Settings
from assistant.service import Assistant
from ui.chat import create_chat, head, theme
from ui.gradio_guard import ChatGuard, private_cache_folder
from ui.style import CSS, HEAD

LOGIN_MESSAGE = "Logga in med valfritt användarnamn och API-nyckeln (MOTIONQA_API_KEY) som lösenord."


def create_app(settings: Settings, assistant: Assistant) -> FastAPI:
    """Serve API and chat from one loaded assistant.

    The chat is mounted on the app itself, so the API's body limit covers it too. With
    ``MOTIONQA_API_KEY`` set, the chat asks for the key on a login page (the API's bearer
    check cannot apply to a browser page). Either way ``ChatGuard`` lets through only the
    page's own routes and inputs of its components' types: no file is read, cached or served.
    """
    app = create_api(assistant, settings)
    app.state.gradio_cache = private_cache_folder()  # before the chat exists: components take it when made
    chat = create_chat(assistant, settings, app.state.limits)
    # Gradio keeps each page's state for up to 10,000 session ids (any client can invent them); mounting
    # takes the bound from here, as launch() would.
    chat.state_session_capacity = settings.max_chat_page_states
    return gr.mount_gradio_app(
        app,
        chat,
        path="/",
        app_kwargs={"middleware": [Middleware(ChatGuard, blocks=chat)]},
        auth=chat_login(settings),
        auth_message=LOGIN_MESSAGE,
        max_file_size=settings.max_request_bytes,
        theme=theme(),
        css=CSS,
        head=HEAD + head(),
        footer_links=[],
        ssr_mode=False,
    )
