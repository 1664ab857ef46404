"""The benchmarks keep working: each runs in --quick mode and ends with a parseable RESULT line.
(Timings are never asserted: this machine is shared and noisy; the figures come from full runs.)"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("script", sorted((ROOT / "benchmarks").glob("bench_*.py")), ids=lambda p: p.stem)
def test_benchmark_runs_and_reports(script):
    proc = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("RESULT ")
    result = json.loads(last[len("RESULT "):])
    assert isinstance(result, dict) and result
