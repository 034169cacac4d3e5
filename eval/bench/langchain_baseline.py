"""The default LangChain RAG retrieval pipeline on the same model folder, as the speed baseline.

RecursiveCharacterTextSplitter(1000, 200) over the raw motion text files (as TextLoader reads
them), HuggingFaceEmbeddings (sentence-transformers on PyTorch, library defaults: no e5 prompts,
default threads) and langchain-core's exact InMemoryVectorStore (see ``eval.langchain_stack`` for
why not FAISS); a query is ``similarity_search(q, k=5)``.
"""

from __future__ import annotations

import time
from typing import Any

from assistant.api.settings import Settings
from eval.bench.timing import percentiles
from index.encode.embedder import base_model
from index.parse.corpus import source_files


def run_langchain(settings: Settings, questions: list[str]) -> dict[str, Any]:
    """Model load, index build (split + embed + store) and per-query latency; no caching exists."""
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from eval.langchain_stack import langchain_embeddings, langchain_store

    location, _ = base_model(settings)  # the sentence-transformers folder, as LangChain loads it
    started = time.perf_counter()
    embeddings = langchain_embeddings(location)
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    documents = [
        Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": path.name})
        for path in source_files(settings.data_dir)
    ]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)
    store = langchain_store(chunks, embeddings)
    build_seconds = time.perf_counter() - started

    samples = []
    for question in questions:
        started = time.perf_counter()
        store.similarity_search(question, k=5)
        samples.append(1000 * (time.perf_counter() - started))
    return {
        "model_load_seconds": load_seconds,
        "index_build_seconds": build_seconds,
        "chunks": len(chunks),
        "texts_per_second": len(chunks) / build_seconds,
        "search": percentiles(samples),
    }
