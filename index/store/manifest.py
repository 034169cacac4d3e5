"""The index manifest as a typed record: what an index was built from, and a checksum of every file.

Typed so that every reader (the loader, the service's model check, the health route, the ranker
training) sees the same fields, and a manifest missing one is refused at load, not deep inside a
request. Unknown fields are refused too: they mean another motionqa wrote the index.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from index.parse.document import Document
from index.scoring import Scoring

# 2: centered vectors; 3: corpus maps and heading vectors built; 4: the motion's numbering and words;
# 5: each question language's mean vector
SCHEMA_VERSION = 5


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ModelRecord(Record):
    id: str
    checksum: str


class ChunkerRecord(Record):
    size: int
    overlap: int


class CalibrationRecord(Record):
    model: str
    checksum: str


class RankerRecord(Record):
    """The sentence ranker the index serves, and the embedding model its features were calibrated for."""

    sha256: str
    calibrated_for: CalibrationRecord | None


class EmbeddingRecord(Record):
    dimension: int
    query_prompt: str
    passage_prompt: str
    centroid: list[float] = Field(description="Subtracted from every stored vector; queries are centered too.")
    language_means: dict[str, list[float]] = Field(
        description="Each question language's mean query vector: a question is moved to the motion's language."
    )


class DocumentRecord(Record):
    doc_id: str
    title: str
    sha256: str

    @classmethod
    def of(cls, document: Document) -> DocumentRecord:
        return cls(doc_id=document.doc_id, title=document.meta.title, sha256=document.source_sha256)


class BuildInputs(Record):
    """Everything an index depends on: any difference from the current inputs means rebuild."""

    schema_version: int = SCHEMA_VERSION
    model: ModelRecord
    chunker: ChunkerRecord
    faiss_factory: str
    pipeline: str
    corpus_fingerprint: str
    ranker: RankerRecord
    scoring: Scoring = Field(description="The scoring constants, beside the model the ranker was calibrated for.")

    def changed_since(self, built: BuildInputs) -> list[str]:
        """The names of the inputs that differ from those ``built`` was made from."""
        return [name for name in type(self).model_fields if getattr(self, name) != getattr(built, name)]


class Manifest(BuildInputs):
    """What ``manifest.json`` holds: the inputs, what came out, and the sha256 of every other file."""

    embedding: EmbeddingRecord
    documents: list[DocumentRecord]
    counts: dict[str, int]
    built_at: str
    files: dict[str, str] = Field(description="sha256 of every other file; filled in by ``write_index``.")

    def inputs(self) -> BuildInputs:
        return BuildInputs.model_validate(self.model_dump(include=set(BuildInputs.model_fields)))
