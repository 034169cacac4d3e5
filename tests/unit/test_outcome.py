"""The one place that decides an outcome (``assistant.read.outcome.decide``), on hand-built plans and
evidence just either side of each threshold: every reason, and what outranks what."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.query.absence import AbsentWord
from assistant.query.analysis import QueryAnalysis, QuestionType
from assistant.query.history import WeightedText
from assistant.query.plan import QueryPlan, ResolvedReference
from assistant.query.reference import StructureReference
from assistant.read.outcome import Decision, Detail, Evidence, decide
from assistant.read.ranker import Thresholds
from index.scoring import SCORING

LIMITS = Thresholds(hedge=0.5, decline=0.2, off_topic={"sv": 0.1, "en": 0.05})
SWEDISH_BOUND = LIMITS.off_topic["sv"]
EPSILON = 1e-6
SPECIFIC = AbsentWord("bensin", 2.9)
EVERYDAY = AbsentWord("skatten", 4.1)


def make_plan(
    qtype: QuestionType = "open", topic: frozenset[str] = frozenset({"pendeltåg"}), **fields: object
) -> QueryPlan:
    analysis = QueryAnalysis(
        text="Vad säger motionen om pendeltågen?",
        language="sv",
        qtype=qtype,
        needs_history=False,
        content_terms=topic,
        topic_terms=topic,
        years=(),
        focus="pendeltågen",
    )
    uses_history = bool(fields.pop("uses_history", False))
    return QueryPlan(analysis, qtype, uses_history, (WeightedText(analysis.text, 1.0),), **fields)  # type: ignore[arg-type]


def evidence(best: float = 0.9, closeness: float = 0.5, lacking: Detail | None = None) -> Evidence:
    return Evidence(best=best, closeness=closeness, lacking=lacking)


def found(number: int = 3) -> ResolvedReference:
    return ResolvedReference(StructureReference("yrkande", number=number), "doc", number, 6, chunks=(2,))


def out_of_range(number: int = 9) -> ResolvedReference:
    return ResolvedReference(StructureReference("yrkande", number=number), "doc", number, 6)


def test_a_plain_answer_needs_the_best_sentence_at_the_hedge_bound() -> None:
    assert decide(make_plan(), evidence(best=LIMITS.hedge), LIMITS) == Decision("answered", "answer")
    assert decide(make_plan(), evidence(best=LIMITS.hedge - EPSILON), LIMITS) == Decision("hedged", "unsure")


def test_below_the_decline_bound_it_is_off_topic() -> None:
    assert decide(make_plan(), evidence(best=LIMITS.decline), LIMITS) == Decision("hedged", "unsure")
    assert decide(make_plan(), evidence(best=LIMITS.decline - EPSILON), LIMITS) == Decision("declined", "off_topic")


def test_far_from_the_whole_corpus_it_is_off_topic_however_sure_the_ranker() -> None:
    assert decide(make_plan(), evidence(closeness=SWEDISH_BOUND), LIMITS) == Decision("answered", "answer")
    far = evidence(best=0.99, closeness=SWEDISH_BOUND - EPSILON)
    assert decide(make_plan(), far, LIMITS) == Decision("declined", "off_topic")


@pytest.mark.parametrize("weak", [evidence(best=LIMITS.decline - EPSILON), evidence(closeness=SWEDISH_BOUND - EPSILON)])
def test_a_follow_up_of_a_quoted_answer_is_hedged_not_declined_however_far(weak: Evidence) -> None:
    """It continues what was just quoted: its closest passages are offered, said to be only that."""
    assert decide(make_plan(), weak, LIMITS).outcome == "declined"
    follow_up = make_plan(uses_history=True, thread=(4, 5))
    assert decide(follow_up, weak, LIMITS) == Decision("hedged", "unsure")


def test_an_english_question_is_held_to_the_english_bound() -> None:
    """As far from the Swedish text as a Swedish question that is off topic, an English one is not."""
    english = replace(make_plan(), analysis=replace(make_plan().analysis, language="en"))
    between = evidence(closeness=SWEDISH_BOUND - EPSILON)
    assert decide(english, between, LIMITS) == Decision("answered", "answer")
    assert decide(english, evidence(closeness=LIMITS.off_topic["en"] - EPSILON), LIMITS).reason == "off_topic"


def test_a_language_without_its_own_bound_gets_the_lowest() -> None:
    assert LIMITS.off_topic_for("de") == min(LIMITS.off_topic.values())
    assert Thresholds(0.5, 0.2).off_topic_for("sv") == 0.0


def test_nothing_retrieved_is_declined() -> None:
    assert decide(make_plan(), None, LIMITS) == Decision("declined", "off_topic")
    assert decide(make_plan(absent=(SPECIFIC,), absent_share=1.0), None, LIMITS) == Decision("declined", "absent")


def test_a_decline_names_the_absent_words_when_there_are_any() -> None:
    """Even below the share that changes a confident answer: the decline is already decided, its reason is not."""
    plan = make_plan(absent=(EVERYDAY,), absent_share=SCORING.absent_share / 2)
    assert decide(plan, evidence(best=LIMITS.decline - EPSILON), LIMITS) == Decision("declined", "absent")


@pytest.mark.parametrize("lacking", ["year", "name", "counted", "number"])
def test_the_asked_for_detail_missing_is_hedged_naming_it_even_when_the_ranker_is_sure(lacking: Detail) -> None:
    decision = decide(make_plan("number"), evidence(lacking=lacking), LIMITS)
    assert decision == Decision("hedged", "missing_detail", lacking)


def test_a_missing_detail_outranks_an_unsure_ranker() -> None:
    unsure = evidence(best=LIMITS.hedge - EPSILON, lacking="number")
    assert decide(make_plan("number"), unsure, LIMITS) == Decision("hedged", "missing_detail", "number")


class TestAbsentWords:
    """Words the motion never uses change the outcome when they are enough of the question's topic."""

    share = SCORING.absent_share

    @pytest.mark.parametrize("word", [SPECIFIC, EVERYDAY])
    @pytest.mark.parametrize("best", [LIMITS.decline, LIMITS.hedge - EPSILON, LIMITS.hedge, 0.99])
    def test_they_are_hedged_never_declined_on_their_own(self, word: AbsentWord, best: float) -> None:
        """However rare the word and however sure the ranker: a synonym the motion does not use is not absence."""
        plan = make_plan(absent=(word,), absent_share=self.share)
        assert decide(plan, evidence(best=best), LIMITS) == Decision("hedged", "absent")

    def test_below_the_share_they_do_not_count(self) -> None:
        plan = make_plan(absent=(SPECIFIC,), absent_share=self.share - EPSILON)
        assert decide(plan, evidence(), LIMITS) == Decision("answered", "answer")
        assert decide(plan, evidence(best=LIMITS.hedge - EPSILON), LIMITS) == Decision("hedged", "unsure")

    def test_a_follow_up_may_find_its_missing_words_in_the_history(self) -> None:
        plan = replace(make_plan(absent=(SPECIFIC,), absent_share=1.0), uses_history=True)
        assert decide(plan, evidence(), LIMITS) == Decision("answered", "answer")

    def test_absent_words_outrank_a_missing_detail(self) -> None:
        plan = make_plan("number", absent=(EVERYDAY,), absent_share=1.0)
        assert decide(plan, evidence(lacking="number"), LIMITS) == Decision("hedged", "absent")


