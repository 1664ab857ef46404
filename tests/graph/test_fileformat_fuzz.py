"""Fuzzing the ``.neurona`` loader: thousands of mutated and garbage inputs.

The contract, for every input to ``read_graph`` (text or bytes) and ``graph_from_data``
(already-parsed data): either a new ``Graph`` comes back, and it survives a save and a reload
unchanged (positions to the 0.01 the file keeps), or ``GraphFileError`` is raised with problems
that each name a JSON path starting with ``$`` and say what is wrong. Never any other exception:
a file is data, and a bad file is a message for the learner, not a traceback.

Inputs start from every ``examples/*.neurona`` file plus a few seeds of our own that use every
layer type and port, and are mutated at random JSON paths (seeded, so a failure reproduces),
then cut, bit-flipped and mis-encoded as text. Hypothesis adds documents built from scratch.
"""

from __future__ import annotations

import copy
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.compile import analyze
from studio.graph import Graph
from studio.graph.fileformat import GraphFileError
from studio.layers import CATALOGUE, dump_graph, graph_from_data, read_graph, save_graph, load_graph

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_FILES = sorted((ROOT / "examples").glob("*.neurona"))

# -- seeds -----------------------------------------------------------------------------------


def _every_type_seed() -> dict:
    """One node of every catalogue type with non-default params, wired through named ports.

    The loader checks params and wiring, not shapes, so this need not be a sensible network.
    """
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [3, 8, 8], "dtype": "float32"}, "position": [0, 0]},
        {"id": "tok", "type": "Input", "params": {"shape": [6], "dtype": "int64"}, "position": [0, 120.5]},
        {"id": "conv", "type": "Conv2d", "params": {"out_channels": 4, "kernel_size": [3, 1], "stride": 2,
                                                     "padding": "same", "dilation": 1, "groups": 1, "bias": False}},
        {"id": "conv1d", "type": "Conv1d", "params": {"out_channels": 4, "kernel_size": 3, "padding": "valid"}},
        {"id": "deconv", "type": "ConvTranspose2d", "params": {"out_channels": 2, "output_padding": [1, 0]}},
        {"id": "mp1", "type": "MaxPool1d", "params": {"kernel_size": 2, "stride": None, "ceil_mode": True}},
        {"id": "mp2", "type": "MaxPool2d", "params": {"kernel_size": [2, 3], "stride": 1, "padding": [1, 1]}},
        {"id": "ap2", "type": "AvgPool2d", "params": {"count_include_pad": False}},
        {"id": "gap", "type": "AdaptiveAvgPool2d", "params": {"output_size": [2, 1]}},
        {"id": "up", "type": "Upsample", "params": {"scale_factor": None, "size": [4, 4], "mode": "bilinear"}},
        {"id": "bn1", "type": "BatchNorm1d", "params": {"momentum": None, "eps": 0.001}},
        {"id": "bn2", "type": "BatchNorm2d", "params": {"affine": False}},
        {"id": "ln", "type": "LayerNorm", "params": {"elementwise_affine": True, "bias": False}},
        {"id": "emb", "type": "Embedding", "params": {"num_embeddings": 50, "embedding_dim": 8, "padding_idx": -1}},
        {"id": "rnn", "type": "RNN", "params": {"hidden_size": 8, "nonlinearity": "relu", "output": "last"}},
        {"id": "lstm", "type": "LSTM", "params": {"hidden_size": 8, "num_layers": 2, "dropout": 0.25,
                                                   "bidirectional": True}},
        {"id": "gru", "type": "GRU", "params": {"hidden_size": 4}},
        {"id": "mha", "type": "MultiheadAttention", "params": {"num_heads": 2, "bias": False}},
        {"id": "enc", "type": "TransformerEncoderLayer", "params": {"nhead": 2, "dim_feedforward": 16,
                                                                     "activation": "gelu", "norm_first": True}},
        {"id": "pe", "type": "PositionalEncoding", "params": {"kind": "learned", "max_len": 64}},
        {"id": "lin", "type": "Linear", "params": {"out_features": 5, "bias": False}, "position": [-3.25, 1e6]},
        {"id": "drop", "type": "Dropout", "params": {"p": 0}},
        {"id": "flat", "type": "Flatten", "params": {"start_dim": 2, "end_dim": -1}},
        {"id": "unflat", "type": "Unflatten", "params": {"dim": -1, "unflattened_size": [2, -1]}},
        {"id": "resh", "type": "Reshape", "params": {"shape": [4, -1]}},
        {"id": "ident", "type": "Identity"},
        {"id": "relu", "type": "ReLU", "params": {}},
        {"id": "lrelu", "type": "LeakyReLU", "params": {"negative_slope": 0.2}},
        {"id": "elu", "type": "ELU", "params": {"alpha": 0.5}},
        {"id": "gelu", "type": "GELU", "params": {"approximate": "tanh"}},
        {"id": "silu", "type": "SiLU"},
        {"id": "sig", "type": "Sigmoid"},
        {"id": "tanh", "type": "Tanh"},
        {"id": "smax", "type": "Softmax", "params": {"dim": 1}},
        {"id": "lsmax", "type": "LogSoftmax", "params": {"dim": -2}},
        {"id": "splus", "type": "Softplus", "params": {"beta": 2, "threshold": 10.5}},
        {"id": "add", "type": "Add"},
        {"id": "cat", "type": "Concat", "params": {"dim": -1}},
        {"id": "mul", "type": "Multiply"},
        {"id": "y", "type": "Output"},
        {"id": "y2", "type": "Output"},
    ]
    chain = ["x", "conv", "conv1d", "deconv", "mp1", "mp2", "ap2", "gap", "up", "bn1", "bn2", "ln", "rnn", "gru",
             "mha", "enc", "pe", "lin", "drop", "flat", "unflat", "resh", "ident", "relu", "lrelu", "elu", "gelu",
             "silu", "sig", "tanh", "smax", "lsmax", "splus"]
    edges = [{"from": a, "to": b} for a, b in zip(chain, chain[1:])]
    edges += [
        {"from": "tok", "to": "emb"},
        {"from": "emb", "to": "lstm"},
        {"from": "lstm:hidden", "to": "add:1"},
        {"from": "lstm:cell", "to": "add"},
        {"from": "lstm", "to": "cat"},
        {"from": "splus", "to": "cat"},
        {"from": "add", "to": "mul:0"},
        {"from": "cat", "to": "mul:1"},
        {"from": "rnn:hidden", "to": "mul:2"},
        {"from": "mul", "to": "y"},
        {"from": "gru:hidden", "to": "y2:in"},
    ]
    return {"format": "neurona-graph", "version": 1, "name": "every type", "description": "fuzz seed ✓ ñ",
            "nodes": nodes, "edges": edges}


