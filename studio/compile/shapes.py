"""Validation and shape inference of a whole graph, run on every edit.

Result: the shape on every edge and port, the arithmetic behind each shape, each node's
parameter count, and problems (errors and warnings) per node, written for a learner with the
fix named. The batch dimension is symbolic and left out of every shape.

No Qt, no torch: this runs before torch has loaded and must stay fast (500 nodes ≪ 50 ms).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..graph.model import Edge, Graph, format_edge, nodes_in_cycles, topological_order
from ..layers import CATALOGUE, LayerSpec, ParamCount, ShapeError, TensorInfo

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    node_id: str | None  # None: the graph as a whole
    message: str
    fix: str = ""
    severity: str = ERROR
    param: str | None = None

    def text(self) -> str:
        return self.message + (f" — {self.fix}" if self.fix else "")

    def __str__(self) -> str:
        where = self.node_id if self.node_id is not None else "graph"
        return f"{where}: {self.severity}: {self.text()}"

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node_id, "severity": self.severity, "message": self.message, "fix": self.fix,
                "param": self.param}


@dataclass
class NodeInfo:
    spec: LayerSpec | None
    params: dict[str, Any] = field(default_factory=dict)  # resolved, defaults filled in
    inputs: dict[str, TensorInfo] = field(default_factory=dict)
    outputs: dict[str, TensorInfo] = field(default_factory=dict)
    arithmetic: tuple[str, ...] = ()
    count: ParamCount | None = None
    broken: bool = False  # has an error of its own (not merely downstream of one)

    @property
    def output(self) -> TensorInfo | None:
        """The main output (what the summary shows)."""
        return self.outputs.get("out") or next(iter(self.outputs.values()), None)


@dataclass
class Analysis:
    order: list[str]
    nodes: dict[str, NodeInfo]
    edge_shapes: dict[Edge, TensorInfo]
    problems: list[Problem]
    wiring: dict[str, dict[str, Edge]]  # node id -> input port -> the edge feeding it

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def problems_for(self, node_id: str) -> list[Problem]:
        return [p for p in self.problems if p.node_id == node_id]

    @property
    def total_params(self) -> int:
        return sum(i.count.total for i in self.nodes.values() if i.count)

    @property
    def trainable_params(self) -> int:
        return sum(i.count.trainable for i in self.nodes.values() if i.count)

    def inputs(self) -> list[str]:
        return [k for k in self.order if self.nodes[k].spec is not None and self.nodes[k].spec.role == "input"]

    def outputs(self) -> list[str]:
        return [k for k in self.order if self.nodes[k].spec is not None and self.nodes[k].spec.role == "output"]


def analyze(graph: Graph) -> Analysis:
    problems: list[Problem] = []
    infos: dict[str, NodeInfo] = {}

    def error(node_id, message, fix="", param=None):
        problems.append(Problem(node_id, message, fix, ERROR, param))
        if node_id is not None and node_id in infos:
            infos[node_id].broken = True

    # 1. Types and parameters.
    for node in graph.nodes.values():
        spec = CATALOGUE.get(node.type)
        infos[node.id] = info = NodeInfo(spec)
        if spec is None:
            error(node.id, *_unknown_type(node.type))
            continue
        for key, message in spec.param_problems(node.params):
            error(node.id, message, _param_fix(spec, key), param=key)
        if not info.broken:
            info.params = spec.resolve(node.params)

    # 2. Wiring: ports that exist, one wire per input, nothing missing.
    wiring: dict[str, dict[str, Edge]] = defaultdict(dict)
    into: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for e in graph.edges:
        src, dst = infos.get(e.src), infos.get(e.dst)
        if src is None or dst is None:
            missing = e.src if src is None else e.dst
            error(e.dst if dst is not None else None, f"the wire {format_edge(e)} refers to a missing node {missing!r}",
                  "delete the wire")
            continue
        if src.spec is not None and not src.spec.has_output(e.src_port):
            outs = [p.name for p in src.spec.outputs]
            error(e.dst, f"{src.spec.type} {e.src!r} has no output port {e.src_port!r}",
                  f"wire from one of its outputs: {', '.join(outs)}" if outs else f"{src.spec.type} has no outputs")
            # still counts as the input's wire, so it is not also reported as missing
        if dst.spec is not None and not dst.spec.has_input(e.dst_port):
            ins = dst.spec.input_names()
            error(e.dst, f"{dst.spec.type} {e.dst!r} has no input port {e.dst_port!r}",
                  f"wire into one of its inputs: {', '.join(ins)}" if ins else f"{dst.spec.type} takes no inputs")
            continue
        into[(e.dst, e.dst_port)].append(e)
    for (dst, port), edges in into.items():
        wiring[dst][port] = edges[0]
        if len(edges) > 1:
            spec = infos[dst].spec
            kind = spec.type if spec else "this node"
            error(dst, f"{kind} {dst!r} has {len(edges)} wires into its input {port!r} "
                  f"(from {', '.join(repr(x.src) for x in edges)}); one input takes one wire",
                  "remove the extra wires, or merge the branches first with an Add or Concat")
    for node_id, info in infos.items():
        spec = info.spec
        if spec is None:
            continue
        ports = wiring.get(node_id, {})
        if spec.variadic:
            n = len(ports)
            indices = sorted(int(p) for p in ports)
            if n < spec.min_inputs:
                error(node_id, f"{spec.type} needs at least {spec.min_inputs} inputs but has {n}",
                      "wire the branches to merge into it")
            elif indices != list(range(n)):
                gap = next(i for i in range(n + 1) if i not in indices)
                error(node_id, f"{spec.type} inputs are numbered {indices}: input {gap} is missing",
                      f"wire something into {node_id}:{gap} or renumber the inputs 0…{n - 1}")
        else:
            for port in spec.inputs:
                if port.name not in ports and not port.optional:
                    what = "input" if len(spec.inputs) == 1 else f"input {port.name!r}"
                    error(node_id, f"{spec.type} {node_id!r} has nothing wired into its {what}",
                          "wire the previous layer's output into it, or delete it")

    # 3. Cycles.
    order, stuck = topological_order(graph)
    cyclic = nodes_in_cycles(graph, stuck)
    for node_id in graph.nodes:
        if node_id in cyclic:
            error(node_id, f"{node_id!r} is part of a cycle; data must flow forward from the Input to the Output",
                  "remove one of the wires that loops back (recurrence belongs inside an RNN, LSTM or GRU layer)")
    order += [k for k in graph.nodes if k in stuck]

    # 4. Graph-level structure.
    roles = [i.spec.role for i in infos.values() if i.spec is not None]
    if "input" not in roles:
        problems.append(Problem(None, "the graph has no Input", "add an Input node and set the shape of one sample"))
    if "output" not in roles:
        problems.append(Problem(None, "the graph has no Output", "add an Output node after the last layer"))

    # 5. Shapes, in topological order.
    edge_shapes: dict[Edge, TensorInfo] = {}
    for node_id in order:
        info = infos[node_id]
        if info.broken or node_id in stuck or info.spec is None:
            continue
        feeds = wiring.get(node_id, {})
        ins: dict[str, TensorInfo] = {}
        for port, e in feeds.items():
            t = infos[e.src].outputs.get(e.src_port)
            if t is None:
                break  # upstream has a problem of its own; say nothing more here
            ins[port] = t
        else:
            info.inputs = ins
            try:
                result = info.spec.shape(info.params, ins)
                info.outputs = dict(result.outputs)
                info.arithmetic = tuple(result.arithmetic)
                info.count = info.spec.count(info.params, ins) if info.spec.count else ParamCount()
            except ShapeError as exc:
                error(node_id, exc.message, exc.fix)
                info.outputs = {}
                continue
            for w in result.warnings:
                message, _, fix = w.partition(" — ")
                problems.append(Problem(node_id, message, fix, WARNING))
            for port, e in feeds.items():
                edge_shapes[e] = ins[port]

    # 6. Layers whose result goes nowhere.
    feeds_output = _reaches_output(graph, infos)
    for node_id, info in infos.items():
        if info.spec is not None and info.spec.role != "output" and node_id not in feeds_output and not info.broken:
            problems.append(Problem(node_id, f"the result of {node_id!r} does not reach any Output",
                                    "wire it onward, or delete it", WARNING))

    return Analysis(order, infos, edge_shapes, problems, dict(wiring))


def token_limit(graph: Graph, analysis: Analysis, input_id: str) -> int | None:
    """Token ids fed from ``input_id`` must stay below this: the smallest vocabulary
    (num_embeddings) among the Embeddings it feeds; None when it feeds none."""
    sizes = [analysis.nodes[e.dst].params.get("num_embeddings") for e in graph.edges if e.src == input_id]
    sizes = [s for s in sizes if isinstance(s, int)]
    return min(sizes) if sizes else None


def _reaches_output(graph: Graph, infos: dict[str, NodeInfo]) -> set[str]:
    preds: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        preds[e.dst].append(e.src)
    seen: set[str] = set()
    stack = [k for k, i in infos.items() if i.spec is not None and i.spec.role == "output"]
    while stack:
        k = stack.pop()
        if k in seen:
            continue
        seen.add(k)
        stack.extend(preds.get(k, ()))
    return seen


_KERAS_TYPES = {
    "dense": "Linear", "conv2d": "Conv2d", "conv1d": "Conv1d", "maxpooling2d": "MaxPool2d", "maxpool": "MaxPool2d",
    "maxpooling1d": "MaxPool1d", "averagepooling2d": "AvgPool2d", "globalaveragepooling2d": "AdaptiveAvgPool2d",
    "batchnormalization": "BatchNorm1d", "layernormalization": "LayerNorm", "simplernn": "RNN",
    "conv2dtranspose": "ConvTranspose2d", "upsampling2d": "Upsample", "concatenate": "Concat",
    "multiheadattention": "MultiheadAttention", "activation": "ReLU",
}


def _unknown_type(type_name: Any) -> tuple[str, str]:
    name = str(type_name)
    guess = _KERAS_TYPES.get(name.lower().replace("_", ""))
    if guess is None:
        lower = {k.lower(): k for k in CATALOGUE}
        import difflib  # here, not at the top: the window starts without it
        close = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.6)
        guess = lower[close[0]] if close else None
    fix = f"did you mean {guess!r}?" if guess else "pick a layer from the palette (types are torch.nn class names)"
    return f"unknown layer type {name!r}", fix


def _param_fix(spec: LayerSpec, key: str) -> str:
    try:
        p = spec.param(key)
    except KeyError:
        return "remove it"
    return f"default: {p.default!r}" if p.default is not None else "leave it empty or give a valid value"
