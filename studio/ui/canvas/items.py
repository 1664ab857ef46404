"""What the canvas draws: nodes (with their problem badge), their ports and the wires between them.

Items read the document and the latest analysis; they never change the document themselves
(the scene pushes edits). Node bodies are cached as device pixmaps and repainted only when
their content changes, so dragging one node in a 500-node graph redraws almost nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem

from ...layers import LayerSpec, fmt_batch
from . import style

if TYPE_CHECKING:
    from ...compile.shapes import NodeInfo, Problem


def short_value(v: Any) -> str:
    if isinstance(v, bool):
        return "✓" if v else "✗"
    if isinstance(v, list):
        return "×".join(str(x) for x in v)
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def key_params(spec: LayerSpec | None, params: dict[str, Any]) -> str:
    """The node's one-line parameter summary: the first parameter, then any set away from its default."""
    if spec is None or not spec.params:
        return ""
    parts = []
    for i, p in enumerate(spec.params):
        value = params.get(p.name, p.default)
        if i == 0 or (p.name in params and value != p.default):
            parts.append(f"{p.name}={short_value(value)}")
    return " · ".join(parts)


class PortItem(QGraphicsItem):
    """One port: inputs on the left edge of a node, outputs on the right."""

    NORMAL, CONNECTED, GOOD, BAD, HOVER = range(5)

    def __init__(self, node: "NodeItem", name: str, is_output: bool, label: str) -> None:
        super().__init__(node)
        self.node = node
        self.name = name
        self.is_output = is_output
        self.label = label
        self.state = self.NORMAL
        self.connected = False
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CrossCursor)
        self.setZValue(2)

    @property
    def node_id(self) -> str:
        return self.node.node_id

    def boundingRect(self) -> QRectF:
        r = style.PORT_RADIUS + 3
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:  # a generous target for the mouse
        path = QPainterPath()
        path.addEllipse(self.boundingRect())
        return path

    def set_state(self, state: int) -> None:
        if state != self.state:
            self.state = state
            self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        colour = self.node.colour
        r = style.PORT_RADIUS
        if self.state == self.GOOD:
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(63, 165, 107, 90))
            painter.drawEllipse(QPointF(0, 0), r + 3, r + 3)
            pen, brush = QPen(style.OK, 2), QBrush(style.OK)
        elif self.state == self.BAD:
            pen, brush = QPen(QColor("#c9ccd2"), 1.5), QBrush(QColor("#eceef1"))
        elif self.state == self.HOVER:
            pen, brush = QPen(style.SELECTED, 2), QBrush(style.SELECTED)
        else:
            pen = QPen(colour.darker(115), 1.8)
            brush = QBrush(colour if self.connected else style.NODE_FILL)
        painter.setPen(pen)
        painter.setBrush(brush)
        painter.drawEllipse(QPointF(0, 0), r, r)

    def hoverEnterEvent(self, event) -> None:
        if self.state in (self.NORMAL,):
            self.set_state(self.HOVER)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        if self.state == self.HOVER:
            self.set_state(self.NORMAL)
        super().hoverLeaveEvent(event)


