"""Word lists of the query analysis, kept as data: one word a line, ``#`` starts a comment."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent

# A word of a question as the analysis reads it: letters only ("Göteborgs", not "2024" or "a_b").
WORD = re.compile(r"[^\W\d_]+")


@cache
def read_words(name: str) -> frozenset[str]:
    lines = (_HERE / name).read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if (word := line.split("#", 1)[0].strip().lower()))
