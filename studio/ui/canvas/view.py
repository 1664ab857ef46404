"""The canvas view: zoom under the cursor, pan, rubber-band selection, drops from the palette,
and wiring ports with live feedback. Each mouse gesture is a small class of its own.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsView, QLabel

from ...compile.wiring import WireCheck, check_wire, free_input, upstream
from ...graph import Connect, Disconnect
from ...graph.edits import Macro
from ...layers import CATALOGUE
from .. import i18n
from ..markup import escape
from . import style
from .items import NodeItem, PortItem, curve
from .scene import GraphScene

LAYER_MIME = "application/x-neurona-layer"
MIN_ZOOM, MAX_ZOOM = 0.1, 3.0
FIT_MARGIN = 20.0  # scene units left round a fitted graph


def _downstream(graph, node_id: str) -> set[str]:
    succ: dict[str, list[str]] = {}
    for e in graph.edges:
        succ.setdefault(e.src, []).append(e.dst)
    seen, stack = {node_id}, [node_id]
    while stack:
        for s in succ.get(stack.pop(), ()):
            if s not in seen:
                seen.add(s)
                stack.append(s)
    return seen


class Gesture:
    """One press-move-release interaction; the view forwards mouse events while it lasts."""

    def __init__(self, view: "GraphView") -> None:
        self.view = view

    def move(self, event) -> None: ...

    def release(self, event) -> None: ...

    def cancel(self) -> None: ...


class PanGesture(Gesture):
    def __init__(self, view: "GraphView", pos: QPoint) -> None:
        super().__init__(view)
        self.last = pos
        view.viewport().setCursor(Qt.ClosedHandCursor)

    def move(self, event) -> None:
        d = event.position().toPoint() - self.last
        self.last = event.position().toPoint()
        h, v = self.view.horizontalScrollBar(), self.view.verticalScrollBar()
        h.setValue(h.value() - d.x())
        v.setValue(v.value() - d.y())

    def release(self, event) -> None:
        self.cancel()

    def cancel(self) -> None:
        self.view.viewport().setCursor(Qt.OpenHandCursor if self.view.space_held else Qt.ArrowCursor)


class WireGesture(Gesture):
    """Drag from a port: compatible ports light up green, the others dim; releasing on a port
    (or on a node, which picks its free port) wires them, or says why it cannot."""

    def __init__(self, view: "GraphView", port: PortItem) -> None:
        super().__init__(view)
        self.origin = port
        self.scene: GraphScene = view.scene()
        self.doc = self.scene.doc
        graph = self.doc.graph
        self.checks: dict[tuple[str, str], WireCheck] = {}
        if port.is_output:
            self.ancestors = upstream(graph, port.node_id)
        else:
            self.below = _downstream(graph, port.node_id)
        self.temp = QGraphicsPathItem()
        self.temp.setPen(QPen(style.SELECTED, 2, Qt.DashLine, Qt.RoundCap))
        self.temp.setZValue(5)
        self.scene.addItem(self.temp)
        self.target: PortItem | None = None
        self._light_up()

    def _check(self, port: PortItem) -> WireCheck:
        key = (port.node_id, port.name)
        if key not in self.checks:
            graph, analysis = self.doc.graph, self.doc.analysis
            if self.origin.is_output:
                c = check_wire(graph, analysis, self.origin.node_id, self.origin.name, port.node_id, port.name,
                               self.ancestors)
            else:
                loop = {self.origin.node_id} if port.node_id in self.below else set()
                c = check_wire(graph, analysis, port.node_id, port.name, self.origin.node_id, self.origin.name, loop)
            self.checks[key] = c
        return self.checks[key]

    def _candidates(self, item: NodeItem) -> dict:
        return item.inputs if self.origin.is_output else item.outputs

    def _light_up(self) -> None:
        for item in self.scene.nodes.values():
            for p in (*item.inputs.values(), *item.outputs.values()):
                if p is self.origin:
                    p.set_state(PortItem.HOVER)
                elif p.is_output == self.origin.is_output or item is self.origin.node:
                    p.set_state(PortItem.BAD)
                else:
                    p.set_state(PortItem.GOOD if self._check(p).ok else PortItem.BAD)

    def _target_at(self, scene_pos: QPointF) -> PortItem | None:
        for it in self.scene.items(scene_pos):
            if isinstance(it, PortItem):
                return it if it.is_output != self.origin.is_output else None
            if isinstance(it, NodeItem) and it is not self.origin.node:
                return self._port_on_node(it)
        return None

    def _port_on_node(self, item: NodeItem) -> PortItem | None:
        """Released on a node's body: its free input (or main output) is meant."""
        if self.origin.is_output:
            name = free_input(self.doc.graph, item.node_id)
            return item.inputs.get(name) if name is not None else None
        spec = CATALOGUE.get(self.doc.graph.node(item.node_id).type)
        name = spec.default_output if spec else "out"
        return item.outputs.get(name) if name else None

    def move(self, event) -> None:
        pos = self.view.mapToScene(event.position().toPoint())
        target = self._target_at(pos)
        end = target.scenePos() if target is not None else pos
        a, b = (self.origin.scenePos(), end) if self.origin.is_output else (end, self.origin.scenePos())
        self.temp.setPath(curve(a, b))
        if target is not self.target:
            self.target = target
            if target is not None and not self._check(target).ok:
                self.view.show_note(i18n.text(self._check(target).reason), event.position().toPoint())
            else:
                self.view.note.hide()

    def release(self, event) -> None:
        pos = self.view.mapToScene(event.position().toPoint())
        target = self._target_at(pos)
        self.cancel()
        if target is None:
            return
        check = self._check(target)
        if not check.ok:
            self._refuse(i18n.text(check.reason), event)
            return
        edits = ([Disconnect(check.replaces)] if check.replaces is not None else []) + [Connect(check.edge)]
        refusal = self.doc.try_push(Macro(edits, label="connect") if len(edits) > 1 else edits[0])
        if refusal:
            self._refuse(i18n.text(refusal), event)
        else:
            self.view.wired.emit(check.edge)

    def _refuse(self, reason: str, event) -> None:
        """The whole reason, with its fix, on the canvas where the wire was dropped."""
        self.view.show_note(reason, event.position().toPoint())
        self.view.wire_refused.emit(reason)

    def cancel(self) -> None:
        if self.temp.scene() is not None:
            self.scene.removeItem(self.temp)
        for item in self.scene.nodes.values():
            for p in (*item.inputs.values(), *item.outputs.values()):
                p.set_state(PortItem.NORMAL)
        self.view.note.hide()


