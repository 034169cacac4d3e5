"""The API routes, one module per resource: answers (search, ask, stream), documents, health, feedback, and
the OpenAI-compatible ``/v1``."""
