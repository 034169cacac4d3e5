"""Answers questions about the indexed motion: hybrid retrieval, cited extractive answers, HTTP API."""
