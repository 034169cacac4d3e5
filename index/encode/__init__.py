"""Encode: the embedding model at run time (``embedder``) and its one-time builds (``export``, ``e5``)."""
