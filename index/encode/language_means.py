"""Where each question language sits in the embedding space, so a question can be moved to the motion's.

A multilingual encoder keeps a language component in every vector: an English question is closer to
the few English passages of a Swedish motion (a report's title, an English programme name) than to the
Swedish passages that answer it. Subtracting the mean vector of the question's language and adding the
motion's ("mean-centering per language", Libovický et al. 2020) removes most of that pull.

A language's mean is measured on topic-free text: strings of that language's most frequent words
(``wordfreq``), drawn with a fixed seed, so the means are the same on every build and say nothing about
this motion.
"""

from __future__ import annotations

import random
from typing import Protocol

import numpy as np
from wordfreq import top_n_list

from index.store.files import center

# The languages questions are asked in (``assistant.query.language.Language``).
QUESTION_LANGUAGES = ("sv", "en")
VOCABULARY = 2000  # the most frequent words of each language, function words included
SAMPLES = 300  # the mean's direction is within 1 % of 1,000 samples' (cosine 0.993), at a third of the time
WORDS_PER_SAMPLE = 8
_SEED = 20251


class QueryEncoder(Protocol):
    @property
    def checksum(self) -> str: ...

    @property
    def backend(self) -> str: ...

    def encode_many_queries(self, texts: list[str]) -> np.ndarray: ...


# Means depend on the model alone: every build in one process (the tests build many) measures them once.
_MEASURED: dict[str, dict[str, np.ndarray]] = {}


def topic_free_samples(language: str) -> list[str]:
    """``SAMPLES`` strings of frequent ``language`` words, the same on every call."""
    words = [w for w in top_n_list(language, 2 * VOCABULARY) if w.isalpha()][:VOCABULARY]
    draw = random.Random(f"{_SEED}:{language}")
    return [" ".join(draw.sample(words, WORDS_PER_SAMPLE)) for _ in range(SAMPLES)]


def language_means(encoder: QueryEncoder) -> dict[str, np.ndarray]:
    """Each question language's mean query vector (not normalized: it is subtracted, not compared)."""
    model = f"{encoder.checksum}:{encoder.backend}"
    if model not in _MEASURED:
        _MEASURED[model] = {
            language: encoder.encode_many_queries(topic_free_samples(language)).mean(axis=0).astype(np.float32)
            for language in QUESTION_LANGUAGES
        }
    return _MEASURED[model]


def to_language(vectors: np.ndarray, means: dict[str, np.ndarray], source: str, target: str) -> np.ndarray:
    """Unit ``vectors`` of text in ``source`` moved to where ``target`` text sits; unchanged when they match
    or a mean is unknown."""
    if source == target or source not in means or target not in means:
        return vectors
    return center(vectors, means[source] - means[target])