class NodeItem(QGraphicsObject):
    """A layer on the canvas: title, type, key parameters, output shape and ports."""

    def __init__(self, node_id: str, spec: LayerSpec | None, type_name: str) -> None:
        super().__init__()
        self.node_id = node_id
        self.spec = spec
        self.type_name = type_name
        self.colour = style.category_colour(spec.category if spec else None)
        self.params_text = ""
        self.shape_text = ""
        self.severity = ""
        self.inputs: dict[str, PortItem] = {}
        self.outputs: dict[str, PortItem] = {}
        self._rows = 0
        self._height = style.HEADER + style.FOOTER
        self.problem_texts: list[str] = []
        self.setFlags(QGraphicsItem.ItemIsMovable | QGraphicsItem.ItemIsSelectable
                      | QGraphicsItem.ItemSendsGeometryChanges)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self._layout_key: tuple = ()

    # -- content -----------------------------------------------------------------------------
    def set_ports(self, inputs: list[tuple[str, str]], outputs: list[tuple[str, str]]) -> bool:
        """(name, label) per port; returns True when the ports changed (wires must follow)."""
        key = (tuple(inputs), tuple(outputs))
        if key == self._layout_key:
            return False
        self._layout_key = key
        for port in (*self.inputs.values(), *self.outputs.values()):
            port.setParentItem(None)
            if port.scene() is not None:
                port.scene().removeItem(port)
        self.prepareGeometryChange()
        labelled = any(label for _, label in (*inputs, *outputs))
        self._rows = max(len(inputs), len(outputs), 1) if labelled else 0
        self._height = style.HEADER + self._rows * style.PORT_ROW + style.FOOTER
        self.inputs, self.outputs = {}, {}
        for i, (name, label) in enumerate(inputs):
            p = PortItem(self, name, False, label)
            p.setPos(0, self._port_y(i))
            self.inputs[name] = p
        for i, (name, label) in enumerate(outputs):
            p = PortItem(self, name, True, label)
            p.setPos(style.NODE_WIDTH, self._port_y(i))
            self.outputs[name] = p
        self.update()
        return True

    def _port_y(self, row: int) -> float:
        if not self._rows:  # one unlabelled port a side: the middle of the body
            return style.HEADER + style.FOOTER / 2
        return style.HEADER + (row + 0.5) * style.PORT_ROW

    def set_content(self, params_text: str, shape_text: str, severity: str) -> None:
        if (params_text, shape_text, severity) != (self.params_text, self.shape_text, self.severity):
            self.params_text, self.shape_text, self.severity = params_text, shape_text, severity
            self.update()

    def set_problems(self, texts: list[str]) -> None:
        """The messages behind the badge; they lead the node's tooltip."""
        if texts != self.problem_texts:
            self.problem_texts = texts
        self.setToolTip("")  # rebuilt on the next hover

    def rename(self, node_id: str) -> None:
        self.node_id = node_id
        self.update()

    def port(self, name: str, output: bool) -> PortItem | None:
        return (self.outputs if output else self.inputs).get(name)

    # -- painting ----------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(-4, -4, style.NODE_WIDTH + 8, self._height + 8)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, style.NODE_WIDTH, self._height), 8, 8)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.TextAntialiasing)
        w, h = style.NODE_WIDTH, self._height
        body = QRectF(0, 0, w, h)
        if self.isSelected():
            border = QPen(style.SELECTED, 2.6)
        elif self.severity == "error":
            border = QPen(style.ERROR, 2.0)
        elif self.severity == "warning":
            border = QPen(style.WARNING, 2.0)
        else:
            border = QPen(style.NODE_BORDER, 1.2)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(0, 0, 0, 28))
        painter.drawRoundedRect(body.translated(0, 2), 8, 8)  # soft shadow
        painter.setBrush(style.NODE_FILL)
        painter.setPen(border)
        painter.drawRoundedRect(body, 8, 8)
        header = QPainterPath()
        header.setFillRule(Qt.WindingFill)
        header.addRoundedRect(QRectF(0, 0, w, style.HEADER), 8, 8)
        header.addRect(QRectF(0, style.HEADER / 2, w, style.HEADER / 2))
        painter.setPen(Qt.NoPen)
        painter.setBrush(self.colour)
        painter.drawPath(header)
        painter.setPen(border)
        painter.setBrush(Qt.NoBrush)
        painter.drawRoundedRect(body, 8, 8)

        title_font = style.font(style.TITLE_PT, bold=True)
        small = style.font(style.LABEL_PT)
        mono = style.font(style.SHAPE_PT, mono=True, bold=True)
        painter.setFont(title_font)
        painter.setPen(QColor("white"))
        fm, fm_type = QFontMetricsF(title_font), QFontMetricsF(small)
        room = w - 20
        title_w = min(fm.horizontalAdvance(self.node_id), room * 0.6)
        type_w = min(fm_type.horizontalAdvance(self.type_name), room - title_w - 8)
        if type_w < min(fm_type.horizontalAdvance(self.type_name), fm_type.horizontalAdvance("Conv…")):  # no room for the type: the title takes it all
            title_w, type_w = room, 0
        painter.drawText(QRectF(10, 0, title_w + 1, style.HEADER), Qt.AlignVCenter | Qt.AlignLeft,
                         fm.elidedText(self.node_id, Qt.ElideRight, title_w + 1))
        if type_w:
            painter.setFont(small)
            painter.setPen(QColor(255, 255, 255, 225))
            painter.drawText(QRectF(w - 10 - type_w - 1, 0, type_w + 1, style.HEADER), Qt.AlignVCenter | Qt.AlignRight,
                             fm_type.elidedText(self.type_name, Qt.ElideRight, type_w + 1))

        painter.setFont(small)
        painter.setPen(style.MUTED)
        for port in self.inputs.values():
            if port.label:
                painter.drawText(QRectF(12, port.y() - 8, w / 2 - 12, 16), Qt.AlignVCenter | Qt.AlignLeft, port.label)
        for port in self.outputs.values():
            if port.label:
                painter.drawText(QRectF(w / 2, port.y() - 8, w / 2 - 12, 16), Qt.AlignVCenter | Qt.AlignRight, port.label)
        top = h - style.FOOTER
        fm_small = QFontMetricsF(small)
        painter.drawText(QRectF(10, top + 2, w - 20, 16), Qt.AlignVCenter | Qt.AlignLeft,
                         fm_small.elidedText(self.params_text, Qt.ElideRight, w - 20))
        painter.setFont(mono)
        painter.setPen(style.ERROR if self.severity == "error" else style.TEXT)
        painter.drawText(QRectF(10, top + 19, w - 20, 16), Qt.AlignVCenter | Qt.AlignLeft,
                         QFontMetricsF(mono).elidedText(self.shape_text, Qt.ElideRight, w - 20))

        if self.severity:
            self._paint_badge(painter)

    def _paint_badge(self, painter: QPainter) -> None:
        """The error or warning mark in the top-right corner (drawn with the cached body)."""
        c = QPointF(style.NODE_WIDTH - 3, 3)
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(style.ERROR if self.severity == "error" else style.WARNING)
        painter.drawEllipse(c, 7.5, 7.5)
        painter.setPen(QPen(QColor("white"), 2.2, Qt.SolidLine, Qt.RoundCap))
        painter.drawLine(c + QPointF(0, -3.5), c + QPointF(0, 1.0))
        painter.drawPoint(c + QPointF(0, 4.0))

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemPositionHasChanged and self.scene() is not None:
            self.scene().node_item_moved(self)
        elif change == QGraphicsItem.ItemSelectedHasChanged:
            self.setZValue(1.5 if value else 1)
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event) -> None:
        if not self.toolTip() and self.scene() is not None:
            self.setToolTip(self.scene().node_tooltip(self))
        super().hoverEnterEvent(event)


