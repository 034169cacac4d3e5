"""The query analysis on its own: language, question type, history need, topic terms.

The corpus here is invented and about something else (public transport), so the rules are
shown to be about how people ask, not about the motion's topic.
"""

from __future__ import annotations

import pytest

from assistant.query.analysis import QueryAnalysis, QueryAnalyzer, _heads, question_type
from assistant.query.language import detect_language
from index.structure import fold
from index.text.analyzer import SwedishAnalyzer

CORPUS = [
    "Kollektivtrafiken i regionen behöver fler bussar och tätare turer.",
    "Regeringen bör ge Trafikverket i uppdrag att bygga ut pendeltågen.",
    "Spårvagnar är ett spårbundet trafikslag för städer.",
    "Biljettpriserna har höjts med 12 procent sedan 2019.",
    "Regeringen bör utreda gratis kollektivtrafik för pensionärer.",
    "Förseningarna beror på brist på underhåll av spåren.",
]


@pytest.fixture(scope="module")
def analyzer() -> QueryAnalyzer:
    swedish = SwedishAnalyzer.fit(CORPUS)
    frame = frozenset(swedish.terms("regeringen kollektivtrafik"))
    return QueryAnalyzer(swedish, frame, frame)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Why?", "en"),
        ("What about spårvagnar?", "en"),
        ("Which report says 12 percent?", "en"),
        ("Varför?", "sv"),
        ("Hur många bussar finns det?", "sv"),
        ("hur manga bussar finns det", "sv"),
        ("Vad tycker partiet om pendeltåg?", "sv"),
        ("What does the section «Förseningar på landsbygdens pendeltåg» say?", "en"),
        ("Vad står i avsnittet «Förseningar på landsbygdens pendeltåg»?", "sv"),
        ("«Förseningar på landsbygdens pendeltåg»", "sv"),
    ],
)
def test_language_is_detected_for_short_questions(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "qtype"),
    [
        ("Varför vill de bygga ut pendeltågen?", "reason"),
        ("Why are the trains late?", "reason"),
        ("Vad är problemet med underhållet?", "reason"),
        ("Hur mycket har biljetterna höjts?", "number"),
        ("How many buses are there?", "number"),
        ("Vad kostar förslaget?", "amount"),
        ("När höjdes priserna?", "time"),
        ("Och när höjdes de?", "time"),
        ("Hur länge har spårvagnarna funnits?", "time"),
        ("When the bus is late, should the driver pay?", "open"),  # a conditional "when", a question after it
        ("När bussen är sen, får man åka gratis då?", "open"),
        ("When did the buses get late, and where?", "time"),
        ("Vad vill de att regeringen gör när det gäller bussarna?", "proposal"),
        ("Vad händer med biljetterna när priserna höjs?", "open"),
        ("Vem ska bygga ut spåren?", "person"),
        ("Who decides the fares, and by whom are they paid?", "person"),
        ("Can a driver who runs a red light lose the licence?", "yesno"),  # a relative "who" asks for no one
        ("Should people who ride at night pay less?", "yesno"),
        ("Var saknas bussar?", "place"),
        ("Where are buses missing, and where are trams?", "place"),
        ("Which driver won the case where a bus was late?", "open"),  # a relative "where" asks for no place
        ("Vad är en spårvagn?", "definition"),
        ("What does 'trafikslag' mean?", "definition"),
        ("Vad föreslår motionen om pendeltåg?", "proposal"),
        ("Sammanfatta motionen", "overview"),
        ("Vilken rapport visar det?", "source"),
        ("Stämmer det att priserna höjts?", "yesno"),
        ("Spårvagnar i städer", "open"),
    ],
)
def test_question_type(text: str, qtype: str) -> None:
    assert question_type(text) == qtype


def test_a_question_naming_its_topic_does_not_need_history(analyzer: QueryAnalyzer) -> None:
    analysis = analyzer.analyze("Vad är en spårvagn?")
    assert not analysis.needs_history and analysis.names_topic
    assert "spårvagn" in analysis.topic_terms


