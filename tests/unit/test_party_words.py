"""The party's names come from the motion's metadata, not from code: on the invented motion (Miljöpartiet,
"MP"), "MP" asks about the author the way "V" does for the bundled motion, and "V" is a word like any other."""

from __future__ import annotations

import pytest

from assistant.planner import Planner
from assistant.query.analysis import QueryAnalyzer
from index.parse.document import Metadata


@pytest.mark.parametrize("question", ["Hur vill MP att bussarna ska gå?", "Hur vill Miljöpartiet att bussarna ska gå?"])
def test_the_motions_party_wanting_something_asks_for_a_proposal(
    invented_questions: QueryAnalyzer, question: str
) -> None:
    assert invented_questions.analyze(question).qtype == "proposal"


def test_another_partys_letter_is_not_this_motions_author(invented_questions: QueryAnalyzer) -> None:
    assert invented_questions.analyze("Hur vill V att bussarna ska gå?").qtype != "proposal"
    assert invented_questions.analyze("Hur vill Vänsterpartiet att bussarna ska gå?").qtype != "proposal"


def test_the_partys_letter_names_no_topic(invented_questions: QueryAnalyzer) -> None:
    assert invented_questions.analyze("Vad tycker MP om bussarna?").topic_terms == frozenset({"buss"})
    assert "v" in invented_questions.analyze("Vad tycker V om bussarna?").topic_terms


def test_a_party_name_the_text_never_writes_is_not_missing_from_it(invented_planner: Planner) -> None:
    plan = invented_planner.plan("Vad vill Miljöpartiet göra med pendeltågen?", [])
    assert plan.analysis.qtype == "proposal"
    assert not plan.absent


def test_without_a_letter_only_the_name_is_the_partys() -> None:
    meta = Metadata("d", "Titel", "Miljöpartiet", "2025/26")
    assert meta.party_words() == ("Miljöpartiet",)
    assert Metadata("d", "Titel", "", "2025/26", party_abbreviation="MP").party_words() == ("MP",)
