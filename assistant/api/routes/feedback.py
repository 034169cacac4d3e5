"""``POST /api/feedback``: a thumbs up/down on an answer, appended to the feedback log."""

from __future__ import annotations

import logging

from anyio import to_thread
from fastapi import APIRouter, HTTPException, Request

from assistant.answer import Citation
from assistant.api.errors import BODY_ERRORS, documented
from assistant.api.requests import api_settings
from assistant.api.schemas import FeedbackReceipt, FeedbackRequest
from assistant.api.settings import ApiSettings
from assistant.api.validation import clean_comment, clean_history, clean_text
from assistant.feedback import FeedbackFull, FeedbackLog, FeedbackRecord

router = APIRouter()
logger = logging.getLogger("motionqa.feedback")


@router.post(
    "/feedback",
    operation_id="submitFeedback",
    status_code=201,
    response_model=FeedbackReceipt,
    summary="Vote on an answer (thumbs up/down, optional comment)",
    responses=documented(*BODY_ERRORS, 503, 507),
)
async def submit_feedback(body: FeedbackRequest, request: Request) -> FeedbackReceipt:
    limits = api_settings(request)
    record = _record(body, limits)
    log = FeedbackLog.from_settings(limits)
    try:
        await to_thread.run_sync(log.append, record)  # lock wait and fsync off the event loop
    except FeedbackFull as error:
        raise HTTPException(507, f"{error}; nothing was recorded") from None
    except OSError:
        logger.exception("cannot write the feedback log %s", log.path)
        raise HTTPException(503, "the feedback log cannot be written; nothing was recorded") from None
    return FeedbackReceipt(status="recorded", time=record.time.isoformat())


def _record(body: FeedbackRequest, settings: ApiSettings) -> FeedbackRecord:
    """The same text checks as ``/api/ask`` (limits, no control characters); a blank comment is no comment."""
    return FeedbackRecord(
        question=clean_text(body.question, ("question",), settings.max_question_chars),
        history=clean_history(body.history, settings),
        answer=clean_text(body.answer, ("answer",), settings.max_question_chars * 10),
        citations=[Citation(**c.model_dump()) for c in body.citations],
        outcome=body.outcome,
        vote=body.vote,
        comment=clean_comment(body.comment, settings),
    )
