"""``/api/health``: liveness, the index summary and the model (open without the API key)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from assistant.api.requests import assistant_of
from assistant.api.schemas import CacheStats, HealthIndex, HealthModel, HealthResponse

router = APIRouter()


@router.get(
    "/health", operation_id="health", response_model=HealthResponse, summary="Liveness, index summary and model"
)
async def health(request: Request) -> HealthResponse:
    assistant = assistant_of(request)
    manifest = assistant.index.manifest.model_dump(mode="json")
    return HealthResponse(
        status="ok",
        # the manifest's model and embedding entries; extra keys (the centroid) are dropped by the model
        model=HealthModel.model_validate({**manifest["model"], **manifest["embedding"]}),
        index=HealthIndex.model_validate(manifest),
        sessions=len(assistant.sessions),
        chat_sessions=len(assistant.chat_sessions),
        caches={name: CacheStats.model_validate(stats) for name, stats in assistant.cache_stats().items()},
        uptime_seconds=round(assistant.uptime(), 1),
    )
