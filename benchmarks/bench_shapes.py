"""Validation + shape inference (``studio.compile.analyze``) of 500-node graphs, the work the
editor redoes on every edit. Target: at most 50 ms per analysis of a 500-node graph.

Three realistic graphs of exactly 500 nodes are built in code:

* ``chain``    — a long MLP/CNN chain: a small conv stem, then Linear / BatchNorm1d / ReLU /
                 Dropout blocks;
* ``resnet``   — a CIFAR-style CNN of residual blocks (Conv2d / BatchNorm2d / ReLU, Add skip
                 connections, MaxPool2d between stages, 1×1 projections where channels grow);
* ``wide``     — many parallel branches merged by multi-input Concat and Add nodes.

For each graph the script times, interleaved round by round (the order rotates):

* ``analyze``      — ``analyze(graph)`` from scratch;
* ``edit+analyze`` — one ``SetParam`` edit through ``History`` (it changes shapes downstream),
                     then ``analyze`` again: what happens on every edit in the editor;
* the reference    — torch running the compiled network (``build_module``) once on a batch of
                     one, eval mode, no grad, on the CPU ("real") and on the meta device
                     ("meta": shapes only, no arithmetic).

Warm-up rounds are dropped; median, p90 and max are over the timed rounds. The garbage
collector stays on (as in the editor), so ``max`` includes the occasional collection.

It also checks that every inferred shape equals the shape torch really produces (fx ShapeProp
on a batch of two), and, in a fresh subprocess, that importing ``studio.compile.shapes`` and
running ``analyze`` does not import torch.

Usage::

    python benchmarks/bench_shapes.py            # default run, about 30–60 s
    python benchmarks/bench_shapes.py --quick    # smoke run, under 20 s

The last line printed is ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Only the torch-free half of studio at module level: --probe-no-torch relies on it.
from studio.compile.shapes import analyze  # noqa: E402
from studio.graph import Edge, Graph, History, Node, SetParam  # noqa: E402

N_NODES = 500
TARGET_MS = 50.0

# ------------------------------------------------------------------------------------------
# Graph builders


class Builder:
    """Adds nodes with readable ids and wires them; ``then`` chains from the last node."""

    def __init__(self, name: str, input_shape: list[int]) -> None:
        self.g = Graph(name)
        self.counts: dict[str, int] = {}
        self.last = self.add("Input", {"shape": input_shape}, prefix="x")

    def add(self, type_: str, params: dict | None = None, *, prefix: str | None = None,
            inputs: tuple[str, ...] = ()) -> str:
        prefix = prefix or type_.lower()
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        node_id = f"{prefix}{self.counts[prefix]}"
        self.g.add_node(Node(node_id, type_, dict(params or {})))
        if len(inputs) == 1:
            self.g.add_edge(Edge(inputs[0], node_id))
        else:  # a merge node: inputs go to ports "0", "1", …
            for i, src in enumerate(inputs):
                self.g.add_edge(Edge(src, node_id, dst_port=str(i)))
        return node_id

    def then(self, type_: str, params: dict | None = None, **kw) -> str:
        self.last = self.add(type_, params, inputs=(self.last,), **kw)
        return self.last

    def room(self, tail: int) -> int:
        """Nodes still free before the last ``tail`` nodes, out of N_NODES."""
        return N_NODES - len(self.g.nodes) - tail

    def pad(self, tail: int, type_: str, params: dict | None = None) -> None:
        while self.room(tail) > 0:
            self.then(type_, params)


def chain_graph() -> Graph:
    """Conv stem, then Linear → BatchNorm1d → ReLU → Dropout blocks, then a classifier."""
    b = Builder("long_chain", [1, 28, 28])
    b.then("Conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 1})
    b.then("ReLU")
    b.then("MaxPool2d", {"kernel_size": 2})
    b.then("Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1})
    b.then("ReLU")
    b.then("MaxPool2d", {"kernel_size": 2})
    b.then("Flatten")
    widths = (256, 128, 192, 96)
    i = 0
    tail = 2  # Linear head + Output
    while b.room(tail) >= 4:
        b.then("Linear", {"out_features": widths[i % len(widths)]}, prefix="fc")
        b.then("BatchNorm1d", prefix="bn")
        b.then("ReLU", prefix="act")
        b.then("Dropout", {"p": 0.1}, prefix="drop")
        i += 1
    b.pad(tail, "ReLU")
    b.then("Linear", {"out_features": 10}, prefix="head")
    b.then("Output", prefix="y")
    return b.g


def resnet_graph() -> Graph:
    """CIFAR-style residual network: 3 stages (16, 32, 64 channels; 32², 16², 8²)."""
    b = Builder("residual_cnn", [3, 32, 32])
    b.then("Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}, prefix="stem")
    b.then("BatchNorm2d", prefix="stem_bn")
    b.then("ReLU", prefix="stem_act")
    tail = 4  # AdaptiveAvgPool2d, Flatten, Linear, Output
    stages = (16, 32, 64)
    conv3 = {"kernel_size": 3, "padding": 1, "bias": False}

    def block(channels: int, project: bool) -> None:
        skip = b.last
        b.then("Conv2d", {"out_channels": channels, **conv3}, prefix="conv")
        b.then("BatchNorm2d", prefix="bn")
        b.then("ReLU", prefix="act")
        b.then("Conv2d", {"out_channels": channels, **conv3}, prefix="conv")
        main = b.then("BatchNorm2d", prefix="bn")
        if project:  # 1×1 convolution on the skip path to match the new channel count
            proj = b.add("Conv2d", {"out_channels": channels, "kernel_size": 1, "bias": False},
                         prefix="proj", inputs=(skip,))
            skip = b.add("BatchNorm2d", prefix="proj_bn", inputs=(proj,))
        b.last = b.add("Add", prefix="res", inputs=(main, skip))
        b.then("ReLU", prefix="act")

    budget = b.room(tail)
    per_stage = budget // len(stages)
    for s, channels in enumerate(stages):
        stop = len(b.g.nodes) + per_stage if s < len(stages) - 1 else N_NODES - tail
        if s > 0:
            b.then("MaxPool2d", {"kernel_size": 2}, prefix="pool")
            block(channels, project=True)
        while stop - len(b.g.nodes) >= 7:
            block(channels, project=False)
    b.pad(tail, "ReLU")
    b.then("AdaptiveAvgPool2d", {"output_size": 1}, prefix="gap")
    b.then("Flatten")
    b.then("Linear", {"out_features": 10}, prefix="head")
    b.then("Output", prefix="y")
    return b.g


def wide_graph() -> Graph:
    """A trunk of 64 features and blocks of 2–6 parallel branches, merged alternately by a
    Concat (then a Linear back to 64 and a residual Add) or by one multi-input Add."""
    b = Builder("wide_branches", [32])
    b.then("Linear", {"out_features": 64}, prefix="trunk")
    tail = 2
    k = 0
    while True:
        fan = 2 + k % 5
        concat = k % 2 == 0
        size = 2 * fan + (3 if concat else 2)
        if b.room(tail) < size:
            break
        trunk = b.last
        outs = []
        for j in range(fan):
            width = 16 + 8 * (j % 3) if concat else 64
            h = b.add("Linear", {"out_features": width}, prefix="br", inputs=(trunk,))
            outs.append(b.add("ReLU" if j % 2 == 0 else "GELU", prefix="bract", inputs=(h,)))
        if concat:
            cat = b.add("Concat", {"dim": 1}, prefix="cat", inputs=tuple(outs))
            proj = b.add("Linear", {"out_features": 64}, prefix="mix", inputs=(cat,))
            b.last = b.add("Add", prefix="res", inputs=(trunk, proj))
        else:
            b.last = b.add("Add", prefix="sum", inputs=(trunk, *outs))
            b.then("LayerNorm", prefix="ln")
        k += 1
    b.pad(tail, "ReLU")
    b.then("Linear", {"out_features": 10}, prefix="head")
    b.then("Output", prefix="y")
    return b.g


# name: (builder, description, the edit: node id, parameter, two values to alternate)
GRAPHS = {
    "chain": (chain_graph, "long MLP/CNN chain (Linear/BN1d/ReLU/Dropout)", ("fc1", "out_features", (256, 200))),
    "resnet": (resnet_graph, "residual CNN (Conv2d/BN2d/ReLU/Add, MaxPool2d)", ("conv1", "out_channels", (16, 24))),
    "wide": (wide_graph, "wide graph (Concat/Add of 2-6 branches)", ("br1", "out_features", (16, 40))),
}

# ------------------------------------------------------------------------------------------
# The no-torch probe (runs in a fresh interpreter)


def probe_no_torch(warmup: int, runs: int) -> int:
    """Import the shape-inference half, analyse (and time) every graph; report what got
    imported. This is also the editor's situation before torch has loaded."""
    t0 = time.perf_counter()
    import studio.compile.shapes  # noqa: F401  (already imported above; cheap)
    from studio.compile import analyze as analyze_pkg

    oks, timings = {}, {}
    for name, (build, _, _) in GRAPHS.items():
        g = build()
        oks[name] = analyze(g).ok and analyze_pkg(g).ok
        times = []
        for r in range(warmup + runs):
            t = time.perf_counter()
            analyze(g)
            if r >= warmup:
                times.append(time.perf_counter() - t)
        timings[name] = summary(times)
    heavy = sorted(m for m in ("torch", "PySide6", "numpy", "onnx", "onnxruntime") if m in sys.modules)
    print(json.dumps({"torch_imported": "torch" in sys.modules, "heavy_modules": heavy, "ok": oks,
                      "analyze": timings, "elapsed_s": time.perf_counter() - t0}))
    return 0


