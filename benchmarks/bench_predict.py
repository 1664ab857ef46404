"""Latency of the runner behind ``neurona predict`` vs a bare onnxruntime InferenceSession.run.

The digits MLP and CNN examples are exported to ONNX (random weights; latency does not depend
on them). At batch 1, with the same session options and the same input, five sides are timed:

- ``run``: ``OnnxRunner.run`` (dtype/rank/shape checks, normalisation, output dict, timing);
- ``bare``: a bare ``session.run(None, feed)`` — the baseline of ``run``;
- ``predict``: ``OnnxRunner.predict`` (also probabilities and top-k);
- ``bare_predict``: a bare ``session.run`` followed by the numpy softmax and top-k a person
  would write to get the same answer — the baseline of ``predict``;
- ``control``: a second bare ``session.run``, an A/A control (how far from 0 % noise lands).

Each round times a block of calls of every side in turn, the order rotating through the
permutations, with the garbage collector off (as ``timeit`` does). Overhead = median over
rounds of the paired ratio side ÷ baseline, minus 1 (target ≤ 10 %), with a distribution-free
95 % confidence interval; ``predict`` is also compared with the bare ``session.run`` alone.

    python benchmarks/bench_predict.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stats import median_ci  # noqa: E402  (benchmarks/stats.py)

TARGET = 0.10


def export(example: str, out: Path) -> Path:
    import torch

    from studio.compile import analyze, build_module
    from studio.deploy.onnx_export import export_onnx
    from studio.layers import load_graph

    graph = load_graph(ROOT / "examples" / example)
    analysis = analyze(graph)
    module = build_module(graph, analysis).eval()
    shape = tuple(graph.nodes[analysis.inputs()[0]].params["shape"])
    export_onnx(module, out, example_inputs=(torch.randn((4,) + shape),), input_names=analysis.inputs(),
                output_names=analysis.outputs(), metadata={"neurona.class_names": json.dumps([str(i) for i in range(10)])})
    return out


def bench_model(runner, session, x, *, rounds: int, block: int, warmup: int) -> dict:
    spec = runner.inputs[0]
    feed = {spec.name: x}

    def bare_predict():
        logits = session.run(None, feed)[0]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        top = np.argsort(-p, axis=1)[:, :3]
        return p, top

    sides = {"run": lambda: runner.run(x), "bare": lambda: session.run(None, feed),
             "predict": lambda: runner.predict(x, top_k=3), "bare_predict": bare_predict,
             "control": lambda: session.run(None, feed)}
    want = session.run(None, feed)[0]
    assert np.array_equal(runner.run(x)[runner.outputs[0].name], want), "the runner and the session disagree"
    assert np.array_equal(runner.predict(x, top_k=3).probabilities.argmax(1), bare_predict()[1][:, 0])
    orders = list(itertools.permutations(sides))
    times: dict[str, list[float]] = {k: [] for k in sides}
    gc.collect()
    gc.disable()
    try:
        for r in range(warmup + rounds):
            got = {}
            for side in orders[r % len(orders)]:
                call = sides[side]
                t0 = time.perf_counter()
                for _ in range(block):
                    call()
                got[side] = (time.perf_counter() - t0) / block
            if r >= warmup:
                for side, t in got.items():
                    times[side].append(t)
    finally:
        gc.enable()

    def overhead(side: str, base: str) -> tuple[float, list[float]]:
        ratios = [a / b for a, b in zip(times[side], times[base])]
        lo, hi = median_ci(ratios)
        return statistics.median(ratios) - 1, [lo - 1, hi - 1]

    result = {f"{k}_us": statistics.median(v) * 1e6 for k, v in times.items()}
    for key, side, base in (("run_overhead", "run", "bare"), ("predict_overhead", "predict", "bare_predict"),
                            ("predict_vs_bare_run", "predict", "bare"), ("control_overhead", "control", "bare")):
        result[key], result[f"{key}_ci95"] = overhead(side, base)
    result.update(rounds=rounds, calls_per_round=block,
                  meets_target=result["run_overhead"] <= TARGET and result["predict_overhead"] <= TARGET)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run (few rounds)")
    args = ap.parse_args()
    rounds, block, warmup = (40, 10, 5) if args.quick else (600, 20, 40)
    import onnxruntime as ort

    from studio.deploy.runner import OnnxRunner

    results = {}
    print(f"predict latency at batch 1: {rounds} rounds of {block} calls per side (+{warmup} warm-up rounds), "
          f"sides in rotating order, gc off" + (" [quick]" if args.quick else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for name, example in (("mlp", "digits_mlp.neurona"), ("cnn", "digits_cnn.neurona")):
            path = export(example, Path(tmp) / f"{name}.onnx")
            runner = OnnxRunner(path)
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            shape = [1] + list(runner.inputs[0].shape[1:])
            x = np.random.default_rng(0).random(shape, dtype=np.float32)
            results[name] = r = bench_model(runner, session, x, rounds=rounds, block=block, warmup=warmup)

            def ci(key):
                lo, hi = r[f"{key}_ci95"]
                return f"{r[key]:+.1%} (95% CI {lo:+.1%}..{hi:+.1%})"

            print(f"{name:<4} run {r['run_us']:.1f} µs vs session.run {r['bare_us']:.1f} µs: {ci('run_overhead')}; "
                  f"predict {r['predict_us']:.1f} µs vs session.run + numpy softmax/top-k {r['bare_predict_us']:.1f} µs: "
                  f"{ci('predict_overhead')}; predict vs bare session.run {r['predict_vs_bare_run']:+.1%}; "
                  f"A/A control {r['control_overhead']:+.1%}")
    verdict = ", ".join(f"{k} run {v['run_overhead']:+.1%}, predict {v['predict_overhead']:+.1%}" for k, v in results.items())
    print(f"verdict (target overhead ≤ {TARGET:.0%}): {verdict}")
    out = {**results, "all_meet_target": all(v["meets_target"] for v in results.values()), "quick": args.quick}
    print("RESULT " + json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
