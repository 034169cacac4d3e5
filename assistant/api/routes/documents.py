"""``/api/documents`` and ``/api/passages``: the motion itself, for checking a quote in context."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from assistant.api.errors import documented, quoted
from assistant.api.requests import assistant_of
from assistant.api.routes.answers import search_result
from assistant.api.schemas import DocumentDetail, DocumentList, DocumentSummary, NumberedText, PassageOut, SectionOut
from assistant.service import Assistant
from index.chunker import Chunk
from index.parse.document import Document, Footnote, Yrkande

router = APIRouter()
CONTEXT_CHARS = 300


@router.get("/documents", operation_id="listDocuments", response_model=DocumentList, summary="The indexed documents")
async def documents(request: Request) -> DocumentList:
    return DocumentList(documents=[_summary(d) for d in assistant_of(request).index.documents.values()])


def _summary(document: Document) -> DocumentSummary:
    meta = document.meta
    return DocumentSummary(
        doc_id=meta.doc_id,
        title=meta.title,
        party=meta.party,
        riksmote=meta.riksmote,
        language=meta.language,
        counts={
            "sections": len(document.sections),
            "yrkanden": len(document.yrkanden),
            "footnotes": len(document.footnotes),
        },
    )


@router.get(
    "/documents/{doc_id}",
    operation_id="getDocument",
    response_model=DocumentDetail,
    summary="Metadata, yrkanden and clean text",
    responses=documented(404),
)
async def document(doc_id: str, request: Request) -> DocumentDetail:
    found = assistant_of(request).index.documents.get(doc_id)
    if found is None:
        raise HTTPException(404, f"no document {quoted(doc_id)}; GET /api/documents lists them")
    return DocumentDetail(
        **_summary(found).model_dump(),
        sections=[
            SectionOut(index=s.index, title=s.title, parent=s.parent, start=s.start, end=s.end) for s in found.sections
        ],
        yrkanden=[numbered_yrkande(found, y) for y in found.yrkanden],
        footnotes=[numbered_footnote(found, f) for f in found.footnotes],
        text=found.text,
    )


def numbered_yrkande(document: Document, yrkande: Yrkande) -> NumberedText:
    """A proposal's wording, offsets and the section that argues it (the API's and the MCP tools' shape)."""
    section = document.section_title(yrkande.section) or None
    return NumberedText(
        number=yrkande.number, text=document.slice(yrkande), start=yrkande.start, end=yrkande.end, section=section
    )


def numbered_footnote(document: Document, footnote: Footnote) -> NumberedText:
    return NumberedText(number=footnote.number, text=document.slice(footnote), start=footnote.start, end=footnote.end)


@router.get(
    "/passages/{passage_id}",
    operation_id="getPassage",
    response_model=PassageOut,
    summary="One passage with surrounding text",
    responses=documented(404),
)
async def passage(passage_id: str, request: Request) -> PassageOut:
    assistant = assistant_of(request)
    chunk = assistant.chunks_by_id.get(passage_id)
    if chunk is None:
        raise HTTPException(404, f"no passage {quoted(passage_id)}")
    return passage_in_context(assistant, chunk, CONTEXT_CHARS)


def passage_in_context(assistant: Assistant, chunk: Chunk, chars: int) -> PassageOut:
    """The passage with up to ``chars`` characters of the document on either side."""
    text = assistant.index.documents[chunk.doc_id].text
    return PassageOut(
        **search_result(chunk, 0.0).model_dump(),
        context_before=text[max(0, chunk.start - chars) : chunk.start],
        context_after=text[chunk.end : chunk.end + chars],
    )