class CanvasNote(QLabel):
    """A message pinned on the canvas next to where it happened (why a wire was refused):
    wrapped to a readable width and kept inside the view, so it is read whole. It stays until
    the next click on the canvas or Esc."""

    MAX_WIDTH = 380

    def __init__(self, view: "GraphView") -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("canvas-note")
        self.setWordWrap(True)
        self.setTextFormat(Qt.RichText)
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setStyleSheet("QLabel#canvas-note { background: #fff6f6; color: #1f2430; border: 1px solid #d64545;"
                           " border-radius: 6px; padding: 6px 8px; }")
        self.hide()

    def show_at(self, title: str, text: str, pos: QPoint) -> None:
        """Show ``title`` and ``text`` beside ``pos`` (viewport coordinates), inside the view."""
        self.setText(f"<b>{escape(title)}</b><br>{escape(text)}")
        area = self.view.viewport().geometry()  # where the canvas is, in the view's coordinates
        width = max(120, min(self.MAX_WIDTH, area.width() - 16))
        height = self.heightForWidth(width)
        self.resize(width, height)
        at = pos + area.topLeft()
        x = at.x() + 16 if at.x() + 16 + width <= area.right() - 8 else at.x() - 16 - width
        y = at.y() + 16 if at.y() + 16 + height <= area.bottom() - 8 else at.y() - 16 - height
        x = max(area.left() + 8, min(x, area.right() - 8 - width))
        y = max(area.top() + 8, min(y, area.bottom() - 8 - height))
        self.move(x, y)
        self.show()
        self.raise_()


