"""The planner on an invented motion about public transport (tests/data/invented-motion.txt: 6 yrkanden,
9 footnotes, 8 sections), so its rules are shown to be about the genre and about asking, not about the
real motion's topic or numbering. No model: nothing here depends on the (random) vectors."""

from __future__ import annotations

import pytest

from assistant.conversation import Turn
from assistant.planner import Planner
from assistant.query.analysis import QueryAnalyzer
from assistant.query.plan import QueryPlan
from assistant.retrieve.corpus_map import CorpusMap
from assistant.settings import ServiceSettings
from index.parse.document import Document
from index.scoring import SCORING

NO_HISTORY: list[Turn] = []


def chunk_of(corpus: CorpusMap, kind: str, number: int) -> int:
    """The position of yrkande or footnote ``number``, found from the chunks themselves."""
    (position,) = (
        i
        for i, c in enumerate(corpus.chunks)
        if c.kind == kind and (c.yrkande if kind == "yrkande" else c.footnote) == number
    )
    return position


def section_of(document: Document, title: str) -> int:
    (index,) = (s.index for s in document.sections if s.title == title)
    return index


def plan(planner: Planner, question: str, history: list[Turn] = NO_HISTORY) -> QueryPlan:
    return planner.plan(question, history)


def test_the_invented_motion_has_its_own_numbering(invented: Document, invented_corpus: CorpusMap) -> None:
    """The fixture itself: if the parser read it differently, every expectation below would be off."""
    assert [y.number for y in invented.yrkanden] == list(range(1, 7))
    assert [f.number for f in invented.footnotes] == list(range(1, 10))
    assert len(invented.sections) == 8
    assert sorted(invented_corpus.numbered("yrkande", invented.doc_id)) == list(range(1, 7))


@pytest.mark.parametrize("number", range(1, 7))
def test_yrkande_by_number_resolves_to_its_chunk(
    invented_planner: Planner, invented_corpus: CorpusMap, number: int
) -> None:
    reference = plan(invented_planner, f"Vad står det i yrkande {number}?").reference
    assert reference is not None and reference.found
    assert reference.chunks == (chunk_of(invented_corpus, "yrkande", number),)
    assert (reference.number, reference.total, reference.target) == (number, 6, None)


@pytest.mark.parametrize(
    ("question", "number"),
    [("What does proposal three say?", 3), ("Vad säger det femte förslaget?", 5), ("Förklara attsats 2", 2)],
)
def test_yrkande_in_other_words(
    invented_planner: Planner, invented_corpus: CorpusMap, question: str, number: int
) -> None:
    reference = plan(invented_planner, question).reference
    assert reference is not None and reference.chunks == (chunk_of(invented_corpus, "yrkande", number),)


@pytest.mark.parametrize(
    ("question", "kind", "number", "total"),
    [("Vad står det i yrkande 7?", "yrkande", 7, 6), ("What is footnote 12?", "footnote", 12, 9)],
)
def test_a_number_the_motion_does_not_have_is_out_of_range(
    invented_planner: Planner, question: str, kind: str, number: int, total: int
) -> None:
    reference = plan(invented_planner, question).reference
    assert reference is not None and not reference.found and reference.chunks == ()
    assert (reference.asked.kind, reference.number, reference.total) == (kind, number, total)


@pytest.mark.parametrize(
    ("question", "kind", "number"),
    [
        ("Vad är det sista yrkandet?", "yrkande", 6),
        ("What is the second to last proposal?", "yrkande", 5),
        ("Vilken är den sista fotnoten?", "footnote", 9),
        ("Vad står i näst sista fotnoten?", "footnote", 8),
    ],
)
def test_by_position_from_the_end(
    invented_planner: Planner, invented_corpus: CorpusMap, question: str, kind: str, number: int
) -> None:
    reference = plan(invented_planner, question).reference
    assert reference is not None and reference.number == number
    assert reference.chunks == (chunk_of(invented_corpus, kind, number),)


@pytest.mark.parametrize(
    ("question", "kind", "total"),
    [("Hur många yrkanden har motionen?", "yrkande", 6), ("How many footnotes are there?", "footnote", 9)],
)
def test_counts_are_the_motions_own(invented_planner: Planner, question: str, kind: str, total: int) -> None:
    reference = plan(invented_planner, question).reference
    assert reference is not None and reference.asked.count and reference.asked.kind == kind
    assert reference.total == total and reference.number == total, "the answer shows the last one"