def _minimal_seed() -> dict:
    return {"format": "neurona-graph", "version": 1, "nodes": [], "edges": []}


def _seeds() -> list[tuple[str, Any]]:
    seeds = [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in EXAMPLE_FILES]
    seeds.append(("every_type", _every_type_seed()))
    seeds.append(("minimal", _minimal_seed()))
    return seeds


# -- the contract ----------------------------------------------------------------------------


def _describe(value: Any, limit: int = 300) -> str:
    """A short, safe description of an input (it may be 100 000 levels deep, 10 MB long, or
    hold an int too long for ``str``)."""
    if isinstance(value, (str, bytes)):
        return f"{type(value).__name__} of length {len(value)}: {value[:limit]!r}" + ("…" if len(value) > limit else "")
    text = _short_repr(value, 8)
    return text[:limit] + ("…" if len(text) > limit else "")


def _short_repr(value: Any, depth: int) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10 ** 30 else f"<int of about {int(value.bit_length() * 0.30103)} digits>"
    if isinstance(value, (float, str)):
        return repr(value[:200] if isinstance(value, str) else value)
    if depth == 0:
        return "…"
    if isinstance(value, dict):
        items = [f"{_short_repr(k, depth - 1)}: {_short_repr(v, depth - 1)}" for k, v in list(value.items())[:12]]
        return "{" + ", ".join(items) + (", …" if len(value) > 12 else "") + "}"
    if isinstance(value, list):
        items = [_short_repr(v, depth - 1) for v in value[:12]]
        return "[" + ", ".join(items) + (", …" if len(value) > 12 else "") + "]"
    return f"<{type(value).__name__}>"


def _same_up_to_position_rounding(a: Graph, b: Graph) -> bool:
    """``same_as``, except that positions are compared to the 0.01 the file stores them with."""
    if not (a.name == b.name and a.description == b.description and list(a.nodes) == list(b.nodes)
            and sorted(a.edges) == sorted(b.edges) and a.extra == b.extra):
        return False
    for k, n in a.nodes.items():
        m = b.nodes[k]
        if (n.id, n.type, n.params) != (m.id, m.type, m.params):
            return False
        if (n.position is None) != (m.position is None):
            return False
        if n.position is not None and any(abs(p - q) > 0.0051 for p, q in zip(n.position, m.position)):
            return False
    return True


def check_contract(load: Callable[[Any], Graph], arg: Any) -> Graph | None:
    """Load ``arg``; return the Graph, or None after a well-formed GraphFileError.

    Anything else raises AssertionError naming the exception and the input.
    """
    try:
        graph = load(arg)
    except GraphFileError as exc:
        assert isinstance(exc.problems, list) and exc.problems, f"GraphFileError without problems for {_describe(arg)}"
        for p in exc.problems:
            assert isinstance(p.path, str) and p.path.startswith("$"), f"bad path {p.path!r} for {_describe(arg)}"
            assert isinstance(p.message, str) and p.message.strip(), f"empty message at {p.path} for {_describe(arg)}"
            assert p.node_id is None or isinstance(p.node_id, str)
        str(exc)  # the message a dialog shows must be printable
        return None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - the point of the test
        raise AssertionError(f"{type(exc).__name__}: {str(exc)[:200]} — for {_describe(arg)}") from exc
    assert isinstance(graph, Graph), f"loader returned {type(graph).__name__} for {_describe(arg)}"
    # A loaded graph can be saved (as UTF-8 bytes, as save_graph writes it) and read back.
    try:
        text = dump_graph(graph)
        again = read_graph(text.encode("utf-8"))
    except BaseException as exc:  # noqa: BLE001
        raise AssertionError(f"the loaded graph does not survive a save: {type(exc).__name__}: {str(exc)[:200]} "
                             f"— for {_describe(arg)}") from exc
    assert _same_up_to_position_rounding(graph, again), f"save and reload changed the graph — for {_describe(arg)}"
    assert again.same_as(read_graph(dump_graph(again))), f"a second save and reload changed it — for {_describe(arg)}"
    return graph


