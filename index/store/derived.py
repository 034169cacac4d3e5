"""The corpus maps of an index generation: derived once by the build, looked up by the assistant.

Stored as one JSON file next to the other index files (so the manifest's checksums cover it) and
read back into typed values. Maps keep their build order as lists of pairs (JSON keys are strings),
since rankings over them break ties by that order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from index.parse.document import Span
from index.text.traits import SentenceTraits

# The yes/no traits, stored as the list of those a sentence has.
_FLAGS = tuple(f.name for f in fields(SentenceTraits) if f.name != "years")


@dataclass(frozen=True)
class SentenceRef:
    """A sentence of the corpus: where it is, which chunks contain it, which paragraph and section hold it."""

    doc_id: str
    span: Span
    chunks: tuple[int, ...]
    block: int
    section: int


@dataclass(frozen=True)
class CorpusMaps:
    """Sentences are numbered in index order (documents, then sentence order), as the sentence vectors are;
    chunks by their position in the index."""

    sentences: list[SentenceRef]
    sentence_terms: list[frozenset[str]]
    sentence_traits: list[SentenceTraits]
    # Footnote chunk -> the sentences that footnote sources.
    footnote_citing: dict[int, list[int]]
    # Yrkande chunk -> the section that argues it, and that section's sentence closest to it (its restatement).
    argued_section: dict[int, int]
    restating_sentence: dict[int, int]
    # Sentences said word for word more than once: procedure ("Detta bör riksdagen …"), not content.
    boilerplate: frozenset[int]
    # Stems in many passages: the corpus' frame (left out of a question's focus), the stricter core
    # (names no topic; with the title and party) and the common names (restrict nothing).
    frame_terms: frozenset[str]
    core_frame_terms: frozenset[str]
    common_terms: frozenset[str]
    # Footnote chunk -> the footnote chunk its back-reference ("A.a.", "Se not 12") resolves to.
    footnote_targets: dict[int, int]
    # The words the motion uses, folded (å -> a), and their lemmas: "does the motion mention X?"
    word_forms: frozenset[str]
    lemmas: frozenset[str]

    def save(self, path: Path) -> None:
        data = {
            "sentences": [_record(ref) for ref in self.sentences],
            "sentence_terms": [sorted(terms) for terms in self.sentence_terms],
            "sentence_traits": [[flag for flag in _FLAGS if getattr(t, flag)] for t in self.sentence_traits],
            "sentence_years": [sorted(t.years) for t in self.sentence_traits],
            "footnote_citing": list(self.footnote_citing.items()),
            "argued_section": list(self.argued_section.items()),
            "restating_sentence": list(self.restating_sentence.items()),
            "boilerplate": sorted(self.boilerplate),
            "frame_terms": sorted(self.frame_terms),
            "core_frame_terms": sorted(self.core_frame_terms),
            "common_terms": sorted(self.common_terms),
            "footnote_targets": list(self.footnote_targets.items()),
            "word_forms": sorted(self.word_forms),
            "lemmas": sorted(self.lemmas),
        }
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> CorpusMaps:
        """Raises ``KeyError``/``TypeError``/``ValueError`` on a file of another shape."""
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            sentences=[_ref(record) for record in data["sentences"]],
            sentence_terms=[frozenset(terms) for terms in data["sentence_terms"]],
            sentence_traits=[
                SentenceTraits(**{flag: flag in has for flag in _FLAGS}, years=frozenset(years))
                for has, years in zip(data["sentence_traits"], data["sentence_years"], strict=True)
            ],
            footnote_citing={chunk: list(sentences) for chunk, sentences in data["footnote_citing"]},
            argued_section=dict(data["argued_section"]),
            restating_sentence=dict(data["restating_sentence"]),
            boilerplate=frozenset(data["boilerplate"]),
            frame_terms=frozenset(data["frame_terms"]),
            core_frame_terms=frozenset(data["core_frame_terms"]),
            common_terms=frozenset(data["common_terms"]),
            footnote_targets=dict(data["footnote_targets"]),
            word_forms=frozenset(data["word_forms"]),
            lemmas=frozenset(data["lemmas"]),
        )


def _record(ref: SentenceRef) -> dict[str, Any]:
    return {
        "doc_id": ref.doc_id,
        "start": ref.span.start,
        "end": ref.span.end,
        "chunks": ref.chunks,
        "block": ref.block,
        "section": ref.section,
    }


def _ref(record: dict[str, Any]) -> SentenceRef:
    span = Span(record["start"], record["end"])
    return SentenceRef(record["doc_id"], span, tuple(record["chunks"]), record["block"], record["section"])