class EdgeItem(QGraphicsItem):
    """A wire: a curve from an output port to an input port, labelled with its tensor shape."""

    def __init__(self, edge, scene) -> None:
        super().__init__()
        self.edge = edge
        self._scene = scene
        self.label = ""
        self.problem = False
        self.path = QPainterPath()
        self._label_rect = QRectF()
        self._bounds = QRectF()
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.setZValue(0)
        self.setAcceptHoverEvents(True)
        self._hover = False

    def set_label(self, text: str, problem: bool = False) -> None:
        if (text, problem) != (self.label, self.problem):
            self.label, self.problem = text, problem
            self.update_path()

    def update_path(self) -> None:
        a, b = self._scene.port_position(self.edge, output=True), self._scene.port_position(self.edge, output=False)
        path = curve(a, b)
        self.prepareGeometryChange()
        self.path = path
        if self.label:
            f = style.font(style.WIRE_PT, mono=True)
            fm = QFontMetricsF(f)
            mid = path.pointAtPercent(0.5)
            tw = fm.horizontalAdvance(self.label) + 10
            self._label_rect = QRectF(mid.x() - tw / 2, mid.y() - 8, tw, 16)
        else:
            self._label_rect = QRectF()
        self._bounds = path.boundingRect().adjusted(-6, -6, 6, 6).united(self._label_rect.adjusted(-2, -2, 2, 2))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def label_rect(self) -> QRectF:
        """Where the shape label is drawn (scene coordinates; empty without a label)."""
        return QRectF(self._label_rect)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        s = stroker.createStroke(self.path)
        if not self._label_rect.isNull():
            s.addRect(self._label_rect)
        return s

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        colour = style.SELECTED if self.isSelected() else (style.ERROR if self.problem else style.EDGE)
        width = 2.6 if (self.isSelected() or self._hover) else 1.8
        painter.setPen(QPen(colour, width, Qt.SolidLine, Qt.RoundCap))
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(self.path)
        if self.label:
            painter.setPen(QPen(colour.lighter(130) if not self.isSelected() else colour, 1))
            painter.setBrush(style.EDGE_LABEL_FILL)
            painter.drawRoundedRect(self._label_rect, 7, 7)
            painter.setFont(style.font(style.WIRE_PT, mono=True))
            painter.setPen(style.ERROR if self.problem else style.TEXT)
            painter.drawText(self._label_rect, Qt.AlignCenter, self.label)

    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self.update()


def curve(a: QPointF, b: QPointF) -> QPainterPath:
    """A wire's curve. Long straight runs (a skip connection over a chain of layers) bow
    upwards so they do not hide behind the nodes they pass."""
    path = QPainterPath(a)
    dx = b.x() - a.x()
    if dx < 40 and b.y() - a.y() > 60:  # on to the next row of a wrapped layout: a carriage return
        y = a.y() + (b.y() - a.y()) * 0.45  # between the rows, clear of both
        bend = min(28.0, (y - a.y()) * 0.9)
        path.cubicTo(QPointF(a.x() + bend, a.y()), QPointF(a.x() + bend, y), QPointF(a.x(), y))
        path.lineTo(QPointF(min(a.x(), b.x()), y))
        path.cubicTo(QPointF(b.x() - bend, y), QPointF(b.x() - bend, b.y()), b)
        return path
    if dx < 40:  # a wire that runs backwards loops round
        c = max(80.0, abs(dx) / 2)
        path.cubicTo(QPointF(a.x() + c, a.y()), QPointF(b.x() - c, b.y()), b)
        return path
    c = max(40.0, dx * 0.45)
    if dx > 300 and abs(b.y() - a.y()) < 60:
        lift = min(160.0, 50 + dx * 0.08)
        path.cubicTo(QPointF(a.x() + c * 0.5, a.y() - lift * 1.3), QPointF(b.x() - c * 0.5, b.y() - lift * 1.3), b)
        return path
    path.cubicTo(QPointF(a.x() + c, a.y()), QPointF(b.x() - c, b.y()), b)
    return path


def shape_label(shape) -> str:
    return fmt_batch(shape) if shape is not None else "?"


def tr(text: str) -> str:
    return QCoreApplication.translate("Canvas", text)
