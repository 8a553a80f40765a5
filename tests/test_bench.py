"""The benchmark script runs end to end on a small project and reports every figure.

Only that it works: the figures themselves depend on the machine.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SIZE_KEYS = {"events", "validate_s", "validate_floor_s", "validate_cli_s", "build_s", "build_floor_s", "peak_mb",
             "peak_floor_mb", "site_mb", "site_floor_mb", "largest_html_kb", "largest_html_page", "search_index_mb",
             "search_index_floor_mb", "hugo_s", "validate_warm_s", "rebuild_s", "rebuild_first_s", "rebuild_peak_mb",
             "largest_by_kind"}
POSITIVE = SIZE_KEYS - {"events", "largest_html_page", "hugo_s", "largest_by_kind"}


def test_bench_runs_and_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench.py"), "--sizes", "200", "--runs", "1",
                             "--serve-events", "200", "--no-hugo", "--budget-shapes", "few", "--json", str(out)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]

    for word in ("validate", "build", "search index", "serve", "build again after one edit",
                 "the first build after one edit that follows a cold build", "validate, warm",
                 "largest page per kind", "corpus 'few'"):
        assert word in result.stdout, (word, result.stdout)

    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"generated", "machine", "runs", "quick_runs", "seed", "sizes", "serve", "ratios", "budgets",
                         "generator", "serve_sizes"}
    assert data["generator"] == "corpus (mixed)"
    assert set(data["budgets"]) == {"few"} and data["budgets"]["few"]["largest_by_kind"]["events"][0] > 0
    assert set(data["machine"]) == {"cpus", "python", "platform"} and data["machine"]["cpus"] > 0
    assert data["runs"] == 1 and data["quick_runs"] == 3 and isinstance(data["seed"], int)
    assert result.stderr.count("build again after one edit, run ") == 3  # the quick measurements, 3 times

    [size] = data["sizes"]
    assert set(size) == SIZE_KEYS
    assert size["events"] == 200
    for key in POSITIVE:
        assert isinstance(size[key], (int, float)) and size[key] > 0, (key, size[key])
    assert size["largest_html_page"].endswith(".html")
    assert size["hugo_s"] is None  # --no-hugo
    assert {"events", "places", "tags", "sources"} <= set(size["largest_by_kind"])
    assert all(kb > 0 and page.endswith(".html") for kb, page in size["largest_by_kind"].values())

    serve = data["serve"]
    assert set(serve) == {"events", "save_to_reload_s", "samples", "fix_to_clean_s", "fix_samples"}
    assert serve["events"] == 200
    assert serve["save_to_reload_s"] > 0 and len(serve["samples"]) >= 3 and all(s > 0 for s in serve["samples"])
    assert serve["fix_to_clean_s"] > 0 and len(serve["fix_samples"]) >= 3

    ratios = data["ratios"]
    assert set(ratios) == {"validate", "build", "peak", "rebuild", "rebuild_first", "validate_warm", "scaling_build"}
    for key in ("validate", "build", "peak", "rebuild", "rebuild_first", "validate_warm"):
        assert len(ratios[key]) == 1 and ratios[key][0] > 0, (key, ratios[key])
    assert ratios["scaling_build"] is None  # one size only


def test_performance_page_is_generated_from_the_results(tmp_path):
    """The Performance page's table and chart come from benchmarks/results.json, not from hand-typed text."""
    from timeline import benchreport
    data = {"generated": "2026-11-23", "machine": {"cpus": 2, "python": "3.11.7"}, "runs": 3, "seed": 1,
            "sizes": [{"events": 1000, "validate_s": 0.2, "validate_floor_s": 0.1, "build_s": 12.5,
                       "build_floor_s": 10.0, "peak_mb": 120.0, "peak_floor_mb": 100.0, "largest_html_kb": 99.0,
                       "search_index_mb": 0.9, "search_index_floor_mb": 1.6, "hugo_s": None},
                      {"events": 10000, "validate_s": 2.0, "validate_floor_s": 1.0, "build_s": 110.0,
                       "build_floor_s": 100.0, "peak_mb": 300.0, "peak_floor_mb": 250.0, "largest_html_kb": 400.0,
                       "search_index_mb": 7.5, "search_index_floor_mb": 27.0, "hugo_s": 4.0}],
            "serve": {"events": 1000, "save_to_reload_s": 1.2}, "ratios": {"scaling_build": 8.8}}
    text = benchreport.report(data)
    assert "| 10,000 | 2.00 s (1.00 s) | 2.00 | 110.0 s (100.0 s) | 1.10 |" in text
    assert text.count("<rect ") == 4 and "<svg" in text
    assert "**1.20 s**" in text and "**8.80**" in text
    assert "No benchmark results yet" in benchreport.report(None)
    data["sizes"][1].update({"rebuild_s": 15.0, "rebuild_first_s": 20.0, "validate_warm_s": 0.25,
                             "largest_by_kind": {"events": [21.4, "events/x/index.html"], "tags": [480.0, "tags/t/"]}})
    text = benchreport.report(data)
    assert "| 10,000 | 15.00 s (100.0 s) | 0.15 | 20.00 s | 0.20 | 0.25 s (1.00 s) | 0.25 |" in text
    assert "| largest page, KB | events | tags |" in text and "| 10,000 | 21 | 480 |" in text


def test_the_link_checker_benchmark_runs_and_a_second_run_asks_nothing(tmp_path):
    out = tmp_path / "links.json"
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "links_bench.py"), "--urls", "300",
                             "--hosts", "10", "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["ok"] == 300 and figures["second_run_requests"] == 0
    assert figures["urls_per_s"] > 0 and figures["peak_mb"] > 0
    assert "addresses/s" in result.stdout


def test_the_history_benchmark_runs_and_reports_its_ratio(tmp_path):
    out = tmp_path / "history.json"
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "history_bench.py"), "--events", "60",
                             "--commits", "120", "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["revisions"] >= 60 + 100 and figures["ratio"] > 0
    assert "ratio" in result.stdout
