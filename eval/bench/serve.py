"""Child-process entry: ``python -m eval.bench.serve PORT SETTINGS_JSON`` runs the real app under uvicorn.

A separate process keeps the server's CPU and memory apart from the load generator's, so the
reported RSS is the server's alone.
"""

from __future__ import annotations

import json
import sys

import uvicorn

from index.settings import Settings
from ui.server import create_app


def main(argv: list[str]) -> None:
    port, overrides = int(argv[1]), json.loads(argv[2])
    app = create_app(Settings(**overrides))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(sys.argv)
