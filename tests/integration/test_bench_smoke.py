"""The ack, reveal, storage and panel benchmarks run end to end at a tiny size, so an API change
that breaks them fails here instead of at the next `make bench`. No figure is checked:
this is not a benchmark, only proof that each still measures what it says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bench(script: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_reveal_bench_delivers_every_message():
    report = run_bench("reveal.py", "--answers", "5")
    assert report["answers"] == 5
    assert report["dms_delivered"] == 5
    assert set(report["seconds"]) >= {"grading", "storing", "delivery", "total"}
    assert report["ratios"]["delivery_vs_bare_web_api"] > 0


def test_storage_bench_builds_measures_and_records():
    report = run_bench("storage.py", "--scale", "0.001", "--samples", "3", "--record", "1000")
    assert report["dataset"]["answers"] > 0
    assert report["queries"]["workspace_top10_all"]["n"] == 3
    assert report["queries"]["user_stats"]["median_ms"] > 0
    assert report["record"]["answers"] == 1000
    assert report["record"]["repository_record_per_s"] > 0


def test_panels_bench_plans_both_ways_and_builds_packets():
    report = run_bench("panels.py", "--bank", "150", "--runs", "3")
    assert report["bank"]["questions"] == 150
    for key in ("plan", "naive", "eligible_filter", "packet"):
        assert report[key]["runs"] == 3 and report[key]["median_ms"] > 0, key
    failures = report["coverage_failures"]
    assert failures["topics_checked"] == 3 * report["panel"]["focus_topics"]
    assert 0 <= failures["plan_topics_under_two"] <= failures["topics_checked"]
    assert report["ratios"]["plan_vs_naive_median"] > 0


def test_ack_bench_measures_every_server_and_the_ingest():
    report = run_bench(
        "ack.py", "--requests", "20", "--levels", "1,4", "--rounds", "1", "--replies", "10"
    )
    assert set(report["servers"]) == {"aiohttp-floor", "bolt-default", "bolt-pbr", "mlquiz"}
    ours = report["servers"]["mlquiz"]["4"]
    assert ours["p50_ms"] > 0 and ours["server_cpu_ms_per_request"] > 0
    assert set(report["vs_bolt_pbr"]) == {"1", "4"}
    assert report["ingest"]["reactions"] == 10
