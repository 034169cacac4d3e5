"""Chunk invariants on the real motion, for several chunk sizes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.api.settings import Settings
from index.chunker import chunk_document, sentence_search_texts
from index.parse.corpus import load_corpus
from index.parse.document import Document
from index.text.sentences import sentence_spans

# Body chunk bounds per "size/overlap", as the chunker cut the motion when it was built on
# langchain's RecursiveCharacterTextSplitter: the span-based chunker must cut the same places.
# Regenerate only for an intended change of where chunks end (and say so in the commit).
LANGCHAIN_BOUNDS = Path(__file__).parents[1] / "data" / "motion-chunk-bounds.json"


@pytest.fixture(scope="module")
def motion() -> Document:
    (document,) = load_corpus(Settings().data_dir)
    return document


@pytest.mark.parametrize("size", [200, 600, 1200])
def test_offsets_round_trip_and_chunks_end_on_sentences(motion: Document, size: int) -> None:
    chunks = chunk_document(motion, size)
    starts = {s.start for s in motion.sentences}
    ends = {s.end for s in motion.sentences}
    for chunk in chunks:
        assert motion.text[chunk.start : chunk.end] == chunk.text
        assert chunk.start in starts, f"{chunk.id} starts mid-sentence: {chunk.text[:40]!r}"
        assert chunk.end in ends, f"{chunk.id} ends mid-sentence: {chunk.text[-40:]!r}"
        if chunk.kind == "body" and len(chunk.text) > size:
            assert len(sentence_spans(chunk.text)) == 1, "only a single over-long sentence may exceed the size"


@pytest.mark.parametrize("config", list(json.loads(LANGCHAIN_BOUNDS.read_text(encoding="utf-8"))))
def test_body_chunks_end_where_the_langchain_splitter_ended_them(motion: Document, config: str) -> None:
    size, overlap = (int(n) for n in config.split("/"))
    expected = json.loads(LANGCHAIN_BOUNDS.read_text(encoding="utf-8"))[config]
    found = [[c.start, c.end] for c in chunk_document(motion, size, overlap) if c.kind == "body"]
    assert found == expected


def test_every_yrkande_and_footnote_is_one_chunk(motion: Document) -> None:
    chunks = chunk_document(motion, 600)
    assert sorted(c.yrkande for c in chunks if c.kind == "yrkande") == list(range(1, 22))
    assert sorted(c.footnote for c in chunks if c.kind == "footnote") == list(range(1, 44))
    assert len({c.id for c in chunks}) == len(chunks)


def test_footnote_chunks_carry_their_citing_sentence(motion: Document) -> None:
    chunk = next(c for c in chunk_document(motion, 600) if c.footnote == 6)
    assert "55 dagar" in chunk.context
    assert chunk.section == "Hanteringen av sexualbrott och mäns våld mot kvinnor och barn"


def test_body_chunks_know_their_heading_and_footnotes(motion: Document) -> None:
    chunks = chunk_document(motion, 600)
    dn = next(c for c in chunks if "55 dagar" in c.text and c.kind == "body")
    assert dn.section == "Hanteringen av sexualbrott och mäns våld mot kvinnor och barn"
    assert 6 in dn.footnotes
    nested = next(c for c in chunks if c.section == "Trygghetsteam för våldsutsatta kvinnor")
    assert nested.context.startswith("Stärk skyddet för kvinnor och barn")


def test_no_marker_text_in_chunks(motion: Document) -> None:
    for chunk in chunk_document(motion, 600):
        assert "[bookmark" not in chunk.text and "footnoteRef" not in chunk.text


def test_sentence_texts_align_with_sentences(motion: Document) -> None:
    texts = sentence_search_texts(motion)
    assert len(texts) == len(motion.sentences)
    assert all(t.endswith(motion.slice(s)) for t, s in zip(texts, motion.sentences, strict=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Enligt 6 kap. 13 § BrB gäller det. Nästa.", ["Enligt 6 kap. 13 § BrB gäller det.", "Nästa."]),
        ("Se bl.a. Amnesty och t.ex. Brå. Slut!", ["Se bl.a. Amnesty och t.ex. Brå.", "Slut!"]),
        ("Hon sa ”nej.” Sedan gick hon.", ["Hon sa ”nej.”", "Sedan gick hon."]),
        ("(mot. 2007/08:Ju392) om s.k. femicid. 55 dagar.", ["(mot. 2007/08:Ju392) om s.k. femicid.", "55 dagar."]),
    ],
)
def test_swedish_sentence_splitting(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == expected
