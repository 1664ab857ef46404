"""Latency of the runner behind ``neurona predict`` vs a bare onnxruntime InferenceSession.run.

The digits MLP and CNN examples are exported to ONNX (random weights; latency does not depend
on them). At batch 1, calls alternate (same session options, same input) between:

- ``OnnxRunner.run`` (dtype/shape checks, normalisation) and a bare ``session.run``;
- ``OnnxRunner.predict`` (also probabilities and top-k) and a bare ``session.run`` followed by
  the numpy softmax and top-k a person would write to get the same answer;
- and, for reference, ``predict`` against the bare ``session.run`` alone.

Overhead = median time ÷ median baseline time − 1 (target ≤ 10 %).

    python benchmarks/bench_predict.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    calls = 300 if args.quick else 5000
    import onnxruntime as ort

    from studio.deploy.runner import OnnxRunner

    results = {}
    print(f"predict latency at batch 1, {calls} alternating calls each (after warm-up)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, example in (("mlp", "digits_mlp.neurona"), ("cnn", "digits_cnn.neurona")):
            path = export(example, Path(tmp) / f"{name}.onnx")
            runner = OnnxRunner(path)
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            spec = runner.inputs[0]
            shape = [1] + [d for d in spec.shape[1:]]
            x = np.random.default_rng(0).random(shape, dtype=np.float32)
            feed = {spec.name: x}
            for _ in range(50):
                runner.predict(x, top_k=3)
                session.run(None, feed)
            def bare_predict():
                logits = session.run(None, feed)[0]
                e = np.exp(logits - logits.max(axis=1, keepdims=True))
                p = e / e.sum(axis=1, keepdims=True)
                top = np.argsort(-p, axis=1)[:, :3]
                return p, top

            timings = {"run": [], "bare": [], "predict": [], "bare_predict": []}
            for _ in range(calls):
                for key, call in (("run", lambda: runner.run(x)), ("bare", lambda: session.run(None, feed)),
                                  ("predict", lambda: runner.predict(x, top_k=3)), ("bare_predict", bare_predict)):
                    t0 = time.perf_counter()
                    call()
                    timings[key].append(time.perf_counter() - t0)
            med = {k: statistics.median(v) for k, v in timings.items()}
            results[name] = {f"{k}_us": v * 1e6 for k, v in med.items()}
            results[name].update(run_overhead=med["run"] / med["bare"] - 1,
                                 predict_overhead=med["predict"] / med["bare_predict"] - 1,
                                 predict_vs_bare_run=med["predict"] / med["bare"] - 1)
            r = results[name]
            print(f"{name:<6} run {r['run_us']:.1f} µs vs session.run {r['bare_us']:.1f} µs: {r['run_overhead']:+.1%}; "
                  f"predict {r['predict_us']:.1f} µs vs session.run + numpy softmax/top-k {r['bare_predict_us']:.1f} µs: "
                  f"{r['predict_overhead']:+.1%} (vs bare session.run: {r['predict_vs_bare_run']:+.1%})")
    verdict = ", ".join(f"{k} run {v['run_overhead']:+.1%}, predict {v['predict_overhead']:+.1%}" for k, v in results.items())
    print(f"verdict (target overhead ≤ 10 %): {verdict}")
    print("RESULT " + json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
