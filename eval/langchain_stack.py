"""The LangChain pieces of both LangChain baselines (eval retrieval, bench speed), from maintained packages.

The FAISS wrapper lived only in ``langchain-community``, which LangChain sunset in May 2026
(langchain-ai/langchain-community#674) without a maintained FAISS package to replace it. The vectors
therefore go into langchain-core's ``InMemoryVectorStore``: exact search like FAISS's default flat
index, and since the model's vectors are unit length its cosine order is FAISS's L2 order, so the
baselines rank exactly as before.
"""

from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import InMemoryVectorStore
from langchain_huggingface import HuggingFaceEmbeddings


def langchain_embeddings(model_path: str) -> HuggingFaceEmbeddings:
    """sentence-transformers on PyTorch with LangChain's defaults (no e5 prompts): the model as users load it."""
    return HuggingFaceEmbeddings(model_name=model_path, model_kwargs={"device": "cpu"})


def langchain_store(pieces: list[Document], embeddings: Embeddings) -> InMemoryVectorStore:
    """Embed the pieces into an exact in-memory index; ``similarity_search`` ranks by cosine similarity."""
    return InMemoryVectorStore.from_documents(pieces, embeddings)