def run_probe(warmup: int, runs: int) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-X", "importtime", str(Path(__file__).resolve()), "--probe-no-torch",
                           "--runs", str(runs), "--warmup", str(warmup)],
                          capture_output=True, text=True, timeout=120, cwd=str(ROOT))
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"no-torch probe failed:\n{proc.stdout}\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert all(result["ok"].values()), f"analyze found errors in a benchmark graph: {result['ok']}"
    # -X importtime lines: "import time: self [us] | cumulative | imported package"
    cumulative = {}
    for line in proc.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[1].isdigit():
            cumulative[parts[2]] = int(parts[1])
    result["import_studio_compile_ms"] = cumulative.get("studio.compile", 0) / 1e3
    result["subprocess_wall_s"] = wall
    return result


# ------------------------------------------------------------------------------------------
# Measurements


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    pos = q * (len(v) - 1)
    i = int(pos)
    j = min(i + 1, len(v) - 1)
    return v[i] + (v[j] - v[i]) * (pos - i)


def summary(values_s: list[float]) -> dict:
    ms = [v * 1e3 for v in values_s]
    return {"median_ms": statistics.median(ms), "p90_ms": pct(ms, 0.9), "max_ms": max(ms), "min_ms": min(ms),
            "runs": len(ms)}


class GcPauses:
    """Records full (generation 2) garbage collections that land inside timed analyses: with
    torch and a few big modules in memory they cost far more than the analysis itself."""

    def __init__(self) -> None:
        self.timing = False
        self.full: list[float] = []
        self._t = 0.0

    def _callback(self, phase, info) -> None:
        if phase == "start":
            self._t = time.perf_counter()
        elif self.timing and info.get("generation") == 2:
            self.full.append((time.perf_counter() - self._t) * 1e3)

    def __enter__(self):
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self._callback)


