"""Off-the-shelf baselines that the assistant has to beat, scored by the same relevance rule.

Both rank passages of the clean document text and report them as character offsets,
so a baseline passage is relevant exactly when an assistant chunk at the same offsets
would be. They retrieve only: there is no answer to score.
"""

from __future__ import annotations

from collections.abc import Mapping

import bm25s
import Stemmer
from bm25s.tokenization import Tokenizer

from eval.runner import RETRIEVAL_DEPTH, Passage
from index.parse.document import Document

LANGCHAIN_CHUNK_SIZE = 1000
LANGCHAIN_CHUNK_OVERLAP = 200


class ParagraphBM25:
    """Plain bm25s over whole paragraphs: Swedish Snowball stems and bm25s' Swedish stop words."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        self.passages = [
            Passage(f"{doc_id}:para{n:03d}", doc_id, block.start, block.end)
            for doc_id, document in documents.items()
            for n, block in enumerate(b for b in document.blocks if b.kind == "paragraph")
        ]
        self.texts = {p.id: documents[p.doc_id].text[p.start : p.end] for p in self.passages}
        self._tokenizer = Tokenizer(stopwords="swedish", stemmer=Stemmer.Stemmer("swedish"))
        corpus = self._tokenizer.tokenize(list(self.texts.values()), return_as="string", show_progress=False)
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)

    def search(self, question: str, k: int = RETRIEVAL_DEPTH) -> list[Passage]:
        tokens = self._tokenizer.tokenize([question], update_vocab=False, return_as="string", show_progress=False)
        known = [t for t in tokens[0] if t and t in self._bm25.vocab_dict]
        if not known:
            return []
        ids, scores = self._bm25.retrieve([known], k=min(k, len(self.passages)), show_progress=False, n_threads=1)
        return [self.passages[int(i)] for i, s in zip(ids[0], scores[0], strict=True) if s > 0]


class LangChainDense:
    """The LangChain quick-start: recursive 1000/200 character splits, HuggingFace embeddings, an exact
    vector store (``eval.langchain_stack``)."""

    def __init__(self, documents: Mapping[str, Document], model_path: str) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from eval.langchain_stack import langchain_embeddings, langchain_store

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=LANGCHAIN_CHUNK_SIZE, chunk_overlap=LANGCHAIN_CHUNK_OVERLAP, add_start_index=True
        )
        pieces = splitter.create_documents(
            [d.text for d in documents.values()], metadatas=[{"doc_id": doc_id} for doc_id in documents]
        )
        self.passages: list[Passage] = []
        self.texts: dict[str, str] = {}
        for position, piece in enumerate(pieces):
            doc_id, start = piece.metadata["doc_id"], piece.metadata["start_index"]
            passage = Passage(f"{doc_id}:lc{position:03d}", doc_id, start, start + len(piece.page_content))
            if documents[doc_id].text[passage.start : passage.end] != piece.page_content:
                raise ValueError(f"LangChain start_index does not point at chunk {position}")
            piece.metadata["position"] = position
            self.passages.append(passage)
            self.texts[passage.id] = piece.page_content
        self._store = langchain_store(pieces, langchain_embeddings(model_path))

    def search(self, question: str, k: int = RETRIEVAL_DEPTH) -> list[Passage]:
        return [self.passages[d.metadata["position"]] for d in self._store.similarity_search(question, k=k)]
