"""Can this output port be wired into that input port? Asked while a wire is being dragged,
so it must answer in microseconds: it checks the structure (ports, direction, cycles) and
runs only the target layer's own shape rule with the new input, never the whole graph.

No Qt, no torch.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph.model import Edge, Graph
from ..layers import CATALOGUE, ShapeError, describe
from .shapes import Analysis


@dataclass(frozen=True)
class WireCheck:
    ok: bool
    reason: str = ""  # why not, written for a learner, with the fix
    replaces: Edge | None = None  # the wire already in that input, which the new one replaces
    edge: Edge | None = None


def upstream(graph: Graph, node_id: str) -> set[str]:
    """``node_id`` and every node that feeds it, directly or not."""
    preds: dict[str, list[str]] = {}
    for e in graph.edges:
        preds.setdefault(e.dst, []).append(e.src)
    seen, stack = {node_id}, [node_id]
    while stack:
        for p in preds.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def free_input(graph: Graph, node_id: str) -> str | None:
    """The port a new wire into ``node_id`` would take by default: the first unwired input
    (for Add/Concat the next number), else the first input."""
    spec = CATALOGUE.get(graph.node(node_id).type)
    if spec is None:
        return None
    used = {e.dst_port for e in graph.edges if e.dst == node_id}
    if spec.variadic:
        i = 0
        while str(i) in used:
            i += 1
        return str(i)
    for p in spec.inputs:
        if p.name not in used:
            return p.name
    return spec.default_input


def check_wire(graph: Graph, analysis: Analysis, src: str, src_port: str, dst: str, dst_port: str,
               ancestors: set[str] | None = None) -> WireCheck:
    """Whether ``src:src_port → dst:dst_port`` may be added. ``ancestors`` is
    ``upstream(graph, src)``, passed in when many targets are checked for one source."""
    if src not in graph.nodes or dst not in graph.nodes:
        return WireCheck(False, "that node no longer exists")
    s_spec, d_spec = CATALOGUE.get(graph.node(src).type), CATALOGUE.get(graph.node(dst).type)
    if s_spec is None or d_spec is None:
        return WireCheck(False, "a node of unknown type cannot be wired — fix its type first")
    if src == dst:
        return WireCheck(False, f"{src!r} cannot feed itself — recurrence belongs inside an RNN, LSTM or GRU layer")
    if not s_spec.has_output(src_port):
        return WireCheck(False, f"{s_spec.type} {src!r} has no output {src_port!r}")
    if not d_spec.has_input(dst_port):
        what = "an Input takes no wires in: it is where data enters" if d_spec.role == "input" else \
            f"{d_spec.type} {dst!r} has no input {dst_port!r}"
        return WireCheck(False, what)
    edge = Edge(src, dst, src_port, dst_port)
    if edge in graph.edges:
        return WireCheck(False, f"{src!r} is already wired there")
    if dst in (ancestors if ancestors is not None else upstream(graph, src)):
        return WireCheck(False, f"wiring {src!r} into {dst!r} would make a loop: {dst!r} already feeds {src!r} — "
                                "data must flow forward from the Input to the Output")
    replaces = next((e for e in graph.edges if e.dst == dst and e.dst_port == dst_port), None)

    # The target's shape rule with the new input, if everything it needs is known.
    info = analysis.nodes.get(dst)
    source = analysis.nodes.get(src)
    t = source.outputs.get(src_port) if source else None
    if info is None or t is None or (d_spec.params and not info.params):  # its own params are invalid
        return WireCheck(True, replaces=replaces, edge=edge)
    inputs = {}
    for e in graph.edges:
        if e.dst == dst and e.dst_port != dst_port:
            shape = analysis.nodes[e.src].outputs.get(e.src_port) if e.src in analysis.nodes else None
            if shape is None:
                return WireCheck(True, replaces=replaces, edge=edge)
            inputs[e.dst_port] = shape
    inputs[dst_port] = t
    if d_spec.variadic:
        if sorted(int(p) for p in inputs) != list(range(len(inputs))) or len(inputs) < d_spec.min_inputs:
            return WireCheck(True, replaces=replaces, edge=edge)  # not all branches are in yet
    elif any(p.name not in inputs and not p.optional for p in d_spec.inputs):
        return WireCheck(True, replaces=replaces, edge=edge)
    try:
        d_spec.shape(info.params, inputs)
    except ShapeError as exc:
        reason = f"{dst!r} cannot take {describe(t)} from {src!r}: {exc.message}"
        reason += f" — {exc.fix}" if exc.fix else ""
        if s_spec.role == "input":  # often the Input's shape is simply not set yet
            reason += f"; or, if the data is not {describe(t).removeprefix('a ')}, first set the shape of Input {src!r}"
        return WireCheck(False, reason, replaces, edge)
    return WireCheck(True, replaces=replaces, edge=edge)
