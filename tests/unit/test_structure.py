"""The motion's numbering as the build derives it (``index.structure``): footnote back-references, the
words it uses, and the numbered chunks; on the invented motion and on small made-up exports."""

from __future__ import annotations

from pathlib import Path

from index.chunker import Chunk, chunk_document
from index.parse.document import Document, Metadata
from index.parse.parser import parse_motion
from index.store.derived import CorpusMaps
from index.structure import footnote_targets, numbered_chunks, word_forms

PROPOSALS = (
    "Förslag till riksdagsbeslut\n"
    "Riksdagen ställer sig bakom det som anförs i motionen om att regeringen bör bygga fler cykelbanor och "
    "tillkännager detta för regeringen.\n"
    "Inledning\n"
)


def motion(body: str) -> tuple[Document, list[Chunk]]:
    document = parse_motion(PROPOSALS + body, Metadata("made-up", "Påhittad motion", "Exempelpartiet", "2025/26"))
    return document, chunk_document(document, 800)


def targets_by_number(document: Document, chunks: list[Chunk]) -> dict[int | None, int | None]:
    """Footnote number -> the number of the footnote it resolves to (None: a source of its own)."""
    resolved = footnote_targets([document], chunks)
    return {
        chunk.footnote: chunks[resolved[position]].footnote if position in resolved else None
        for position, chunk in enumerate(chunks)
        if chunk.kind == "footnote"
    }


def test_back_references_on_the_invented_motion(invented: Document, invented_chunks: list[Chunk]) -> None:
    assert targets_by_number(invented, invented_chunks) == {
        1: None, 2: None, 3: None, 4: 3, 5: 3, 6: None, 7: 6, 8: 2, 9: None,
    }  # fmt: skip


def test_pointers_with_nothing_to_point_at_are_not_resolved() -> None:
    """ "A.a." as the first footnote, a cycle of "Se not", and a note that is not there."""
    document, chunks = motion(
        "Ett.[footnoteRef:1] Två.[footnoteRef:2] Tre.[footnoteRef:3] Fyra.[footnoteRef:4] Fem.[footnoteRef:5]\n"
        "[1:  A.a.] [2:  Se not 3.] [3:  Jfr fotnot 2.] [4:  Se not 99.] [5:  Jfr Connell 1995, s. 4.]"
    )
    assert targets_by_number(document, chunks) == {1: None, 2: None, 3: None, 4: None, 5: None}


def test_a_back_reference_follows_a_chain_through_see_note() -> None:
    document, chunks = motion(
        "Ett.[footnoteRef:1] Två.[footnoteRef:2] Tre.[footnoteRef:3] Fyra.[footnoteRef:4]\n"
        "[1:  Trafikanalys, Statistik 2025:7.] [2:  SOU 2021:55.] [3:  See note 1, s. 12.] [4:  Ibidem.]"
    )
    assert targets_by_number(document, chunks) == {1: None, 2: None, 3: 1, 4: 1}


def test_numbered_chunks_are_in_index_order(invented: Document, invented_chunks: list[Chunk]) -> None:
    yrkanden = numbered_chunks(invented_chunks, "yrkande")
    footnotes = numbered_chunks(invented_chunks, "footnote")
    assert [n for _, n, _ in yrkanden] == list(range(1, 7)) and [n for _, n, _ in footnotes] == list(range(1, 10))
    assert all(invented_chunks[p].kind == "footnote" and d == invented.doc_id for d, _, p in footnotes)


def test_word_forms_are_folded_with_their_lemmas_and_hyphen_parts() -> None:
    forms, lemmas = word_forms(["Pendeltågen och IPVI-modellen, 2024:s siffror."])
    assert {"pendeltagen", "ipvi-modellen", "ipvi", "modellen", "och", "siffror"} <= forms
    assert not any(ch in "åäö" or ch.isdigit() for form in forms for ch in form)
    assert {"pendeltag", "modell", "siffra"} <= lemmas


def test_the_derived_maps_survive_the_index_file(tmp_path: Path, invented_maps: CorpusMaps) -> None:
    """What the build writes the assistant reads back: targets keyed by chunk, the words, folded."""
    invented_maps.save(tmp_path / "maps.json")
    assert CorpusMaps.load(tmp_path / "maps.json") == invented_maps
    assert invented_maps.footnote_targets and invented_maps.word_forms and invented_maps.lemmas
