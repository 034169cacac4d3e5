"""``/api/documents`` and ``/api/passages``: the motion itself, for checking a quote in context."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from assistant.api.errors import documented, quoted
from assistant.api.requests import assistant_of
from assistant.api.routes.answers import search_result
from assistant.api.schemas import DocumentDetail, DocumentList, DocumentSummary, NumberedText, PassageOut, SectionOut
from index.parse.document import Document

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
        yrkanden=[
            NumberedText(
                number=y.number,
                text=found.slice(y),
                start=y.start,
                end=y.end,
                section=found.section_title(y.section) or None,
            )
            for y in found.yrkanden
        ],
        footnotes=[
            NumberedText(number=f.number, text=found.slice(f), start=f.start, end=f.end) for f in found.footnotes
        ],
        text=found.text,
    )


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
    text = assistant.index.documents[chunk.doc_id].text
    return PassageOut(
        **search_result(chunk, 0.0).model_dump(),
        context_before=text[max(0, chunk.start - CONTEXT_CHARS) : chunk.start],
        context_after=text[chunk.end : chunk.end + CONTEXT_CHARS],
    )
