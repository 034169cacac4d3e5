"""Every sentence the assistant writes itself, in Swedish and English; quotes come from the motion.

Leads say *what* the quotes are, built from the question type and the motion's structure (section,
yrkande and footnote numbers, the words it does not use), never invented prose.
"""

from __future__ import annotations

from typing import Literal

from assistant.query.analysis import QuestionType
from assistant.query.language import Language

DECLINE = {"sv": "Motionen tar inte upp det.", "en": "The motion does not address that."}
CLOSEST = {
    "sv": "Det här är det närmaste motionen kommer:",
    "en": "This is the closest the motion comes (quoted in Swedish):",
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

_OR = {"sv": "eller", "en": "or"}
_NOT_MENTIONED = {"sv": "Motionen nämner inte {words}.", "en": "The motion does not mention {words}."}
# What a question asked for that no quoted sentence carries.
_MISSING: dict[Language, dict[str, str]] = {
    "sv": {
        "number": "Motionen anger ingen sådan siffra.",
        "counted": "Motionen anger inte hur många {names} det rör sig om.",
        "amount": "Motionen anger inget belopp.",
        "time": "Motionen anger ingen tidpunkt.",
        "person": "Motionen nämner ingen sådan person.",
        "place": "Motionen nämner ingen sådan plats.",
        "year": "Motionen säger inget om {years}.",
        "name": "Motionen nämner inte {names} i det sammanhanget.",
    },
    "en": {
        "number": "The motion gives no such figure.",
        "counted": "The motion does not say how many {names} there are.",
        "amount": "The motion gives no amount.",
        "time": "The motion gives no date or time.",
        "person": "The motion names no such person.",
        "place": "The motion names no such place.",
        "year": "The motion says nothing about {years}.",
        "name": "The motion does not mention {names} in that context.",
    },
}
_OUT_OF_RANGE = {
    "yrkande": {
        "sv": "Motionen har {total} yrkanden; något yrkande {number} finns inte.",
        "en": "The motion has {total} proposals (yrkanden); there is no proposal {number}.",
    },
    "footnote": {
        "sv": "Motionen har {total} fotnoter; någon fotnot {number} finns inte.",
        "en": "The motion has {total} footnotes; there is no footnote {number}.",
    },
}
_REFERENCE_LEAD = {
    "yrkande": {
        "sv": "Yrkande {number} av {total} föreslår att",
        "en": "Proposal (yrkande) {number} of {total} proposes (quoted in Swedish):",
    },
    "footnote": {"sv": "Fotnot {number}:", "en": "Footnote {number}:"},
}
_COUNT_LEAD = {
    "yrkande": {
        "sv": "Motionen har {total} yrkanden. Det sista, yrkande {number}, föreslår att",
        "en": "The motion makes {total} proposals (yrkanden). The last, number {number}, proposes (quoted in Swedish):",
    },
    "footnote": {
        "sv": "Motionen har {total} fotnoter. Den sista:",
        "en": "The motion has {total} footnotes. The last:",
    },
}
_LAST_LEAD = {
    "yrkande": {
        "sv": "Det sista yrkandet, nummer {number} av {total}, föreslår att",
        "en": "The last proposal, number {number} of {total}, proposes (quoted in Swedish):",
    },
    "footnote": {"sv": "Den sista fotnoten är nummer {number}:", "en": "The last footnote is number {number}:"},
}
_BACK_REFERENCE = {
    "sv": "Fotnot {number} lyder «{text}», alltså samma källa som fotnot {target}:",
    "en": "Footnote {number} reads «{text}», that is, the same source as footnote {target}:",
}
_FOOTNOTE_SOURCES = {"sv": "Fotnoten hör till:", "en": "It sources (quoted in Swedish):"}
_SECTION_LEAD = {
    "sv": "Avsnittet «{title}» börjar så här:",
    "en": "The section «{title}» begins (quoted in Swedish):",
}

_SECTION_PROPOSALS = {
    "sv": "Avsnittet «{title}» motiverar:",
    "en": "The section «{title}» argues for (quoted in Swedish):",
}
_SECTION_WITHOUT_PROPOSAL = {
    "sv": "Avsnittet «{title}» motiverar inget av motionens yrkanden.",
    "en": "The section «{title}» argues for none of the motion's proposals.",
}
# What follows that line: the section's opening when it was asked for by heading, else its closest sentences.
_SECTION_THEN = {
    "opening": {"sv": "Det börjar så här:", "en": "It begins (quoted in Swedish):"},
    "closest": {"sv": "Närmast frågan i avsnittet:", "en": "Closest to the question in it (quoted in Swedish):"},
}

_LEADS: dict[Language, dict[str, str]] = {
    "sv": {
        "reason": "Motionens skäl, i avsnittet «{section}»:",
        "definition": "Så beskriver motionen det, i avsnittet «{section}»:",
        "number": "Siffrorna i motionen, i avsnittet «{section}»:",
        "amount": "Beloppen i motionen, i avsnittet «{section}»:",
        "time": "När, enligt motionens avsnitt «{section}»:",
        "person": "Vem, enligt motionens avsnitt «{section}»:",
        "place": "Var, enligt motionens avsnitt «{section}»:",
        "source": "Källan som motionen anger, för avsnittet «{section}»:",
        "default": "Motionen, i avsnittet «{section}»:",
    },
    "en": {
        "reason": "The motion's reasons, from the section «{section}» (quoted in Swedish):",
        "definition": "How the motion describes it, in the section «{section}» (quoted in Swedish):",
        "number": "The figures the motion gives, in the section «{section}» (quoted in Swedish):",
        "amount": "The amounts the motion gives, in the section «{section}» (quoted in Swedish):",
        "time": "When, according to the motion's section «{section}» (quoted in Swedish):",
        "person": "Who, according to the motion's section «{section}» (quoted in Swedish):",
        "place": "Where, according to the motion's section «{section}» (quoted in Swedish):",
        "source": "The source the motion gives, for its section «{section}» (quoted):",
        "default": "What the motion says, in the section «{section}» (quoted in Swedish):",
    },
}


def lead(language: Language, qtype: QuestionType, section: str) -> str:
    leads = _LEADS[language]
    return leads.get(qtype, leads["default"]).format(section=section)


def not_mentioned(language: Language, words: list[str]) -> str:
    return _NOT_MENTIONED[language].format(words=join_words(language, words))


def missing(language: Language, what: str, years: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> str:
    return _MISSING[language][what].format(
        years=join_words(language, list(years)), names=join_words(language, list(names))
    )


def out_of_range(language: Language, kind: str, number: int | None, total: int) -> str:
    return _OUT_OF_RANGE[kind][language].format(number=number, total=total)


def reference_lead(language: Language, kind: str, number: int, total: int, count: bool, last: bool) -> str:
    table = _COUNT_LEAD if count else _LAST_LEAD if last else _REFERENCE_LEAD
    return table[kind][language].format(number=number, total=total)


def back_reference(language: Language, number: int, text: str, target: int) -> str:
    return _BACK_REFERENCE[language].format(number=number, text=text.strip(), target=target)


def footnote_sources(language: Language) -> str:
    return _FOOTNOTE_SOURCES[language]


def section_lead(language: Language, title: str) -> str:
    return _SECTION_LEAD[language].format(title=title)


def section_proposals(language: Language, title: str) -> str:
    return _SECTION_PROPOSALS[language].format(title=title)


def section_without_proposal(language: Language, title: str, then: Literal["opening", "closest", ""]) -> str:
    """ "Avsnittet «…» motiverar inget …", then what its quotes are (its opening, its closest sentences), if any."""
    said = _SECTION_WITHOUT_PROPOSAL[language].format(title=title)
    return f"{said} {_SECTION_THEN[then][language]}" if then else said


def join_words(language: Language, words: list[str]) -> str:
    """ "bensin", "bensin eller diesel", "bensin, diesel eller el"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {_OR[language]} {words[-1]}"


def yrkande_line(language: Language, number: int | None, text: str, marker: int, section: str | None) -> str:
    """One yrkande's words with its marker and the section that argues it; ``number`` None when the lead names it."""
    argued = f" ({ARGUED_IN[language]} «{section}»)" if section else ""
    named = f"{YRKANDE[language]} {number}: " if number is not None else ""
    return f"{named}{text} [{marker}]{argued}"