@pytest.mark.parametrize(
    ("footnote", "target"),
    [(4, 3), (5, 3), (7, 6), (8, 2)],  # "A.a.", "A.a., s. 14." after "A.a.", "Ibid.", "Se not 2."
)
def test_a_footnote_that_only_points_back_resolves_to_its_target(
    invented_planner: Planner, invented_corpus: CorpusMap, footnote: int, target: int
) -> None:
    reference = plan(invented_planner, f"Vad står i fotnot {footnote}?").reference
    assert reference is not None and reference.chunks == (chunk_of(invented_corpus, "footnote", footnote),)
    assert reference.target == chunk_of(invented_corpus, "footnote", target)


def test_a_footnote_with_its_own_source_has_no_target(invented_planner: Planner) -> None:
    reference = plan(invented_planner, "Vad står i fotnot 6?").reference
    assert reference is not None and reference.found and reference.target is None


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Vad står under rubriken Tillgänglighet för alla resenärer?", "Tillgänglighet för alla resenärer"),
        ("Vad står i avsnittet om avgiftsfria resor för pensionärer?", "Avgiftsfria resor för pensionärer"),
        ("What does the section Pendeltåg som går i tid say?", "Pendeltåg som går i tid"),
    ],
)
def test_a_heading_named_resolves_to_its_section(
    invented_planner: Planner, invented: Document, invented_corpus: CorpusMap, question: str, title: str
) -> None:
    reference = plan(invented_planner, question).reference
    section = section_of(invented, title)
    assert reference is not None and reference.section == section and reference.found
    assert reference.chunks == invented_corpus.section_chunks(invented.doc_id, section)
    assert all(invented_corpus.chunks[c].kind == "body" for c in reference.chunks)


def test_a_heading_word_without_a_heading_it_names_is_no_reference(invented_planner: Planner) -> None:
    """No section is about night buses: the question is retrieved like any other."""
    assert plan(invented_planner, "Vad står i avsnittet om nattbussar?").reference is None


def test_structure_words_are_not_words_the_motion_fails_to_mention(invented_planner: Planner) -> None:
    """Regression: "avsnittet" was an absent key word (the motion never says it), so a plain question about
    the youth card was hedged with "Motionen nämner inte avsnittet."."""
    assert plan(invented_planner, "Vad står i avsnittet om ungdomskortet?").absent == ()
    assert plan(invented_planner, "Vad står under rubriken om cykeln?").absent == ()


PREVIOUS_QUESTION = "Varför är pendeltågen försenade?"


@pytest.fixture(scope="module")
def quoted(invented_corpus: CorpusMap) -> tuple[int, ...]:
    """Two sentences of the section on commuter trains, as a previous answer quoted them."""
    texts = invented_corpus.sentence_texts
    return tuple(i for i, t in enumerate(texts) if t.startswith(("Det eftersatta underhållet", "Ansvaret för")))


@pytest.fixture(scope="module")
def history(invented_corpus: CorpusMap, quoted: tuple[int, ...]) -> list[Turn]:
    texts = invented_corpus.sentence_texts
    answer = "Motionens skäl, i avsnittet «Pendeltåg som går i tid»:\n" + "\n".join(
        f"{texts[s]} [{n}]" for n, s in enumerate(quoted, start=1)
    )
    return [Turn("user", PREVIOUS_QUESTION), Turn("assistant", answer)]


def test_a_follow_up_keeps_the_thread_of_what_was_quoted(
    invented_planner: Planner, history: list[Turn], quoted: tuple[int, ...]
) -> None:
    follow_up = plan(invented_planner, "Varför?", history)
    assert len(quoted) == 2
    assert follow_up.uses_history and not follow_up.needs_clarifying
    assert follow_up.thread == quoted
    assert PREVIOUS_QUESTION in [p.text for p in follow_up.parts]


