"""Answers to references to the motion's own structure, straight from its spans: yrkande N, the last
footnote, how many yrkanden, the section under a heading. No ranking is involved: the number decides."""

from __future__ import annotations

from assistant.answer import Answer, passage_citation
from assistant.query.plan import QueryPlan, ResolvedReference
from assistant.query.reference import LAST
from assistant.read import messages
from assistant.read.quoting import merge_overlaps, sentence_citation, yrkande_answer
from assistant.retrieve.corpus_map import CorpusMap
from index.scoring import SCORING


def structural_answer(plan: QueryPlan, reference: ResolvedReference, corpus: CorpusMap) -> Answer:
    language = plan.language
    kind = reference.asked.kind
    if not reference.found:
        text = messages.out_of_range(language, kind, reference.number, reference.total)
        return Answer(text, "declined", language)
    if kind == "section":
        return _section(plan, reference, corpus)
    lead = messages.reference_lead(
        language, kind, reference.number or 0, reference.total, reference.asked.count, reference.asked.position == LAST
    )
    if kind == "yrkande":
        return yrkande_answer(language, corpus, list(reference.chunks), lead, continues_lead=True)
    return _footnote(plan, reference, corpus, lead)


def _footnote(plan: QueryPlan, reference: ResolvedReference, corpus: CorpusMap, lead: str) -> Answer:
    """The footnote's text (or, for "A.a.", the footnote it points back to), then the sentence it sources."""
    language = plan.language
    asked = reference.chunks[0]
    shown = asked
    if reference.target is not None:
        shown = reference.target
        target = corpus.chunks[shown].footnote or 0
        lead = messages.back_reference(language, reference.number or 0, corpus.chunks[asked].text, target)
    citations = [passage_citation(1, corpus.chunks[shown])]
    lines = [lead, f"{citations[0].text} [1]"]
    sourced = corpus.footnote_citing.get(asked, [])
    if sourced:
        sentence = sourced[-1]  # the one that carries the marker
        citations.append(sentence_citation(2, sentence, corpus.sentence_chunks[sentence][0], corpus))
        lines += [messages.footnote_sources(language), f"{citations[1].text} [2]"]
    return Answer("\n".join(lines), "answered", language, citations=citations)


def _section(plan: QueryPlan, reference: ResolvedReference, corpus: CorpusMap) -> Answer:
    """The yrkanden the section argues, when a proposal is asked for; else (or if it argues none) its opening."""
    language = plan.language
    title = corpus.documents[reference.doc_id].section_title(reference.section)
    if plan.qtype in ("proposal", "overview"):
        argued = corpus.yrkanden_argued_in([(reference.doc_id, reference.section)])
        if argued:
            return yrkande_answer(language, corpus, argued, messages.section_proposals(language, title))
        lead = messages.section_without_proposal(language, title, "opening")
    else:
        lead = messages.section_lead(language, title)
    sentences = [s for c in reference.chunks for s in corpus.chunk_sentences[c]]
    opening = list(dict.fromkeys(sentences))[: SCORING.section_opening]
    cited = [sentence_citation(0, s, corpus.sentence_chunks[s][0], corpus) for s in opening]
    citations = merge_overlaps(cited, corpus)
    body = " ".join(f"{c.text} [{c.n}]" for c in citations)
    return Answer(f"{lead}\n{body}", "answered" if citations else "declined", language, citations=citations)
