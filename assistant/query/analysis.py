"""Query analysis, done once per question: language, question type, dependence on history, terms.

Retrieval, the reader and the messages all read one ``QueryAnalysis``; nothing else
re-parses the question. The rules are about how people *ask* (Swedish and English
question words, pronouns, ellipsis), never about the motion's topic: which words are
generic to this corpus is measured from the corpus itself (``frame_terms``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extractOne
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from assistant.query.colloquial import written
from assistant.query.language import Language, detect_language, everyday
from assistant.query.reference import ORDINALS
from assistant.query.words import read_words
from index.parse.document import Metadata
from index.scoring import SCORING
from index.structure import fold
from index.text.analyzer import SwedishAnalyzer
from index.text.traits import YEAR

QuestionType = Literal[
    "number", "amount", "time", "person", "place", "definition", "reason", "overview", "proposal", "source",
    "yesno", "open",
]  # fmt: skip
# Types whose answer must carry a typed value (a figure, a sum, a time, a name, a place).
SHAPED_TYPES: frozenset[QuestionType] = frozenset({"number", "amount", "time", "person", "place"})

_FLAGS = re.IGNORECASE
_DOCUMENT_KINDS = (
    r"rapport|studie|undersökning|granskning|utredning|utvärdering|forskning|artikel|tidning|enkät|kartläggning|"
    r"betänkande|uppföljning|skuggrapport|report|study|survey|review|paper|article|newspaper|investigation"
)
_SOURCE = re.compile(
    rf"\b(källa|källan|källor|källhänvis\w*|varifrån|var\b.*\bifrån|enligt vem|vem (?:har|står) (?:bakom|kommit fram)|"
    rf"hänvisa\w*|refer\w*|sources?|cite\w*|according to whom|where does .* come from|"
    rf"(?:vilken|vilket|vilka|vad heter|which|what is the name of|name of)\s+(?:\w+\s+)?\w*(?:{_DOCUMENT_KINDS})\w*)\b",
    _FLAGS,
)
_REASON = re.compile(
    r"\b(varför|varfor|av vilken anledning|av vilka skäl|vad (?:är|var) (?:skälet|skälen|anledningen|motiveringen|"
    r"problemet|argumentet|poängen)|vilka (?:skäl|argument|problem)|vad beror|hur motiverar|motiver\w*|"
    r"(?:skäl|anledning|argument)\w* (?:till|för)|why|how come|what(?:'s| is| are)? the (?:reasons?|problems?|"
    r"arguments?|rationale|point)|reasons? (?:for|behind)|rationale|justif\w*|argue\w*|"
    r"vad (?:blir|är|skulle bli) (?:följden|följderna|konsekvensen|konsekvenserna|effekten)|leda till|leder till|"
    r"vad händer om|what (?:happens|would happen)|consequences?|lead to)\b",
    _FLAGS,
)
_AMOUNT = re.compile(
    r"\b(kosta\w*|kostnad\w*|pengar|kronor|budget\w*|anslag\w*|how much (?:money|does .* cost)|"
    r"costs?|money|budget|spend\w*)\b",
    _FLAGS,
)
_NUMBER = re.compile(
    r"\b(hur (?:många|manga|mycket|stor|stora|ofta|vanligt|hög|höga)|vilken andel|antal\w*|"
    r"procent\w*|how (?:many|much|often|large|big|common|high)|what (?:share|proportion|percentage|number|"
    r"fraction)|percent\w*)\b",
    _FLAGS,
)
# "Hur många kvinnor …": the count asked for is of these, and a figure of something else does not answer.
# A past-tense or passive verb there counts whoever did it ("Hur många fälldes …?"), not a noun. A word
# followed by its subject is the verb too ("Hur många rör det sig om?"): Swedish puts the verb second.
_COUNTED = re.compile(r"\bhur m[åa]nga\s+([^\W\d_]{3,})\b(?!\s+(?:det|de|dom|den|han|hon|vi|ni|man|jag|du)\b)", _FLAGS)
_FUTURE = re.compile(r"\b(?:ska|skall|kommer\s+(?:\w+\s+)?att|will|shall|should|(?:is|are)\s+going\s+to)\b", _FLAGS)
_VERB_ENDING = re.compile(r"(?:de|te|des|tes|as)$", _FLAGS)
_TIME = re.compile(
    # "när"/"when" only where it asks (first, or after "och"/"and"): mid-sentence it is a conjunction
    # ("… när hon bryter upp", "när det gäller"), and so it is first when a main clause asks after a comma
    # ("When she is hit, should she move?", "När hon lämnar honom, får hon bo kvar?").
    r"(?:^|[,;]\s*|\b(?:och|and)\s+)(?:när|nar|when)\b(?![^,?]*,\s*(?:should|does|do|did|is|are|can|could|will|"
    r"would|must|has|have|what|who|how|why|får|ska|kan|kommer|är|måste|har|blir|vad|vem|hur|varför)\b)|"
    r"\b(vilket år|vilken månad|vilket datum|sedan när|hur (?:länge|lang|lång)|what year|which year|since when|"
    r"how long)\b",
    _FLAGS,
)
_PERSON = re.compile(
    # English "who" only where it asks (first, after "and"/"but", or a preposition): after a noun it is a
    # relative pronoun ("the man who …", "women who sell sex"). Swedish uses "som" for that.
    r"(?:^|[,;:]\s*|\b(?:and|but|so|by|to|for|with|from|of)\s+)(?:who|whom)\b|"
    r"\b(vem|vilka personer|vilken (?:person|minister|forskare)|which (?:person|minister|researcher))\b",
    _FLAGS,
)
_PLACE = re.compile(
    # English "where", like "who", only where it asks: after a noun it is relative ("the case where …").
    r"(?:^|[.?!]\s*)(?:var|vart)\b|(?:^|[,;:.?!]\s*|\b(?:and|but|so|from|to)\s+)where\b|"
    r"\b(i vilken (?:stad|kommun|region|land|län)|vilka (?:kommuner|länder|städer|regioner)|"
    r"which (?:city|country|municipality|region))\b",
    _FLAGS,
)
_OVERVIEW = re.compile(
    r"\b(sammanfatt\w*|huvud(?:punkt|förslag|drag|krav)\w*|övergripande|i stora drag|vad handlar (?:motionen|den) om|"
    r"summar\w*|main (?:proposals?|points?|demands?|ideas?)|overview|in short|what is the motion about)\b",
    _FLAGS,
)
# Who "vill": the genre's words for the author; the party's own names come from the documents' metadata.
_AUTHOR_WORDS = ("partiet", "motionen", "de", "ni", "dom", "man")


def _proposal_rule(party_words: Iterable[str]) -> re.Pattern[str]:
    """The proposal rule, with "vill <the party>" for each of ``party_words`` ("V", "Vänsterpartiet")."""
    authors = [r"\s+".join(map(re.escape, word.split())) for word in party_words] + list(_AUTHOR_WORDS)
    return re.compile(
        rf"\b(vill (?:{'|'.join(authors)})|föreslå\w*|förslag\w*|yrka\w*|kräv\w*|"
        r"ska regeringen|bör regeringen|vad (?:vill|begär)|want\w*|propos\w*|demand\w*|call(?:s|ing)? for|"
        r"should the government|ask\w* the government|recommend\w*)\b",
        _FLAGS,
    )


_DEFINITION = re.compile(
    r"\b(vad (?:är|betyder|innebär|menas med|avses med|står .* för)|vad menar (?:de|motionen|ni|dom) med|"
    r"förklara|definier\w*|what (?:is|are)|what does .* mean|what do .* mean|define\w*|definition|meaning of|"
    r"explain)\b",
    _FLAGS,
)
_YESNO = re.compile(
    r"^\s*(är|ar|finns|har|kan|ska|skall|bör|stämmer|tycker|anser|innebär|får|gäller|blir|is|are|does|do|did|can|"
    r"has|have|should|will|would)\b",
    _FLAGS,
)
TypeRules = tuple[tuple[QuestionType, re.Pattern[str]], ...]


def type_rules(party_words: Iterable[str] = ()) -> TypeRules:
    """The question-type rules, checked in this order (the first match decides), for a party named ``party_words``."""
    return (
        ("source", _SOURCE),
        ("reason", _REASON),
        ("amount", _AMOUNT),
        ("number", _NUMBER),
        ("time", _TIME),
        ("person", _PERSON),
        ("place", _PLACE),
        ("overview", _OVERVIEW),
        ("proposal", _proposal_rule(party_words)),
        ("definition", _DEFINITION),
        ("yesno", _YESNO),
    )


_GENERIC_RULES = type_rules()

# How people point back at the conversation. "det" is left out where it is only a grammatical
# subject ("finns det …", "det att …"): a formal subject needs the real one after it ("Finns det en
# lag?"). Followed by nothing but adverbs, or by a neuter predicative adjective, it is the subject
# itself and points back ("Finns det kvar i dag?", "Gäller det fortfarande?", "Är det olagligt?").
_ANAPHORA = read_words("anaphora.txt")
_WEAK_ANAPHORA = read_words("weak_anaphora.txt")
_ADVERBS_TO_THE_END = r"(?:\s+(?:" + "|".join(sorted(read_words("clause_adverbs.txt"))) + r"))*[\s?.!]*$"
_EXPLETIVE_DET = re.compile(
    r"\b(?:finns|fanns|är|var|blir|händer|gäller|stämmer|står|stod|sägs|skrivs|föreslås|krävs) det\b"
    rf"(?!(?:\s+\w+t)?{_ADVERBS_TO_THE_END})|"
    r"\bdet (?:att|som)\b|"
    # an article before a superlative or an ordinal: "det senaste året", "den första rapporten"
    rf"\bde[nt] (?=\w+(?:aste|sta)\b|(?:{'|'.join(sorted(ORDINALS))})\b)",
    _FLAGS,
)
# "det" after a preposition is always a pronoun, never a formal subject: "Vad säger de om det?".
_DET_AS_OBJECT = re.compile(r"\b(?:om|med|för|av|till|på|från|mot|kring|åt)\s+det\b(?!\s+(?:att|som)\b)", _FLAGS)
# The reader says the topic changes: "Ok, annat ämne.", "helt annan fråga –", "Different thing –".
_NEW_TOPIC = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:(?:ett\s+|en\s+)?(?:helt\s+)?(?:annat\s+ämne|annan\s+fråga|ny\s+fråga|nytt\s+ämne)|"
    r"byt(?:a|er)?\s+ämne|(?:a\s+)?(?:completely\s+)?(?:different|another|new)\s+(?:thing|question|topic|subject)|"
    r"something\s+else|changing\s+(?:the\s+)?subject)\b",
    _FLAGS,
)
_CONTINUATION = re.compile(
    r"^\s*(och|men|så|samt|också|även|and|but|so|also|what about|how about|hur är det med|vad sägs om|vad gäller|"
    r"när det gäller|gäller det)\b",
    _FLAGS,
)
# Words of asking, not of any topic: they never make a question self-contained. English function
# words come from scikit-learn's list (the index's own English list has no wh-words).
QUESTION_FRAME_WORDS = read_words("question_frame.txt") | ENGLISH_STOP_WORDS
_WORD = re.compile(r"[0-9a-zåäöéüæø]+(?:['’:/-][0-9a-zåäöéüæø]+)*", _FLAGS)
# Terms whose in-corpus check is remembered (a few hundred kB at most).
KNOWN_TERMS_CACHED = 8192
# Questions this short, of everyday words only, are elliptic follow-ups ("Why so long?").
ELLIPTIC_WORDS = 3


@dataclass(frozen=True)
class QueryAnalysis:
    """Everything later stages need to know about one question, computed once."""

    text: str
    language: Language
    qtype: QuestionType
    needs_history: bool
    content_terms: frozenset[str]
    topic_terms: frozenset[str]
    years: tuple[str, ...]
    focus: str
    unknown_share: float = 0.0
    points_back: bool = False
    names: tuple[str, ...] = ()
    # "Hur många barn …": the word counted, as written, and its stems (Swedish only: the text is Swedish).
    counted: str = ""
    counted_terms: frozenset[str] = frozenset()
    # Asks about what is to come ("När ska kommissionen vara klar?"): a year already past does not answer it.
    future: bool = False

    @property
    def names_topic(self) -> bool:
        return bool(self.topic_terms)


class QueryAnalyzer:
    """Analyzes questions against one corpus: its analyzer and its frame terms (stems in many passages)."""

    def __init__(
        self,
        analyzer: SwedishAnalyzer,
        frame_terms: Iterable[str],
        core_frame_terms: Iterable[str],
        common_terms: Iterable[str] = (),
        metadata: Iterable[Metadata] = (),
    ) -> None:
        """``frame_terms``: stems left out of the focus; ``core_frame_terms``: stems that name no topic;
        ``common_terms``: stems too frequent in the corpus to restrict an answer (e.g. the country);
        ``metadata``: the documents', whose names for their party ask ("Vad vill V?") rather than name a topic."""
        self.analyzer = analyzer
        self.frame_terms = frozenset(frame_terms)
        self.core_frame_terms = frozenset(core_frame_terms)
        self.common_terms = frozenset(common_terms) | self.core_frame_terms
        metas = tuple(metadata)
        self.rules = type_rules(name for meta in metas for name in meta.party_words())
        # Stems that never name a topic. The party's name is the corpus' core frame already (the build counts
        # it with the title); its letter, which the text seldom writes, only the metadata knows.
        letters = [meta.party_abbreviation for meta in metas]
        self.question_frame = frozenset(analyzer.terms(" ".join([*QUESTION_FRAME_WORDS, *letters])))
        # As written: words the planner does not look for in the motion's text.
        party = (word for meta in metas for name in meta.party_words() for word in name.split())
        self.asking_words = frozenset(word.lower() for word in [*QUESTION_FRAME_WORDS, *party])
        self.folded_vocabulary = frozenset(fold(term) for term in analyzer.vocabulary)
        self.folded_list = sorted(self.folded_vocabulary)
        self.focus_generic = self.frame_terms | self.question_frame
        self.topic_generic = self.core_frame_terms | self.question_frame
        # A term's answer depends on the fixed vocabulary alone; the typo search costs ~0.1 ms a word.
        self.known = lru_cache(maxsize=KNOWN_TERMS_CACHED)(self._in_vocabulary)

    def analyze(self, question: str) -> QueryAnalysis:
        """The question on its own words; what the conversation changes is the planner's (``assistant.planner``)."""
        text = written(" ".join(question.split()))
        # "Byter ämne – hur …?": the words saying the topic changes are no part of the question asked.
        announced = _NEW_TOPIC.search(text)
        if announced:
            text = text[announced.end() :].lstrip(" –—-:;,.!") or text
        qtype = question_type(text, self.rules)
        content = frozenset(self.analyzer.terms(text)) - self.question_frame
        topic = content - self.core_frame_terms
        continuation = bool(_CONTINUATION.search(text))
        pointing = _pointing_words(text)
        anaphoric = bool(pointing)
        words = _WORD.findall(text)
        stems = {word: frozenset(self.analyzer.terms(word)) for word in words}  # each word analyzed once
        language = detect_language(text)
        # "Why so long?", "Funkar det?": a few everyday words are no topic of their own, they ask about the last.
        topical = [word for word in words if stems[word] & topic]
        elliptic = len(words) <= ELLIPTIC_WORDS and all(everyday(word, language) for word in topical)
        # A pronoun for a person or thing points back whatever else is named; "de" (mostly the authors) and
        # "det" (often a formal subject) only in a question naming little of its own, or "det" after a
        # preposition. Saying the topic changes overrides all of them.
        needs_history = not announced and (
            continuation
            or not topic
            or elliptic
            or bool(pointing & _ANAPHORA)
            or bool(_DET_AS_OBJECT.search(text))
            or (anaphoric and len(topic) <= 2)
        )
        counted = _COUNTED.search(text) if language == "sv" else None
        counted_word = counted.group(1) if counted else ""
        if counted_word.lower() in self.asking_words or _VERB_ENDING.search(counted_word):
            counted_word = ""
        return QueryAnalysis(
            text=text,
            language=language,
            qtype=qtype,
            needs_history=needs_history,
            content_terms=content,
            topic_terms=topic,
            years=tuple(YEAR.findall(text)),
            focus=self._focus(words, stems),
            unknown_share=self._unknown_share(text, words, stems),
            points_back=anaphoric,
            names=self._names(words, language == "en"),
            counted=counted_word,
            counted_terms=_heads(self.analyzer.terms(counted_word)),
            future=bool(_FUTURE.search(text)),
        )

    def _unknown_share(self, text: str, words: list[str], stems: dict[str, frozenset[str]]) -> float:
        """Share of the question's own topic words that the corpus never uses (in any compound part):
        a question about something the motion never mentions is probably not answered by it. Names
        ("… i Göteborg?") are left out: they restrict a question (see ``_names``), not change its topic.
        Topic words are those neither asking words nor the corpus' core frame."""
        first = text.split(maxsplit=1)[0] if text.strip() else ""
        topical = [
            w
            for w in words
            if len(w) > 1 and not stems[w] <= self.topic_generic and (w == first or not w[:1].isupper())
        ]
        unknown = [w for w in topical if not any(self.known(t) for t in stems[w])]
        return len(unknown) / len(topical) if topical else 0.0

    def _names(self, words: list[str], english: bool) -> tuple[str, ...]:
        """Capitalised words after the first (places, organisations, people) that the corpus seldom
        uses: a question restricted to one ("… i Malmö?") is answered only by a sentence naming it."""
        names = []
        for word in words[1:]:
            if not word[:1].isupper():
                continue
            head = word.split("-")[0]  # "IPVI-modellen" restricts to IPVI
            stems = self.analyzer.terms(head)  # the word's own stem first, then its compound parts
            if not stems or set(stems) & self.common_terms:
                continue
            # An English name may be a translation ("Sweden"); only the motion's own spelling restricts.
            if english and not any(fold(t) in self.folded_vocabulary for t in stems):
                continue
            names.append(fold(stems[0]))  # the stem: "Kriminalvårdens" ~ "Kriminalvården"
        return tuple(names)

    def _in_vocabulary(self, term: str) -> bool:
        """In the corpus, allowing for å/ä/ö typed as a/a/o and for one slip in a longer word."""
        return among(term, self.folded_vocabulary, self.folded_list)

    def _focus(self, words: list[str], stems: dict[str, frozenset[str]]) -> str:
        """The question without corpus-generic and asking words: a second view that weighs the topic."""
        kept = [
            word
            for word in words
            # A possessive ("men's") is a content word whose parts look like stop words.
            if "'" in word or "’" in word or not stems[word] <= self.focus_generic
        ]
        return " ".join(kept)


