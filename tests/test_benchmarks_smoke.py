"""The benchmarks keep working: each runs in --quick mode and ends with a parseable RESULT line.
(Timings are never asserted: this machine is shared and noisy; the figures come from full runs.)"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check_bench_train(result):
    """The throughput headline, the whole-run figures and the one-off costs are all reported."""
    for name in ("mlp", "cnn"):
        r = result[name]
        assert r["ratio"] == r["throughput"]["ratio"]
        for key in ("throughput", "throughput_separate", "whole_run", "whole_runs_separate"):
            assert r[key]["engine_s"] > 0 and r[key]["hand_s"] > 0 and r[key]["ratio"] > 0
        # the epochs are only part of a run: whole run = start + epochs + end
        assert r["whole_run"]["engine_s"] > r["throughput"]["engine_s"]
        assert r["throughput"]["engine_samples_per_s"] == pytest.approx(
            r["samples_per_run"] / r["throughput"]["engine_s"])
        assert set(r["one_off_ms"]) == {"engine_start", "engine_start_min", "engine_end", "engine_end_min",
                                        "hand_setup", "hand_setup_min"}
        assert all(v > 0 for v in r["one_off_ms"].values())
        # the two train exactly alike (the loop computes its accuracy in float32)
        assert r["val_accuracy_engine"] == pytest.approx(r["val_accuracy_hand"], abs=1e-6)


CHECKS = {"bench_train": _check_bench_train}


@pytest.mark.parametrize("script", sorted((ROOT / "benchmarks").glob("bench_*.py")), ids=lambda p: p.stem)
def test_benchmark_runs_and_reports(script):
    proc = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("RESULT ")
    result = json.loads(last[len("RESULT "):])
    assert isinstance(result, dict) and result
    CHECKS.get(script.stem, lambda _: None)(result)
