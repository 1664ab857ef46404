"""Whole-process ``neurona predict`` vs the five-line onnxruntime script a user would write instead.

Both start a fresh Python process, load the exported digits CNN (its input normalisation inside
the graph, as ``neurona export`` writes it) and run one raw 8×8 digit (counts 0–16) through it.
The rounds interleave the two sides, alternating which goes first, and the figure is the median
of the per-round ratios (predict / script) with a distribution-free 95 % confidence interval.
Both must print the same output values, bit for bit.

    python benchmarks/bench_predict_start.py [--quick] [--rounds N]

Target: ratio ≤ 1.5. The last line is ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stats import median_ci  # noqa: E402  (benchmarks/stats.py)

TARGET = 1.5
SCRIPT = """\
import sys, json, numpy as np, onnxruntime as ort
session = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
x = np.load(sys.argv[2])
(y,) = session.run(None, {session.get_inputs()[0].name: x})
print(json.dumps(y.tolist()))
"""


def export(out: Path) -> Path:
    """The digits CNN as ``neurona export`` writes it: normalisation inside, our metadata."""
    import torch

    from studio.compile import analyze, build_module
    from studio.deploy.onnx_export import export_onnx
    from studio.deploy.preprocessing import with_normalization
    from studio.layers import load_graph

    torch.manual_seed(0)
    graph = load_graph(ROOT / "examples" / "digits_cnn.neurona")
    analysis = analyze(graph)
    norm = {"mean": [0.0], "std": [16.0], "axis": None}
    sample = np.zeros((4, 1, 8, 8), dtype=np.float32)
    module = with_normalization(build_module(graph, analysis).eval(), norm, sample)
    export_onnx(module, out, example_inputs=(torch.rand(4, 1, 8, 8) * 16,), input_names=analysis.inputs(),
                output_names=analysis.outputs(),
                metadata={"neurona.class_names": json.dumps([str(i) for i in range(10)]),
                          "neurona.normalization": json.dumps(norm), "neurona.preprocessing": "inside",
                          "neurona.raw_range": json.dumps([0, 16]), "neurona.task": "classification"})
    return out


def _neurona() -> list[str]:
    """The installed ``neurona`` command beside this interpreter, else ``python -m studio``."""
    script = Path(sys.executable).parent / "neurona"
    return [str(script)] if script.exists() else [sys.executable, "-m", "studio"]


def _timed(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=ROOT)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {proc.stderr.strip()}")
    return seconds, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 rounds: a smoke run")
    ap.add_argument("--rounds", type=int, help="interleaved rounds (default 21)")
    args = ap.parse_args()
    rounds = args.rounds or (3 if args.quick else 21)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = export(tmp / "digits_cnn.onnx")
        from sklearn.datasets import load_digits

        np.save(tmp / "x.npy", load_digits().images[:1].reshape(1, 1, 8, 8).astype(np.float32))  # raw counts
        (tmp / "script.py").write_text(SCRIPT)
        script = [sys.executable, str(tmp / "script.py"), str(model), str(tmp / "x.npy")]
        predict = [*_neurona(), "predict", str(model), "--input", str(tmp / "x.npy"), "--json"]
        _timed(script), _timed(predict)  # warm the page cache for both
        times: dict[str, list[float]] = {"script": [], "predict": []}
        ratios = []
        for r in range(rounds):
            order = (("script", script), ("predict", predict))
            got = {}
            for name, argv in (order if r % 2 == 0 else order[::-1]):
                seconds, out = _timed(argv)
                times[name].append(seconds)
                got[name] = out
            bare = json.loads(got["script"])
            ours = json.loads(got["predict"])["outputs"]
            if list(ours.values()) != [bare]:
                raise SystemExit("predict and the bare onnxruntime script disagree")
            ratios.append(times["predict"][-1] / times["script"][-1])
    ratio = statistics.median(ratios)
    lo, hi = median_ci(ratios)
    result = {"rounds": rounds, "script_s": statistics.median(times["script"]),
              "predict_s": statistics.median(times["predict"]), "ratio": ratio, "ratio_ci": [lo, hi],
              "target": TARGET, "meets_target": ratio <= TARGET, "cpus": os.cpu_count()}
    print(f"whole-process predict of one digit, {rounds} interleaved rounds (median):")
    print(f"  five-line onnxruntime script  {result['script_s'] * 1000:7.0f} ms")
    print(f"  neurona predict               {result['predict_s'] * 1000:7.0f} ms")
    print(f"  ratio {ratio:.2f} (95 % CI {lo:.2f}–{hi:.2f}); target ≤ {TARGET} — "
          f"{'met' if result['meets_target'] else 'NOT met'}; outputs identical in every round")
    print("RESULT " + json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
