"""Caches: bounded LRUs for query vectors and whole answers."""
