"""The core's messages reach a Spanish-speaking learner in Spanish (studio/compile/translate.py).

Coverage is proved on real messages, not hand-picked ones: a seeded generator builds thousands
of broken and suspicious graphs over the whole catalogue (wrong shapes and dtypes, bad and
unknown parameters, unknown types, missing, extra and dangling wires, cycles, merges of
mismatched branches, gaps in merge inputs, odd node ids), and the corpus gathers every text
the core writes about them:

* every ``Problem`` of ``analyze`` (message and fix),
* every refused ``check_wire`` between random ports of those graphs,
* every shape rule called directly on random tensors (rank 0 and token ids included),
* every ``Param.problem`` / ``LayerSpec.param_problems`` for random invalid values,
* every ``node_id_problem`` and ``GraphError`` for random ids and refused mutations.

Each text must translate completely (a pattern matched every part), every variable part (ids,
numbers, shapes, type and parameter names, quoted values) must reappear in the Spanish, and no
English may be left around them. English is the identity, and translating a 500-node graph's
problems is cheap enough for every edit.
"""

from __future__ import annotations

import math
import shutil
import random
import re
import string
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from studio.compile import analyze
from studio.compile.shapes import Problem
from studio.compile.translate import (
    UntranslatedError, catalogue, clear_cache, explain, missing, translate, translate_problem,
)
from studio.compile.wiring import check_wire, free_input, upstream
from studio.graph import Edge, Graph, GraphError, Node, node_id_problem
from studio.graph.model import RESERVED_IDS
from studio.layers import CATALOGUE, ShapeError, TensorInfo
from studio.layers.spec import INFERRED_PARAMS

ROOT = Path(__file__).resolve().parents[2]
LAYERS = sorted(t for t, s in CATALOGUE.items() if s.role == "layer")
MERGES = sorted(t for t, s in CATALOGUE.items() if s.variadic)
KERAS = ("Dense", "Conv2D", "MaxPooling2D", "GlobalAveragePooling2D", "BatchNormalization", "SimpleRNN",
         "Conv2DTranspose", "UpSampling2D", "Concatenate", "Activation", "Softmaxx", "dense", "conv_2d")
BOGUS_PORTS = ("x", "in", "out", "hidden", "cell", "0", "1", "2", "3", "01", "in2", "h0", "a b", "it's")
ODD_IDS = ("a'b", 'say "hi"', "ñandú", "with space", "it's \"both\"", "back\\slash", "a — b", "x; y", "9lives")

# -- random values and parameters ----------------------------------------------------------------


def _text(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + " _-.,;:'\"\\/()[]{}ñéü—×…\t"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))


_DEEP: list = []
for _ in range(3000):  # deeper than json can show: "a deeply nested value"
    _DEEP = [_DEEP]


def _huge(rng: random.Random) -> int:
    return 10 ** 5000  # more digits than str() or json will write: "a number with more than 4,000 digits"


# Values an inspector edit or a hand-written file could put in a parameter, by kind of mistake.
ODD_VALUES = (
    lambda rng: rng.randint(-5, 0), lambda rng: rng.randint(2, 10 ** 7), lambda rng: -rng.randint(1, 3000),
    lambda rng: rng.choice([0.5, -0.25, 1.5, 2.75, 1e-9, 1e300, -1e-3, 3.0, 1e-13, 1025.5]),
    lambda rng: round(rng.uniform(-5, 2000), rng.randint(0, 4)),
    lambda rng: rng.choice([math.nan, math.inf, -math.inf]),
    lambda rng: rng.random() < 0.5,
    _text,
    lambda rng: rng.choice(["same", "valid", "", "relu", "none", "tanh", "sequence", "last", "int64", "SAME", "2"]),
    lambda rng: None,
    lambda rng: [rng.randint(-3, 40) for _ in range(rng.randint(0, 9))],
    lambda rng: [rng.randint(-2, 9), rng.choice(["x", 1.5, None, True])],
    lambda rng: [[1, 2], [3]], lambda rng: {"a": rng.randint(0, 9)}, lambda rng: (1, 2), lambda rng: {1, 2},
    lambda rng: b"xy", _huge, lambda rng: _DEEP, lambda rng: {(1, 2): 3}, lambda rng: object(),
    lambda rng: [-1, -1, rng.randint(1, 9)], lambda rng: [rng.randint(1, 5)] * rng.randint(7, 9),
    lambda rng: [rng.randint(-1, 6) for _ in range(rng.randint(1, 4))],
)


def odd_value(rng: random.Random, huge: bool = False):
    """One of ODD_VALUES. Not ``_huge`` in a graph unless asked: shape rules format a dim or
    padding_idx that large with str(), which raises (a core bug, not a translation one)."""
    return rng.choice(ODD_VALUES if huge else [v for v in ODD_VALUES if v is not _huge])(rng)


def plausible(param, rng: random.Random, empty: float = 0.2):
    """A value of the right kind, mostly in range; shape rules get to judge it."""
    if param.optional and rng.random() < empty:
        return None
    lo = -4 if param.min is None else param.min
    hi = 12 if param.max is None else min(param.max, 40)
    if param.kind == "int":
        return rng.randint(int(lo), max(int(lo), int(hi))) if rng.random() < 0.9 else rng.randint(-6, 60)
    if param.kind == "float":
        return rng.choice([v for v in (0.0, 1e-3, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3) if lo <= v <= hi] or [lo])
    if param.kind == "bool":
        return rng.random() < 0.5
    if param.kind == "choice":
        return rng.choice(param.choices)
    if param.kind in ("int2", "padding"):
        if param.kind == "padding" and rng.random() < 0.25:
            return rng.choice(["same", "valid"])
        a, b = (rng.randint(int(max(lo, 0)), 6) for _ in range(2))
        return a if rng.random() < 0.5 else [a, b]
    if param.kind == "ints":
        sizes = [rng.randint(1, 9) for _ in range(rng.randint(1, 4))]
        if param.allow_infer and rng.random() < 0.5:
            sizes[rng.randrange(len(sizes))] = -1
        return sizes
    raise AssertionError(param.kind)


def random_params(spec, rng: random.Random, bad: float = 0.12) -> dict:
    params = {}
    for p in spec.params:
        r = rng.random()
        if r < 0.35:
            continue
        params[p.name] = odd_value(rng) if r > 1 - bad else plausible(p, rng)
    if rng.random() < 0.06:
        others = [p.name for s in CATALOGUE.values() for p in s.params]
        key = rng.choice([rng.choice(others), rng.choice(sorted(INFERRED_PARAMS)), "units", "filters", "kernal_size",
                          "activation", "", "x y", "it's"])
        params[key] = 1
    return params


def random_shape(rng: random.Random, rank: int | None = None) -> list[int]:
    rank = rng.choice([1, 1, 2, 2, 3, 3, 3, 4]) if rank is None else rank
    return [rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 28, 32, 64, 100]) for _ in range(rank)]


# -- random broken graphs ------------------------------------------------------------------------