@pytest.mark.parametrize(
    ("question", "stays"),
    [
        ("Vad spelar det för roll?", True),  # names nothing of its own
        ("Hur stora är förseningarna då?", True),  # names what the quoted section is about
        ("Och ungdomskortet då?", False),  # names what the motion says elsewhere
    ],
)
def test_a_follow_up_naming_nothing_said_elsewhere_stays_where_the_last_answer_quoted(
    invented_planner: Planner, invented_corpus: CorpusMap, history: list[Turn], question: str, stays: bool
) -> None:
    follow_up = plan(invented_planner, question, history)
    assert follow_up.uses_history and follow_up.stays_in_thread is stays
    assert follow_up.thread_places == {invented_corpus.place_of(s) for s in follow_up.thread}


def test_the_thread_survives_a_client_that_reflows_the_answer(
    invented_planner: Planner, history: list[Turn], quoted: tuple[int, ...]
) -> None:
    """A client's history may wrap lines: the quotes are matched with whitespace collapsed."""
    reflowed = [history[0], Turn("assistant", history[1].content.replace(" ", "\n  "))]
    assert plan(invented_planner, "Varför?", reflowed).thread == quoted


def test_no_thread_without_an_answer_to_follow(invented_planner: Planner) -> None:
    follow_up = plan(invented_planner, "Varför?", [Turn("user", PREVIOUS_QUESTION)])
    assert follow_up.uses_history and follow_up.thread == ()


@pytest.mark.parametrize("question", ["Vad står det i yrkande 3?", "Och yrkande 2?", "Och fotnot 4?"])
def test_an_explicit_reference_outranks_the_history(
    invented_planner: Planner, history: list[Turn], question: str
) -> None:
    """Issue 19: "Vad står det i yrkande 3?" after a barnahus question repeated the barnahus answer."""
    referenced = plan(invented_planner, question, history)
    assert referenced.reference is not None and referenced.reference.found
    assert not referenced.uses_history and referenced.thread == ()
    assert all(p.text != PREVIOUS_QUESTION for p in referenced.parts)


@pytest.mark.parametrize(
    "question",
    [
        "Vad står det i motionen om pensionärer?",
        "Finns det avgiftsfria resor för pensionärer?",
        "Stämmer det att biljettpriserna har höjts?",
    ],
)
def test_the_expletive_det_is_no_pointer_to_the_history(
    invented_planner: Planner, history: list[Turn], question: str
) -> None:
    planned = plan(invented_planner, question, history)
    assert not planned.uses_history and planned.thread == () and len(planned.parts) <= 2


def test_a_real_pronoun_does_point_back(invented_planner: Planner, history: list[Turn]) -> None:
    assert plan(invented_planner, "Vad kostar det?", history).uses_history


def test_what_they_want_done_about_it_asks_for_the_proposals_on_the_conversations_topic(
    invented_planner: Planner, history: list[Turn]
) -> None:
    """Alone it asks for every yrkande; after an answer, "det" is that answer's topic."""
    alone = plan(invented_planner, "Vad vill de göra åt det?")
    assert alone.qtype == "overview" and alone.lists_all_proposals
    followed = plan(invented_planner, "Vad vill de göra åt det?", history)
    assert followed.uses_history and followed.qtype == "proposal" and not followed.lists_all_proposals


@pytest.mark.parametrize(
    "question", ["Finns det kvar i dag?", "Gäller det fortfarande?", "Stämmer det?", "Är det olagligt?", "Är det sant?"]
)
def test_det_with_only_adverbs_after_it_is_the_subject_and_points_back(
    invented_planner: Planner, history: list[Turn], question: str
) -> None:
    """A formal subject needs the real one after it; "Finns det kvar?" asks whether *it* is still there."""
    assert plan(invented_planner, question, history).uses_history


@pytest.mark.parametrize("question", ["Varför?", "Och när?", "Hur många då?"])
def test_a_follow_up_with_nothing_to_follow_asks_what_is_meant(invented_planner: Planner, question: str) -> None:
    assert plan(invented_planner, question).needs_clarifying
    assert not plan(invented_planner, question, [Turn("user", PREVIOUS_QUESTION)]).needs_clarifying


