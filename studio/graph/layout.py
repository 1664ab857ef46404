"""Layered left-to-right layout of a graph: the auto-arrange of the editor.

Each node goes into the column one past its deepest predecessor (longest path from an
Input), so data flows left to right; within a column nodes are ordered by the average row
of the nodes that feed them (a few barycentre sweeps), which keeps wires short and mostly
uncrossed. Disconnected pieces are stacked below each other.

A long chain can be wrapped like text (``per_row``): its columns fill a row, then the next row
starts again on the left, below, so a 14-layer network reads at a readable zoom instead of
one thin strip. Wires then run left to right within a row and down to a later row.
No Qt, no torch.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

from .model import Graph, topological_order

COLUMN = 220.0
ROW = 130.0
WRAP_ROW = 110.0  # from one wrapped row of single nodes to the next: a node and a wire's room


def layered_layout(graph: Graph, *, column: float = COLUMN, row: float = ROW,
                   origin: tuple[float, float] = (0.0, 0.0), per_row: int | None = None,
                   wrap_row: float = WRAP_ROW, taller: Mapping[str, float] | None = None
                   ) -> dict[str, tuple[float, float]]:
    """A position for every node, as ``{node id: (x, y)}``. With ``per_row``, a piece with
    more columns than that wraps into rows of at most ``per_row`` columns (as even as can be).
    ``taller``: how much taller than a plain node a node is drawn (a merge with many inputs), so
    that a wrapped row leaves it room."""
    order, stuck = topological_order(graph)
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        if e.src in graph.nodes and e.dst in graph.nodes:
            preds[e.dst].append(e.src)
            succs[e.src].append(e.dst)

    depth: dict[str, int] = {}
    for k in order:
        depth[k] = max((depth[p] + 1 for p in preds[k] if p in depth), default=0)
    for k in graph.nodes:  # nodes caught in a cycle: after everything they can see
        if k in stuck:
            depth[k] = max((depth[p] + 1 for p in preds[k] if p in depth), default=0)

    positions: dict[str, tuple[float, float]] = {}
    top = origin[1]
    for component in _components(graph, preds, succs):
        columns: dict[int, list[str]] = defaultdict(list)
        for k in component:  # document order inside each column to start with
            columns[depth[k]].append(k)
        rank = {k: float(i) for col in columns.values() for i, k in enumerate(col)}
        for sweep in range(4):
            forward = sweep % 2 == 0
            keys = sorted(columns, reverse=not forward)
            for c in keys:
                nbrs = preds if forward else succs
                col = columns[c]

                def centre(k: str) -> float:
                    around = [rank[n] for n in nbrs[k] if n in rank]
                    return sum(around) / len(around) if around else rank[k]

                col.sort(key=lambda k: (centre(k), rank[k]))
                for i, k in enumerate(col):
                    rank[k] = float(i)
        for band in _bands(sorted(columns), per_row):
            height = max(len(columns[c]) for c in band)
            for c in band:
                col = columns[c]
                offset = (height - len(col)) / 2.0  # centre short columns on the tall ones
                for i, k in enumerate(col):
                    positions[k] = (origin[0] + (c - band[0]) * column, top + (i + offset) * row)
            top += (height - 1) * row + wrap_row + max((taller or {}).get(k, 0.0) for c in band for k in columns[c])
        top += row * 0.5 + (row - wrap_row)
    return positions


def _bands(columns: list[int], per_row: int | None) -> list[list[int]]:
    """Consecutive columns cut into rows of at most ``per_row``, the rows as even as can be."""
    if not per_row or len(columns) <= per_row:
        return [columns]
    rows = -(-len(columns) // per_row)
    width = -(-len(columns) // rows)
    return [columns[i:i + width] for i in range(0, len(columns), width)]


def _components(graph: Graph, preds, succs) -> list[list[str]]:
    seen: set[str] = set()
    out: list[list[str]] = []
    for start in graph.nodes:
        if start in seen:
            continue
        comp, stack = [], [start]
        seen.add(start)
        while stack:
            k = stack.pop()
            comp.append(k)
            for n in (*preds[k], *succs[k]):
                if n not in seen:
                    seen.add(n)
                    stack.append(n)
        index = {k: i for i, k in enumerate(graph.nodes)}
        out.append(sorted(comp, key=index.__getitem__))
    return out
