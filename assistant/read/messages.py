"""Every sentence the assistant writes itself, in Swedish and English; quotes come from the motion.

English leads say *what* the quotes answer, built from the question type and the motion's
structure (section, yrkande numbers), never invented prose.
"""

from __future__ import annotations

from assistant.query.analysis import QuestionType
from assistant.query.language import Language

DECLINE = {"sv": "Motionen tar inte upp det.", "en": "The motion does not address that."}
HEDGE = {
    "sv": "Motionen verkar inte svara direkt på det; närmast är:",
    "en": "The motion does not seem to answer that directly; the closest it comes is (quoted in Swedish):",
}
CLARIFY = {
    "sv": "Vad syftar du på? Frågan bygger på något som sagts tidigare, men samtalet är nytt. "
    "Skriv gärna ut vad frågan gäller.",
    "en": "What do you mean? The question refers to something said earlier, but this conversation is new. "
    "Please say what it is about.",
}
SOURCE_LABEL = {"sv": "källa", "en": "source"}
ARGUED_IN = {"sv": "motiveras i avsnittet", "en": "argued in the section"}
YRKANDE = {"sv": "Yrkande", "en": "Proposal"}
OVERVIEW_LEAD = {
    "sv": "Motionen har {total} yrkanden till regeringen:",
    "en": "The motion makes {total} proposals (yrkanden) to the government, quoted in Swedish:",
}
PROPOSAL_LEAD = {"sv": "Motionen föreslår:", "en": "The motion proposes (quoted in Swedish):"}

_ENGLISH_LEADS: dict[QuestionType, str] = {
    "reason": "The motion's reasons, from the section «{section}» (quoted in Swedish):",
    "definition": "How the motion describes it, in the section «{section}» (quoted in Swedish):",
    "number": "The figures the motion gives, in the section «{section}» (quoted in Swedish):",
    "amount": "The amounts the motion gives, in the section «{section}» (quoted in Swedish):",
    "time": "When, according to the motion's section «{section}» (quoted in Swedish):",
    "person": "Who, according to the motion's section «{section}» (quoted in Swedish):",
    "place": "Where, according to the motion's section «{section}» (quoted in Swedish):",
    "source": "The source the motion gives, for its section «{section}» (quoted):",
}
_ENGLISH_DEFAULT = "What the motion says, in the section «{section}» (quoted in Swedish):"


def english_lead(qtype: QuestionType, section: str) -> str:
    return _ENGLISH_LEADS.get(qtype, _ENGLISH_DEFAULT).format(section=section)


def yrkande_line(language: Language, number: int, text: str, marker: int, section: str | None) -> str:
    argued = f" ({ARGUED_IN[language]} «{section}»)" if section else ""
    return f"{YRKANDE[language]} {number}: {text} [{marker}]{argued}"