def random_graph(rng: random.Random, layers: int | None = None) -> Graph:
    """Input(s) → random layers, branches merged at random → Output(s); then broken a little."""
    g = Graph("corpus")
    values: list[tuple[str, str]] = []  # (node id, output port) available to wire from
    for _ in range(1 if rng.random() < 0.85 else 2):
        params = {"shape": random_shape(rng)}
        if rng.random() < 0.25:
            params["dtype"] = "int64"
        node_id = g.new_id("x")
        g.add_node(Node(node_id, "Input", params))
        values.append((node_id, "out"))
    last = values[-1]
    for _ in range(rng.randint(1, 7) if layers is None else layers):
        type_ = rng.choice(LAYERS if rng.random() < 0.85 else MERGES)
        spec = CATALOGUE[type_]
        node_id = g.new_id(type_)
        g.add_node(Node(node_id, type_, random_params(spec, rng)))
        if spec.variadic:
            k = rng.choice([1, 2, 2, 3])
            sources = [last] + [rng.choice(values) for _ in range(k - 1)]
            for i, (src, port) in enumerate(sources):
                g.edges.append(Edge(src, node_id, port, str(i)))
        else:
            src, port = last if rng.random() < 0.75 else rng.choice(values)
            g.edges.append(Edge(src, node_id, port, "in"))
        ports = [p.name for p in spec.outputs]
        last = (node_id, rng.choice(ports) if rng.random() < 0.2 else ports[0])
        values.extend((node_id, p) for p in ports)
    for src, port in [last] + ([rng.choice(values)] if rng.random() < 0.3 else []):
        out = g.new_id("y")
        g.add_node(Node(out, "Output"))
        g.edges.append(Edge(src, out, port, "in"))
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        rng.choice(MUTATIONS)(g, rng)
    return g


def _drop_edge(g, rng):
    if g.edges:
        g.edges.pop(rng.randrange(len(g.edges)))


def _random_edge(g, rng):
    src, dst = rng.choice(list(g.nodes)), rng.choice(list(g.nodes))
    g.edges.append(Edge(src, dst, rng.choice(BOGUS_PORTS), rng.choice(BOGUS_PORTS)))


def _extra_wire(g, rng):
    if g.edges:
        e = rng.choice(g.edges)
        g.edges.append(Edge(rng.choice(list(g.nodes)), e.dst, "out", e.dst_port))


def _dangling(g, rng):
    ghost = rng.choice(("ghost", "gone1") + ODD_IDS)
    node = rng.choice(list(g.nodes))
    g.edges.append(Edge(ghost, node) if rng.random() < 0.5 else Edge(node, ghost, "out", rng.choice(BOGUS_PORTS)))


def _unknown_type(g, rng):
    node = g.nodes[rng.choice(list(g.nodes))]
    real = rng.choice(LAYERS)
    cut = rng.randrange(len(real))
    node.type = rng.choice([rng.choice(KERAS), real[:cut] + real[cut + 1:], real.lower(), real.upper(), _text(rng), ""])


def _cycle(g, rng):
    order = list(g.nodes)
    if len(order) > 2:
        i, j = sorted(rng.sample(range(len(order)), 2))
        spec = CATALOGUE.get(g.nodes[order[i]].type)
        port = "1" if spec is not None and spec.variadic else "in"
        g.edges.append(Edge(order[j], order[i], "out", port))


def _renumber(g, rng):
    merges = [k for k, n in g.nodes.items() if n.type in MERGES]
    if merges:
        node = rng.choice(merges)
        g.edges = [Edge(e.src, e.dst, e.src_port, str(rng.randint(0, 5))) if e.dst == node else e for e in g.edges]


def _remove_role(g, rng):
    role = rng.choice(["Input", "Output"])
    for k in [k for k, n in g.nodes.items() if n.type == role]:
        del g.nodes[k]
    if rng.random() < 0.5:
        g.edges = [e for e in g.edges if e.src in g.nodes and e.dst in g.nodes]


def _reshape_input(g, rng):
    inputs = [n for n in g.nodes.values() if n.type == "Input"]
    if inputs:
        node = rng.choice(inputs)
        node.params["shape"] = random_shape(rng)
        node.params["dtype"] = rng.choice(["float32", "int64"])


def _odd_id(g, rng):
    """An id the document would refuse, as a hand-built graph could still hold one."""
    old = rng.choice(list(g.nodes))
    new = rng.choice(ODD_IDS)
    if new in g.nodes:
        return
    g.nodes = {(new if k == old else k): n for k, n in g.nodes.items()}
    g.nodes[new].id = new
    g.edges = [e.renamed(old, new) for e in g.edges]


MUTATIONS = (_drop_edge, _random_edge, _extra_wire, _dangling, _unknown_type, _cycle, _renumber, _remove_role,
             _reshape_input, _odd_id, _drop_edge, _extra_wire, _reshape_input)


# -- the corpus ------------------------------------------------------------------------------------


class Corpus:
    def __init__(self) -> None:
        self.texts: dict[str, str] = {}  # English text -> where it came from
        self.problems: list[Problem] = []
        self.graphs: list[Graph] = []
        self.crashes: Counter = Counter()

    def add(self, text: str, kind: str) -> None:
        if text:
            self.texts.setdefault(text, kind)

    def add_problem(self, p: Problem, kind: str) -> None:
        self.problems.append(p)
        self.add(p.message, kind)
        self.add(p.fix, kind + " fix")


def _wire_checks(corpus: Corpus, g: Graph, analysis, rng: random.Random, n: int) -> None:
    ids = list(g.nodes)
    for _ in range(n):
        src, dst = rng.choice(ids), rng.choice(ids)
        s_spec, d_spec = CATALOGUE.get(g.nodes[src].type), CATALOGUE.get(g.nodes[dst].type)
        src_port = rng.choice([p.name for p in s_spec.outputs] or ["out"]) if s_spec and rng.random() < 0.8 \
            else rng.choice(BOGUS_PORTS)
        if d_spec and rng.random() < 0.8:
            dst_port = (free_input(g, dst) if rng.random() < 0.5 else None) or d_spec.default_input or "0"
        else:
            dst_port = rng.choice(BOGUS_PORTS)
        if rng.random() < 0.03:
            src = "ghost"
        ancestors = upstream(g, src) if rng.random() < 0.5 else None
        try:
            check = check_wire(g, analysis, src, src_port, dst, dst_port, ancestors)
        except Exception as exc:  # a core bug: counted and shown, not a translation problem
            corpus.crashes[f"check_wire: {type(exc).__name__}: {exc}"] += 1
            continue
        if not check.ok:
            corpus.add(check.reason, "wire check")
        else:
            assert check.reason == ""


def _tensor(rng: random.Random) -> TensorInfo:
    return TensorInfo(tuple(random_shape(rng, rng.choice([0, 1, 1, 2, 2, 3, 3, 4]))),
                      "int64" if rng.random() < 0.2 else "float32")


