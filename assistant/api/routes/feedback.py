"""``POST /api/feedback``: a thumbs up/down on an answer, appended to the feedback log."""

from __future__ import annotations

import logging

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Request

from assistant.answer import Citation, indexed_citation
from assistant.api.errors import BODY_ERRORS, documented, invalid
from assistant.api.limits import rate_limit
from assistant.api.requests import api_settings, assistant_of
from assistant.api.schemas import CitationIn, FeedbackReceipt, FeedbackRequest
from assistant.api.settings import ApiSettings
from assistant.api.validation import clean_comment, clean_history, clean_text
from assistant.feedback import FeedbackFull, FeedbackLog, FeedbackRecord, RecordTooLarge, fitted
from assistant.service import Assistant

router = APIRouter()
logger = logging.getLogger("motionqa.feedback")


@router.post(
    "/feedback",
    operation_id="submitFeedback",
    status_code=201,
    response_model=FeedbackReceipt,
    summary="Vote on an answer (thumbs up/down, optional comment)",
    responses=documented(*BODY_ERRORS, 429, 503, 507),
    dependencies=[Depends(rate_limit("write"))],
)
async def submit_feedback(body: FeedbackRequest, request: Request) -> FeedbackReceipt:
    limits = api_settings(request)
    try:
        record = fitted(_record(body, limits, assistant_of(request)), limits.feedback_max_record_bytes)
    except RecordTooLarge as error:
        raise invalid((), f"{error} (MOTIONQA_FEEDBACK_MAX_RECORD_BYTES)", "record_too_large") from None
    log = FeedbackLog.from_settings(limits)
    try:
        await to_thread.run_sync(log.append, record)  # lock wait and fsync off the event loop
    except FeedbackFull as error:
        raise HTTPException(507, f"{error}; nothing was recorded") from None
    except OSError:
        logger.exception("cannot write the feedback log %s", log.path)
        raise HTTPException(503, "the feedback log cannot be written; nothing was recorded") from None
    return FeedbackReceipt(status="recorded", time=record.time.isoformat())


def _record(body: FeedbackRequest, settings: ApiSettings, assistant: Assistant) -> FeedbackRecord:
    """The same text checks as ``/api/ask`` (limits, no control characters); a blank comment is no comment."""
    return FeedbackRecord(
        question=clean_text(body.question, ("question",), settings.max_question_chars),
        history=clean_history(body.history, settings),
        answer=clean_text(body.answer, ("answer",), settings.max_question_chars * 10),
        citations=[_citation(c, i, assistant) for i, c in enumerate(body.citations)],
        outcome=body.outcome,
        vote=body.vote,
        comment=clean_comment(body.comment, settings),
    )


def _citation(sent: CitationIn, position: int, assistant: Assistant) -> Citation:
    """The citation as the index has it: a passage of this index, offsets in its document, the same text."""
    loc = ("citations", position)
    try:
        citation = indexed_citation(
            sent.n, sent.id, sent.start, sent.end, assistant.chunks_by_id, assistant.index.documents
        )
    except KeyError:
        raise invalid((*loc, "id"), "Should be a passage id of this index", "unknown_passage") from None
    except ValueError:
        raise invalid((*loc, "end"), "Should be an offset range inside the passage's document", "bad_range") from None
    if sent.doc_id != citation.doc_id or sent.text != citation.text:
        raise invalid((*loc, "text"), "Should be the cited text exactly as the answer gave it", "citation_mismatch")
    return citation
