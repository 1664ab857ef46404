"""Walks an analysed graph in order and asks each layer's ``forward`` rule to lower it.

A ``Backend`` turns the lowering calls into something concrete: a torch.fx graph
(``build.py``) or Python source (``codegen.py``). Both read the same rules, so the module and
the generated code agree by construction. No Qt; no torch here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from ..graph.model import Graph
from .shapes import Analysis, Problem, analyze


class CompileError(ValueError):
    """The graph has errors; ``problems`` lists them per node."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"the graph has {len(problems)} error(s):\n{lines}")


class Backend(Protocol):
    def begin_node(self, node_id: str) -> None: ...
    def placeholder(self, node_id: str, dtype: str) -> Any: ...
    def module(self, name: str, *args: Any, **kwargs: Any) -> Any: ...
    def function(self, name: str, qualname: str, *args: Any, **kwargs: Any) -> Any: ...
    def operator(self, name: str, symbol: str, a: Any, b: Any) -> Any: ...
    def method(self, name: str, value: Any, method: str, *args: Any) -> Any: ...
    def item(self, name: str, value: Any, index: int) -> Any: ...
    def annotate(self, value: Any, shape: tuple[int, ...]) -> None: ...
    def output(self, values: list[Any]) -> None: ...


@dataclass(frozen=True)
class Step:
    """A node that becomes a submodule: its id and constructor (in forward order)."""

    node_id: str
    ctor: Any  # studio.layers.Ctor


def checked(graph: Graph, analysis: Analysis | None = None) -> Analysis:
    analysis = analysis or analyze(graph)
    if not analysis.ok:
        raise CompileError(analysis.errors)
    return analysis


def used_ports(graph: Graph) -> dict[str, frozenset]:
    used: dict[str, set[str]] = {k: set() for k in graph.nodes}
    for e in graph.edges:
        used[e.src].add(e.src_port)
    return {k: frozenset(v) for k, v in used.items()}


def lower(graph: Graph, backend: Backend, analysis: Analysis) -> list[Step]:
    """Drive ``backend`` through the whole forward pass; return the submodules to create."""
    values: dict[tuple[str, str], Any] = {}
    used = used_ports(graph)
    steps: list[Step] = []
    outputs: list[Any] = []
    for node_id in analysis.order:
        info = analysis.nodes[node_id]
        spec = info.spec
        backend.begin_node(node_id)
        if spec.role == "input":
            values[(node_id, "out")] = backend.placeholder(node_id, info.params["dtype"])
            continue
        args = {port: values[(e.src, e.src_port)] for port, e in analysis.wiring.get(node_id, {}).items()}
        if spec.role == "output":
            outputs.append(args["in"])
            continue
        ctor = spec.ctor(info.params, info.inputs) if spec.ctor else None
        if ctor is not None:
            steps.append(Step(node_id, ctor))
        produced = spec.forward(backend, info.params, args, used[node_id] or frozenset({"out"}), info.inputs)
        for port, value in produced.items():
            values[(node_id, port)] = value
            if port in info.outputs:
                backend.annotate(value, info.outputs[port].shape)
    backend.output(outputs)
    return steps


def class_name(graph: Graph) -> str:
    words = re.findall(r"[A-Za-z0-9]+", graph.name or "")
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name or not name[0].isalpha():
        name = "Network" + name
    return name
