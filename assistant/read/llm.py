"""Optional generative answers from an OpenAI-compatible endpoint, always checked against the passages.

Off unless ``MOTIONQA_LLM_BASE_URL`` and ``MOTIONQA_LLM_MODEL`` are set. The model sees
only numbered passages of the motion and must cite them as ``[n]``; a reply that cites
nothing, cites a passage it was not given, or fails in any way yields ``None`` and the
caller keeps the extractive answer.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

import httpx

from assistant.answer import Answer, passage_citation
from assistant.query.language import Language
from assistant.settings import ServiceSettings
from index.chunker import Chunk

logger = logging.getLogger("motionqa.llm")
_MARKER = re.compile(r"\[(\d+)\]")
MAX_RESPONSE_BYTES = 1_000_000
MAX_REPLY_CHARS = 4000
INSTRUCTIONS = {
    "sv": (
        "Du svarar på frågor om en svensk riksdagsmotion. Använd ENDAST de numrerade utdragen nedan. "
        "Skriv ett kort svar på svenska och avsluta varje mening med källan i formen [n]. "
        "Om utdragen inte besvarar frågan, svara exakt: Motionen tar inte upp det."
    ),
    "en": (
        "You answer questions about a Swedish parliamentary motion. Use ONLY the numbered excerpts below. "
        "Write a short answer in English and end every sentence with its source as [n]. "
        "If the excerpts do not answer the question, reply exactly: The motion does not address that."
    ),
}


class GenerativeAnswerer:
    def __init__(self, settings: ServiceSettings) -> None:
        self.url = f"{(settings.llm_base_url or '').rstrip('/')}/chat/completions"
        self.model = settings.llm_model
        self.timeout = settings.llm_timeout_seconds
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    @staticmethod
    def enabled(settings: ServiceSettings) -> bool:
        return bool(settings.llm_base_url and settings.llm_model)

    def _complete(self, payload: dict[str, Any]) -> str:
        """The reply text; raises on any HTTP, size, shape or time problem.

        ``llm_timeout_seconds`` bounds each network wait and also the whole body read, so an
        endpoint that trickles bytes cannot hold a request thread indefinitely.
        """
        deadline = time.monotonic() + self.timeout
        body = bytearray()
        with httpx.stream("POST", self.url, json=payload, headers=self.headers, timeout=self.timeout) as response:
            response.raise_for_status()
            for piece in response.iter_bytes():
                body += piece
                if len(body) > MAX_RESPONSE_BYTES:
                    raise ValueError("reply too large")
                if time.monotonic() > deadline:
                    raise TimeoutError("reply too slow")
        return str(json.loads(body)["choices"][0]["message"]["content"]).strip()

    def answer(self, question: str, passages: list[Chunk], language: Language) -> Answer | None:
        """A checked generative answer, or None (caller falls back to extractive)."""
        numbered = "\n\n".join(f"[{n}] ({c.section}) {c.text}" for n, c in enumerate(passages, start=1))
        payload = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": INSTRUCTIONS[language]},
                {"role": "user", "content": f"{numbered}\n\nFråga: {question}"},
            ],
        }
        try:
            reply = self._complete(payload)
        except Exception as error:  # any failure of the endpoint means: keep the extractive answer
            logger.warning("generative answer failed, using extractive: %s", type(error).__name__)
            return None
        if len(reply) > MAX_REPLY_CHARS:
            logger.warning("generative answer is %d characters; using extractive", len(reply))
            return None
        cited = [int(n) for n in _MARKER.findall(reply)]
        if not cited or any(not 1 <= n <= len(passages) for n in cited):
            logger.warning("generative answer cited %s of %d passages; using extractive", cited, len(passages))
            return None
        used = sorted(set(cited))
        renumber = {old: new for new, old in enumerate(used, start=1)}
        text = _MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]", reply)
        citations = [passage_citation(renumber[n], passages[n - 1]) for n in used]
        return Answer(text, "answered", language, citations=citations)