def check_shapes_against_torch(module, graph: Graph, analysis, input_shape) -> int:
    """Run fx ShapeProp on a batch of two and compare every annotated fx node's real shape
    (batch dropped) with the shape inference put on it. Returns how many were compared."""
    import torch
    from torch.fx.passes.shape_prop import ShapeProp

    module.eval()
    with torch.no_grad():
        ShapeProp(module).propagate(torch.randn(2, *input_shape))
    compared = 0
    for node in module.graph.nodes:
        want = node.meta.get("sample_shape")
        meta = node.meta.get("tensor_meta")
        if want is None or meta is None or not hasattr(meta, "shape"):
            continue
        got = tuple(meta.shape)[1:]
        assert got == tuple(want), f"{node.name}: shape inference says {want}, torch gives {got}"
        compared += 1
    # and the outputs the canvas shows per node match what the module was built from
    for node_id, info in analysis.nodes.items():
        assert info.spec is not None and (info.outputs or info.spec.role == "output"), node_id
    return compared


def bench_graph(name: str, *, warmup: int, runs: int, ref_budget_s: float, ref_min: int) -> dict:
    import copy

    import torch

    from studio.compile import build_module

    build, title, (node_id, key, values) = GRAPHS[name]
    graph = build()
    assert len(graph.nodes) == N_NODES, (name, len(graph.nodes))
    first_analysis = analyze(graph)
    assert first_analysis.ok, [str(p) for p in first_analysis.errors][:5]
    input_shape = tuple(next(n for n in graph.nodes.values() if n.type == "Input").params["shape"])

    t0 = time.perf_counter()
    module = build_module(graph, first_analysis)
    build_s = time.perf_counter() - t0
    compared = check_shapes_against_torch(copy.deepcopy(module), graph, first_analysis, input_shape)
    module.eval()
    meta_module = copy.deepcopy(module).to("meta")
    x_real = torch.randn(1, *input_shape)
    x_meta = torch.empty(1, *input_shape, device="meta")

    # the edit: alternate a parameter between two values that keep the graph valid and
    # change shapes (or parameter counts) downstream
    edited = graph.copy()
    history = History(edited)
    flip = [0]

    def do_analyze():
        return analyze(graph)

    def do_edit():
        flip[0] ^= 1
        history.push(SetParam(node_id, key, values[flip[0]]))
        return analyze(edited)

    def do_real():
        with torch.no_grad():
            return module(x_real)

    def do_meta():
        with torch.no_grad():
            return meta_module(x_meta)

    tasks = {"analyze": do_analyze, "edit+analyze": do_edit, "torch real": do_real, "torch meta": do_meta}
    studio_tasks = ("analyze", "edit+analyze")
    order = list(tasks)
    times: dict[str, list[float]] = {k: [] for k in tasks}
    warmed = {k: 0 for k in tasks}
    warmed["torch real"] = warmup  # the ShapeProp check above already ran this network for real
    spent = {k: 0.0 for k in tasks}

    def wants(k: str) -> str | None:
        """'warm', 'time' or None. The torch references stop early once they have used
        their time budget: with two threads on a loaded two-core machine one forward can
        take seconds (each op waits for a descheduled OpenMP thread)."""
        if warmed[k] < warmup:
            return "warm"
        if len(times[k]) >= runs:
            return None
        if k not in studio_tasks and len(times[k]) >= ref_min and spent[k] > ref_budget_s:
            return None
        return "time"

    pauses = GcPauses()
    gc.collect()
    with pauses:
        r = 0
        while any(wants(k) for k in order):
            for k in order[r % len(order):] + order[:r % len(order)]:
                phase = wants(k)
                if phase is None:
                    continue
                pauses.timing = phase == "time" and k in studio_tasks
                t = time.perf_counter()
                out = tasks[k]()
                dt = time.perf_counter() - t
                pauses.timing = False
                if k in studio_tasks:
                    assert out.ok, (name, k, [str(p) for p in out.errors][:3])
                if phase == "warm":
                    # one warm-up run is enough for something this slow
                    warmed[k] = warmup if k not in studio_tasks and dt > 0.25 else warmed[k] + 1
                else:
                    times[k].append(dt)
                    spent[k] += dt
            r += 1
    edges = len(graph.edges)
    res = {k: summary(v) for k, v in times.items()}
    med_an = res["analyze"]["median_ms"]
    return {
        "graph": name,
        "title": title,
        "nodes": len(graph.nodes),
        "edges": edges,
        "warnings": len(first_analysis.warnings),
        "params": first_analysis.total_params,
        "edit": f"{node_id}.{key} {values[0]}<->{values[1]}",
        "analyze": res["analyze"],
        "edit_analyze": res["edit+analyze"],
        "torch_real": res["torch real"],
        "torch_meta": res["torch meta"],
        "ms_per_node": med_an / len(graph.nodes),
        "faster_than_real_forward": res["torch real"]["median_ms"] / med_an,
        "faster_than_meta_forward": res["torch meta"]["median_ms"] / med_an,
        "shapes_checked": compared,
        "build_module_ms": build_s * 1e3,
        "full_gc_in_analyze": len(pauses.full),
        "longest_full_gc_ms": max(pauses.full, default=0.0),
        "meets_target": res["analyze"]["p90_ms"] <= TARGET_MS and res["edit+analyze"]["p90_ms"] <= TARGET_MS,
    }


