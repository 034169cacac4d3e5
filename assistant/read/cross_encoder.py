"""An optional cross-encoder that reads question and sentence together, for users with internet.

Off by default: no multilingual cross-encoder can be installed on an offline machine, so the
learned ranker decides alone. With ``MOTIONQA_RERANKER_MODEL`` set to a sentence-transformers
``CrossEncoder`` (a hub name such as a multilingual reranker, or a local folder), its score is
averaged with the ranker's probability. Its quality on this motion is not measured here.
"""

from __future__ import annotations

import numpy as np


class CrossEncoderReranker:
    def __init__(self, model: str) -> None:
        from sentence_transformers import CrossEncoder  # torch: only paid for when configured

        self.name = model
        self.model = CrossEncoder(model)

    def scores(self, question: str, sentences: list[str]) -> np.ndarray:
        """One relevance score in 0…1 per sentence (the model's own activation, sigmoid by default)."""
        if not sentences:
            return np.zeros(0)
        predicted = self.model.predict([(question, s) for s in sentences], show_progress_bar=False)
        return np.clip(np.asarray(predicted, dtype=np.float64).reshape(len(sentences)), 0.0, 1.0)
