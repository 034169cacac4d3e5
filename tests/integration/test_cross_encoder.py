"""The optional cross-encoder's plumbing, offline: a tiny BERT cross-encoder built here, never downloaded.

Its scores are noise (random weights); the test proves the wiring: the setting loads it through
sentence-transformers, the reader calls it for every candidate, and answers still quote exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.read.cross_encoder import CrossEncoderReranker
from assistant.service import Assistant


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-cross-encoder")
    letters = list("abcdefghijklmnopqrstuvwxyzåäö0123456789")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *letters, *(f"##{c}" for c in letters)]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=512, num_labels=1,
    )  # fmt: skip
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_the_reranker_scores_every_sentence_in_range(tiny_cross_encoder: Path) -> None:
    reranker = CrossEncoderReranker(str(tiny_cross_encoder))
    scores = reranker.scores("Vad är IPVI?", ["IPVI är ett program.", "Något annat.", "Tredje meningen här."])
    assert scores.shape == (3,) and ((scores >= 0) & (scores <= 1)).all()
    assert reranker.scores("Vad?", []).shape == (0,)


def test_the_assistant_uses_a_configured_reranker(assistant: Assistant, tiny_cross_encoder: Path) -> None:
    settings = assistant.settings.model_copy(update={"reranker_model": str(tiny_cross_encoder)})
    reranked = Assistant(settings, assistant.index, assistant.embedder)
    calls: list[int] = []
    original = reranked.cross_encoder.scores  # type: ignore[union-attr]
    reranked.cross_encoder.scores = lambda q, s: calls.append(len(s)) or original(q, s)  # type: ignore[union-attr,method-assign]
    answer = reranked.ask("Vad menas med ekonomiskt våld?").answer
    assert calls and calls[0] > 1, "the reader did not ask the cross-encoder"
    document = next(iter(reranked.index.documents.values()))
    assert answer.citations and all(document.text[c.start : c.end] == c.text for c in answer.citations)
    assert assistant.cross_encoder is None, "off by default"
