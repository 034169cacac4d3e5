"""Settings from the environment: the forms operators actually type."""

from __future__ import annotations

import pytest

from assistant.api.settings import Settings


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


def test_each_layer_reads_only_its_own_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Index, service and API settings are separate classes; the served process reads all three."""
    from assistant.api.settings import ApiSettings
    from assistant.settings import ServiceSettings
    from index.settings import IndexSettings

    monkeypatch.setenv("MOTIONQA_CHUNK_SIZE", "450")
    monkeypatch.setenv("MOTIONQA_TOP_K", "7")
    monkeypatch.setenv("MOTIONQA_MAX_QUESTION_CHARS", "500")
    index, service, api, whole = IndexSettings(), ServiceSettings(), ApiSettings(), Settings()
    assert index.chunk_size == service.chunk_size == whole.chunk_size == 450
    assert service.top_k == whole.top_k == 7 and not hasattr(index, "top_k")
    assert api.max_question_chars == whole.max_question_chars == 500
    assert not hasattr(index, "api_key") and not hasattr(service, "api_key") and not hasattr(api, "chunk_size")
    assert not hasattr(service, "cors_origins") and not hasattr(index, "llm_base_url")


def test_defaults_point_at_the_package_and_the_working_directory(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Built things go under the folder motionqa runs in; the motion and ranker come with the package.

    The defaults, so without the ``MOTIONQA_*`` variables a checkout may run with (``MOTIONQA_MODELS_DIR``)."""
    import os

    from index.settings import IndexSettings

    for name in [n for n in os.environ if n.startswith("MOTIONQA_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    settings = IndexSettings()
    assert settings.index_dir == tmp_path / "var" / "index" and settings.models_dir == tmp_path / "models"
    assert (settings.data_dir / "motion-2025-26-V-mans-vald-mot-kvinnor.txt").is_file()
    assert settings.ranker_path.is_file()
    from assistant.api.settings import ApiSettings

    assert ApiSettings().log_path == tmp_path / "var" / "motionqa.log"  # the CLI's log of library warnings


def test_a_scoring_tunable_is_overridden_from_the_environment_within_the_records_range(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tunables live in the scoring record; ``MOTIONQA_RRF_K`` and the like still override them for a run."""
    from index.scoring import SCORING

    assert Settings().scoring == SCORING
    monkeypatch.setenv("MOTIONQA_RRF_K", "60")
    overridden = Settings().scoring
    assert overridden.rrf_k == 60 and overridden.model_copy(update={"rrf_k": SCORING.rrf_k}) == SCORING
    monkeypatch.setenv("MOTIONQA_RRF_K", "0")
    with pytest.raises(ValueError, match="rrf_k"):
        Settings()
