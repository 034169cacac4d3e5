"""Suites as analysts write them: JSONL or CSV, free labels, and what validation reports (no model, no index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.suite import SuiteError, load_suite, resolve_suite, suite_notes, validate_suite
from index.parse.document import Document, Metadata

TEXT = "Inledning.\n\nMän utgör 98 procent av samtliga misstänkta för sexualbrott.\nSlut på texten."
EVIDENCE = "Män utgör 98 procent av samtliga misstänkta för sexualbrott."
CSV_SUITE = (
    "id;question;answer;evidence;type;history;switch;answerable;reviewer\n"
    "k1;Hur många är män?;98 procent;Män utgör 98 procent | Slut på texten;nyckeltal;;;;Eva\n"
    'k2;"Och sedan; vad?";98 procent;Slut på texten;samtal;Vad står det? | Hur många är män?;;;\n'
    "k3;Annat: vad gäller för bensin?;;;samtal;Hur många är män?;yes;false;\n"
    "k4;Vad kostar det?;;;;;;false;\n"
)


def _document() -> Document:
    meta = Metadata(doc_id="doc", title="t", party="V", riksmote="2025/26")
    return Document(meta=meta, text=TEXT, sections=[], blocks=[], footnotes=[], yrkanden=[])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig" if name.endswith(".csv") else "utf-8")  # a spreadsheet's BOM
    return path


def test_csv_suite_with_its_own_labels_and_a_conversation(tmp_path: Path) -> None:
    items = load_suite(_write(tmp_path, "analys.csv", CSV_SUITE))
    assert [item.type for item in items] == ["nyckeltal", "samtal", "samtal", "untyped"]
    assert items[0].evidence == ("Män utgör 98 procent", "Slut på texten")
    assert items[1].question == "Och sedan; vad?" and items[1].history == ("Vad står det?", "Hur många är män?")
    assert (items[2].tags, items[2].answerable, items[3].answerable) == (("switch",), False, False)
    assert validate_suite(items, [_document()]) == []
    notes = suite_notes(items)
    assert "types: nyckeltal 1, samtal 2, untyped 1" in notes
    assert "2 answerable, 2 unanswerable; 2 with history" in notes
    assert "1 item(s) without a type, reported as 'untyped'" in notes
    assert "fields not used by the evaluation: reviewer" in notes


def test_jsonl_and_csv_give_the_same_items(tmp_path: Path) -> None:
    rows = [
        {"id": 1, "question": "Hur många?", "answer": "98", "evidence": [EVIDENCE], "type": "siffror"},
        {"id": "2", "question": "Och?", "evidence": [EVIDENCE], "type": "följd", "history": ["Hur många?"]},
    ]
    jsonl = load_suite(_write(tmp_path, "s.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)))
    csv = load_suite(
        _write(tmp_path, "s.csv", f"id,question,answer,evidence,type,history\n1,Hur många?,98,{EVIDENCE},siffror,\n"
               f"2,Och?,,{EVIDENCE},följd,Hur många?\n")
    )  # fmt: skip
    assert jsonl == csv and jsonl[0].id == "1"


def test_switch_field_becomes_the_switch_tag(tmp_path: Path) -> None:
    rows = [
        {"id": "c1", "question": "Och sen?", "evidence": [EVIDENCE], "type": "conversation", "history": ["Vad?"]},
        {"id": "c2", "question": "Annat: X?", "evidence": [EVIDENCE], "type": "conversation", "history": ["Vad?"],
         "switch": True},
    ]  # fmt: skip
    items = load_suite(_write(tmp_path, "s.jsonl", "\n".join(json.dumps(row) for row in rows)))
    assert [item.tags for item in items] == [(), ("switch",)]
    assert validate_suite(items, [_document()]) == []


def test_bundled_readers_suite_tags_its_topic_switches() -> None:
    items = load_suite(resolve_suite("readers"))
    assert len(items) == 70 and sum("switch" in item.tags for item in items) == 5


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("s.jsonl", '{"id": "a", "question": "Q?", "history": "Vad?"}\n', "history: Input should be a valid list"),
        ("s.jsonl", '{"id": "a", "question": "Q?", "history": ["", "x"]}\n', "1: history.0: String should have"),
        ("s.jsonl", '{"question": "Q?"}\n', "s.jsonl:1: id: Field required"),
        ("s.jsonl", '{"id": "a", "question": "Q?"}\n\n{not json\n', "s.jsonl:3: not JSON"),
        ("s.jsonl", "[1, 2]\n", "s.jsonl:1: not a JSON object"),
        ("s.jsonl", '{"id": "a", "question": "Q?", "switch": "kanske"}\n', "1: switch: Input should be a valid bool"),
        ("s.csv", "id,fråga\n1,Vad?\n", "s.csv:1: a CSV suite needs a header row"),
        ("s.csv", "id,question\n1,Vad?,extra\n", "s.csv:2: more cells than the header has columns"),
        ("s.txt", "id,question\n", "s.txt: a suite is a .jsonl or .csv file"),
    ],
)
def test_malformed_rows_are_refused_with_line_and_field(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(SuiteError) as error:
        load_suite(_write(tmp_path, name, text))
    assert message in str(error.value)