class Failures:
    """Collects contract violations, one (the shortest input) per distinct kind, so a run
    reports every bug it found rather than the first."""

    def __init__(self) -> None:
        self.by_kind: dict[str, tuple[int, str]] = {}
        self.count = 0
        self.tried = 0

    def check(self, load, arg) -> Graph | None:
        self.tried += 1
        try:
            return check_contract(load, arg)
        except AssertionError as exc:
            self.count += 1
            cause = exc.__cause__
            tb = cause.__traceback__ if cause is not None else exc.__traceback__
            where = ""
            while tb is not None:
                if "studio" in tb.tb_frame.f_code.co_filename:
                    where = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"
                tb = tb.tb_next
            kind = f"{type(cause).__name__ if cause else 'AssertionError'} at {where or '?'}"
            if cause is None:
                kind += " " + str(exc).split(" — ")[0][:80]
            size = len(_describe(arg, 10_000))
            if kind not in self.by_kind or size < self.by_kind[kind][0]:
                self.by_kind[kind] = (size, str(exc))
            return None

    def assert_none(self) -> None:
        if self.by_kind:
            lines = [f"{self.count} of {self.tried} inputs broke the loader contract; distinct failures:"]
            lines += [f"  [{kind}] {msg}" for kind, (_, msg) in sorted(self.by_kind.items())]
            pytest.fail("\n".join(lines), pytrace=False)


def _from_text(arg):
    return read_graph(arg)


def _from_data(arg):
    return graph_from_data(arg)


# -- mutation ---------------------------------------------------------------------------------

RESERVED_IDS = ["forward", "torch", "nn", "self", "class", "lambda", "None", "True", "match", "type", "_",
                "parameters", "training", "F", "print"]
BAD_IDS = ["", "1abc", "_x", "a-b", "a b", "dénse", "ñ", "层", "a" * 65, "x\n", "x.y", "x:y", "\u212a", "a\x00",
           None, 7, ["x"], {"id": "x"}, True] + RESERVED_IDS
ODD_TYPES = ["linear", "LINEAR", "Dense", "Conv3d", "Sequential", "Module", "__class__", "os.system", "",
             "Linear ", "Lineal", "conv2d", "torch.nn.Linear", "Lambda", "Input\n", "Ｌinear"]
ENDPOINTS = ["a:", ":x", "x:y:z", ":", "", "x:", "x: in", "x:in ", "x:ñ", "x:0", "x:00", "x:007", "x:1000", "x:-1",
             "x:²", "x:١", "x:hidden", "x:cell", "x:out", "x:in", "missing", "missing:out", "x" * 200, "x:" + "p" * 70]


def _weird_values(rng: random.Random) -> list[Any]:
    deep: Any = 0
    for _ in range(rng.choice([10, 200, 5000])):
        deep = [deep]
    return [
        None, True, False, 0, -1, 1, 2, -0.0, 0.5, -2.5, 1e308, -1e308, 1e-320, 10 ** 400, -(10 ** 400), 2 ** 63,
        "", " ", "1", "16", "true", "null", "same", "valid", "sequence", "last", "int64", "NaN", "\x00", "\ud800",
        "é" * 3, "a" * rng.choice([201, 5000, 100_001]), [], {}, [1], [1, 2], [1, 2, 3], [-1], [-1, -1], [0, 0],
        [1.5, 2], [True, 1], ["a", "b"], [None], {"a": 1}, {"": None}, deep, [[[1]]],
    ]


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if len(prefix) > 12:  # do not walk into the deeply nested values a mutation planted
        return out
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, prefix + (i,))
    return out


def _copy(value: Any) -> Any:
    try:
        return copy.deepcopy(value)
    except RecursionError:  # a planted deep value: sharing it is fine, nothing mutates it
        return value


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _node_ids(doc) -> list:
    nodes = doc.get("nodes") if isinstance(doc, dict) else None
    if not isinstance(nodes, list):
        return []
    return [n.get("id") for n in nodes if isinstance(n, dict) and isinstance(n.get("id"), str)]


def _mutate_generic(rng: random.Random, doc: Any) -> Any:
    paths = _paths(doc)
    path = rng.choice(paths)
    if not path:
        return rng.choice(_weird_values(rng) + [[doc], {"graph": doc}])
    parent, key = _get(doc, path[:-1]), path[-1]
    op = rng.randrange(6)
    if op == 0:  # delete
        del parent[key]
    elif op == 1:  # duplicate
        if isinstance(parent, list):
            parent.insert(key, _copy(parent[key]))
        else:
            parent[f"{key}_copy" if rng.random() < 0.5 else str(key).upper()] = _copy(parent[key])
    elif op == 2 and isinstance(parent, dict):  # rename
        value = parent.pop(key)
        parent[rng.choice([str(key).upper(), str(key) + "s", "", " " + str(key), "from_", "to_", "Params", "ID",
                           "kind", "weights", "__proto__", "position\x00"])] = value
    elif op == 3:  # change the type of the value
        value = parent[key]
        if isinstance(value, bool):
            parent[key] = rng.choice([int(value), str(value).lower(), None])
        elif isinstance(value, int):
            parent[key] = rng.choice([str(value), float(value), value + 0.5, -value, bool(value % 2), [value],
                                      10 ** 400, -(10 ** 400), 0, -1])
        elif isinstance(value, float):
            parent[key] = rng.choice([str(value), int(value) if math.isfinite(value) else 0, -0.0, 1e308, -1e308,
                                      float("nan"), float("inf"), [value]])
        elif isinstance(value, str):
            parent[key] = rng.choice([len(value), [value], {value: value}, value.upper(), value + "\n",
                                      value * 50, value[:-1], "\ud800" + value, None])
        elif isinstance(value, list):
            parent[key] = rng.choice([dict(enumerate(value)), {str(i): v for i, v in enumerate(value)}, value[:-1],
                                      value + value, list(reversed(value)), None, len(value), tuple(value)])
        elif isinstance(value, dict):
            parent[key] = rng.choice([list(value.values()), list(value), None, [value], str(value)])
        else:
            parent[key] = rng.choice(_weird_values(rng))
    else:  # replace with something weird
        parent[key] = rng.choice(_weird_values(rng))
    return doc


