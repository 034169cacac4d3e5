"""Settings from the environment: the forms operators actually type."""

from __future__ import annotations

import pytest

from index.settings import Settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", []),
        ("https://a.example", ["https://a.example"]),
        ("https://a.example, https://b.example", ["https://a.example", "https://b.example"]),
        ('["https://a.example"]', ["https://a.example"]),
    ],
)
def test_cors_origins_accept_json_or_commas(monkeypatch: pytest.MonkeyPatch, raw: str, expected: list[str]) -> None:
    monkeypatch.setenv("MOTIONQA_CORS_ORIGINS", raw)
    assert Settings().cors_origins == expected


def test_bad_values_are_refused_with_the_field_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTIONQA_TOP_K", "0")
    with pytest.raises(ValueError, match="top_k"):
        Settings()
