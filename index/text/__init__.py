"""Swedish text utilities shared by build and query: sentence splitting and the BM25 analyzer."""