def _mutate_nodes(rng: random.Random, doc: dict) -> dict:
    nodes = doc.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        return _mutate_generic(rng, doc)
    i = rng.randrange(len(nodes))
    node = nodes[i]
    if not isinstance(node, dict):
        return _mutate_generic(rng, doc)
    op = rng.randrange(8)
    if op == 0:
        node["type"] = rng.choice(ODD_TYPES + list(CATALOGUE))
    elif op == 1:  # a bad or reserved id (the wires keep pointing at the old one)
        node["id"] = rng.choice(BAD_IDS)
    elif op == 2:  # rename a node and its wires consistently to an odd id
        old, new = node.get("id"), rng.choice(BAD_IDS + ["ok_id", "X" * 64, "a1_b2"])
        node["id"] = new
        for e in doc.get("edges") or []:
            if isinstance(e, dict):
                for end in ("from", "to"):
                    if isinstance(e.get(end), str) and e[end].partition(":")[0] == old and isinstance(new, str):
                        e[end] = new + e[end][len(old):]
    elif op == 3:  # duplicate the node (same id)
        nodes.insert(rng.randrange(len(nodes) + 1), _copy(node))
    elif op == 4:  # a bad parameter value
        spec = CATALOGUE.get(node.get("type"))
        names = [p.name for p in spec.params] if spec else ["out_features"]
        params = node.setdefault("params", {}) if isinstance(node.get("params", {}), dict) else {}
        key = rng.choice(names + ["in_features", "in_channels", "units", "activation", ""])
        params[key] = rng.choice(_weird_values(rng)) if rng.random() < 0.3 else rng.choice([-1, 0, -(10 ** 400), 10 ** 400, 1e308, -0.0, 0.5, True, False, "16", None, [],
                                  [3, 3], [3, 3, 3], [-1], [0], "same", "valid", "tanh", "bogus", {"v": 1}, 2 ** 31,
                                  float("nan"), float("-inf"), [1, -1, -1], [1] * 7])
        if isinstance(node.get("params"), dict):
            node["params"] = params
    elif op == 5:  # a bad position
        node["position"] = rng.choice([[0], [0, 0, 0], [1e9, 0], [-1e9, 0], [1e308, 1], ["0", 0], [None, 1],
                                       {"x": 0, "y": 0}, [True, 0], [float("nan"), 0], [10 ** 400, 0], "0,0",
                                       [0.1234567, -7.891], [-0.0, -0.0], [999999999.999, 0], None])
    elif op == 6:  # an unknown node key
        node[rng.choice(["ID", "label", "comment", "", "params ", "inputs", "__class__"])] = rng.choice([1, "x", None])
    else:  # delete a required key
        node.pop(rng.choice(["id", "type", "params", "position"]), None)
    return doc


def _mutate_edges(rng: random.Random, doc: dict) -> dict:
    edges = doc.get("edges")
    ids = _node_ids(doc)
    if not isinstance(edges, list) or not ids:
        return _mutate_generic(rng, doc)
    op = rng.randrange(9)
    a, b = rng.choice(ids), rng.choice(ids)
    if op == 0:  # self loop
        edges.append({"from": a, "to": a})
    elif op == 1 and edges:  # duplicate wire
        edges.insert(rng.randrange(len(edges) + 1), _copy(rng.choice(edges)))
    elif op == 2:  # to or from a missing node
        edges.append(rng.choice([{"from": "ghost", "to": b}, {"from": a, "to": "ghost"}]))
    elif op == 3:  # a second wire into a used input
        taken = [e["to"] for e in edges if isinstance(e, dict) and isinstance(e.get("to"), str)]
        edges.append({"from": a, "to": rng.choice(taken) if taken else b})
    elif op == 4:  # malformed endpoint
        end = rng.choice(ENDPOINTS).replace("x", rng.choice([a, "x"]), 1)
        edges.append(rng.choice([{"from": end, "to": b}, {"from": a, "to": end}]))
    elif op == 5:  # wrong kind of endpoint or wire
        edges.append(rng.choice([{"from": 1, "to": b}, {"from": [a], "to": b}, {"from": a}, {"to": b}, {},
                                 [a, b], f"{a}->{b}", None, {"from": a, "to": b, "weight": 1},
                                 {"src": a, "dst": b}, {"from": None, "to": None}]))
    elif op == 6:  # a random, plausible wire (ports included)
        src = a + rng.choice(["", ":out", ":hidden", ":cell", ":in", ":0"])
        dst = b + rng.choice(["", ":in", ":0", ":1", ":2", ":5", ":out"])
        edges.insert(rng.randrange(len(edges) + 1), {"from": src, "to": dst})
    elif op == 7 and edges:  # drop or reverse a wire
        i = rng.randrange(len(edges))
        e = edges[i]
        if rng.random() < 0.5 or not isinstance(e, dict):
            del edges[i]
        else:
            edges[i] = {"from": e.get("to"), "to": e.get("from")}
    else:  # many wires into one node
        for src in ids[: rng.randint(2, 6)]:
            edges.append({"from": src, "to": b})
    return doc


