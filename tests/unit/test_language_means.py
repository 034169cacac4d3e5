"""Moving a question's vector to the motion's language: the arithmetic, and the topic-free samples."""

from __future__ import annotations

from typing import get_args

import numpy as np
from wordfreq import zipf_frequency

from assistant.query.language import Language
from index.encode.language_means import QUESTION_LANGUAGES, WORDS_PER_SAMPLE, to_language, topic_free_samples

MEANS = {"sv": np.array([0.0, 1.0, 0.0], dtype=np.float32), "en": np.array([1.0, 0.0, 0.0], dtype=np.float32)}


def test_the_index_measures_every_language_a_question_can_be_in() -> None:
    assert set(QUESTION_LANGUAGES) == set(get_args(Language))


def test_a_vector_is_moved_by_the_difference_of_the_means_and_stays_a_unit_vector() -> None:
    english = np.array([[0.8, 0.0, 0.6]], dtype=np.float32)
    moved = to_language(english, MEANS, "en", "sv")
    np.testing.assert_allclose(moved, [[-0.2, 1.0, 0.6]] / np.sqrt(1.4), atol=1e-6)  # minus en, plus sv
    np.testing.assert_allclose(np.linalg.norm(moved, axis=1), 1.0, atol=1e-6)


def test_a_question_in_the_motions_language_or_an_unmeasured_one_is_left_alone() -> None:
    vector = np.array([[0.6, 0.8, 0.0]], dtype=np.float32)
    assert to_language(vector, MEANS, "sv", "sv") is vector
    assert to_language(vector, MEANS, "de", "sv") is vector
    assert to_language(vector, {}, "en", "sv") is vector


def test_samples_are_the_same_on_every_build_and_made_of_the_languages_common_words() -> None:
    for language in QUESTION_LANGUAGES:
        samples = topic_free_samples(language)
        assert samples == topic_free_samples(language)
        words = [word for sample in samples[:50] for word in sample.split()]
        assert all(len(sample.split()) == WORDS_PER_SAMPLE for sample in samples)
        assert min(zipf_frequency(word, language) for word in words) > 3.0, "frequent words only: no topic"
    assert topic_free_samples("sv") != topic_free_samples("en")
