"""Retrieve: hybrid dense + BM25 retrieval over the index, and the corpus maps it reads."""