def _mutate_top(rng: random.Random, doc: dict) -> dict:
    op = rng.randrange(6)
    if op == 0:
        doc[rng.choice(["Format", "extra", "training", "comment", "", "nodes "])] = rng.choice([1, {}, [], "x"])
    elif op == 1:
        doc["version"] = rng.choice([0, -1, 2, 99, 1.0, "1", True, None, 10 ** 400, [1]])
    elif op == 2:
        doc["format"] = rng.choice(["neurona-graph ", "Neurona-Graph", "onnx", "", None, 1, ["neurona-graph"]])
    elif op == 3:
        doc["name"] = rng.choice(["", "x" * 200, "x" * 201, 5, None, ["n"], "名前 ✓", "\ud800", "a\x00b", "\n"])
    elif op == 4:
        doc["description"] = rng.choice(["", "d" * 100_000, "d" * 100_001, 5, None, {"en": "x"}, "\udfff"])
    else:
        doc[rng.choice(["nodes", "edges"])] = rng.choice([None, {}, "[]", 5, [None], [[]], [{}]])
    return doc


def mutate(rng: random.Random, doc: Any) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if not isinstance(doc, dict):
            break
        doc = rng.choice([_mutate_generic, _mutate_generic, _mutate_nodes, _mutate_nodes, _mutate_edges,
                          _mutate_edges, _mutate_top])(rng, doc)
    return doc


def _to_text(rng: random.Random, doc: Any) -> str | None:
    """The JSON text of a mutated document (NaN and Infinity written as the tokens Python's
    json module accepts), or None when it cannot be written as JSON at all."""
    try:
        return json.dumps(doc, ensure_ascii=rng.random() < 0.3, indent=rng.choice([None, 1]))
    except (ValueError, TypeError, RecursionError):
        return None


