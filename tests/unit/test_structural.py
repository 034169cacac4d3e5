"""Answers to references to the motion's structure, and the lead lines that say what the quotes are, on
the invented public-transport motion (6 yrkanden, 9 footnotes). No model: the number decides."""

from __future__ import annotations

from itertools import pairwise

import pytest

from assistant.answer import Answer
from assistant.planner import Planner
from assistant.read import messages
from assistant.read.structural import structural_answer
from assistant.retrieve.corpus_map import CorpusMap
from index.parse.document import Document


def answer(planner: Planner, corpus: CorpusMap, question: str) -> Answer:
    plan = planner.plan(question, [])
    assert plan.reference is not None, question
    return structural_answer(plan, plan.reference, corpus)


def lines(answer: Answer) -> list[str]:
    return answer.text.split("\n")


def test_a_yrkande_by_number_is_quoted_by_its_own_words(
    invented_planner: Planner, invented_corpus: CorpusMap, invented: Document
) -> None:
    given = answer(invented_planner, invented_corpus, "Vad står det i yrkande 3?")
    assert given.outcome == "answered"
    (citation,) = given.citations
    assert citation.yrkande == 3 and citation.text == invented.text[citation.start : citation.end]
    assert citation.text == "regeringen bör införa ett nationellt ungdomskort som gäller i all regional kollektivtrafik"
    assert given.text == (
        f"Yrkande 3 av 6 föreslår att {citation.text} [1] (motiveras i avsnittet «Ett ungdomskort för hela landet»)"
    ), "one sentence: the lead goes on into the proposal's own words, the section that argues it named"


def test_in_english_the_lead_says_the_quote_is_swedish(invented_planner: Planner, invented_corpus: CorpusMap) -> None:
    given = answer(invented_planner, invented_corpus, "What does proposal 3 say?")
    assert given.text.startswith("Proposal (yrkande) 3 of 6 proposes (quoted in Swedish): regeringen bör införa")
    assert given.text.endswith("(argued in the section «Ett ungdomskort för hela landet»)")


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Vad står det i yrkande 9?", "Motionen har 6 yrkanden; något yrkande 9 finns inte."),
        ("What is footnote 12?", "The motion has 9 footnotes; there is no footnote 12."),
    ],
)
def test_a_number_out_of_range_is_declined_with_the_count(
    invented_planner: Planner, invented_corpus: CorpusMap, question: str, said: str
) -> None:
    given = answer(invented_planner, invented_corpus, question)
    assert (given.outcome, given.text, given.citations) == ("declined", said, [])


def test_how_many_gives_the_count_and_shows_the_last(invented_planner: Planner, invented_corpus: CorpusMap) -> None:
    given = answer(invented_planner, invented_corpus, "Hur många fotnoter har motionen?")
    assert lines(given)[:2] == [
        "Motionen har 9 fotnoter. Den sista:",
        "Trafikverket, Cykel och tåg i samverkan, Rapport 2023:15. [1]",
    ]
    assert given.citations[0].footnote == 9
    assert lines(given)[2:] == ["Fotnoten hör till:", "I dag tillåter bara ett fåtal regionaltåg cyklar ombord. [2]"]
    proposals = answer(invented_planner, invented_corpus, "How many proposals are there?")
    assert proposals.text.startswith(
        "The motion makes 6 proposals (yrkanden). The last, number 6, proposes (quoted in Swedish): regeringen bör"
    )
    assert [c.yrkande for c in proposals.citations] == [6]


def test_the_last_says_which_number_it_is(invented_planner: Planner, invented_corpus: CorpusMap) -> None:
    given = answer(invented_planner, invented_corpus, "Vilket är det sista yrkandet?")
    assert given.text.startswith("Det sista yrkandet, nummer 6 av 6, föreslår att regeringen bör utreda")
    assert [c.yrkande for c in given.citations] == [6]


@pytest.mark.parametrize(
    ("question", "lead", "shown", "sourced"),
    [
        (
            "Vad står i fotnot 4?",
            "Fotnot 4 lyder «A.a.», alltså samma källa som fotnot 3:",
            "Svensk Kollektivtrafik, Kollektivtrafikbarometern 2024.",
            "Det eftersatta underhållet av spår och signalsystem är den främsta orsaken till förseningarna.",
        ),
        (
            "Vad står i fotnot 8?",
            "Fotnot 8 lyder «Se not 2.», alltså samma källa som fotnot 2:",
            "SOU 2021:55, En hållbar kollektivtrafik för hela landet.",
            "I flera kommuner reser pensionärer redan avgiftsfritt utanför rusningstid, med goda erfarenheter.",
        ),
        (
            "What is footnote 7?",
            "Footnote 7 reads «Ibid.», that is, the same source as footnote 6:",
            "Riksrevisionen, Regionala biljettsystem – kostnader och nytta, RiR 2023:12.",
            "Samma granskning pekar på att ett gemensamt system skulle sänka kostnaderna.",
        ),
    ],
)
def test_a_back_reference_shows_the_source_it_points_to_and_what_it_sources(
    invented_planner: Planner, invented_corpus: CorpusMap, question: str, lead: str, shown: str, sourced: str
) -> None:
    given = answer(invented_planner, invented_corpus, question)
    assert lines(given)[:2] == [lead, f"{shown} [1]"]
    assert given.citations[1].text.endswith(sourced), "the claim the asked-for footnote (not its target) sources"


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Vad står under rubriken Tillgänglighet för alla resenärer?", "Tillgänglighet för alla resenärer"),
        ("What does the section Pendeltåg som går i tid say?", "Pendeltåg som går i tid"),
        ("Vad står i avsnittet om avgiftsfria resor för pensionärer?", "Avgiftsfria resor för pensionärer"),
    ],
)
def test_a_section_is_quoted_from_its_opening_and_no_sentence_twice(
    invented_planner: Planner, invented_corpus: CorpusMap, invented: Document, question: str, title: str
) -> None:
    """Regression: a sentence opening with "Detta"/"Det" is quoted with the one before it, which the
    section's opening had just quoted: "[2] X. [3] X. Detta bör riksdagen …"."""
    given = answer(invented_planner, invented_corpus, question)
    assert given.outcome == "answered" and lines(given)[0] == messages.section_lead(given.language, title)
    spans = [(c.start, c.end) for c in given.citations]
    assert all(end <= start for (_, end), (start, _) in pairwise(spans)), spans
    assert [c.n for c in given.citations] == list(range(1, len(given.citations) + 1))
    for citation in given.citations:
        assert citation.text == invented.text[citation.start : citation.end]
        assert f"{citation.text} [{citation.n}]" in lines(given)[1]


def test_messages_name_what_is_missing() -> None:
    assert messages.not_mentioned("sv", ["bensin"]) == "Motionen nämner inte bensin."
    assert messages.not_mentioned("sv", ["bensin", "diesel"]) == "Motionen nämner inte bensin eller diesel."
    assert messages.not_mentioned("en", ["fireworks", "petrol", "diesel"]) == (
        "The motion does not mention fireworks, petrol or diesel."
    )
    assert messages.missing("sv", "year", years=("2019", "2020")) == "Motionen säger inget om 2019 eller 2020."
    assert messages.missing("en", "name", names=("Malmö",)) == "The motion does not mention Malmö in that context."
    assert messages.missing("sv", "amount") == "Motionen anger inget belopp."
