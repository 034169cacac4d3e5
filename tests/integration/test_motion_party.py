"""The bundled motion's party, as its data file names it, is the author a question asks about: "V" in
"Hur vill V …?" is the party (a proposal question, no topic), read from data/*.json at startup."""

from __future__ import annotations


def test_the_bundled_motions_letter_asks_for_a_proposal(assistant) -> None:
    (document,) = assistant.index.documents.values()
    assert document.meta.party_words() == ("Vänsterpartiet", "V")
    plan = assistant.plan("Hur vill V stötta tjejer som vill flytta ifrån sin misshandlande sambo?", [])
    assert plan.qtype == "proposal"
    assert "v" not in plan.analysis.topic_terms