@pytest.mark.parametrize("evidence_given", [None, evidence(best=0.0, closeness=0.0, lacking="number")])
def test_the_motions_numbering_is_answered_from_the_structure(evidence_given: Evidence | None) -> None:
    """No ranker, no absent words: "yrkande 3" is yrkande 3, and yrkande 9 of 6 is not there."""
    absent = {"absent": (SPECIFIC,), "absent_share": 1.0}
    assert decide(make_plan(reference=found(), **absent), evidence_given, LIMITS) == Decision("answered", "reference")
    assert decide(make_plan(reference=out_of_range(), **absent), evidence_given, LIMITS) == Decision(
        "declined", "out_of_range"
    )


def test_a_proposal_question_with_no_topic_lists_every_proposal() -> None:
    overview = make_plan("overview", topic=frozenset())
    assert decide(overview, None, LIMITS) == Decision("answered", "all_proposals")
    whole = make_plan("overview", about_whole_motion=True)
    assert decide(whole, evidence(best=0.0), LIMITS) == Decision("answered", "all_proposals")
    topical = make_plan("overview")
    assert decide(topical, evidence(best=0.0), LIMITS) == Decision("declined", "off_topic"), "a topic is ranked"


def test_a_follow_up_with_nothing_to_follow_is_asked_about_before_anything_else() -> None:
    lost = make_plan("overview", topic=frozenset(), needs_clarifying=True)
    assert decide(lost, evidence(), LIMITS) == Decision("declined", "clarify")
    assert decide(replace(lost, reference=found()), None, LIMITS) == Decision("declined", "clarify")


def test_a_proposal_follow_up_with_no_topic_is_answered_from_the_structure_of_what_was_quoted() -> None:
    """ "Vilket yrkande hör det ihop med?" after a quoted answer: the yrkanden argued there, however unsure."""
    follow_up = make_plan("proposal", topic=frozenset(), uses_history=True, thread=(7,))
    assert decide(follow_up, evidence(best=0.0, closeness=0.0), LIMITS) == Decision("answered", "thread_proposals")
    assert decide(replace(follow_up, thread=()), evidence(), LIMITS).reason != "thread_proposals"
    named = make_plan("proposal", uses_history=True, thread=(7,))  # "… och barnahusen?": its own topic is ranked
    assert decide(named, evidence(), LIMITS) == Decision("answered", "answer")


def test_a_question_for_a_value_a_year_or_a_name_is_shaped() -> None:
    """Shaped: the answer must carry what is asked, or the detail is missing."""
    assert make_plan("time").shaped and make_plan("place").shaped
    assert not make_plan("open").shaped and not make_plan("reason").shaped
    named = make_plan("open")
    assert replace(named, analysis=replace(named.analysis, names=("malmo",))).shaped
    assert replace(named, analysis=replace(named.analysis, years=("2015",))).shaped