def _text_garbage(rng: random.Random, text: str) -> str | bytes:
    raw = text.encode("utf-8", "surrogatepass")  # a mutation may have planted a lone surrogate
    op = rng.randrange(12)
    if op == 0:  # truncate at a random byte (possibly inside a UTF-8 sequence)
        return raw[: rng.randrange(len(raw) + 1)]
    if op == 1:  # truncate as text
        return text[: rng.randrange(len(text) + 1)]
    if op == 2:  # flip random bytes
        b = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b)
    if op == 3:  # invalid UTF-8 spliced in
        i = rng.randrange(len(raw) + 1)
        return raw[:i] + rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xfe\xfe"]) + raw[i:]
    if op == 4:  # a byte-order mark, as text or bytes, once or twice
        return rng.choice(["\ufeff" + text, b"\xef\xbb\xbf" + raw, "\ufeff\ufeff" + text, b"\xef\xbb\xbf\xef\xbb\xbf" + raw,
                           text.encode("utf-16"), text.encode("utf-32")])
    if op == 5:  # a number replaced by a non-finite token
        for token in ("0", "1", "2", "4", "16"):
            if token in text:
                return text.replace(token, rng.choice(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1" * 5000]), 1)
        return text + "NaN"
    if op == 6:  # duplicate keys, trailing junk, comments
        return rng.choice([text.replace("{", '{"format": "x", ', 1), text + "{}", text + ",", "// c\n" + text,
                           text.replace("}", ",}", 1), text.replace('"', "'"), text + "\x00", text.rstrip() + "]"])
    if op == 7:  # random bytes
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
    if op == 8:  # a random slice from the middle
        i = rng.randrange(len(text) + 1)
        return text[i: i + rng.randint(0, 200)]
    if op == 9:  # delete a random chunk
        i = rng.randrange(len(text) + 1)
        return text[:i] + text[i + rng.randint(1, 20):]
    if op == 10:  # bytes of a valid document re-encoded as Latin-1 (ñ, ✓ become mojibake or fail)
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError:
            return text.encode("utf-8", "replace")[::-1]
    return text.replace("neurona-graph", rng.choice(["neurona-graph", "neurona_graph"]), 1).swapcase()


def _fixed_garbage() -> list[str | bytes]:
    depth = 100_000
    return [
        "", b"", " ", "\n\t", "\ufeff", b"\xef\xbb\xbf", "null", "true", "0", "-0.0", "1e308", "NaN", "Infinity",
        '"neurona-graph"', "[]", "{}", "[{}]", '{"format": "neurona-graph"}', '{"format": "neurona-graph", "version": 1}',
        '{"format": "neurona-graph", "version": 1, "nodes": null}',
        '{"format": "neurona-graph", "version": NaN, "nodes": []}',
        '{"format": "neurona-graph", "version": 1e400, "nodes": []}',
        '{"format": "neurona-graph", "version": ' + "9" * 5000 + ', "nodes": []}',
        '{"format": "neurona-graph", "version": ' + "9" * 400 + ', "nodes": []}',
        "[" * depth + "]" * depth, "[" * depth, "{" * depth, '{"a":' * depth + "1" + "}" * depth,
        '{"format": "neurona-graph", "version": 1, "nodes": ' + "[" * depth + "]" * depth + "}",
        '{"format": "neurona-graph", "version": 1, "nodes": [], "name": "' + "n" * 5_000_000 + '"}',
        '{"format": "neurona-graph", "version": 1, "nodes": [], "edges": [], "x": "\\ud800"}',
        '{"format": "neurona-graph", "version": 1, "nodes": [], "name": "\\udc00\\ud800"}',
        b'{"format": "neurona-graph", "version": 1, "nodes": [], "name": "\xed\xa0\x80"}',
        '{"format": "neurona-graph", "version": 1, "nodes": [{"id": "x", "type": "Input", "params": {"shape": [' +
        ",".join(["1"] * 100_000) + "]}}]}",
        '{"format": "neurona-graph", "version": 1, "nodes": [' + ",".join(
            f'{{"id": "n{i}", "type": "ReLU"}}' for i in range(3000)) + "]}",
        '{"format": "neurona-graph", "version": 1, "nodes": [' + ",".join(
            f'{{"id": "{i}", "type": "ReLU"}}' for i in range(300)) + "]}",
    ]


# -- the fuzz runs ----------------------------------------------------------------------------

N_STRUCTURAL = 1200  # per run; each is loaded as text and as data
N_TEXTUAL = 700


def test_there_are_examples_to_start_from():
    assert EXAMPLE_FILES, "no examples/*.neurona found"
    assert any(p.name == "xor.neurona" for p in EXAMPLE_FILES)


@pytest.mark.parametrize("name,doc", _seeds(), ids=[n for n, _ in _seeds()])
def test_seeds_load_and_round_trip(name, doc):
    graph = check_contract(_from_data, doc)
    assert graph is not None, f"seed {name} does not load"
    assert check_contract(_from_text, json.dumps(doc)).same_as(graph)


def test_structural_mutations_keep_the_contract():
    rng = random.Random(20240611)
    failures = Failures()
    seeds = _seeds()
    outcomes = Counter()
    for i in range(N_STRUCTURAL):
        _, seed = seeds[i % len(seeds)]
        doc = mutate(rng, seed)
        outcomes["data-ok" if failures.check(_from_data, doc) is not None else "data-rejected"] += 1
        text = _to_text(rng, doc)
        if text is not None:
            outcomes["text-ok" if failures.check(_from_text, text) is not None else "text-rejected"] += 1
    failures.assert_none()
    assert failures.tried >= 2 * N_STRUCTURAL * 0.8
    # The mutations must exercise both outcomes, or the fuzzing is not doing its job.
    assert outcomes["data-ok"] >= 50 and outcomes["data-rejected"] >= 500, outcomes


def test_text_garbage_keeps_the_contract():
    rng = random.Random(424242)
    failures = Failures()
    seeds = _seeds()
    for arg in _fixed_garbage():
        failures.check(_from_text, arg)
    for i in range(N_TEXTUAL):
        _, seed = seeds[i % len(seeds)]
        doc = mutate(rng, seed) if rng.random() < 0.3 else seed
        text = _to_text(rng, doc) or json.dumps(seed)
        failures.check(_from_text, _text_garbage(rng, text))
    failures.assert_none()
    assert failures.tried >= N_TEXTUAL


def test_non_json_python_data_keeps_the_contract():
    """graph_from_data is public: it may be handed objects JSON cannot express."""
    failures = Failures()
    rng = random.Random(7)
    base = _every_type_seed()
    odd = [object(), (1, 2), {1, 2}, b"bytes", 1 + 2j, float("nan"), Path("x"), range(3), Ellipsis, type,
           sys.maxsize + 1, 10 ** 5000]
    for value in odd:
        failures.check(_from_data, value)
        for path in [("version",), ("name",), ("nodes",), ("edges",), ("nodes", 2), ("nodes", 2, "id"),
                     ("nodes", 2, "params"), ("nodes", 2, "params", "out_channels"), ("nodes", 0, "position"),
                     ("nodes", 0, "position", 0), ("edges", 0), ("edges", 0, "from")]:
            doc = copy.deepcopy(base)
            _get(doc, path[:-1])[path[-1]] = value
            failures.check(_from_data, doc)
    # Keys that are not text.
    for key in [1, None, 2.5, True, (1, 2), b"k"]:
        for path in [(), ("nodes", 0), ("nodes", 2, "params"), ("edges", 0)]:
            doc = copy.deepcopy(base)
            _get(doc, path)[key] = 1
            failures.check(_from_data, doc)
    for _ in range(100):
        failures.check(_from_data, mutate(rng, base))
    failures.assert_none()


# Hypothesis: documents grown from scratch, biased towards almost-valid graph files.

_scalars = (st.none() | st.booleans() | st.integers(min_value=-(10 ** 30), max_value=10 ** 30)
            | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12))
_json = st.recursive(_scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                     max_leaves=20)
_ids = st.sampled_from(["x", "h", "a", "o", "y", "add", "lstm", "forward", "1x", "x\n", ""])
_types = st.sampled_from(sorted(CATALOGUE) + ["linear", "Nope"])


@st.composite
def _almost_valid_docs(draw):
    nodes = []
    for _ in range(draw(st.integers(0, 6))):
        node_id, type_ = draw(_ids), draw(_types)
        spec = CATALOGUE.get(type_)
        keys = [p.name for p in spec.params] if spec else []
        params = draw(st.dictionaries(st.sampled_from(keys + ["bogus"]), _json | st.integers(-3, 40), max_size=3))
        node = {"id": node_id, "type": type_}
        if params or draw(st.booleans()):
            node["params"] = params
        if draw(st.booleans()):
            node["position"] = draw(st.lists(st.floats(allow_nan=True) | st.integers(), min_size=1, max_size=3))
        if draw(st.integers(0, 9)) == 0:
            node[draw(st.text(max_size=5))] = draw(_json)
        nodes.append(node)
    ends = st.builds(lambda i, p: i + p, _ids, st.sampled_from(["", ":out", ":hidden", ":cell", ":0", ":1", ":in", ":", ":x:y"]))
    edges = draw(st.lists(st.fixed_dictionaries({"from": ends, "to": ends}) | _json, max_size=6))
    doc = {"format": "neurona-graph", "version": draw(st.sampled_from([1, 1, 1, 2, 0, "1"])), "nodes": nodes,
           "edges": edges}
    if draw(st.booleans()):
        doc["name"] = draw(st.text(max_size=20))
    return doc


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_almost_valid_docs() | _json)
def test_hypothesis_documents_keep_the_contract(doc):
    check_contract(_from_data, doc)
    try:
        text = json.dumps(doc)
    except ValueError:  # NaN is fine as data; json.dumps refuses nothing else here
        return
    check_contract(_from_text, text)