def among(term: str, folded: frozenset[str], folded_list: list[str]) -> bool:
    """``term`` is one of the (folded) terms, allowing for å/ä/ö typed as a/a/o and for one slip or ending
    in a longer word ("ungdomskortet" for Snowball's "ungdomskort")."""
    term = fold(term)
    if term in folded:
        return True
    if len(term) < SCORING.typo_min_length:
        return False
    return extractOne(term, folded_list, scorer=ratio, score_cutoff=SCORING.typo_similarity) is not None


def question_type(text: str, rules: TypeRules = _GENERIC_RULES) -> QuestionType:
    """The first rule that matches; ``rules`` name the documents' party (``type_rules``), the default none."""
    for qtype, pattern in rules:
        if pattern.search(text):
            return qtype
    return "open"


def _pointing_words(text: str) -> frozenset[str]:
    """The words of ``text`` that may point back at the conversation (an expletive "det" is none)."""
    words = {w.lower() for w in _WORD.findall(_EXPLETIVE_DET.sub(" ", text))}
    return frozenset(words & (_ANAPHORA | _WEAK_ANAPHORA))


def _heads(terms: list[str]) -> frozenset[str]:
    """A word's stem and its compound's last part: a Swedish compound names a kind of its last part
    ("kvinnojourer" are jourer, not kvinnor), so a figure of the first part counts something else."""
    whole = max(terms, key=len, default="")
    return frozenset(term for term in terms if whole.endswith(term))
