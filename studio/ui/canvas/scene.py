"""The scene: one item per node and per wire, kept in step with the document.

The scene listens to the document's signals and the latest analysis; it changes the document
only by pushing edits (a finished node drag is one ``Macro`` of moves, one undo step).
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsScene

from ...graph import Edge, MoveNode
from ...graph.edits import Macro
from ...layers import CATALOGUE, LayerSpec
from .. import i18n
from ..document import Document
from ..markup import escape
from . import style
from .items import EdgeItem, NodeItem, PortItem, key_params, shape_label


def _port_lists(spec: LayerSpec | None, wired: list[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, label) of the input and output ports a node shows. Add and Concat show their
    wired inputs plus one free port, so another branch can always be wired in."""
    if spec is None:
        return [("in", "")], [("out", "")]
    if spec.variadic:
        used = sorted({int(p) for p in wired if p.isdigit()})
        count = max(spec.min_inputs, (used[-1] + 1) if used else 0)
        names = [str(i) for i in range(count)]
        if len(used) >= count:
            names.append(str(count))
        inputs = [(n, n) for n in names]
    else:
        many = len(spec.inputs) > 1
        inputs = [(p.name, p.name if many else "") for p in spec.inputs]
    many_out = len(spec.outputs) > 1
    outputs = [(p.name, p.name if many_out else "") for p in spec.outputs]
    return inputs, outputs


# Grid steps round a spot, nearest first (up to 40 steps, 800 units, away).
_NEAR_FIRST = sorted(((i, j) for i in range(-40, 41) for j in range(-40, 41)),
                     key=lambda p: (p[0] ** 2 + p[1] ** 2, p[1], p[0]))