@settings(max_examples=150, deadline=None)
@given(raw=st.binary(max_size=200) | st.text(max_size=200))
def test_hypothesis_raw_input_keeps_the_contract(raw):
    check_contract(_from_text, raw)


def test_loaded_graphs_can_be_analysed():
    """Every graph the loader accepts is good enough for shape inference to run on (it may
    report problems, but it must not crash)."""
    rng = random.Random(99)
    seeds = _seeds()
    crashes = {}
    for i in range(600):
        doc = mutate(rng, seeds[i % len(seeds)][1])
        try:
            graph = graph_from_data(doc)
        except GraphFileError:
            continue
        except BaseException:  # noqa: BLE001 - reported by the contract tests
            continue
        try:
            analyze(graph)
        except Exception as exc:  # noqa: BLE001
            crashes.setdefault(type(exc).__name__, (str(exc)[:200], _describe(doc, 400)))
    assert not crashes, crashes


# -- messages -----------------------------------------------------------------------------------


def _xor() -> dict:
    return json.loads((ROOT / "examples" / "xor.neurona").read_text(encoding="utf-8"))


def _problems(doc) -> list:
    with pytest.raises(GraphFileError) as info:
        graph_from_data(doc)
    return info.value.problems


def test_bad_param_names_the_json_path_and_the_node():
    doc = _xor()
    assert doc["nodes"][1]["id"] == "h"
    doc["nodes"][1]["params"]["out_features"] = -3
    problems = _problems(doc)
    assert (problems[0].path, problems[0].node_id) == ("$.nodes[1].params.out_features", "h")
    assert "out_features" in problems[0].message and "at least 1" in problems[0].message
    # The same through text, and the error's own message shows both.
    with pytest.raises(GraphFileError) as info:
        read_graph(json.dumps(doc), source="xor.neurona")
    assert "$.nodes[1].params.out_features" in str(info.value) and "'h'" in str(info.value)
    assert "xor.neurona" in str(info.value) and not info.value.fatal


@pytest.mark.parametrize("value", ["4", 4.0, True, None, [4], 0])
def test_wrong_type_for_an_int_param(value):
    doc = _xor()
    doc["nodes"][3]["params"]["out_features"] = value
    problems = _problems(doc)
    assert (problems[0].path, problems[0].node_id) == ("$.nodes[3].params.out_features", "o")


def test_inferred_and_unknown_params_are_errors():
    doc = _xor()
    doc["nodes"][1]["params"]["in_features"] = 2
    doc["nodes"][3]["params"]["units"] = 2
    problems = [p for p in _problems(doc) if ".params." in p.path]
    assert [(p.path, p.node_id) for p in problems] == [("$.nodes[1].params.in_features", "h"),
                                                        ("$.nodes[3].params.units", "o")]
    assert "incoming shape" in problems[0].message


def test_unknown_keys_are_errors_at_every_level():
    doc = _xor()
    doc["author"] = "me"
    doc["nodes"][2]["label"] = "activation"
    doc["edges"][1]["weight"] = 1
    problems = _problems(doc)
    paths = {p.path: p.node_id for p in problems}
    assert paths.items() >= {"$.author": None, "$.nodes[2].label": "a", "$.edges[1].weight": None}.items()
    for p in problems:
        if p.path in ("$.author", "$.nodes[2].label", "$.edges[1].weight"):
            assert repr(p.path.rsplit(".", 1)[1]) in p.message


def test_odd_unknown_keys_are_quoted_in_the_path():
    doc = _xor()
    doc["a b"] = 1
    doc["nodes"][0]["x" * 100] = 1
    paths = [p.path for p in _problems(doc)]
    assert paths[0] == '$."a b"'
    assert paths[1].startswith('$.nodes[0]."xxx') and len(paths[1]) < 100


@pytest.mark.parametrize("end,path", [
    ("h:", "$.edges[0].to"), (":x", "$.edges[0].to"), ("h:in:x", "$.edges[0].to"), ("ghost", "$.edges[0].to"),
    ("x", "$.edges[0]"),  # a self loop
])
def test_bad_wires_name_the_wire(end, path):
    doc = _xor()
    doc["edges"][0]["to"] = end
    problems = _problems(doc)
    assert problems[0].path == path


def test_second_wire_into_one_input_is_an_error():
    doc = _xor()
    doc["edges"].append({"from": "x", "to": "o"})
    problems = _problems(doc)
    assert [(p.path, p.node_id) for p in problems] == [("$.edges[4].to", "o")]
    doc = _xor()
    doc["edges"].append(dict(doc["edges"][2]))
    assert [p.path for p in _problems(doc)] == ["$.edges[4].to"]