@pytest.mark.parametrize(
    "text",
    [
        "Varför?",
        "Hur många finns det?",
        "Och när?",
        "Fungerade det?",
        "Why?",
        "What about them?",
        "Varför då?",
        "Finns det fler?",
        "Finns det andra?",
        "Fler exempel?",
    ],
)
def test_pronouns_ellipsis_and_continuations_need_history(analyzer: QueryAnalyzer, text: str) -> None:
    assert analyzer.analyze(text).needs_history


@pytest.mark.parametrize(
    ("text", "elliptic"),
    [("Why so long?", True), ("Funkar det bra?", True), ("Why are trams slow?", False), ("Spårvagnar i städer", False)],
)
def test_a_few_everyday_words_ask_about_the_last_answer(analyzer: QueryAnalyzer, text: str, elliptic: bool) -> None:
    assert analyzer.analyze(text).needs_history is elliptic


def test_a_continuation_with_a_new_subject_needs_history_but_names_it(analyzer: QueryAnalyzer) -> None:
    """On its own words it is an open question; the planner gives it the previous question's type."""
    analysis = analyzer.analyze("What about spårvagnar?")
    assert analysis.needs_history and analysis.names_topic and not analysis.points_back
    assert analysis.qtype == "open"


@pytest.mark.parametrize(
    "text",
    [
        "Kan han köra buss utan körkort på natten i stan?",  # a person, whatever else is named
        "Får hon åka gratis med pendeltågen till jobbet?",
        "Har sådana spårvagnar funnits i andra städer förut?",
        "Vad tycker de om det när nattbussarna ställs in i stan?",  # "det" after a preposition is a pronoun
        "Does she get a discount on the night buses in town?",
    ],
)
def test_a_pronoun_for_a_person_or_thing_points_back_even_in_a_question_naming_a_topic(
    analyzer: QueryAnalyzer, text: str
) -> None:
    assert analyzer.analyze(text).needs_history


@pytest.mark.parametrize(
    "text",
    [
        "Vad vill de göra åt pendeltågen och spårvagnarna i stan?",  # "de": the authors, mostly
        "Is there a plan for night buses and trams in town?",  # expletive "there"
        "Hur många åkte pendeltåg det senaste året?",  # an article, not a pronoun
        "Hur lång tid tar det innan nattbussen kommer till hållplatsen?",  # a formal subject
        "Helt annan fråga – vad tycker de om det här med nattbussar?",  # the reader says the topic changes
        "Different thing – what about them?",
    ],
)
def test_authors_pronouns_expletives_articles_and_a_said_change_of_topic_do_not_point_back(
    analyzer: QueryAnalyzer, text: str
) -> None:
    assert not analyzer.analyze(text).needs_history


def test_the_words_saying_the_topic_changes_are_not_part_of_the_question(analyzer: QueryAnalyzer) -> None:
    analysis = analyzer.analyze("Byter ämne – hur ofta går nattbussarna?")
    assert analysis.text == "hur ofta går nattbussarna?" and not analysis.needs_history
    assert not {"byt", "byter", "amne", "ämne"} & analysis.topic_terms


@pytest.mark.parametrize(
    ("text", "future"),
    [
        ("När ska nattbussarna börja gå?", True),
        ("När kommer regeringen att bygga ut spåren?", True),
        ("When will the trams run again?", True),
        ("När började nattbussarna gå?", False),
        ("When did the trams stop?", False),
    ],
)
def test_a_question_about_what_is_to_come(analyzer: QueryAnalyzer, text: str, future: bool) -> None:
    assert analyzer.analyze(text).future is future


def test_grammatical_det_is_not_a_pronoun(analyzer: QueryAnalyzer) -> None:
    analysis = analyzer.analyze("Finns det planer på att bygga ut pendeltågen och spårvagnarna?")
    assert not analysis.needs_history


