"""Named evaluation configurations: Settings overrides plus run options, and the baselines.

A configuration that changes what the index is built from gets its own index under
``var/eval-indexes/<name>/``, so comparing chunk sizes never touches the served index.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from assistant.api.settings import Settings
from eval.runner import RunOptions
from index.scoring import TUNABLES

Kind = Literal["assistant", "bm25-paragraphs", "langchain"]
EVAL_INDEX_ROOT = Path("var") / "eval-indexes"  # under the working directory, like the main index
# Settings that change the index (see index.build.build_inputs); others only change querying.
INDEX_INPUTS = frozenset(
    {"data_dir", "embedding_model", "encoder_backend", "chunk_size", "chunk_overlap", "faiss_factory", "ranker_path"}
)
# What results.json records of each configuration's effective settings.
RECORDED_SETTINGS = (
    "embedding_model",
    "chunk_size",
    "chunk_overlap",
    "faiss_factory",
    "retrieval_mode",
    "rrf_k",
    "sentence_weight",
    "focus_weight",
    "candidate_pool",
    "top_k",
    "history_turns",
    "history_decay",
    "answer_max_sentences",
    "ranker_path",
)


class ConfigError(ValueError):
    """An unknown configuration name or invalid overrides; the message lists what is allowed."""


@dataclass(frozen=True)
class EvalConfig:
    name: str
    description: str
    overrides: dict[str, Any] = field(default_factory=dict)
    options: RunOptions = field(default_factory=RunOptions)
    kind: Kind = "assistant"

    @property
    def retrieval_only(self) -> bool:
        return self.kind != "assistant"

    def settings(self) -> Settings:
        """Environment settings with the overrides on top, and a private index when needed."""
        values = dict(self.overrides)
        if INDEX_INPUTS & values.keys() and "index_dir" not in values:
            values["index_dir"] = EVAL_INDEX_ROOT / self.name / "index"
        return Settings(**values)

    def describe(self) -> dict[str, Any]:
        settings = self.settings()
        return {
            "name": self.name,
            "description": self.description,
            "kind": self.kind,
            "overrides": {k: str(v) for k, v in self.overrides.items()},
            "use_history": self.options.use_history,
            "settings": {k: _plain(_recorded(settings, k)) for k in RECORDED_SETTINGS}
            if not self.retrieval_only
            else {},
            "index_dir": str(settings.index_dir) if not self.retrieval_only else None,
        }


def _chunk(size: int) -> EvalConfig:
    return EvalConfig(f"chunk-{size}", f"hybrid, body chunks of at most {size} characters", {"chunk_size": size})


CONFIGS: dict[str, EvalConfig] = {
    c.name: c
    for c in (
        EvalConfig("hybrid", "the defaults: dense chunks + dense sentences + BM25, fused by RRF"),
        EvalConfig("dense", "dense chunks + sentences only", {"retrieval_mode": "dense"}),
        EvalConfig(
            "bm25",
            "Swedish BM25 ranks the chunks; answer sentences are still scored by their vectors",
            {"retrieval_mode": "bm25"},
        ),
        EvalConfig(
            "hybrid-no-history", "hybrid, follow-ups asked without the conversation", {}, RunOptions(use_history=False)
        ),
        EvalConfig(
            "torch-fp32", "hybrid with the PyTorch fp32 encoder instead of ONNX int8", {"encoder_backend": "torch"}
        ),
        *(_chunk(size) for size in (300, 450, 600, 1000)),
        EvalConfig(
            "baseline-bm25-paragraphs",
            "baseline: bm25s + Swedish stems and stop words over whole paragraphs (no yrkanden, no footnotes)",
            kind="bm25-paragraphs",
        ),
        EvalConfig(
            "baseline-langchain",
            "baseline: LangChain RecursiveCharacterTextSplitter 1000/200 + HuggingFaceEmbeddings + InMemoryVectorStore",
            kind="langchain",
        ),
    )
}
DEFAULT_CONFIG = "hybrid"
_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


def resolve_config(spec: str) -> EvalConfig:
    """A configuration name, or a JSON object of Settings overrides (plus optional "name", "use_history")."""
    if spec in CONFIGS:
        return CONFIGS[spec]
    if not spec.lstrip().startswith(("{", "[")):
        raise ConfigError(
            f"unknown configuration {spec!r}; named ones: {', '.join(CONFIGS)}; "
            'or a JSON object of settings, e.g. \'{"chunk_size": 500, "top_k": 8}\''
        )
    try:
        data = json.loads(spec)
    except json.JSONDecodeError as error:
        raise ConfigError(f"configuration is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise ConfigError("a JSON configuration must be an object of settings")
    name = str(data.pop("name", "custom-" + hashlib.sha256(spec.encode()).hexdigest()[:8]))
    if name in CONFIGS or not _NAME.fullmatch(name):
        raise ConfigError(f"configuration name {name!r} is taken or not of letters, digits, '.', '_' and '-'")
    use_history = data.pop("use_history", True)
    unknown = sorted(set(data) - set(Settings.model_fields))
    if unknown or not isinstance(use_history, bool):
        problem = f"unknown settings {unknown}" if unknown else '"use_history" must be true or false'
        raise ConfigError(f"{problem}; valid settings: {', '.join(Settings.model_fields)}")
    config = EvalConfig(
        name, f"custom: {json.dumps(data, ensure_ascii=False)}", data, RunOptions(use_history=use_history)
    )
    try:
        config.settings()
    except ValidationError as error:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ConfigError(f"invalid settings in configuration {name!r}: {details}") from error
    return config


def resolve_configs(specs: str) -> list[EvalConfig]:
    """A comma-separated list of names (JSON configurations go one at a time through ``run``)."""
    configs = [resolve_config(s.strip()) for s in specs.split(",") if s.strip()]
    if not configs:
        raise ConfigError("no configurations given")
    names = [c.name for c in configs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"configuration listed twice: {', '.join(duplicates)}")
    return configs


def _recorded(settings: Settings, name: str) -> Any:
    """A setting's effective value: a scoring tunable not overridden is the scoring record's."""
    return getattr(settings.scoring, name) if name in TUNABLES else getattr(settings, name)


def _plain(value: Any) -> Any:
    """A setting as JSON can hold it (paths as strings)."""
    return str(value) if isinstance(value, Path) else value
