"""Plans a question: its final type, its structure reference, whether the conversation is used, and the
texts it is retrieved with (``QueryPlan``). The one place these are decided."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.conversation import Turn
from assistant.query.absence import Vocabulary
from assistant.query.analysis import QueryAnalysis, QueryAnalyzer, QuestionType, among
from assistant.query.history import last_user_question, weighted_query
from assistant.query.plan import QueryPlan, ResolvedReference
from assistant.query.reference import (
    NUMBER_WORDS,
    StructureReference,
    find_reference,
    is_structure_word,
    structure_words,
)
from assistant.read.quoting import core_span
from assistant.retrieve.corpus_map import CorpusMap, Place
from assistant.settings import ServiceSettings
from index.scoring import SCORING
from index.structure import fold

_WHITESPACE = re.compile(r"\s+")
# Types a follow-up without its own question word inherits ("What about barnahus?" after "How many …?").
_ELLIPTIC: frozenset[QuestionType] = frozenset({"open", "yesno"})


class Planner:
    def __init__(
        self,
        analyzer: QueryAnalyzer,
        corpus: CorpusMap,
        about_whole_motion: Callable[[str], bool],
        settings: ServiceSettings,
    ) -> None:
        """``about_whole_motion``: is a topic the motion's own title rather than one of its sections
        (the retriever's check, on the model's vectors)?"""
        self.analyzer = analyzer
        self.corpus = corpus
        self.about_whole_motion = about_whole_motion
        self.settings = settings
        texts = (d.text for d in corpus.documents.values())
        self.vocabulary = Vocabulary(corpus.word_forms, corpus.lemmas, analyzer.analyzer, texts)
        self.asking_words = analyzer.asking_words
        sentences = list(enumerate(corpus.sentence_texts))
        # A yrkande is quoted by its own words, not its whole formula: those words lead back to its sentences.
        cores = [
            (sentence, corpus.chunks[c].text[slice(*core_span(corpus.chunks[c].text, 0))])
            for c in corpus.yrkande_chunks
            for sentence in corpus.chunk_sentences[c]
        ]
        self._quotable = [
            (position, _WHITESPACE.sub(" ", text).strip())
            for position, text in sentences + cores
            if len(text) >= SCORING.thread_min_chars
        ]

    def plan(self, question: str, history: list[Turn]) -> QueryPlan:
        analysis = self.analyzer.analyze(question)
        reference = self._resolve(find_reference(analysis.text), analysis)
        # An explicit reference outranks the conversation: "Vad står det i yrkande 3?" after anything.
        uses_history = reference is None and analysis.needs_history and bool(history)
        qtype = self._final_type(analysis, history if uses_history else [])
        whole = qtype == "proposal" and bool(analysis.focus) and self.about_whole_motion(analysis.focus)
        if whole:
            qtype = "overview"
        settings = self.settings
        parts = weighted_query(
            analysis,
            _since_last_reference(history) if uses_history else [],
            settings.history_turns,
            settings.history_decay,
            settings.scoring.focus_weight,
        )
        # "avsnittet", "fotnoten" ask about the motion itself; "femton" is a number it may write in digits.
        asking = self.asking_words | structure_words(analysis.text) | frozenset(NUMBER_WORDS)
        absent = self.vocabulary.absent_words(analysis.text, asking) if analysis.language == "sv" else ()
        thread = self._thread(history) if uses_history else ()
        places = frozenset(self.corpus.place_of(s) for s in thread)
        return QueryPlan(
            analysis=analysis,
            qtype=qtype,
            uses_history=uses_history,
            parts=tuple(parts),
            reference=reference,
            thread=thread,
            thread_places=places,
            stays_in_thread=bool(places) and not self._elsewhere(analysis.topic_terms, places),
            absent=absent,
            absent_share=len(absent) / max(1, len(analysis.topic_terms)),
            needs_clarifying=(
                reference is None
                and analysis.needs_history
                and not analysis.names_topic
                and not history
                and qtype != "overview"
            ),
            about_whole_motion=whole,
        )

    def _final_type(self, analysis: QueryAnalysis, history: list[Turn]) -> QuestionType:
        qtype = analysis.qtype
        # "Vad vill de göra?" alone asks for every proposal; after an answer it asks about that answer's topic.
        if qtype == "proposal" and not analysis.names_topic and not history:
            return "overview"
        previous = last_user_question(history)
        if previous and qtype in _ELLIPTIC and not analysis.points_back:
            # "What about barnahus?" asks the previous question again, of a new subject.
            return self._final_type(self.analyzer.analyze(previous), [])
        return qtype

    def _elsewhere(self, topic: frozenset[str], places: frozenset[Place]) -> bool:
        """Does the question name something the motion says, but not where the previous answer quoted? Words
        the motion never uses (English, "funkade") point nowhere else."""
        here = frozenset(fold(term) for term in self.corpus.terms_at(places))
        listed = sorted(here)
        return any(self.analyzer.known(term) and not among(term, here, listed) for term in topic)

    def _thread(self, history: list[Turn]) -> tuple[int, ...]:
        """The sentences the last answer quoted: its text carries them verbatim (any client's history does)."""
        answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        if not answer:
            return ()
        said = _WHITESPACE.sub(" ", answer)
        return tuple(dict.fromkeys(position for position, text in self._quotable if text in said))

    def _resolve(self, asked: StructureReference | None, analysis: QueryAnalysis) -> ResolvedReference | None:
        """Look a reference up in the motion (the first document when there are several)."""
        if asked is None or not self.corpus.documents:
            return None
        doc_id = next(iter(self.corpus.documents))
        if asked.kind == "section":
            topic = frozenset(t for t in analysis.topic_terms if not is_structure_word(t))
            section = self.corpus.section_named(topic, doc_id)
            if section is None:
                return None
            chunks = self.corpus.section_chunks(doc_id, section)
            return ResolvedReference(
                asked, doc_id, None, len(self.corpus.documents[doc_id].sections), chunks, None, section
            )
        numbered = self.corpus.numbered(asked.kind, doc_id)
        if not numbered:
            return None
        numbers = sorted(numbered)
        if asked.count:
            number: int | None = numbers[-1]
        elif asked.position is not None:
            number = numbers[asked.position] if -asked.position <= len(numbers) else None
        else:
            number = asked.number
        if number not in numbered:
            return ResolvedReference(asked, doc_id, number, len(numbers))
        chunk = numbered[number]
        return ResolvedReference(asked, doc_id, number, len(numbers), (chunk,), self.corpus.footnote_targets.get(chunk))


def _since_last_reference(history: list[Turn]) -> list[Turn]:
    """After a question that named a yrkande, footnote or section by its number or heading, only the answer
    to it: the reference changed the topic, and its words ("Vad står det i yrkande 3?") name none, so
    "Varför då?" after "yrkande 3" asks about what yrkande 3 says, not about what came before."""
    for index in range(len(history) - 1, -1, -1):
        if history[index].role == "user":
            if find_reference(history[index].content) is None:
                return history
            # The answer stands in for the question: its quotes name the topic the question did not.
            return [Turn("user", turn.content) for turn in history[index + 1 :] if turn.role == "assistant"]
    return history
