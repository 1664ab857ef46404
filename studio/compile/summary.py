"""The Keras-like summary of a graph: one row per node (id, type, output shape, parameters)
plus totals, as plain data, as text and as JSON. No Qt, no torch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..graph.model import Graph
from ..layers import fmt_batch
from .shapes import Analysis, analyze


@dataclass(frozen=True)
class Row:
    id: str
    type: str
    output_shape: tuple[int, ...] | None  # without the batch dimension; None when unknown
    params: int
    problem: str = ""  # "error" or "warning" when the node has one


@dataclass(frozen=True)
class Summary:
    name: str
    rows: tuple[Row, ...]
    total_params: int
    trainable_params: int
    ok: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "nodes": [{"id": r.id, "type": r.type,
                       "output_shape": None if r.output_shape is None else [None, *r.output_shape],
                       "params": r.params} for r in self.rows],
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.total_params - self.trainable_params,
            "valid": self.ok,
        }

    def to_text(self) -> str:
        head = ("Node (type)", "Output shape", "Param #")
        body = [(f"{r.id} ({r.type})", fmt_batch(r.output_shape).replace("×", ", ").join("()")
                 if r.output_shape is not None else "?", f"{r.params:,}") for r in self.rows]
        widths = [max(len(head[i]), *(len(b[i]) for b in body)) if body else len(head[i]) for i in range(3)]
        width = sum(widths) + 6
        line = lambda cells: "  ".join((c.ljust(w) if i < 2 else c.rjust(w)) for i, (c, w) in enumerate(zip(cells, widths)))
        out = [f'Model: "{self.name}"', "─" * width, line(head), "═" * width]
        out += [line(b) for b in body]
        out += ["═" * width,
                f"Total params: {self.total_params:,}",
                f"Trainable params: {self.trainable_params:,}",
                f"Non-trainable params: {self.total_params - self.trainable_params:,}",
                "─" * width]
        return "\n".join(out)


def summarize(graph: Graph, analysis: Analysis | None = None) -> Summary:
    analysis = analysis or analyze(graph)
    rows = []
    flagged = {}
    for p in analysis.problems:
        if p.node_id is not None and flagged.get(p.node_id) != "error":
            flagged[p.node_id] = p.severity
    for node_id in analysis.order:
        info = analysis.nodes[node_id]
        out = info.output
        rows.append(Row(node_id, graph.nodes[node_id].type, None if out is None else out.shape,
                        info.count.total if info.count else 0, flagged.get(node_id, "")))
    return Summary(graph.name, tuple(rows), analysis.total_params, analysis.trainable_params, analysis.ok)
