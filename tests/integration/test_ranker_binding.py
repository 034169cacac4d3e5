"""The service refuses a ranker trained under other settings: real index, real model, the shipped ranker."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import variant

from assistant.read.ranker import RankerMismatch
from assistant.service import Assistant


def test_the_shipped_ranker_fits_the_default_settings(assistant: Assistant) -> None:
    assert assistant.ranker_mismatch == []


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ({"rrf_k": 60}, "rrf_k"),
        ({"focus_weight": 1.0}, "focus_weight"),
        ({"sentence_weight": 1.0}, "sentence_weight"),
        ({"candidate_pool": 50}, "candidate_pool"),
        ({"retrieval_mode": "bm25"}, "retrieval_mode"),
    ],
)
def test_a_setting_the_ranker_was_not_trained_under_is_refused(
    assistant: Assistant, setting: dict[str, Any], named: str
) -> None:
    with pytest.raises(RankerMismatch, match=rf"^The sentence ranker was trained under other settings \({named}: "):
        variant(assistant, **setting)


def test_measuring_may_allow_the_mismatch_and_keeps_what_differs(assistant: Assistant) -> None:
    """Eval configurations (dense, bm25, an rrf_k) are measured with the shipped ranker as is."""
    settings = assistant.settings.model_copy(update={"retrieval_mode": "dense"})
    allowed = Assistant(settings, assistant.index, assistant.embedder, allow_ranker_mismatch=True)
    assert allowed.ranker_mismatch == ["retrieval_mode: trained with hybrid, now dense"]
    assert allowed.ask("Vad är ekonomiskt våld?").answer.citations
