"""The query plan: everything decided about one question before anything is retrieved.

It is the one owner of the question's final type, of whether the conversation is used, and of
the texts the question is retrieved with; retrieval and the reader only read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.query.absence import AbsentWord
from assistant.query.analysis import SHAPED_TYPES, QueryAnalysis, QuestionType
from assistant.query.history import WeightedText
from assistant.query.language import Language
from assistant.query.reference import StructureReference


@dataclass(frozen=True)
class ResolvedReference:
    """A structure reference looked up in the motion.

    ``chunks`` are what it points at (one yrkande or footnote, or a section's opening passages), in
    order; ``number`` the yrkande or footnote number found (or asked for, when ``chunks`` is empty: out
    of range); ``total`` how many of that kind the motion has; ``target`` the footnote a back-reference
    resolves to; ``section`` the index of a section named by its heading.
    """

    asked: StructureReference
    doc_id: str
    number: int | None
    total: int
    chunks: tuple[int, ...] = ()
    target: int | None = None
    section: int | None = None

    @property
    def found(self) -> bool:
        return bool(self.chunks)


@dataclass(frozen=True)
class QueryPlan:
    analysis: QueryAnalysis
    qtype: QuestionType
    uses_history: bool
    parts: tuple[WeightedText, ...]
    reference: ResolvedReference | None = None
    # Sentence positions the previous answer quoted: a follow-up is answered next to them first.
    thread: tuple[int, ...] = ()
    # The sections those sentences are in, and whether the follow-up stays there: it names nothing the motion
    # says only elsewhere ("Vad spelar det för roll?", not "Och barnahusen då?").
    thread_places: frozenset[tuple[str, int | None]] = frozenset()
    stays_in_thread: bool = False
    absent: tuple[AbsentWord, ...] = ()
    # The absent words' share of the question's topic words: one unused synonym in a long question is not its topic.
    absent_share: float = 0.0
    # A follow-up with no conversation to follow: the assistant asks what is meant.
    needs_clarifying: bool = False
    # "What does the motion propose about <its own title>?" asks for all of it.
    about_whole_motion: bool = False

    @property
    def text(self) -> str:
        return self.analysis.text

    @property
    def language(self) -> Language:
        return self.analysis.language

    @property
    def shaped(self) -> bool:
        """Asks for a typed value (a figure, sum, time, person, place) or a year, or restricts to a name: the
        answer must carry it."""
        return self.qtype in SHAPED_TYPES or bool(self.analysis.years or self.analysis.names)

    @property
    def lists_all_proposals(self) -> bool:
        """ "What does the motion propose?" with no topic: every yrkande, numbered."""
        if self.qtype != "overview" or self.reference is not None:
            return False
        return self.about_whole_motion or not self.analysis.names_topic
