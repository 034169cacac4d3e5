"""The lexical half of hybrid retrieval: bm25s over Swedish-analyzed terms."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np

from index.text.analyzer import SwedishAnalyzer

_VOCABULARY_FILE = "analyzer_vocabulary.json"


class LexicalIndex:
    """BM25 over chunk search texts; scores come back for chunk positions."""

    def __init__(self, retriever: bm25s.BM25, analyzer: SwedishAnalyzer, size: int) -> None:
        self._retriever = retriever
        self.analyzer = analyzer
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        analyzer = SwedishAnalyzer.fit(texts)
        retriever = bm25s.BM25()
        retriever.index([analyzer.terms(t) for t in texts], show_progress=False)
        return cls(retriever, analyzer, len(texts))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (zeros where no term matches)."""
        terms = [t for t in self.analyzer.terms(query) if t in self._retriever.vocab_dict]
        if not terms:
            return np.zeros(self.size, dtype=np.float32)
        return self._retriever.get_scores(terms).astype(np.float32)

    def save(self, directory: Path) -> None:
        self._retriever.save(str(directory), show_progress=False)
        (directory / _VOCABULARY_FILE).write_text(
            json.dumps(sorted(self.analyzer.vocabulary), ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path, size: int) -> LexicalIndex:
        retriever = bm25s.BM25.load(str(directory), show_progress=False)
        vocabulary = json.loads((directory / _VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(retriever, SwedishAnalyzer(vocabulary), size)