def _shape_rules(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    """Every shape rule, called directly on random tensors (rank 0 and token ids too, which
    no Input produces but a rule must still explain)."""
    for _ in range(rounds):
        for type_ in LAYERS:
            spec = CATALOGUE[type_]
            params = random_params(spec, rng, bad=0)
            if spec.param_problems(params):
                continue
            resolved = spec.resolve(params)
            inputs = {str(i): _tensor(rng) for i in range(rng.choice([2, 2, 3]))} if spec.variadic \
                else {"in": _tensor(rng)}
            if spec.variadic and rng.random() < 0.5:  # mostly-matching branches: near misses
                first = inputs["0"]
                inputs = {k: TensorInfo(first.shape[:-1] + (rng.choice([first.shape[-1], 1, 3]),) if first.shape
                                        else (), first.dtype) for k in inputs}
            try:
                result = spec.shape(resolved, inputs)
            except ShapeError as exc:
                corpus.add(exc.message, "shape rule")
                corpus.add(exc.fix, "shape rule fix")
                continue
            except Exception as exc:  # a rule that crashes is counted and shown, not hidden
                corpus.crashes[f"{type_}: {type(exc).__name__}"] += 1
                continue
            for w in result.warnings:
                message, _, fix = w.partition(" — ")
                corpus.add(message, "shape warning")
                corpus.add(fix, "shape warning fix")


def _shape_sweep(corpus: Corpus, rng: random.Random) -> None:
    """Systematically: every layer, every rank 0…4 in both dtypes, with its defaults, with one
    parameter changed at a time, and with all optional parameters empty but one."""
    for type_ in LAYERS:
        spec = CATALOGUE[type_]
        variants = [{}] + [{p.name: plausible(p, rng)} for p in spec.params for _ in range(3)]
        optional = [p for p in spec.params if p.optional]
        for keep in optional:
            for _ in range(4):
                variants.append({p.name: plausible(p, rng, empty=0) if p is keep else None for p in optional})
        for params in variants:
            if spec.param_problems(params):
                continue
            resolved = spec.resolve(params)
            for rank in range(5):
                for dtype in ("float32", "int64"):
                    t = TensorInfo(tuple(random_shape(rng, rank)), dtype)
                    inputs = {"0": t, "1": TensorInfo(t.shape[::-1], dtype)} if spec.variadic else {"in": t}
                    try:
                        result = spec.shape(resolved, inputs)
                    except ShapeError as exc:
                        corpus.add(exc.message, "shape rule")
                        corpus.add(exc.fix, "shape rule fix")
                        continue
                    except Exception as exc:  # counted and shown, as above
                        corpus.crashes[f"{type_}: {type(exc).__name__}"] += 1
                        continue
                    for w in result.warnings:
                        message, _, fix = w.partition(" — ")
                        corpus.add(message, "shape warning")
                        corpus.add(fix, "shape warning fix")


def _param_problems(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for _ in range(rounds):
        for spec in CATALOGUE.values():
            for p in spec.params:
                for make in ODD_VALUES:  # every kind of mistake in every parameter
                    problem = p.problem(make(rng))
                    if problem:
                        corpus.add(problem, "Param.problem")
                        corpus.add(f"{p.name} {problem}", "inspector")  # what the inspector shows
            for key, message in spec.param_problems(random_params(spec, rng, bad=0.5)):
                corpus.add(message, "param_problems")


def _node_ids(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    candidates = sorted(RESERVED_IDS) + list(ODD_IDS) + [
        "", "1abc", "_x", "x" * 65, "dense-1", "a.b", "conv 1", "ok1", 5, None, 1.5, [1, "a"], {"id": 1}, b"id", True]
    for c in candidates:
        text = node_id_problem(c)
        if text:
            corpus.add(text, "node_id_problem")
    for _ in range(rounds):
        text = node_id_problem(_text(rng) if rng.random() < 0.8 else odd_value(rng, huge=True))
        if text:
            corpus.add(text, "node_id_problem")


def _fit_messages(corpus: Corpus) -> None:
    """What the training panel says when data and network do not fit (``studio.train.fit``):
    every example against data of every kind, through Inputs of other shapes and dtypes, with
    every loss; the objective's notes too."""
    from studio.data import load_data
    from studio.graph import AddNode, SetParam
    from studio.layers import load_graph
    from studio.train.config import LOSSES
    from studio.train.fit import FitError, fit

    data = [load_data(spec, seed=0, val_split=0.15, test_split=0.15)
            for spec in ("xor", "blobs?classes=3", "digits", "digits?target=input", "sine", "sequences", "tokens")]
    graphs = [load_graph(f) for f in sorted((ROOT / "examples").glob("*.neurona"))]
    variants = []
    for g in graphs:
        variants.append(g)
        inp = next(n for n in g if n.type == "Input")
        for shape, dtype in (([64], "float32"), ([1, 8, 8], "float32"), ([2], "float32"), ([20, 1], "float32"),
                             ([10], "int64"), ([64, 1], "float32"), ([2, 5], "float32")):
            v = g.copy()
            SetParam(inp.id, "shape", shape).apply(v)
            SetParam(inp.id, "dtype", dtype).apply(v)
            variants.append(v)
    two = graphs[0].copy()  # two Inputs
    AddNode(Node("x2", "Input", {"shape": [2]}, (0.0, 0.0))).apply(two)
    variants.append(two)
    softmax = Graph()  # a classifier that ends in a Softmax (CrossEntropy applies it already)
    for node in (Node("x", "Input", {"shape": [2]}), Node("dense", "Linear", {"out_features": 2}),
                 Node("probs", "Softmax", {}), Node("y", "Output", {})):
        softmax.add_node(node)
    for src, dst in (("x", "dense"), ("dense", "probs"), ("probs", "y")):
        softmax.add_edge(Edge(src, dst))
    variants.append(softmax)

    def collect(run) -> None:
        try:
            for note in run().objective.notes:
                corpus.add(note, "fit note")
        except FitError as exc:
            corpus.add(exc.message, "fit")
            if exc.fix:
                corpus.add(exc.fix, "fit")

    for v in variants:
        analysis = analyze(v)
        for splits in data:
            for loss in LOSSES:
                collect(lambda: fit(v, analysis, splits, loss))


def _data_messages(corpus: Corpus, tmp: Path) -> None:
    """What the data loaders say about bad specs, options, CSV files, .npz archives and image
    folders (the training panel and the inference panel show it), from real bad inputs."""
    import numpy as np
    from PIL import Image
    from studio.data import DataError, load_data

    out = []

    def refuse(spec, **kw):  # a spec that loads says nothing (and leaves its patterns unreached)
        try:
            load_data(spec, **kw)
        except DataError as exc:
            out.append(str(exc))

    def csv(name, text):
        p = tmp / name
        p.write_text(text, encoding="utf-8")
        return p

    good = csv("good.csv", "a,b,label\n" + "".join(f"{i},{i % 3},{'xy'[i % 2]}\n" for i in range(30)))
    for spec in ("", "foo", "digts", "data.csv", "my/folder", "csvv:x.csv", "csv:", "npz:", "images:",
                 "digits?val", "digits?val=0.1&val=0.2", "digits?colour=1", "digits?vall=0.2",
                 "digits?n=abc", "blobs?n=abc", "blobs?noise=abc", "sine?noise=x", "digits?val=1.5",
                 "digits?val=0.6&test=0.5", "blobs?n=1", "blobs?n=5000000", "blobs?classes=40&features=3",
                 "digits?target=labels", "digits?noise=0.2", "digits?seed=-1", "sine?n=3",
                 "blobs?classes=2&n=4", f"csv:{tmp / 'missing.csv'}", f"csv:{tmp}", f"npz:{tmp / 'missing.npz'}",
                 f"images:{tmp / 'nope'}", f"csv:{good}?target=zz", f"csv:{good}?target=A",
                 f"csv:{good}?features=a,label&target=label", f"csv:{good}?target=input&task=regression",
                 f"csv:{good}?task=maybe", f"csv:{good}?target=label&task=regression", f"csv:{good}?features=b&target=b",
                 f"csv:{good}?normalize=2", f"npz:{tmp}", f"images:{good}", "blobs?n=20&val=0.01", "sine?n=20&val=0.01",
                 "blobs?n=20&val=0&test=0.01", "sine?n=20&val=0&test=0.01"):
        refuse(spec)
    refuse("digits", seed=-2)
    cases = {
        "empty.csv": "",
        "numbers.csv": "1,2,3\n4,5,6\n",
        "noname.csv": "a,,c\n1,2,3\n",
        "twice.csv": "a,a,c\n1,2,3\n",
        "header.csv": "a,b,c\n",
        "ragged.csv": "a,b,c\n1,2,3\n1,2\n",
        "comma.csv": "a;b;c\n" + "".join(f"{i},5;2;x\n" for i in range(20)),
        "text.csv": "a,b,c\n" + "".join(f"{i},hello,{'xy'[i % 2]}\n" for i in range(20)),
        "texts.csv": "a,b,c\n" + "".join(f"foo,bar,{'xy'[i % 2]}\n" for i in range(20)),
        "mixed.csv": "a,b,c,d\n" + "".join(f"{i},foo,bar,{'xy'[i % 2]}\n" for i in range(20)),
        "gap.csv": "a,b,c\n1,2,x\n3,,y\n" + "".join(f"{i},{i},{'xy'[i % 2]}\n" for i in range(20)),
        "na.csv": "a,b,c\n1,2,x\n3,NA,y\n" + "".join(f"{i},{i},{'xy'[i % 2]}\n" for i in range(20)),
        "inf.csv": "a,b,c\n1,inf,x\n" + "".join(f"{i},{i},{'xy'[i % 2]}\n" for i in range(20)),
        "inftarget.csv": "a,b\n1,inf\n" + "".join(f"{i},{i * 0.37}\n" for i in range(20)),
        "one.csv": "a,b\n" + "".join(f"{i},same\n" for i in range(20)),
        "onlytarget.csv": "label\n" + "".join(f"{'xy'[i % 2]}\n" for i in range(20)),
        "bad.csv": 'a,b\n"1,2\n',
        "huge.csv": "a,b\n" + "x" * 200_000 + ",1\n",  # a cell past the csv module's field limit
    }
    for name, text in cases.items():
        p = csv(name, text)
        refuse(f"csv:{p}")
    tiny, tiny_classes = csv("tiny.csv", "a,b\n1,0.5\n2,0.7\n"), csv("tinyc.csv", "a,b\n1,x\n2,y\n")
    for spec in (f"csv:{tiny}", f"csv:{tiny}?val=0", f"csv:{tiny_classes}?val=0"):  # too few for a split
        refuse(spec)
    p = csv("textreg.csv", "a,b\n" + "".join(f"{i},{'xy'[i % 2]}\n" for i in range(20)))
    refuse(f"csv:{p}?task=regression")
    # npz archives
    x = np.random.default_rng(0).random((30, 4)).astype(np.float32)
    y = np.arange(30) % 3
    arrays = {
        "single.npz": None,
        "noy.npz": {"X": x},
        "short.npz": {"X": x, "y": y[:10]},
        "objects.npz": {"X": np.array([object()] * 30, dtype=object), "y": y},
        "strings.npz": {"X": np.array(["a"] * 30), "y": y},
        "nothing.npz": {"X": np.zeros((0, 4)), "y": np.zeros(0)},
        "fraction_ids.npz": {"X": x, "y": y},
        "negative_ids.npz": {"X": -np.ones((30, 4)), "y": y},
        "complex_y.npz": {"X": x, "y": y.astype(np.complex64)},
        "matrix_y.npz": {"X": x, "y": np.stack([y, y, y], 1).astype(np.int64).reshape(30, 3)},
        "one_class.npz": {"X": x, "y": np.zeros(30, dtype=np.int64)},
        "many_classes.npz": {"X": np.zeros((10_001, 1), np.float32), "y": np.arange(10_001)},
        "nan.npz": {"X": np.where(np.arange(120).reshape(30, 4) == 7, np.nan, x), "y": y},
    }
    for name, content in arrays.items():
        p = tmp / name
        if content is None:
            np.save(tmp / "single.npy", x)
            (tmp / "single.npy").rename(p)
        elif name == "objects.npz":
            np.savez(p, **content)  # allow_pickle is only refused when reading
        else:
            np.savez(p, **content)
        opts = "?dtype=int64" if name in ("fraction_ids.npz", "negative_ids.npz") else ""
        opts = "?y=labels" if name == "noy.npz" else opts
        refuse(f"npz:{p}{opts}")
    (tmp / "junk.npz").write_bytes(b"not a zip")
    refuse(f"npz:{tmp / 'junk.npz'}")
    # image folders
    refuse(f"images:{tmp}?gray=2")
    for name, layout in {"empty_dir": {}, "flat": {"a.png": 1}, "oneclass": {"cats": 2},
                         "noimages": {"cats": 0, "dogs": 2}, "broken": {"cats": 2, "dogs": -1}}.items():
        root = tmp / name
        root.mkdir()
        for key, n in layout.items():
            if key.endswith(".png"):
                Image.new("RGB", (4, 4)).save(root / key)
                continue
            (root / key).mkdir()
            for i in range(max(n, 0)):
                Image.new("RGB", (4, 4), (i * 40, 0, 0)).save(root / key / f"{i}.png")
            if n < 0:
                (root / key / "bad.png").write_bytes(b"not a png")
        refuse(f"images:{root}")
    for text in out:
        corpus.add(text, "data")


def _deploy_messages(corpus: Corpus, tmp: Path) -> None:
    """What running an ONNX model says about bad inputs, files and models (the inference panel
    and neurona predict show it), from real bad feeds and hand-made models."""
    import numpy as np
    import onnx
    from onnx import TensorProto as T, helper as h, numpy_helper as nh
    from studio.deploy.errors import DeployError
    from studio.deploy.runner import OnnxRunner

    out = []

    def refuse(call):
        try:
            call()
        except DeployError as exc:
            out.append(str(exc))

    def save(name, nodes, ins, outs, inits=(), opset=17, meta=None, ir=None):
        g = h.make_graph(nodes, name, ins, outs, initializer=list(inits))
        kw = {"opset_imports": [h.make_opsetid("", opset)]}
        if ir:
            kw["ir_version"] = ir
        m = h.make_model(g, **kw)
        for k, v in (meta or {}).items():
            m.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))
        p = tmp / f"{name}.onnx"
        onnx.save(m, str(p))
        return p

    vec = lambda n, t=T.FLOAT, d=("n", 3): h.make_tensor_value_info(n, t, list(d))
    relu = save("relu", [h.make_node("Relu", ["x"], ["y"])], [vec("x")], [vec("y")])
    add = save("add", [h.make_node("Add", ["a", "b"], ["y"])], [vec("a"), vec("b")], [vec("y")])
    ints = save("ints", [h.make_node("Cast", ["x"], ["y"], to=T.FLOAT)], [vec("x", T.INT64)], [vec("y")])
    bools = save("bools", [h.make_node("Not", ["x"], ["y"])], [vec("x", T.BOOL)], [vec("y", T.BOOL)])
    img = save("img", [h.make_node("GlobalAveragePool", ["x"], ["p"]), h.make_node("Flatten", ["p"], ["y"])],
               [vec("x", d=("n", 3, 4, 4))], [vec("y", d=("n", 3))])
    rank3 = save("rank3", [h.make_node("Relu", ["x"], ["y"])], [vec("x", d=("n", 5, 2))], [vec("y", d=("n", 5, 2))])
    r = OnnxRunner(relu)
    refuse(lambda: r.run({"z": np.zeros((1, 3))}))
    refuse(lambda: r.run({}))
    refuse(lambda: r.run({"x": np.zeros((1, 4))}))
    refuse(lambda: r.run({"x": np.array([["a", "b", "c"]])}))
    refuse(lambda: r.run({"x": object()}))
    refuse(lambda: r.run({"x": np.zeros((4, 3))}, batch_size=0))
    refuse(lambda: r.predict({"x": np.zeros((1, 3))}, top_k=0))
    refuse(lambda: OnnxRunner(add).run(np.zeros((1, 3))))
    refuse(lambda: OnnxRunner(add).run({"a": np.zeros((2, 3)), "b": np.zeros((3, 3))}, batch_size=1))
    refuse(lambda: OnnxRunner(ints).run({"x": np.array([[0.5, 1, 2]])}))
    refuse(lambda: OnnxRunner(bools).run({"x": np.array([[0.5, 1, 2]])}))
    for name, text in (("missing.xyz", None), ("nothere.csv", None), ("empty.csv", ""), ("ragged.csv", "1,2,3\n1,2\n"),
                       ("word.csv", "1,2,3\n1,x,3\n"), ("junk.npy", "junk"), ("junk.npz", "junk"), ("junk.pb", "junk"),
                       ("junk.png", "junk")):
        p = tmp / name
        if text is not None:
            p.write_text(text)
        target = img if name == "junk.png" else relu
        refuse(lambda p=p, target=target: OnnxRunner(target).load_inputs(p))
    np.savez(tmp / "two.npz", a=np.zeros((1, 3)), b=np.zeros((1, 3)))
    refuse(lambda: OnnxRunner(relu).load_inputs(tmp / "two.npz"))
    np.savez(tmp / "wrong.npz", q=np.zeros((1, 3)))
    refuse(lambda: OnnxRunner(add).load_inputs(tmp / "wrong.npz"))
    np.save(tmp / "one.npy", np.zeros((1, 3)))
    refuse(lambda: OnnxRunner(add).load_inputs(tmp / "one.npy"))
    refuse(lambda: OnnxRunner(add).load_inputs(tmp / "ragged.csv"))
    from PIL import Image
    Image.new("RGB", (4, 4)).save(tmp / "pic.png")
    refuse(lambda: OnnxRunner(rank3).load_inputs(tmp / "pic.png"))
    refuse(lambda: OnnxRunner(add).load_inputs(tmp / "pic.png"))
    tp = nh.from_array(np.zeros((1, 3), dtype=np.float32), "a")
    (tmp / "a.pb").write_bytes(tp.SerializeToString())
    refuse(lambda: OnnxRunner(add).load_inputs(tmp / "a.pb"))
    # models that cannot be opened
    refuse(lambda: OnnxRunner(tmp / "nomodel.onnx"))
    (tmp / "junk.onnx").write_bytes(b"\x00junk")
    refuse(lambda: OnnxRunner(tmp / "junk.onnx"))
    (tmp / "blank.onnx").write_bytes(b"")
    refuse(lambda: OnnxRunner(tmp / "blank.onnx"))
    bad = save("bad", [h.make_node("Relu", ["nope"], ["y"])], [vec("x")], [vec("y")])
    refuse(lambda: OnnxRunner(bad))
    unknown = save("unknown", [h.make_node("NoSuchOp", ["x"], ["y"])], [vec("x")], [vec("y")])
    refuse(lambda: OnnxRunner(unknown))
    for meta in ({"neurona.normalization": '{"mean": ["a"], "std": [1]}'},
                 {"neurona.normalization": '{"mean": [1, 2], "std": [1]}'},
                 {"neurona.normalization": '{"mean": [1, 2], "std": [1, 1]}'},
                 {"neurona.normalization": '{"mean": [1, 2], "std": [1, 1], "axis": 0}'}):
        m = save("norm", [h.make_node("Relu", ["x"], ["y"])], [vec("x")], [vec("y")], meta=meta)
        refuse(lambda m=m: OnnxRunner(m).run({"x": np.zeros((1, 3))}))
    reshape = save("reshape", [h.make_node("Reshape", ["x", "s"], ["y"])], [vec("x")], [vec("y", d=(2, 2))],
                   [nh.from_array(np.array([2, 2], dtype=np.int64), "s")])
    refuse(lambda: OnnxRunner(reshape).run({"x": np.zeros((1, 3))}))  # fails inside onnxruntime
    refuse(lambda: r.run({"x": [[1.0, 2.0, 3.0], [1.0]]}))  # ragged: not an array
    (tmp / "latin.csv").write_bytes(b"caf\xe9,1,2\n")  # not UTF-8
    refuse(lambda: r.load_inputs(tmp / "latin.csv"))
    total = save("total", [h.make_node("ReduceSum", ["x"], ["y"], keepdims=0)], [vec("x")],
                 [h.make_tensor_value_info("y", T.FLOAT, [])])
    refuse(lambda: OnnxRunner(total).run({"x": np.zeros((2, 3))}, batch_size=1))
    # paths that are no model file, metadata of every kind, and the notes a runner leaves
    import os

    os.mkfifo(tmp / "fifo.onnx")
    refuse(lambda: OnnxRunner(tmp / "fifo.onnx"))
    refuse(lambda: OnnxRunner(tmp))
    for meta in ({"neurona.normalization": '{"mean": [NaN], "std": [1]}'},
                 {"neurona.normalization": '{"mean": [1, 2, 3], "std": [1, 1, 1], "axis": "x"}'}):
        m = save("norm", [h.make_node("Relu", ["x"], ["y"])], [vec("x")], [vec("y")], meta=meta)
        refuse(lambda m=m: OnnxRunner(m).run({"x": np.zeros((1, 3))}))
    norm = '{"mean": [1, 2, 3], "std": [1, 1, 1], "axis": 0}'
    for value in ("outside", "sideways"):
        m = save("pre", [h.make_node("Relu", ["x"], ["y"])], [vec("x")], [vec("y")],
                 meta={"neurona.normalization": norm, "neurona.preprocessing": value})
        out.extend(OnnxRunner(m).notes)
    out.extend(OnnxRunner(save("old", [h.make_node("Relu", ["x"], ["y"])], [vec("x")], [vec("y")], opset=6)).notes)
    for text in out:
        corpus.add(text, "deploy")


def _training_messages(corpus: Corpus, tmp: Path) -> None:
    """What a run that cannot go on says (the training panel shows it): real runs of
    ``neurona train``, side by side: one that diverges, one on a GPU that is not there, one that
    resumes nothing."""
    import json

    example = ROOT / "examples"
    runs = {
        "diverges": [str(example / "sine_lstm.neurona"), "--lr", "10", "--optimizer", "sgd", "--epochs", "2"],
        "no device": [str(example / "xor.neurona"), "--device", "cuda:7", "--epochs", "1"],
        "nothing to resume": [str(example / "xor.neurona"), "--resume", "--epochs", "1"],
        "trains": [str(example / "xor.neurona"), "--epochs", "1"],  # then exported to places it cannot write
        # then exported after its data has gone
        "trains on a CSV": [str(example / "xor.neurona"), "--data", f"csv:{tmp / 'points.csv'}?target=label",
                            "--epochs", "1"],
    }
    (tmp / "points.csv").write_text("a,b,label\n" + "".join(f"{i % 2},{i // 2 % 2},{(i + i // 2) % 2}\n"
                                                          for i in range(40)))
    procs = {name: subprocess.Popen([sys.executable, "-m", "studio", "train", *args, "--out", str(tmp / f"run-{i}"),
                                     "--events", "-", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
             for i, (name, args) in enumerate(runs.items())}
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=300)
        if name.startswith("trains"):
            assert proc.returncode == 0, f"{name}: the run to export did not train"
            continue
        errors = [e for e in map(json.loads, out.splitlines()) if e.get("event") == "error"]
        assert errors, f"{name}: the run did not fail"
        corpus.add(errors[0]["message"], "training")
        if errors[0].get("fix"):
            corpus.add(errors[0]["fix"], "training")
    run = tmp / f"run-{list(runs).index('trains')}"
    targets = [(run, tmp / "no-such-folder" / "model.onnx"), (run, tmp)]  # places it cannot write
    # run folders that were emptied, cut short or changed after training
    for name, damage in (("gone", None), ("empty", lambda r: shutil.rmtree(r) or r.mkdir()),
                         ("no weights", lambda r: [p.unlink() for p in r.glob("*.safetensors")]),
                         ("damaged weights", lambda r: [p.write_bytes(b"junk") for p in r.glob("*.safetensors")]),
                         ("damaged graph", lambda r: (r / "graph.neurona").write_text("{")),
                         ("another graph", lambda r: (r / "graph.neurona").write_text(
                             (r / "graph.neurona").read_text().replace('"out_features": 4', '"out_features": 5')))):
        copy = tmp / f"export-{name}"
        if damage is not None:
            shutil.copytree(run, copy)
            damage(copy)
        targets.append((copy, tmp / f"{name}.onnx"))
    (tmp / "points.csv").unlink()
    moved = tmp / f"run-{list(runs).index('trains on a CSV')}"
    shutil.copytree(moved, tmp / "export-no samples")
    (tmp / "export-no samples" / "samples.npz").unlink()
    targets.append((tmp / "export-no samples", tmp / "no-samples.onnx"))
    noted = subprocess.run([sys.executable, "-m", "studio", "export", str(moved), "-o", str(tmp / "moved.onnx"),
                            "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert noted.returncode == 0, noted.stderr
    for note in json.loads(noted.stdout)["notes"]:  # the export dialog shows them under the parity verdict
        corpus.add(note, "export note")
    exports = [subprocess.Popen([sys.executable, "-m", "studio", "export", str(folder), "-o", str(target), "--json"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for folder, target in targets]
    for proc in exports:  # what the export dialog shows after "The export failed:"
        _, err = proc.communicate(timeout=300)
        assert proc.returncode != 0 and "internal error" not in err, err
        corpus.add(err.strip().splitlines()[-1].removeprefix("export failed: ").removeprefix("cannot export: "),
                   "export")


def _config_messages(corpus: Corpus) -> None:
    """What the training panel says about a bad setting (``TrainConfig``), in full (a setting
    only the file holds) and without the setting's name (one the form labels its own way)."""
    from studio.train.config import ConfigError, TrainConfig

    bad = [{"epochs": 0}, {"epochs": 2_000_000}, {"plateau_patience": -1}, {"lr": -1}, {"lr": 50}, {"lr": "fast"},
           {"momentum": 2}, {"min_delta": -1}, {"grad_clip": 0}, {"optimizer": "adamax"}, {"mode": "batch"},
           {"nesterov": "yes"}, {"nesterov": True}, {"amp": 1}, {"device": "gpu"}, {"data": 5}, {"epoch": 3},
           {"learning rate": 0.1}, {"val_split": 0.5, "test_split": 0.5}, {"seed": -2}, {"loss": "hinge"}]
    for data in bad:
        try:
            TrainConfig.from_dict(data)
        except ConfigError as exc:
            corpus.add(str(exc), "settings")
            corpus.add(exc.why, "settings field")
        else:
            raise AssertionError(f"{data} was accepted")
    _, errors = TrainConfig.from_dict_partly([1, 2])
    corpus.add(str(errors[""]), "settings")


def _export_failures(corpus: Corpus, tmp: Path) -> None:
    """What the exporters say about modules they cannot write (the export dialog shows it after
    "The export failed:"): real torch modules, each failing in both exporters its own way."""
    import torch
    from studio.deploy.onnx_export import DeployError, export_onnx

    class BatchInTheWeights(torch.nn.Module):  # traced with the batch size baked in
        def forward(self, x):
            return x * int(x.shape[0])

    class LeavesTorch(torch.nn.Module):  # goes through NumPy: no graph to record
        def forward(self, x):
            return torch.from_numpy(x.detach().numpy() * 2)

    class Eigenvalues(torch.nn.Module):  # no ONNX operator
        def forward(self, x):
            return torch.linalg.eigvals(x.reshape(x.shape[0], 2, 2)).real

    for module, opset in ((BatchInTheWeights(), 14), (LeavesTorch(), 14), (Eigenvalues(), 23)):
        try:
            export_onnx(module, tmp / "failed.onnx", example_inputs=(torch.randn(3, 4),), input_names=["x"],
                        output_names=["y"], opset=opset)
        except DeployError as exc:
            corpus.add(str(exc), "export")
        else:
            raise AssertionError(f"{type(module).__name__} exported at opset {opset}")


def _graph_errors(corpus: Corpus) -> None:
    """What the document says when it refuses a mutation."""
    g = Graph()
    g.add_node(Node("a", "Input", {"shape": [3]}))
    g.add_node(Node("b", "ReLU"))
    g.add_edge(Edge("a", "b"))
    attempts = [
        lambda: g.add_node(Node("a", "ReLU")), lambda: g.add_node(Node("def", "ReLU")),
        lambda: g.add_node(Node("bad id", "ReLU")), lambda: g.remove_node("a"), lambda: g.node("zz"),
        lambda: g.add_edge(Edge("a", "a")), lambda: g.add_edge(Edge("a", "b")),
        lambda: g.add_edge(Edge("a", "b", "hidden", "in")) or g.add_edge(Edge("a", "b", "hidden", "in")),
        lambda: g.remove_edge(Edge("b", "a", "out", "2")), lambda: g.rename_node("a", "b"),
        lambda: g.rename_node("a", "for"), lambda: g.rename_node("b", "1b"), lambda: g.add_edge(Edge("a", "nope")),
    ]
    for attempt in attempts:
        try:
            attempt()
        except GraphError as exc:
            corpus.add(str(exc), "GraphError")


def build_corpus(graphs: int = 2500, seed: int = 20240611) -> Corpus:
    rng = random.Random(seed)
    corpus = Corpus()
    for _ in range(graphs):
        g = random_graph(rng)
        try:
            analysis = analyze(g)
        except Exception as exc:  # a core bug: counted and shown, not a translation problem
            corpus.crashes[f"analyze: {type(exc).__name__}: {exc}"] += 1
            continue
        corpus.graphs.append(g)
        for p in analysis.problems:
            corpus.add_problem(p, f"analyze {p.severity}")
        _wire_checks(corpus, g, analysis, rng, 12)
    # Two whole-graph cases random graphs rarely make: nothing at all, and two wires into a
    # node of unknown type ("this node 'u' has 2 wires …").
    g = Graph()
    g.nodes["u"] = Node("u", "Mystery")
    g.nodes["v"] = Node("v", "ReLU")
    g.edges += [Edge("v", "u"), Edge("v", "u")]
    for graph in (Graph(), g):
        for p in analyze(graph).problems:
            corpus.add_problem(p, "analyze")
    _shape_rules(corpus, rng, 300)
    _shape_sweep(corpus, rng)
    _param_problems(corpus, rng, 4)
    _node_ids(corpus, rng, 600)
    _graph_errors(corpus)
    _config_messages(corpus)
    from studio.data.builtin import builtin_datasets

    for info in builtin_datasets():  # shown in the training panel's data picker
        corpus.add(info.description, "data set description")
    _fit_messages(corpus)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _data_messages(corpus, Path(tmp))
        _deploy_messages(corpus, Path(tmp))
        _training_messages(corpus, Path(tmp))
        _export_failures(corpus, Path(tmp))
    return corpus


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return build_corpus()


# -- what a translation must keep ------------------------------------------------------------------

_QUOTED = re.compile(r"""(?<![\w'"])(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?![\w'"])""")
_TOKENS = re.compile(r"-?\d+(?:\.\d+)?|\b[A-Z][A-Za-z0-9]+\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b\w+=\S+")
_FIXED = {'"work it out"',  # quoted English that the catalogue translates
          "The", "Two", "Points", "Windows", "Sequences"}  # capitalised as sentences start, not type names
_ENGLISH = {"the", "must", "is", "not", "and", "with", "into", "has", "have", "but", "its", "it", "of", "or", "to",
            "from", "wire", "wires", "layer", "receives", "expects", "needs", "cannot", "before", "after", "number",
            "value", "shape", "use", "add", "remove", "input", "output", "node", "would", "already", "there",
            "this", "that", "be", "only", "set", "at", "least", "most", "one", "inputs"}


def _kept_tokens(english: str) -> set[str]:
    """What must come through unchanged, found in the English without the catalogue's help:
    quoted values, numbers, type names, snake_case parameter names, key=value pairs."""
    tokens = set(_QUOTED.findall(english)) - _FIXED
    rest = _QUOTED.sub(" ", english)
    tokens |= {t for t in _TOKENS.findall(rest) if t not in _FIXED}
    return tokens


def _leftover_english(spanish: str, kept: tuple[str, ...]) -> set[str]:
    for value in sorted(kept, key=len, reverse=True):
        spanish = spanish.replace(value, " ")
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", spanish)) & _ENGLISH  # out_features is not "out"


def check_spanish(english: str) -> list[str]:
    """Why ``english`` is not fully translated to Spanish (empty: it is)."""
    result = explain(english, "es")
    if result.missing:
        return [f"untranslated {result.missing!r} in {english!r}"]
    failures = []
    for value in result.kept:
        if value not in result.text:
            failures.append(f"{value!r} lost in {result.text!r} (from {english!r})")
    for token in _kept_tokens(english):
        if token not in result.text:
            failures.append(f"{token!r} of {english!r} lost in {result.text!r}")
    leftover = _leftover_english(result.text, (*result.kept, *_kept_tokens(english)))  # target=input stays
    if leftover:
        failures.append(f"English {sorted(leftover)} left in {result.text!r} (from {english!r})")
    if result.text == english:
        failures.append(f"unchanged: {english!r}")
    return failures


# -- tests ---------------------------------------------------------------------------------------


def test_the_catalogue_compiles_and_every_template_uses_its_groups():
    cat = catalogue("es")
    assert cat is not None
    assert cat.problems == []
    assert len(cat.patterns()["messages"]) > 100


def test_every_message_of_a_large_corpus_translates_to_spanish(corpus):
    kinds = Counter(corpus.texts.values())
    per_text = {text: check_spanish(text) for text in corpus.texts}
    failures = [f for found in per_text.values() for f in found]
    print(f"\n{len(corpus.texts)} distinct English texts from {len(corpus.graphs)} graphs and "
          f"{len(corpus.problems)} problems; {sum(not f for f in per_text.values())} fully translated; "
          f"by source: {dict(sorted(kinds.items()))}")
    if corpus.crashes:
        print(f"core crashes while building the corpus (not translation problems): {dict(corpus.crashes)}")
    assert len(corpus.texts) >= 3000, "the corpus is too small to prove coverage"
    assert not failures, f"{len(failures)} problems, e.g.:\n" + "\n".join(failures[:25])


def test_the_corpus_reaches_every_kind_of_message(corpus):
    """Each pattern of the catalogue is used by some real message (no dead or misspelt pattern),
    except the few the core cannot currently produce through a graph."""
    used = {p for text in corpus.texts for p in explain(text, "es").used}
    unreachable = {
        r"single value per sample",  # a wire refusal describes the source's output; none is rank 0
        # need_rank's fixes for layers that want a flat vector or have no reshape example: no
        # layer calls it so today, and no layer has two required inputs that are not numbered.
        r"add a Reshape before it", r"add a Flatten before it",
        r"(?P<type>{TYPE}) (?P<node>{ID}) has nothing wired into its input (?P<port>{ID})",
        # a CSV file the user may not read: the tests run as root, who may read any file
        r"the CSV file (?P<path>.+) cannot be read \((?P<why>.+)\)", r"check its permissions",
        # a run out of memory (on a GPU); a GPU asked for by number: which of the two messages depends on
        # whether this machine has CUDA at all; continuing a finished run (the corpus makes none)
        r"the device ran out of memory at epoch (?P<e>\d+) with batches of (?P<bs>\d+)",
        r"use a smaller --batch-size, a smaller network, or the CPU",
        r"device (?P<dev>\S+) was asked for, but no CUDA GPU is available here", r"use --device cpu \(or auto\)",
        r"device (?P<dev>\S+) does not exist; this machine has (?P<n>\d+) CUDA device\(s\)", r"use cuda:0 or auto",
        r"the run already has (?P<n>\d+) epochs", r"ask for more than (?P<n>\d+) epochs to continue it",
        # running a model: Pillow is installed here, onnx's version converter and onnxruntime's loader
        # do not fail on models the checker passes, and normalisation that fits the axis also broadcasts
        r"reading images needs Pillow: pip install Pillow",
        r"(?P<path>.+) uses opset (?P<opset>\d+), which onnxruntime cannot run, and converting it failed "
        r"\((?P<why>.+)\): re-export it with opset (?P<min>\d+) or newer",
        r"onnxruntime cannot load (?P<file>.+?): (?P<why>.+)",
        r"the model's normalization metadata does not fit input (?P<name>'(?:[^']*)') of shape "
        r"(?P<shape>\[[^\]]*\]): fix neurona\.normalization or pass preprocess=False",
        # an export over protobuf's 2 GB limit (too large to build in a test), and one the ONNX checker
        # rejects: torch's exporters write models that pass it
        r"the model is too large for a single ONNX file \((?P<why>.+)\): make it smaller",
        r"the exported model fails the ONNX checker: (?P<why>.+) — try another opset or exporter",
        # a run whose data.json was edited by hand to a normalization that does not fit its graph
        r"cannot export: the run's data\.json has a normalization that does not fit its graph \((?P<why__t>.+)\); "
        r"export with --no-preprocessing",
        # fit's guard for an Input dtype the catalogue does not offer (its choices are the two it names)
        r"the graph's Input has dtype (?P<dtype>'[^']*'); use float32 or int64",
    }
    unused = [p for section in catalogue("es").patterns().values() for p in section if p not in used]
    assert set(unused) <= unreachable, "patterns no corpus message uses:\n" + "\n".join(unused)


def test_problems_translate_message_and_fix_separately(corpus):
    for p in corpus.problems[:5000]:
        spanish = translate_problem(p, "es", strict=True)
        expected = translate(p.message, "es") + (" — " + translate(p.fix, "es") if p.fix else "")
        assert spanish == expected
        assert translate_problem(p, "en") == p.text()


def test_english_is_the_identity(corpus):
    for text in list(corpus.texts)[:5000]:
        assert translate(text, "en") == text
        assert translate(text, "en_US", strict=True) == text
        assert missing(text, "en") == ()


def test_text_no_pattern_matches_stays_as_it_is():
    assert translate("the moon is made of cheese", "es") == "the moon is made of cheese"
    assert missing("the moon is made of cheese", "es") == ("the moon is made of cheese",)
    with pytest.raises(UntranslatedError):
        translate("the moon is made of cheese", "es", strict=True)
    # Half-known compound: the known half is translated, the rest reported.
    result = explain("the graph has no Input — bake a cake", "es")
    assert result.text == "el grafo no tiene ningún Input — bake a cake" and result.missing == ("bake a cake",)
    for odd in ("", None, 5, "—", " — ", "; ;", "\n"):
        translate(odd, "es")  # never raises
    assert translate("the graph has no Input", "fr") == "the graph has no Input"  # no catalogue: English
    with pytest.raises(LookupError):
        translate("the graph has no Input", "fr", strict=True)


def test_regional_spanish_uses_the_spanish_catalogue():
    for lang in ("es", "es_MX", "es-AR", "ES"):
        assert translate("the graph has no Output", lang) == "el grafo no tiene ningún Output"


def test_what_a_learner_reads():
    """A few translations checked by eye (the design page's own example among them)."""
    from studio.layers import graph_from_data

    data = {"format": "neurona-graph", "version": 1, "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [64]}},
        {"id": "conv1", "type": "Conv2d", "params": {"out_channels": 8}},
        {"id": "y", "type": "Output"}], "edges": [{"from": "x", "to": "conv1"}, {"from": "conv1", "to": "y"}]}
    [p] = analyze(graph_from_data(data)).errors
    assert translate_problem(p, "es") == ("Conv2d espera canales × alto × ancho, pero recibe un vector plano de 64 — "
                                         "añade antes un Reshape a 1×8×8")
    assert translate("out_features must be at least 1", "es") == "out_features debe ser al menos 1"
    assert translate("default: 16", "es") == "valor por defecto: 16"
    assert translate("Linear has no parameter 'units'; did you mean 'out_features'?", "es") == \
        "Linear no tiene ningún parámetro 'units'; ¿quisiste decir 'out_features'?"
    assert translate("kernel_size must be a whole number, not \"3x3\"", "es") == \
        "kernel_size debe ser un número entero, no \"3x3\""
    assert translate("padding must be a whole number or a pair of whole numbers, not a set", "es") == \
        "padding debe ser un número entero o un par de números enteros, no un valor de tipo set"
    assert translate("Add needs inputs of the same shape, but receives 16×8×8 and 32×8×8", "es") == \
        "Add necesita entradas con la misma forma, pero recibe 16×8×8 y 32×8×8"
    assert translate("'l2' is part of a cycle; data must flow forward from the Input to the Output", "es") == \
        "'l2' forma parte de un ciclo; los datos deben fluir hacia delante, desde el Input hasta el Output"
    assert translate("Reshape cannot split a flat vector of 7 (7 values) into 2×?: 7 is not a multiple of 2", "es") == \
        "Reshape no puede repartir un vector plano de 7 (7 valores) en 2×?: 7 no es múltiplo de 2"
    assert translate("Reshape to 2 needs 2 values but receives a flat vector of 1 (1 value)", "es") == \
        "Reshape a 2 necesita 2 valores, pero recibe un vector plano de 1 (1 valor)"
    g = Graph()
    g.add_node(Node("x", "Input", {"shape": [64]}))
    g.add_node(Node("conv", "Conv2d"))
    reason = check_wire(g, analyze(g), "x", "out", "conv", "in").reason
    assert translate(reason, "es", strict=True) == (
        "'conv' no puede recibir un vector plano de 64 de 'x': Conv2d espera canales × alto × ancho, pero recibe un "
        "vector plano de 64 — añade antes un Reshape a 1×8×8; o, si los datos no son un vector plano de 64, fija "
        "primero la forma del Input 'x'")


def test_translating_a_500_node_graph_is_cheap_enough_for_every_edit():
    rng = random.Random(7)
    g = Graph("big")
    while len(g.nodes) < 500:
        part = random_graph(rng, layers=6)
        prefix = f"p{len(g.nodes)}_"
        for node_id, node in part.nodes.items():
            g.nodes[prefix + node_id] = Node(prefix + node_id, node.type, node.params)
        g.edges += [Edge(prefix + e.src, prefix + e.dst, e.src_port, e.dst_port) for e in part.edges]
    t0 = time.perf_counter()
    problems = analyze(g).problems
    t_analyze = time.perf_counter() - t0
    clear_cache()
    t0 = time.perf_counter()
    cold = [translate_problem(p, "es") for p in problems]
    t_cold = time.perf_counter() - t0  # includes loading and compiling the catalogue
    t0 = time.perf_counter()
    warm = [translate_problem(p, "es") for p in problems]
    t_warm = time.perf_counter() - t0
    catalogue("es").clear()
    t0 = time.perf_counter()
    uncached = [translate_problem(p, "es") for p in problems]
    t_uncached = time.perf_counter() - t0
    assert cold == warm == uncached
    print(f"\n{len(g.nodes)} nodes, {len(problems)} problems: analyze {t_analyze * 1e3:.1f} ms; translate: "
          f"first time (loading the catalogue) {t_cold * 1e3:.1f} ms, patterns only {t_uncached * 1e3:.1f} ms, "
          f"cached {t_warm * 1e3:.2f} ms")


def test_the_module_loads_neither_qt_nor_torch():
    code = ("import sys\n"
            "from studio.compile.translate import translate\n"
            "assert translate('the graph has no Input', 'es') == 'el grafo no tiene ningún Input'\n"
            "print([m for m in ('torch', 'PySide6', 'shiboken6', 'pyqtgraph', 'numpy') if m in sys.modules])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_every_built_in_data_set_is_described_in_spanish():
    from studio.data.builtin import builtin_datasets

    for info in builtin_datasets():
        spanish = translate(info.description, "es", strict=True)
        assert spanish != info.description, info.name
