"""The HTTP API under ``/api``: routers, schemas, errors, security and request limits."""