class GraphView(QGraphicsView):
    wire_refused = Signal(str)
    wired = Signal(object)
    layer_dropped = Signal(str, QPointF)  # layer type, scene position
    files_dropped = Signal(list)
    zoom_changed = Signal(float)
    menu_requested = Signal(QPointF, QPoint)  # scene position, global position

    def __init__(self, scene: GraphScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.BoundingRectViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheBackground)
        self.setOptimizationFlags(QGraphicsView.DontSavePainterState)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.gesture: Gesture | None = None
        self.space_held = False
        self.note = CanvasNote(self)
        self._reported_zoom = self.zoom()
        self._showing = False  # show_graph is redone on resize until the user moves the view
        self._grow_scene_rect()
        scene.content_changed.connect(self._grow_scene_rect)
        scene.content_changed.connect(self._stop_showing)
        scene.content_changed.connect(self.note.hide)  # a note speaks of the graph as it was
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.sliderPressed.connect(self._stop_showing)

    def _grow_scene_rect(self) -> None:
        """Leave room around the graph so it can be panned past its edges."""
        r = self.scene().itemsBoundingRect().adjusted(-2000, -2000, 2000, 2000)
        current = self.sceneRect()
        if not current.contains(r):
            self.setSceneRect(current.united(r))

    # -- zoom ----------------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def _report_zoom(self) -> None:
        """zoom_changed after every change of scale, whoever made it, so the figure shown is the
        scale the canvas is drawn at."""
        z = self.zoom()
        if z != self._reported_zoom:
            self._reported_zoom = z
            self.zoom_changed.emit(z)

    def scale(self, sx: float, sy: float) -> None:
        super().scale(sx, sy)
        self._report_zoom()

    def setTransform(self, matrix, combine: bool = False) -> None:
        super().setTransform(matrix, combine)
        self._report_zoom()

    def resetTransform(self) -> None:
        super().resetTransform()
        self._report_zoom()

    def fitInView(self, *args) -> None:
        super().fitInView(*args)
        self._report_zoom()

    def readable_zoom(self) -> float:
        """The smallest zoom at which every text on the canvas is READABLE_PX high on screen."""
        return style.READABLE_PX / style.smallest_text_px(self.logicalDpiY())

    def set_zoom(self, z: float, anchor: QPoint | None = None) -> None:
        """Zoom to ``z`` keeping the centre, or the point under ``anchor`` (viewport pixels), in place.
        Qt's own AnchorUnderMouse reads the pointer's last known place, not the event's."""
        z = min(MAX_ZOOM, max(MIN_ZOOM, z))
        factor = z / self.zoom()
        old = self.transformationAnchor()
        if anchor is None:
            self.setTransformationAnchor(QGraphicsView.AnchorViewCenter)
            self.scale(factor, factor)
        else:
            fixed = self.mapToScene(anchor)
            self.setTransformationAnchor(QGraphicsView.NoAnchor)
            self.scale(factor, factor)
            drift = self.mapFromScene(fixed) - anchor
            h, v = self.horizontalScrollBar(), self.verticalScrollBar()
            h.setValue(h.value() + drift.x())
            v.setValue(v.value() + drift.y())
        self.setTransformationAnchor(old)

    def zoom_in(self) -> None:
        self._stop_showing()
        self.set_zoom(self.zoom() * 1.25)

    def zoom_out(self) -> None:
        self._stop_showing()
        self.set_zoom(self.zoom() / 1.25)

    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y()
        if delta:
            self._stop_showing()
            self.set_zoom(self.zoom() * math.pow(1.0015, delta), anchor=event.position().toPoint())
        event.accept()

    def fit_all(self) -> None:
        rect = self.scene().itemsBoundingRect()
        if rect.isEmpty():
            self.resetTransform()
            self.centerOn(0, 0)
            return
        self.fitInView(rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN), Qt.KeepAspectRatio)
        if self.zoom() > 1.2:
            self.set_zoom(1.2)
            self.centerOn(rect.center())
        elif self.zoom() < MIN_ZOOM:
            self.set_zoom(MIN_ZOOM)

    def show_graph(self) -> None:
        """A freshly opened graph: all of it if that is readable (no text under READABLE_PX),
        else its start (the Inputs, top left) at the smallest readable zoom. Done again when
        the view gets its real size (a file opened before the window is shown) until the user
        zooms, pans or edits."""
        self._showing = True
        self._show_graph()

    def _show_graph(self) -> None:
        self.fit_all()
        rect = self.scene().itemsBoundingRect()
        readable = self.readable_zoom()
        if rect.isEmpty() or self.zoom() >= readable:
            return
        self.set_zoom(readable)
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        nodes = QRectF()
        for item in self.scene().nodes.values():
            nodes = nodes.united(item.sceneBoundingRect())
        # Centred along a side that fits; else from the left or the top, where the Inputs are.
        x = rect.center().x() if rect.width() <= visible.width() else rect.left() - FIT_MARGIN + visible.width() / 2
        y = rect.center().y() if rect.height() <= visible.height() else nodes.top() - FIT_MARGIN + visible.height() / 2
        self.centerOn(x, y)

    def _stop_showing(self) -> None:
        self._showing = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._showing:
            self._show_graph()

    def center_on_node(self, node_id: str) -> None:
        item = self.scene().nodes.get(node_id)
        if item is not None:
            self._stop_showing()
            self.centerOn(item.sceneBoundingRect().center())

    def reveal_node(self, node_id: str) -> None:
        """Scroll just enough that the node is on screen (a layer added from the palette)."""
        item = self.scene().nodes.get(node_id)
        if item is not None:
            self._stop_showing()
            self.ensureVisible(item.sceneBoundingRect(), 40, 40)

    def show_note(self, text: str, pos: QPoint) -> None:
        self.note.show_at(self.tr("Cannot wire"), text, pos)

    # -- gestures ------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if self.gesture is not None:
            return
        self._stop_showing()
        self.note.hide()
        pos = event.position().toPoint()
        if event.button() == Qt.MiddleButton or (event.button() == Qt.LeftButton and self.space_held):
            self.gesture = PanGesture(self, pos)
            event.accept()
            return
        if event.button() == Qt.LeftButton:
            item = self.itemAt(pos)
            if isinstance(item, PortItem):
                self.gesture = WireGesture(self, item)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self.gesture is not None:
            self.gesture.move(event)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self.gesture is not None:
            gesture, self.gesture = self.gesture, None
            gesture.release(event)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self.space_held = True
            self.viewport().setCursor(Qt.OpenHandCursor)
            event.accept()
            return
        if event.key() == Qt.Key_Escape and self.note.isVisible():
            self.note.hide()
        if event.key() == Qt.Key_Escape and self.gesture is not None:
            gesture, self.gesture = self.gesture, None
            gesture.cancel()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self.space_held = False
            self.viewport().setCursor(Qt.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        if self.space_held:
            self.space_held = False
            self.viewport().setCursor(Qt.ArrowCursor)
        super().focusOutEvent(event)

    def contextMenuEvent(self, event) -> None:
        pos = event.pos()
        item = self.itemAt(pos)
        while item is not None and item.parentItem() is not None:
            item = item.parentItem()
        if item is not None and not item.isSelected():
            self.scene().clearSelection()
            item.setSelected(True)  # the menu acts on what was clicked
        elif item is None:
            self.scene().clearSelection()
        self.menu_requested.emit(self.mapToScene(pos), event.globalPos())
        event.accept()

    # -- drops ---------------------------------------------------------------------------------
    @staticmethod
    def _accepts(mime) -> bool:
        if mime.hasFormat(LAYER_MIME):
            return bytes(mime.data(LAYER_MIME)).decode("utf-8", "replace") in CATALOGUE
        return mime.hasUrls() and any(u.toLocalFile().endswith(".neurona") for u in mime.urls())

    def dragEnterEvent(self, event) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # QGraphicsView ignores a move no item takes
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        if not self._accepts(mime):
            event.ignore()
            return
        if mime.hasFormat(LAYER_MIME):
            type_name = bytes(mime.data(LAYER_MIME)).decode("utf-8")
            self.layer_dropped.emit(type_name, self.mapToScene(event.position().toPoint()))
        else:
            self.files_dropped.emit([u.toLocalFile() for u in mime.urls() if u.toLocalFile().endswith(".neurona")])
        event.acceptProposedAction()

    # -- background ----------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, style.BACKGROUND)
        if self.zoom() < 0.35:
            return
        step = style.GRID
        left = math.floor(rect.left() / step) * step
        top = math.floor(rect.top() / step) * step
        minor, major = [], []
        x = left
        while x < rect.right():
            (major if round(x / step) % 5 == 0 else minor).append((QPointF(x, rect.top()), QPointF(x, rect.bottom())))
            x += step
        y = top
        while y < rect.bottom():
            (major if round(y / step) % 5 == 0 else minor).append((QPointF(rect.left(), y), QPointF(rect.right(), y)))
            y += step
        painter.setPen(QPen(style.GRID_MINOR, 0))
        for a, b in minor:
            painter.drawLine(a, b)
        painter.setPen(QPen(style.GRID_MAJOR, 0))
        for a, b in major:
            painter.drawLine(a, b)