def test_a_proposal_question_names_its_topic_or_not(analyzer: QueryAnalyzer) -> None:
    """Whether it names one decides, in the planner, between a proposal and an overview."""
    without = analyzer.analyze("Vad vill de att regeringen ska göra?")
    assert without.qtype == "proposal" and not without.names_topic
    named = analyzer.analyze("Vad föreslår de om pendeltågen?")
    assert named.qtype == "proposal" and named.names_topic


def test_frame_words_leave_the_focus(analyzer: QueryAnalyzer) -> None:
    analysis = analyzer.analyze("Vad vill regeringen med kollektivtrafiken för pensionärer?")
    assert "pensionärer" in analysis.focus and "regeringen" not in analysis.focus.lower()


def test_years_and_unknown_words(analyzer: QueryAnalyzer) -> None:
    analysis = analyzer.analyze("Hur mycket höjdes priserna år 2015?")
    assert analysis.years == ("2015",)
    assert analyzer.analyze("Vad tycker de om kärnkraft?").unknown_share == 1.0
    assert analyzer.analyze("Vad tycker de om sparvagnar?").unknown_share == 0.0, "å typed as a still matches"


def test_names_restrict_by_their_stem(analyzer: QueryAnalyzer) -> None:
    assert analyzer.analyze("Hur många bussar finns det i Göteborgs län?").names == ("goteborg",)
    assert analyzer.analyze("Vad sägs om IPVI-modellen?").names == ("ipvi",)
    assert analyzer.analyze("How many buses are there in Gothenburg?").names == (), "a translation may differ"


def test_a_year_is_not_the_count_a_how_many_question_wants() -> None:
    from index.text.traits import traits

    assert not traits("Projektet inleddes 2023 i regionen.").number
    assert traits("Drygt 300 bussar byttes ut 2023.").number and traits("Inga domar föll.").number
    assert traits("Projektet inleddes 2023 i regionen.").time


def test_fold_lowers_case_and_swedish_letters() -> None:
    assert fold("Gömda LÄCKT år") == "gomda lackt ar"


def test_the_analysis_is_one_immutable_object(analyzer: QueryAnalyzer) -> None:
    analysis = analyzer.analyze("Varför behövs fler bussar?")
    assert isinstance(analysis, QueryAnalysis)
    with pytest.raises(AttributeError):
        analysis.qtype = "open"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("Hur många bussar går det i timmen?", "bussar"),
        ("hur manga pendeltåg finns det", "pendeltåg"),
        # A verb after "hur många" counts whoever did it, not a thing.
        ("Hur många dömdes för fortkörning?", ""),
        ("Hur många åkte buss 2020?", ""),
        # A word followed by its subject is a verb: Swedish puts the verb second.
        ("Hur många rör det sig om?", ""),
        ("hur många handlar det om", ""),
        ("Hur många bussar finns det?", "bussar"),
        ("Hur mycket kostar bussen?", ""),
        # Swedish only: the text is Swedish, an English noun would never match it.
        ("How many buses are there?", ""),
    ],
)
def test_the_thing_a_count_question_counts(analyzer: QueryAnalyzer, text: str, counted: str) -> None:
    analysis = analyzer.analyze(text)
    assert analysis.counted == counted
    assert bool(analysis.counted_terms) == bool(counted)


def test_a_compound_is_counted_as_a_kind_of_its_last_part() -> None:
    """ "kvinnojourer" are jourer: a figure of kvinnor does not count them (the analyzer's compound parts)."""
    assert _heads(["kvinno", "jour", "kvinnojour"]) == {"jour", "kvinnojour"}
    assert _heads(["buss"]) == {"buss"}
    assert _heads([]) == frozenset()


def test_an_english_question_meets_the_swedish_text_only_through_its_uncommon_words() -> None:
    """Everyday English ("violence") matches only English titles in a Swedish text; names and borrowed terms
    ("barnahus", "Malmö", "trafficking") are what the two can share."""
    from assistant.query.language import uncommon_english

    assert uncommon_english("What is economic violence?", 4.0) == ""
    assert uncommon_english("What does it say about trafficking in Malmö and barnahus?", 4.0) == (
        "trafficking Malmö barnahus"
    )
