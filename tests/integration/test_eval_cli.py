"""``motionqa eval`` end to end through typer's runner: real suite, real index, real assistant."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ui.cli import app  # after the offline switch

runner = CliRunner()


@pytest.mark.parametrize(("suite", "items"), [("gold", 134), ("readers", 70)])
def test_validate_bundled(suite: str, items: int) -> None:
    result = runner.invoke(app, ["eval", "validate", suite])
    assert result.exit_code == 0, result.output
    assert f"{suite}.jsonl: {items} items, all valid" in " ".join(result.output.split())


@pytest.mark.timeout(900)
def test_run_writes_json_and_html(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "run", "gold", "--limit", "5", "--report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "R@5" in result.output and "cite" in result.output
    payload = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    (config,) = payload["configs"]
    assert (payload["suite"]["name"], payload["suite"]["items"], config["name"]) == ("gold", 5, "hybrid")
    overall = config["summary"]["all"]
    for metric in ("recall@1", "recall@5", "success@5", "mrr@10", "ndcg@10", "citation_integrity", "latency_p50_ms"):
        assert isinstance(overall[metric], float | int), metric
        assert 0 <= overall[metric] <= 1 or metric.endswith("_ms")
    assert overall["citation_integrity"] == 1.0
    assert [item["id"] for item in config["items"]] == [f"fact-00{n}" for n in range(1, 6)]
    assert all(len(item["retrieved"]) == 10 and item["retrieval"] for item in config["items"])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "recall@k" in html and "hybrid" in html
    assert f"{overall['recall@5']:.3f}" in html


@pytest.mark.timeout(900)
def test_several_suites_reported_separately_then_compared_paired(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "run", "gold", "readers", "--limit", "3", "--report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "gold · hybrid · answers" in output and "readers · hybrid · answers" in output
    for suite, first in (("gold", "fact-001"), ("readers", "r001")):
        payload = json.loads((tmp_path / suite / "results.json").read_text(encoding="utf-8"))
        (config,) = payload["configs"]
        assert (payload["suite"]["name"], config["items"][0]["id"]) == (suite, first)
        overall = config["summary"]["all"]
        assert 0 <= overall["answered_precision"] <= 1 and 0 <= overall["answered_share"] <= 1
        assert "answered_precision" in (tmp_path / suite / "report.html").read_text(encoding="utf-8")

    # A folder of suites against one suite's run: the paired test covers the suite both hold.
    paired = runner.invoke(app, ["eval", "diff", str(tmp_path), str(tmp_path / "readers")])
    assert paired.exit_code == 0, paired.output
    output = " ".join(paired.output.split())
    assert "readers: hybrid (B) vs hybrid (A), paired randomization test" in output
    assert "gold:" not in output and "answered_precision" in output and "answered_share" in output


def test_diff_without_results_fails_clearly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "diff", str(tmp_path), str(tmp_path)])
    assert result.exit_code != 0
    assert "holds no results.json" in result.output


ANALYST_CSV = (
    "id;question;answer;evidence;type;history;switch;answerable\n"
    "a1;Vem utvärderade barnahusen?;Barnafrid;Barnafrids utvärdering av samtliga barnahus 2018/2019 konstaterade "
    "bl.a. att det saknas nationell styrning;nyckelfråga;;;\n"
    "a2;Ok, annat ämne. Ska polisen undersöka ett hem där någon blivit slagen lika noga som andra brottsplatser?;Ja;"
    "Det är en självklarhet att ett hem där våld utövats ska uppfattas som en brottsplats;samtal;"
    "Berätta om barnahusen | vem har utvärderat allihop?;yes;\n"
    "a3;Vill de höja skatten på bensin?;;;utanför ämnet;;;false\n"
)


@pytest.mark.timeout(900)
def test_analysts_csv_suite_with_its_own_labels_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.api.settings import Settings

    # The built index and the prepared model, not new ones in the other folder (minutes). Not resolved:
    # the index's path is a link to its current generation, which a build would replace.
    here = Settings()
    monkeypatch.setenv("MOTIONQA_INDEX_DIR", str(here.index_dir.absolute()))
    monkeypatch.setenv("MOTIONQA_MODELS_DIR", str(here.models_dir.absolute()))
    monkeypatch.chdir(tmp_path)
    Path("analys.csv").write_text(ANALYST_CSV, encoding="utf-8")

    checked = runner.invoke(app, ["eval", "validate", "analys.csv"])
    assert checked.exit_code == 0, checked.output
    assert "analys.csv: 3 items, all valid" in checked.output
    assert "types: nyckelfråga 1, samtal 1, utanför ämnet 1" in checked.output
    assert "2 answerable, 1 unanswerable; 1 with history" in checked.output

    measured = runner.invoke(app, ["eval", "run", "analys.csv", "--format", "json"])
    assert measured.exit_code == 0, measured.output
    document = json.loads(measured.stdout)  # JSON alone on standard output
    (record,) = document["runs"]
    assert (record["suite"], record["config"]) == ("analys", "hybrid")
    assert set(record["summary"]) == {"all", "nyckelfråga", "samtal", "utanför ämnet", "#switch"}
    assert record["summary"]["utanför ämnet"]["items"] == 1
    assert record["summary"]["samtal"]["answered_share"] in (0.0, 1.0)
    assert Path("reports/tmp/analys-hybrid/results.json").is_file()  # under the folder it was run from
    assert "Wrote" in measured.stderr

    report = runner.invoke(app, ["eval", "run", "analys.csv", "--format", "markdown", "--report", "out"])
    assert report.exit_code == 0, report.output
    assert "**analys · hybrid · answers**" in report.stdout
    assert "| utanför ämnet |" in report.stdout and "| #switch |" in report.stdout
    html = Path("out/report.html").read_text(encoding="utf-8")
    assert "answered precision" in html and "utanför ämnet" in html  # the per-type bars


def test_bad_suite_name_fails_clearly() -> None:
    result = runner.invoke(app, ["eval", "run", "no-such-suite"])
    assert result.exit_code != 0
    assert (
        "no suite 'no-such-suite'" in result.output
        and "gold, heldout, heldout2, heldout3, heldout4, heldout5, heldout6, readers" in result.output
    )


def test_bad_config_fails_clearly() -> None:
    result = runner.invoke(app, ["eval", "compare", "gold", "--configs", "hybrid,nope"])
    assert result.exit_code != 0
    assert "unknown configuration 'nope'" in result.output


def test_evidence_not_found_fails_clearly(tmp_path: Path) -> None:
    suite = tmp_path / "broken.jsonl"
    item = {"id": "x-1", "question": "Vad?", "answer": "-", "evidence": ["Denna mening finns inte."], "type": "fact"}
    suite.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "validate", str(suite)])
    assert result.exit_code != 0
    assert "x-1: evidence not in the motion" in result.output


@pytest.mark.timeout(900)
def test_a_configuration_the_ranker_was_not_trained_under_is_measured_and_says_so(tmp_path: Path) -> None:
    """``dense`` or an rrf_k changes what the ranker was trained under: eval measures it with the shipped
    ranker as is (the service would refuse), and records what differs."""
    config = '{"name": "rrf-60", "rrf_k": 60}'
    result = runner.invoke(app, ["eval", "run", "gold", "--limit", "2", "--config", config, "--report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "trained under other settings (rrf_k: trained with 20, now 60)" in " ".join(result.output.split())
    (run,) = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["configs"]
    assert run["settings"]["rrf_k"] == 60 and run["settings"]["focus_weight"] == 0.5
    assert run["index"]["ranker_mismatch"] == ["rrf_k: trained with 20, now 60"]


@pytest.mark.timeout(900)
def test_train_ranker_holds_each_suite_out_and_reports_it_separately(tmp_path: Path) -> None:
    from assistant.read.ranker import load_ranker

    target = tmp_path / "ranker.json"
    result = runner.invoke(app, ["eval", "train-ranker", "gold", "readers", "--output", str(target)])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "held out (each suite): gold 0." in output and ", readers 0." in output
    ranker = load_ranker(target)
    assert [suite["name"] for suite in ranker.trained["suites"]] == ["gold", "readers"]
    assert set(ranker.trained["held_out_top1"]) == {"gold", "readers"}
    # Both suites ask in English and Swedish: a bound each, the English one further from the Swedish text.
    assert set(ranker.thresholds.off_topic) == {"en", "sv"}
    assert ranker.thresholds.off_topic["en"] < ranker.thresholds.off_topic["sv"]
    assert 0 < ranker.thresholds.decline <= ranker.thresholds.hedge < 1


def test_train_ranker_refuses_a_suite_that_does_not_exist(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "train-ranker", "gold", "no-such-suite", "--output", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    assert "no suite 'no-such-suite'" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.json").exists()