class GraphScene(QGraphicsScene):
    nodes_moved = Signal()
    content_changed = Signal()  # nodes came, went or moved (not during a drag): the view resizes its area

    def __init__(self, doc: Document, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[Edge, EdgeItem] = {}
        self._node_edges: dict[str, set[Edge]] = defaultdict(set)
        self._press: dict[str, QPointF] = {}
        self._applied = None
        self.setItemIndexMethod(QGraphicsScene.BspTreeIndex)
        doc.node_added.connect(self._on_node_added)
        doc.node_removed.connect(self._on_node_removed)
        doc.node_moved.connect(self._on_node_moved)
        doc.node_renamed.connect(self._on_node_renamed)
        doc.edge_added.connect(self._on_edge_added)
        doc.edge_removed.connect(self._on_edge_removed)
        doc.reset.connect(self.rebuild)
        doc.analyzed.connect(self.apply_analysis)
        self.rebuild()

    # -- building ----------------------------------------------------------------------------
    def rebuild(self) -> None:
        self._applied = None
        self.clear()
        self.nodes.clear()
        self.edges.clear()
        self._node_edges.clear()
        for node in self.doc.graph:
            self._make_node(node.id)
        for e in self.doc.graph.edges:
            self._make_edge(e)
        self.apply_analysis()
        self.content_changed.emit()

    def _make_node(self, node_id: str) -> NodeItem:
        node = self.doc.graph.node(node_id)
        spec = CATALOGUE.get(node.type)
        item = NodeItem(node_id, spec, node.type)
        item.set_ports(*self._ports(node_id, spec))
        pos = node.position if node.position is not None else self._free_spot()
        self.nodes[node_id] = item
        item.setPos(*pos)
        self.addItem(item)
        item.set_content(key_params(spec, node.params), "", "")
        return item

    def _free_spot(self) -> tuple[float, float]:
        if not self.nodes:
            return (0.0, 0.0)
        right = max(self.nodes.values(), key=lambda i: i.x())
        return (right.x() + 220.0, right.y())

    def _ports(self, node_id: str, spec: LayerSpec | None):
        wired = [e.dst_port for e in self.doc.graph.edges if e.dst == node_id] if spec is not None and spec.variadic else []
        return _port_lists(spec, wired)

    def _make_edge(self, e: Edge) -> EdgeItem | None:
        if e.src not in self.nodes or e.dst not in self.nodes:
            return None
        item = EdgeItem(e, self)
        self.edges[e] = item
        self._node_edges[e.src].add(e)
        self._node_edges[e.dst].add(e)
        item.update_path()
        self.addItem(item)
        return item

    def _refresh_ports(self, node_id: str) -> None:
        item = self.nodes.get(node_id)
        if item is None:
            return
        if item.set_ports(*self._ports(node_id, item.spec)):
            self._update_edges_of(node_id)
        wired_in = {e.dst_port for e in self._node_edges[node_id] if e.dst == node_id}
        wired_out = {e.src_port for e in self._node_edges[node_id] if e.src == node_id}
        for name, port in item.inputs.items():
            port.connected = name in wired_in
            port.update()
        for name, port in item.outputs.items():
            port.connected = name in wired_out
            port.update()

    def _update_edges_of(self, node_id: str) -> None:
        for e in self._node_edges.get(node_id, ()):
            edge = self.edges.get(e)
            if edge is not None:
                edge.update_path()

    # -- the document's events -------------------------------------------------------------------
    def _on_node_added(self, node_id: str) -> None:
        self._make_node(node_id)
        self.content_changed.emit()

    def _on_node_removed(self, node_id: str) -> None:
        item = self.nodes.pop(node_id, None)
        if item is not None:
            self.removeItem(item)
        self._node_edges.pop(node_id, None)

    def _on_node_moved(self, node_id: str) -> None:
        item, pos = self.nodes.get(node_id), self.doc.graph.node(node_id).position
        if item is not None and pos is not None and (item.x(), item.y()) != pos:
            item.setPos(*pos)
            self.content_changed.emit()

    def _on_node_renamed(self, old: str, new: str) -> None:
        item = self.nodes.pop(old)
        item.rename(new)
        item.setToolTip("")
        self.nodes[new] = item
        for e in list(self._node_edges.pop(old, ())):
            self._drop_edge(e)
        for e in self.doc.graph.edges:
            if new in (e.src, e.dst) and e not in self.edges:
                self._make_edge(e)

    def _on_edge_added(self, e: Edge) -> None:
        self._make_edge(e)
        self._refresh_ports(e.dst)
        self._refresh_ports(e.src)

    def _on_edge_removed(self, e: Edge) -> None:
        self._drop_edge(e)
        self._refresh_ports(e.dst)
        self._refresh_ports(e.src)

    def _drop_edge(self, e: Edge) -> None:
        item = self.edges.pop(e, None)
        if item is not None:
            self.removeItem(item)
        for end in (e.src, e.dst):
            self._node_edges.get(end, set()).discard(e)

    def apply_analysis(self) -> None:
        analysis = self.doc.analysis
        if analysis is self._applied:  # a reset already drew this analysis
            return
        self._applied = analysis
        by_node: dict[str, list] = defaultdict(list)
        for p in analysis.problems:
            if p.node_id is not None:
                by_node[p.node_id].append(p)
        for node_id, item in self.nodes.items():
            node = self.doc.graph.nodes.get(node_id)
            if node is None:
                continue
            info = analysis.nodes.get(node_id)
            problems = by_node.get(node_id, [])
            severity = "error" if any(p.severity == "error" for p in problems) else ("warning" if problems else "")
            out = info.output if info is not None else None
            shape = "→ " + shape_label(out.shape) if out is not None else ("→ ?" if item.outputs else "")
            if item.spec is not None and item.spec.role == "output" and info is not None and info.inputs:
                shape = "← " + shape_label(next(iter(info.inputs.values())).shape)
            if item.spec is not None and item.spec.variadic:
                self._refresh_ports(node_id)
            item.set_content(key_params(item.spec, node.params), shape, severity)
            item.set_problems([i18n.problem_text(p) for p in problems])
        for e, edge in self.edges.items():
            t = analysis.edge_shapes.get(e)
            dst = analysis.nodes.get(e.dst)
            edge.set_label(shape_label(t.shape) if t is not None else "?",
                           problem=t is None or bool(dst is not None and dst.broken))

    # -- geometry for items ---------------------------------------------------------------------
    def port_position(self, e: Edge, output: bool) -> QPointF:
        node_id, port = (e.src, e.src_port) if output else (e.dst, e.dst_port)
        item = self.nodes[node_id]
        p = item.port(port, output)
        if p is not None:
            return p.scenePos()
        return item.scenePos() + QPointF(style.NODE_WIDTH if output else 0.0, style.HEADER + style.PORT_ROW / 2)

    def node_item_moved(self, item: NodeItem) -> None:
        if self.nodes.get(item.node_id) is item:
            self._update_edges_of(item.node_id)

    def node_tooltip(self, item: NodeItem) -> str:
        """Problems first (what the badge means), then what the layer is."""
        spec = item.spec
        parts = [f"<p style='color:{'#c03535' if item.severity == 'error' else '#9a5b00'}'>{escape(t)}</p>"
                 for t in item.problem_texts]
        parts.append(f"<b>{escape(item.node_id)}</b> — {escape(spec.label if spec else item.type_name)}")
        text = i18n.teaching(spec).get("summary", "") if spec else ""
        if text:
            parts.append(f"<p>{escape(text)}</p>")
        return f"<div style='max-width: 380px'>{''.join(parts)}</div>"

    def port_tooltip(self, port: PortItem) -> str:
        return port.name

    # -- placing new nodes -------------------------------------------------------------------------
    def free_spot(self, x: float, y: float, type_name: str, ignore=()) -> tuple[float, float]:
        """The place nearest (x, y), in 20-unit steps, where a new node of ``type_name`` covers
        no other node and no wire's shape label (``ignore``: ids of nodes about to move away)."""
        spec = CATALOGUE.get(type_name)
        inputs, outputs = _port_lists(spec, [])
        rows = max(len(inputs), len(outputs), 1) if any(label for _, label in (*inputs, *outputs)) else 0
        size = (style.NODE_WIDTH, style.HEADER + rows * style.PORT_ROW + style.FOOTER)
        ignore = set(ignore)

        def free(px: float, py: float) -> bool:
            room = QRectF(px - 16, py - 16, size[0] + 32, size[1] + 32)
            for it in self.items(room):
                if isinstance(it, NodeItem) and it.node_id not in ignore:
                    return False
                if isinstance(it, EdgeItem) and it.label and it.edge.src not in ignore and it.edge.dst not in ignore \
                        and room.intersects(it.label_rect()):
                    return False
            return True

        for i, j in _NEAR_FIRST:
            if free(x + i * 20.0, y + j * 20.0):
                return (x + i * 20.0, y + j * 20.0)
        return (x, y)

    # -- selection -------------------------------------------------------------------------------
    def selected_node_ids(self) -> list[str]:
        chosen = {i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)}
        return [k for k in self.doc.graph.nodes if k in chosen]

    def selected_edges(self) -> list[Edge]:
        return [i.edge for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def select_nodes(self, ids) -> None:
        ids = set(ids)
        self.clearSelection()
        for k in ids:
            if k in self.nodes:
                self.nodes[k].setSelected(True)

    # -- moves: one undo step per drag -------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        self._press = {i.node_id: i.pos() for i in self.selectedItems() if isinstance(i, NodeItem)}

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        self.commit_moves()

    def commit_moves(self) -> None:
        moves = []
        for node_id, before in self._press.items():
            item = self.nodes.get(node_id)
            if item is None or item.pos() == before:
                continue
            x, y = round(item.x() / 10) * 10.0, round(item.y() / 10) * 10.0  # snap to the half grid
            item.setPos(x, y)
            moves.append(MoveNode(node_id, (x, y)))
        self._press = {}
        if moves:
            self.doc.push(Macro(moves, label="move node") if len(moves) > 1 else moves[0])
            self.nodes_moved.emit()
            self.content_changed.emit()
