"""Parsing the real motion: structure counts, clean text, footnotes, proposals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.api.settings import Settings
from index.parse.corpus import load_corpus
from index.parse.document import Document, Metadata
from index.parse.parser import ParseError, parse_motion

RAW = next(Settings().data_dir.glob("*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def motion() -> Document:
    (document,) = load_corpus(Settings().data_dir)
    return document


def test_counts(motion: Document) -> None:
    assert len(motion.yrkanden) == 21
    assert [y.number for y in motion.yrkanden] == list(range(1, 22))
    assert len(motion.footnotes) == 43
    assert [f.number for f in motion.footnotes] == list(range(1, 44))


def test_headings_are_toc_lines_plus_inledning(motion: Document) -> None:
    toc_titles = [
        re.sub(r"\[bookmark: [^\]]+\]", "", line).strip() for line in RAW.splitlines() if "[bookmark: _Toc" in line
    ]
    titles = [s.title for s in motion.sections]
    assert titles == [toc_titles[0], "Inledning", *toc_titles[1:]]
    assert len(titles) == 26


def test_hlk_bookmarks_are_not_headings_and_vanish(motion: Document) -> None:
    titles = {s.title for s in motion.sections}
    assert not any(t.startswith("Regeringen bör") for t in titles)
    assert "Regeringen bör ta initiativ till att samtliga aktörer inom rättsväsendet" in motion.text


def test_no_marker_text_leaks(motion: Document) -> None:
    assert "[bookmark" not in motion.text and "footnoteRef" not in motion.text and "_Toc" not in motion.text
    assert not re.search(r"\[\d+:", motion.text)


def test_footnote_text_is_attached_to_its_citing_sentence(motion: Document) -> None:
    footnote = next(f for f in motion.footnotes if f.number == 6)
    assert motion.slice(footnote) == "”Sexualbrott läggs på hög när gängvåld prioriteras”, DN 2023-07-07."
    citing = motion.text[: footnote.ref_offset]
    assert citing.endswith("var värt att anmäla vad de utsatts för."), citing[-60:]
    assert motion.blocks[footnote.paragraph].kind == "paragraph"


def test_multiline_footnote_is_joined(motion: Document) -> None:
    footnote = next(f for f in motion.footnotes if f.number == 23)
    assert motion.slice(footnote).endswith("i nära relationer. RiR 2025:6.")


def test_wording_is_kept_including_typos(motion: Document) -> None:
    assert "Dags för en ny kvinnofridkommission" in motion.text  # the heading's own spelling
    assert "Intimate Partner Violence Prevention (IPVI)" in motion.text  # contradicts the yrkande, kept


def test_yrkanden_link_to_their_sections(motion: Document) -> None:
    sections = {y.number: motion.section_title(y.section) for y in motion.yrkanden}
    assert sections[1] == "Dags för en ny kvinnofridkommission"
    assert sections[11] == "Ett strikt ansvar när det gäller barns ålder"
    assert sections[16] == sections[17] == "Översyn av reglerna om människohandel"
    assert sections[21].startswith("Grov organiserad kriminalitet")


def test_sentences_lie_inside_blocks(motion: Document) -> None:
    assert len(motion.sentences) > 600
    for sentence in motion.sentences:
        text = motion.slice(sentence)
        assert text == text.strip() and "\n" not in text


def test_a_text_without_proposals_is_refused() -> None:
    with pytest.raises(ParseError, match="Förslag till riksdagsbeslut"):
        parse_motion("Bara en rad.\n", Metadata("x", "x", "", ""))


def test_a_reference_without_footnote_text_is_refused() -> None:
    raw = "Förslag till riksdagsbeslut\nRiksdagen bör göra något.\nInledning\nText.[footnoteRef:1]\n"
    with pytest.raises(ParseError, match="footnote"):
        parse_motion(raw, Metadata("x", "x", "", ""))


def test_document_round_trips_through_dict(motion: Document, tmp_path: Path) -> None:
    assert Document.from_dict(motion.to_dict()) == motion
