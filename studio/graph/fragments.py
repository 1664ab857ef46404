"""Pieces of a graph for copy, paste and duplicate.

A fragment is an ordinary graph file (the same JSON, the same validation) holding the copied
nodes and the wires between them. Pasting reads it through the file loader, so whatever the
clipboard holds is checked like any file before it touches the document, then turns it into
one ``Macro`` of edits with fresh ids. No Qt, no torch; the catalogue is passed in.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Mapping

from . import fileformat
from .edits import AddNode, Connect, Macro
from .model import Edge, Graph, Node, node_id_problem

MIME_TYPE = "application/x-neurona-fragment"


def extract(graph: Graph, node_ids: Iterable[str], catalogue: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The chosen nodes (in document order) and the wires among them, as graph-file data."""
    chosen = set(node_ids)
    part = Graph(graph.name)
    part.nodes = {k: n.copy() for k, n in graph.nodes.items() if k in chosen}
    part.edges = [e for e in graph.edges if e.src in chosen and e.dst in chosen]
    return fileformat.to_data(part, catalogue)


def to_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def read(text: str | bytes, catalogue: Mapping[str, Any] | None = None) -> Graph:
    """Parse and validate clipboard content; raises ``GraphFileError`` naming the problem."""
    return fileformat.loads(text, catalogue, source="the clipboard")


def paste_edits(graph: Graph, part: Graph, offset: tuple[float, float] = (40.0, 40.0)) -> tuple[Macro, list[str]]:
    """One undo step that adds ``part`` to ``graph`` (ids renamed where they are taken,
    positions shifted by ``offset``); also returns the new ids in order."""
    taken = set(graph.nodes)
    renamed: dict[str, str] = {}
    edits = []
    for node in part.nodes.values():
        new_id = node.id if node.id not in taken else _fresh(node.id, taken)
        taken.add(new_id)
        renamed[node.id] = new_id
        pos = None if node.position is None else (node.position[0] + offset[0], node.position[1] + offset[1])
        edits.append(AddNode(Node(new_id, node.type, dict(node.params), pos)))
    for e in part.edges:
        edits.append(Connect(Edge(renamed[e.src], renamed[e.dst], e.src_port, e.dst_port)))
    return Macro(edits, label="paste"), list(renamed.values())


def _fresh(old: str, taken: set[str]) -> str:
    """``conv1`` taken → ``conv2``, ``conv3`` …; keeps the readable stem of the copied id."""
    stem = re.sub(r"\d+$", "", old) or "node"
    i = 1
    while True:
        candidate = f"{stem[:60]}{i}"
        if candidate not in taken and node_id_problem(candidate) is None:
            return candidate
        i += 1