def times_phrase(ratio: float) -> str:
    return f"{ratio:.1f}x faster than" if ratio >= 1 else f"{1 / ratio:.1f}x slower than"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run (< 20 s)")
    ap.add_argument("--runs", type=int, help="timed rounds per graph (default 50, quick 10)")
    ap.add_argument("--graphs", default=",".join(GRAPHS), help="comma-separated subset of " + ",".join(GRAPHS))
    ap.add_argument("--warmup", type=int, help="warm-up rounds dropped (default 5, quick 2)")
    ap.add_argument("--probe-no-torch", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    runs = args.runs or (10 if args.quick else 50)
    warmup = args.warmup if args.warmup is not None else (2 if args.quick else 5)
    if args.probe_no_torch:
        return probe_no_torch(warmup, runs)
    keys = [k.strip() for k in args.graphs.split(",") if k.strip()]
    for k in keys:
        if k not in GRAPHS:
            ap.error(f"unknown graph {k!r}; choose from {', '.join(GRAPHS)}")

    t_start = time.perf_counter()
    ref_budget_s, ref_min = (0.5, 1) if args.quick else (6.0, 5)
    probe = run_probe(warmup, runs)  # first, while this process has not imported torch either
    import torch

    print(f"validation + shape inference (studio.compile.analyze) of {N_NODES}-node graphs; target <= {TARGET_MS:g} ms")
    print(f"Python {platform.python_version()}, torch {torch.__version__} ({torch.get_num_threads()} threads, reference "
          f"only), {os.cpu_count()} CPUs; {runs} rounds after {warmup} warm-up, tasks interleaved in rotating order "
          f"(torch references capped at ~{ref_budget_s:g} s each), gc on"
          + (" [quick]" if args.quick else ""))
    results = [bench_graph(k, warmup=warmup, runs=runs, ref_budget_s=ref_budget_s, ref_min=ref_min) for k in keys]

    print()
    head = f"{'graph':<8} {'edges':>5} {'what':<16} {'runs':>4} {'median ms':>9} {'p90 ms':>8} {'max ms':>8} {'ms/node':>8}"
    print(head)
    print("-" * len(head))
    for r in results:
        rows = (("analyze", r["analyze"]), ("edit+analyze", r["edit_analyze"]),
                ("torch fwd, B=1", r["torch_real"]), ("torch fwd, meta", r["torch_meta"]))
        for i, (what, s) in enumerate(rows):
            label = (r["graph"], str(r["edges"])) if i == 0 else ("", "")
            per_node = f"{s['median_ms'] / r['nodes']:>8.4f}" if i < 2 else f"{'':>8}"
            print(f"{label[0]:<8} {label[1]:>5} {what:<16} {s['runs']:>4} {s['median_ms']:>9.2f} {s['p90_ms']:>8.2f} "
                  f"{s['max_ms']:>8.2f} {per_node}")
    print()
    for r in results:
        print(f"{r['graph']:<7} {r['title']}: {r['nodes']} nodes, {r['params']:,} parameters, "
              f"{r['warnings']} warnings; edit = SetParam {r['edit']}")
        print(f"        shape inference is {times_phrase(r['faster_than_real_forward'])} running the network once "
              f"(batch 1, CPU) and {times_phrase(r['faster_than_meta_forward'])} a meta-device forward")
        nogc = probe["analyze"][r["graph"]]
        print(f"        without torch loaded (fresh interpreter, as the editor starts): analyze median "
              f"{nogc['median_ms']:.2f} ms, p90 {nogc['p90_ms']:.2f}, max {nogc['max_ms']:.2f}")
        print(f"        {r['shapes_checked']} inferred shapes equal torch's (fx ShapeProp); build_module "
              f"{r['build_module_ms']:.0f} ms; full gc collections inside timed analyses: {r['full_gc_in_analyze']}"
              + (f" (longest {r['longest_full_gc_ms']:.0f} ms)" if r["full_gc_in_analyze"] else ""))
    print()
    imported = ", ".join(probe["heavy_modules"]) or "none of torch/PySide6/numpy/onnx"
    print(f"no-torch check (fresh interpreter): import studio.compile.shapes + analyze all graphs -> "
          f"torch imported: {probe['torch_imported']} (heavy modules loaded: {imported}); "
          f"import studio.compile took {probe['import_studio_compile_ms']:.0f} ms")
    ok = all(r["meets_target"] for r in results)
    worst = max(max(r["analyze"]["p90_ms"], r["edit_analyze"]["p90_ms"]) for r in results)
    print(f"target (p90 <= {TARGET_MS:g} ms for analyze and edit+analyze) {'met' if ok else 'NOT met'}; "
          f"worst p90 {worst:.2f} ms")
    if probe["torch_imported"]:
        print("FAIL: shape inference imported torch")

    def clean(v):
        if isinstance(v, float):
            return float(f"{v:.4g}")
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        return v

    out = {
        "benchmark": "shapes",
        "quick": args.quick,
        "target_ms": TARGET_MS,
        "all_meet_target": ok,
        "worst_p90_ms": clean(worst),
        "no_torch": not probe["torch_imported"],
        "heavy_modules_after_analyze": probe["heavy_modules"],
        "import_studio_compile_ms": clean(probe["import_studio_compile_ms"]),
        "analyze_without_torch": clean(probe["analyze"]),
        "elapsed_s": round(time.perf_counter() - t_start, 2),
        "graphs": {r["graph"]: clean({k: v for k, v in r.items() if k not in ("graph", "title")}) for r in results},
    }
    print("RESULT " + json.dumps(out, sort_keys=True))
    return 0 if not probe["torch_imported"] else 1


if __name__ == "__main__":
    sys.exit(main())
