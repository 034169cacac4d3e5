"""``/api/health``: liveness for anyone (load balancers send no key); the index summary, the model, the
conversation counts and the caches only with the API key, when one is set."""

from __future__ import annotations

from fastapi import APIRouter, Request

from assistant.api.requests import api_settings, assistant_of
from assistant.api.schemas import CacheStats, HealthIndex, HealthModel, HealthResponse, Liveness
from assistant.api.security import carries_api_key

router = APIRouter()


@router.get(
    "/health",
    operation_id="health",
    response_model=HealthResponse | Liveness,
    summary="Liveness; with the key, the index summary, model, conversations and caches",
)
async def health(request: Request) -> HealthResponse | Liveness:
    if not carries_api_key(request, api_settings(request)):
        return Liveness(status="ok")
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