def test_a_proposal_question_without_a_topic_is_an_overview(invented_planner: Planner) -> None:
    overview = plan(invented_planner, "Vad vill de att regeringen ska göra?")
    assert overview.qtype == "overview" and overview.lists_all_proposals and not overview.needs_clarifying
    topical = plan(invented_planner, "Vad föreslår de om pendeltågen?")
    assert topical.qtype == "proposal" and not topical.lists_all_proposals


def test_a_proposal_question_about_the_motions_own_title_is_an_overview(
    invented_questions: QueryAnalyzer, invented_corpus: CorpusMap, invented_settings: ServiceSettings
) -> None:
    """The whole-motion check (the model's vectors in the service) decides; the planner only acts on it."""
    asked: list[str] = []

    def whole_motion(topic: str) -> bool:
        asked.append(topic)
        return True

    planner = Planner(invented_questions, invented_corpus, whole_motion, invented_settings)
    planned = planner.plan("Vad föreslår de om pendeltågen?", [])
    assert asked == [planned.analysis.focus] and "pendeltågen" in asked[0]
    assert planned.qtype == "overview" and planned.about_whole_motion and planned.lists_all_proposals
    assert planner.plan("Varför är pendeltågen försenade?", []).qtype == "reason", "asked only of proposals"
    assert len(asked) == 1


def test_an_elliptic_follow_up_asks_the_previous_question_of_a_new_subject(invented_planner: Planner) -> None:
    history = [Turn("user", "Hur många resenärer var nöjda med punktligheten?"), Turn("assistant", "84 procent.")]
    assert plan(invented_planner, "Och bussarna?").qtype == "open"
    assert plan(invented_planner, "Och bussarna?", history).qtype == "number"
    assert plan(invented_planner, "What about the regional trains?", history).qtype == "number"
    assert plan(invented_planner, "Och varför?", history).qtype == "reason", "its own question word wins"
    assert plan(invented_planner, "Gäller det även dem?", history).qtype == "yesno", "it points back: its own type"


def test_absent_words_and_their_share_of_the_topic(invented_planner: Planner) -> None:
    planned = plan(invented_planner, "Vill de höja skatten på bensin?")
    assert [w.word for w in planned.absent] == ["bensin", "skatten"], "the most specific first"
    assert planned.absent_share == pytest.approx(len(planned.absent) / len(planned.analysis.topic_terms))
    assert planned.absent_share >= SCORING.absent_share


def test_absence_is_checked_on_swedish_questions_only(invented_planner: Planner) -> None:
    """An English word is never in a Swedish text: "petrol" would always be absent."""
    planned = plan(invented_planner, "Do they want to raise the tax on petrol?")
    assert planned.language == "en" and planned.absent == () and planned.absent_share == 0.0


def test_a_follow_up_to_a_yrkande_by_number_follows_that_yrkande(
    invented_planner: Planner, invented_corpus: CorpusMap, history: list[Turn]
) -> None:
    """ "Varför?" after "yrkande 3" (after another topic) asks about yrkande 3: the thread is its sentences, found
    from its own words as quoted (not its whole formula), and the topic before the reference is left behind."""
    referenced = plan(invented_planner, "Vad står det i yrkande 3?", history)
    assert referenced.reference is not None
    (chunk,) = referenced.reference.chunks
    core = "regeringen bör införa ett nationellt ungdomskort som gäller i all regional kollektivtrafik"
    answer = f"Yrkande 3 av 6 föreslår att {core} [1] (motiveras i avsnittet «Ett ungdomskort för hela landet»)"
    conversation = [*history, Turn("user", "Vad står det i yrkande 3?"), Turn("assistant", answer)]
    follow_up = plan(invented_planner, "Varför?", conversation)
    assert follow_up.thread and set(follow_up.thread) <= set(invented_corpus.chunk_sentences[chunk])
    (*_, earlier) = follow_up.parts
    assert len(follow_up.parts) == 2 and core in earlier.text, "neither the earlier topic nor 'yrkande 3' itself"


@pytest.mark.parametrize("question", ["Nämner de bensin nånstans?", "Står det nånting om bensin överhuvudtaget?"])
def test_words_of_asking_whether_are_never_named_as_missing(invented_planner: Planner, question: str) -> None:
    """ "Motionen nämner inte nånstans" would name the asking, not the topic."""
    assert [w.word for w in plan(invented_planner, question).absent] == ["bensin"]
