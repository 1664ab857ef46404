"""Layered left-to-right layout of a graph: the auto-arrange of the editor.

Each node goes into the column one past its deepest predecessor (longest path from an
Input), so data flows left to right; within a column nodes are ordered by the average row
of the nodes that feed them (a few barycentre sweeps), which keeps wires short and mostly
uncrossed. Disconnected pieces are stacked below each other. No Qt, no torch.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Graph, topological_order

COLUMN = 220.0
ROW = 130.0


def layered_layout(graph: Graph, *, column: float = COLUMN, row: float = ROW,
                   origin: tuple[float, float] = (0.0, 0.0)) -> dict[str, tuple[float, float]]:
    """A position for every node, as ``{node id: (x, y)}``."""
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
        first = min(columns)
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
        height = max(len(col) for col in columns.values())
        for c, col in columns.items():
            offset = (height - len(col)) / 2.0  # centre short columns on the tall ones
            for i, k in enumerate(col):
                positions[k] = (origin[0] + (c - first) * column, top + (i + offset) * row)
        top += height * row + row * 0.5
    return positions


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
