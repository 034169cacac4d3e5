"""A query's texts (question, focus, history turns) are encoded side by side, one forward pass each:
every vector is exactly the one the text gets when encoded alone, whatever runs beside it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.encode.language_means import to_language

QUESTIONS = [
    "Vad föreslår motionen om skyddat boende?",
    "Hur många kvinnor dödas varje år av en närstående man?",
    "What does the motion say about barnahus?",
    "Varför vill Vänsterpartiet ha en nationell handlingsplan?",
    "Vilken rapport från Brå nämns?",
    "Och eftervåld?",
]


@pytest.fixture(scope="module")
def alone(assistant) -> dict[str, np.ndarray]:
    """Each text encoded by itself, one call at a time."""
    texts = {t for q in QUESTIONS for t in (q, _focus(q))}
    return {t: assistant.embedder.encode_queries([t])[0] for t in texts}


def _focus(question: str) -> str:
    return " ".join(question.split()[2:]) or question


@pytest.mark.timeout(300)
def test_concurrent_queries_get_the_vectors_they_get_alone(assistant, alone) -> None:
    embedder = assistant.embedder

    def query(i: int) -> tuple[list[str], np.ndarray]:
        question = QUESTIONS[i % len(QUESTIONS)]
        history = QUESTIONS[(i + 1) % len(QUESTIONS)]
        texts = [question, _focus(question), history]
        return texts, embedder.encode_queries(texts)

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(query, range(48)))
    for texts, vectors in results:
        assert vectors.shape == (3, embedder.dimension) and vectors.dtype == np.float32
        for text, vector in zip(texts, vectors, strict=True):
            assert np.array_equal(vector, alone[text]), text


def test_a_querys_other_texts_run_beside_the_first(assistant) -> None:
    embedder = assistant.embedder
    threads: dict[str, str] = {}
    encode = embedder.engine.encode

    def recording(texts, *args, **kwargs):
        threads[texts[0]] = threading.current_thread().name
        return encode(texts, *args, **kwargs)

    embedder.engine.encode = recording  # type: ignore[method-assign]
    try:
        texts = ["Vad är IPVI?", "IPVI", "Vad föreslår motionen?"]
        embedder.encode_queries(texts)
    finally:
        embedder.engine.encode = encode  # type: ignore[method-assign]
    assert threads[texts[0]] == threading.current_thread().name
    assert all(threads[t].startswith("motionqa-encode") for t in texts[1:])


def test_a_new_questions_passes_overlap_and_keep_their_vectors(assistant, alone) -> None:
    """The question's pass runs in the request's thread, its focus's on a planner thread, each alone."""
    question = "Varför vill Vänsterpartiet ha en nationell handlingsplan?"
    encoder = assistant.encoder
    encoder.cache = type(encoder.cache)(encoder.cache.capacity)  # nothing cached from other tests
    threads: dict[str, str] = {}
    encode = encoder.embedder.engine.encode

    def recording(texts, *args, **kwargs):
        threads[texts[0]] = threading.current_thread().name
        return encode(texts, *args, **kwargs)

    encoder.embedder.engine.encode = recording  # type: ignore[method-assign]
    try:
        plan = assistant.plan(question, [])
    finally:
        encoder.embedder.engine.encode = encode  # type: ignore[method-assign]
    analysis = plan.analysis
    assert [p.text for p in plan.parts] == [question, analysis.focus] and len(threads) == 2
    assert threads[question] == threading.current_thread().name
    assert threads[analysis.focus].startswith("motionqa-plan")
    vectors = encoder.encode([question, analysis.focus])
    assert np.array_equal(vectors[0], alone[question])
    assert np.array_equal(vectors[1], assistant.embedder.encode_queries([analysis.focus])[0])


def test_an_english_question_moved_to_swedish_sits_nearer_the_same_question_in_swedish(assistant) -> None:
    """The language component of the vector is removed (``index.encode.language_means``): what is left is
    closer to what the question means. Invented pairs, none from a suite."""
    pairs = [
        (
            "Why does the party want the police to get more training?",
            "Varför vill partiet att polisen får mer utbildning?",
        ),
        ("How much money goes to the municipalities?", "Hur mycket pengar går till kommunerna?"),
        (
            "Who decides where a child will live after a divorce?",
            "Vem bestämmer var ett barn ska bo efter en skilsmässa?",
        ),
    ]
    means, retriever = assistant.index.language_means, assistant.retriever
    for english, swedish in pairs:
        en, sv = assistant.embedder.encode_queries([english, swedish])
        moved = to_language(en[None, :], means, "en", retriever.document_language)[0]
        assert float(moved @ sv) > float(en @ sv) + 0.02, english
