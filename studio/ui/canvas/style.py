"""Colours and sizes of the canvas, in one place."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

CATEGORY_COLOURS = {
    "core": "#5b8def",
    "activation": "#f2a93b",
    "convolution": "#3fb37f",
    "normalization": "#9b6ef3",
    "sequence": "#e5607a",
    "attention": "#d9a400",
    "merge": "#7d8a9c",
}
UNKNOWN_COLOUR = "#9aa3ad"

NODE_WIDTH = 150.0
HEADER = 24.0
PORT_ROW = 18.0
FOOTER = 42.0
PORT_RADIUS = 6.0
GRID = 20.0

BACKGROUND = QColor("#f5f6f8")
GRID_MINOR = QColor("#e8eaee")
GRID_MAJOR = QColor("#d9dde3")
NODE_FILL = QColor("#ffffff")
NODE_BORDER = QColor("#c5cad3")
SELECTED = QColor("#2f6fed")
ERROR = QColor("#d64545")
WARNING = QColor("#e8a23a")
OK = QColor("#3fa56b")
TEXT = QColor("#1f2430")
MUTED = QColor("#6b7280")
EDGE = QColor("#8a94a6")
EDGE_LABEL_FILL = QColor(255, 255, 255, 235)

# Text sizes (points) of everything the canvas writes. The view never picks a zoom at which the
# smallest of them is drawn below READABLE_PX screen pixels (see GraphView.readable_zoom).
TITLE_PT = 9.5  # node id
LABEL_PT = 8.5  # layer type, port names, key parameters
SHAPE_PT = 8.5  # the node's output shape
WIRE_PT = 8.5  # the shape on a wire
TEXT_PT = (TITLE_PT, LABEL_PT, SHAPE_PT, WIRE_PT)
READABLE_PX = 9.0


def smallest_text_px(dpi: float) -> float:
    """Height in pixels, at zoom 1, of the smallest text the canvas draws."""
    return min(TEXT_PT) * dpi / 72.0


def category_colour(category: str | None) -> QColor:
    return QColor(CATEGORY_COLOURS.get(category or "", UNKNOWN_COLOUR))


def font(size: float = 9.0, bold: bool = False, mono: bool = False) -> QFont:
    f = QFont("DejaVu Sans Mono" if mono else "DejaVu Sans")
    f.setPointSizeF(size)
    f.setBold(bold)
    if mono:
        f.setStyleHint(QFont.Monospace)
    return f
