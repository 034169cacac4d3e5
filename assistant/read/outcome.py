"""The one place that decides an answer's outcome: answered, hedged or declined, and why.

A plain answer is given only when it is one: the question is about something the motion uses, the
best sentence is likely enough, and it carries what was asked for (a figure, a year, a name). A
question pointing at the motion's numbering is answered from the structure itself. Everything else
is hedged (the closest passages, said to be only that) or declined, and the reason names what is
missing, so the reader can tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assistant.answer import Outcome
from assistant.query.plan import QueryPlan
from assistant.read.ranker import Thresholds
from index.scoring import SCORING

Reason = Literal[
    "answer",  # the quotes answer it
    "reference",  # the motion's numbering: answered from the structure
    "all_proposals",  # what the motion proposes, with no topic: every yrkande
    "thread_proposals",  # a proposal follow-up with no topic: the yrkanden argued where the last answer quoted
    "out_of_range",  # a yrkande or footnote number the motion does not have
    "clarify",  # a follow-up with no conversation to follow
    "off_topic",  # far from everything the motion says
    "absent",  # its key words are words the motion never uses
    "missing_detail",  # the topic is there, the figure, time or name asked for is not
    "unsure",  # the best quote is not likely enough to be the answer
]


# The detail a shaped question asks for that the best sentences lack: its year, the name it restricts
# to, what it counts ("hur många barn"), or a value of its type.
Detail = Literal["year", "name", "counted", "number", "amount", "time", "person", "place"]


@dataclass(frozen=True)
class Evidence:
    """What the reader found, as the decision needs it."""

    best: float  # the ranker's probability for the best sentence
    closeness: float  # the question's cosine to the corpus as a whole
    lacking: Detail | None = None  # None: some of the best sentences carry what was asked (or nothing was)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: Reason
    lacking: Detail | None = None  # for "missing_detail": which detail, so the answer can name it


def decide(plan: QueryPlan, evidence: Evidence | None, limits: Thresholds) -> Decision:
    """``evidence`` is None when retrieval found nothing to quote."""
    if plan.needs_clarifying:
        return Decision("declined", "clarify")
    if plan.reference is not None:
        return Decision("answered", "reference") if plan.reference.found else Decision("declined", "out_of_range")
    if plan.lists_all_proposals:
        return Decision("answered", "all_proposals")
    far = evidence is not None and (
        evidence.best < limits.decline or evidence.closeness < limits.off_topic_for(plan.language)
    )
    if evidence is None or (far and not plan.thread):
        return Decision("declined", "absent" if plan.absent else "off_topic")
    # "Vilket yrkande hör det ihop med?" names no topic of its own: the structure of the one just quoted answers
    # it, with the yrkanden argued there or the fact that none is.
    if plan.qtype == "proposal" and plan.thread and not plan.analysis.names_topic:
        return Decision("answered", "thread_proposals")
    # A follow-up's topic is in the history: the words it lacks may be there, not missing. Unused words are
    # hedged, never declined on their own: a synonym the motion does not use would be a false abstention.
    if plan.absent and plan.absent_share >= SCORING.absent_share and not plan.uses_history:
        return Decision("hedged", "absent")
    if evidence.lacking is not None:
        return Decision("hedged", "missing_detail", evidence.lacking)
    # A follow-up far from everything still continues what was just quoted: its closest passages, hedged.
    if far or evidence.best < limits.hedge:
        return Decision("hedged", "unsure")
    return Decision("answered", "answer")