@pytest.mark.parametrize("bad_id", ["forward", "torch", "class", "match", "parameters", "1x", "dénse", "a" * 65, ""])
def test_invalid_ids_are_errors(bad_id):
    doc = _xor()
    doc["nodes"][2]["id"] = bad_id
    doc["edges"][1]["to"] = bad_id
    doc["edges"][2]["from"] = bad_id
    problems = _problems(doc)
    assert problems[0].path == "$.nodes[2].id"


def test_problems_are_capped():
    doc = _xor()
    doc["nodes"] += [{"id": f"n{i}", "type": "Linear", "params": {"out_features": -i}} for i in range(200)]
    problems = _problems(doc)
    assert 1 <= len(problems) <= 50


def test_each_load_returns_a_new_graph():
    doc = _xor()
    a, b = graph_from_data(doc), graph_from_data(doc)
    assert a is not b and a.same_as(b)
    assert all(a.nodes[k] is not b.nodes[k] for k in a.nodes)
    assert a.edges is not b.edges


# -- bugs found by the fuzzing, one minimal reproduction each --------------------------------------


def _xor_text(**replace) -> str:
    text = (ROOT / "examples" / "xor.neurona").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_a_bad_node_does_not_also_report_its_wires_as_missing():
    # Node 'h' is in the file, with one bad parameter. The learner should read one problem,
    # not also "there is no node 'h'" for each of its wires.
    doc = _xor()
    doc["nodes"][1]["params"]["out_features"] = -3
    problems = _problems(doc)
    assert [str(p) for p in problems if "there is no node" in p.message] == []


def test_huge_integer_position_is_a_file_error():
    # A 400-digit integer is valid JSON; math.isfinite() on it raised OverflowError.
    text = (ROOT / "examples" / "xor.neurona").read_text(encoding="utf-8").replace(
        '"position": [0, 0]', '"position": [' + "1" * 400 + ", 0]", 1)
    with pytest.raises(GraphFileError) as info:
        read_graph(text)
    assert info.value.problems[0].path == "$.nodes[0].position"


def test_huge_integer_for_a_float_param_is_a_file_error():
    doc = _xor()
    doc["nodes"].insert(2, {"id": "drop", "type": "Dropout", "params": {"p": 10 ** 400}})
    with pytest.raises(GraphFileError) as info:
        read_graph(json.dumps(doc))
    assert info.value.problems[0].path == "$.nodes[2].params.p"


def test_integer_too_long_to_print_is_a_file_error():
    # Python refuses str() of ints over 4300 digits; the message must not try.
    doc = _xor()
    doc["version"] = 10 ** 5000
    check_contract(_from_data, doc)
    doc = _xor()
    doc["nodes"][1]["params"]["out_features"] = [10 ** 5000]
    check_contract(_from_data, doc)


def test_deeply_nested_values_are_file_errors():
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    doc = _xor()
    doc["version"] = deep
    check_contract(_from_data, doc)
    doc = _xor()
    doc["nodes"][1]["params"]["out_features"] = deep
    check_contract(_from_data, doc)


def test_deeply_nested_text_is_a_file_error():
    # Nesting just shallow enough for json.loads can still be too deep for the json.dumps that
    # quotes the bad value back in the message. Where that window lies depends on the stack
    # depth the loader is called at, so try every depth up to where parsing itself gives up.
    text = (ROOT / "examples" / "xor.neurona").read_text(encoding="utf-8")
    failures = Failures()
    for old in ('"version": 1', '"out_features": 4'):
        assert old in text
        key = old.split(":")[0]
        for depth in range(600, 1100):
            failures.check(_from_text, text.replace(old, f"{key}: " + "[" * depth + "]" * depth, 1))
    failures.assert_none()


@pytest.mark.parametrize("bad_id", ["x\n", "dense1\n"])
def test_node_id_with_a_trailing_newline_is_rejected(bad_id):
    # node_id_problem uses re.match with "$", which also matches before a final newline.
    doc = _xor()
    doc["nodes"][0]["id"] = bad_id
    doc["edges"][0]["from"] = bad_id
    problems = _problems(doc)
    assert problems[0].path == "$.nodes[0].id"


def test_lone_surrogates_in_text_are_rejected_or_survive_a_save(tmp_path):
    # JSON allows "\ud800"; a graph holding it must either be refused or be savable as UTF-8.
    text = _xor_text(**{'"name": "xor"': '"name": "xor \\ud800"'})
    graph = check_contract(_from_text, text)
    if graph is not None:
        save_graph(graph, tmp_path / "g.neurona")
        assert load_graph(tmp_path / "g.neurona").same_as(graph)


@pytest.mark.parametrize("port", ["²", "١", "٣"])
def test_variadic_ports_are_ascii_digits(port):
    # "²".isdigit() is True, so the loader took it as a port number and analyze() then
    # crashed on int("²"); "١" (Arabic-Indic one) is a second spelling of port 1.
    doc = _xor()
    doc["nodes"].insert(3, {"id": "s", "type": "Add"})
    doc["edges"] = [{"from": "x", "to": "h"}, {"from": "h", "to": "a"}, {"from": "h", "to": "s:0"},
                    {"from": "a", "to": f"s:{port}"}, {"from": "s", "to": "o"}, {"from": "o", "to": "y"}]
    problems = _problems(doc)
    assert problems[0].path == "$.edges[3].to"


def test_loaded_graph_does_not_share_lists_with_the_data():
    # "The loader returns a new graph": mutating the data afterwards must not reach into it.
    doc = _xor()
    graph = graph_from_data(doc)
    doc["nodes"][0]["params"]["shape"].append(99)
    assert graph.nodes["x"].params["shape"] == [2]
