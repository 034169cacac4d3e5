"""Store: the index generation on disk (FAISS, BM25, chunks, documents) and its typed manifest."""
