"""A look at the chosen data before training, and whether it fits the graph.

The data loads on a worker thread (the engine's own ``load_data``: numpy and scikit-learn, never
torch), then shows in the form that suits it: a scatter coloured by class for 2-D points, a grid
of the first images with their labels, the first windows of a sequence as lines, or the first
rows of a table. ``DataPreview.loaded`` hands the splits to the panel, which checks them
against the graph with the engine's ``fit`` — the same check a run makes before it trains.
"""

from __future__ import annotations

import itertools
import threading

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QSizePolicy, QStackedWidget, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

PALETTE = ["#2f6fed", "#e5607a", "#3fa56b", "#f0a030", "#8a5cd6", "#1fb3c4", "#c05621", "#6b7280", "#d946ef",
           "#84cc16"]
MAX_POINTS = 1500
TILES = 24
ROWS = 8
LINES = 6


class Courier(QObject):
    """Carries a worker thread's result to the GUI thread (a queued signal)."""

    done = Signal(int, object, str)  # request number, DataSplits or None, error text


_courier: Courier | None = None
_requests = itertools.count(1)


def courier() -> Courier:
    """The one courier, made on the GUI thread and kept for the life of the process. A worker
    must never emit on an object that can be deleted: a widget's own courier, deleted with the
    widget while its worker was still loading, crashed the process on the worker's emit. Each
    receiver keeps the number of its latest request and drops every other answer."""
    global _courier
    if _courier is None:
        _courier = Courier()
    return _courier


def next_request() -> int:
    """A request number no other request in this process has (GUI thread)."""
    return next(_requests)


def load_in_background(spec: str, seed: int, val_split: float, request: int) -> None:
    done = courier().done

    def work() -> None:
        from ...data import DataError, load_data

        try:
            splits, error = load_data(spec, seed=seed, val_split=val_split), ""
        except DataError as exc:
            splits, error = None, str(exc)
        except Exception as exc:  # noqa: BLE001 — any failure is a message, never a dead thread
            splits, error = None, f"{type(exc).__name__}: {exc}"
        done.emit(request, splits, error)

    threading.Thread(target=work, name="data-preview", daemon=True).start()


def preview_kind(splits) -> str:
    shape = tuple(splits.sample_shape)
    if splits.input_dtype != "float32" or len(shape) == 1 and shape[0] != 2:
        return "table"
    if shape == (2,):
        return "scatter"
    if len(shape) == 3 and shape[0] in (1, 3):
        return "images"
    if len(shape) == 2:
        return "lines"
    return "table"


class DataViews(QStackedWidget):
    """The pages data is shown on: a note, a plot with a caption under it, an image grid, a
    table. Shared by the data preview and the sample predictions."""

    def _build_views(self, interactive: bool) -> None:
        self.note = QLabel()
        self.note.setAlignment(Qt.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #6b7280;")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        if not interactive:
            self.plot.hideButtons()
            self.plot.setMouseEnabled(False, False)
        self.plot.setMinimumSize(80, 80)
        self.plot.getPlotItem().showGrid(x=True, y=True, alpha=0.15)
        self.caption = QLabel()  # under the plot: a title inside it would set the plot's least width
        self.caption.setStyleSheet("color: #6b7280;")
        self.caption.setWordWrap(True)
        self.plot_page = QWidget()
        page = QVBoxLayout(self.plot_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(2)
        page.addWidget(self.plot, 1)
        page.addWidget(self.caption)
        self.images = QLabel()
        self.images.setAlignment(Qt.AlignCenter)
        self.images.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)  # the pixmap follows the label
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(20)
        for w in (self.note, self.plot_page, self.images, self.table):
            self.addWidget(w)
        self._pixmap: QPixmap | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """A modest size to ask for: the pages scale to what they get (an image grid's natural size
        would make a settings column as tall as the grid at full scale)."""
        return QSize(320, 220)

    def _show_pixmap(self, pixmap: QPixmap) -> None:
        self._pixmap = pixmap
        self._fit_pixmap()
        self.setCurrentWidget(self.images)

    def _fit_pixmap(self) -> None:
        if self._pixmap is not None:
            self.images.setPixmap(self._pixmap.scaled(self.size(), Qt.KeepAspectRatio, Qt.SmoothTransformation))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.currentWidget() is self.images:
            self._fit_pixmap()


class DataPreview(DataViews):
    loaded = Signal(object)  # DataSplits
    failed = Signal(str)  # why the data could not load

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("data-preview")
        self.setMinimumHeight(160)
        # As wide as the form's column, whatever the views inside would like.
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.kind = ""
        self.splits = None
        self._request = 0
        courier().done.connect(self._arrived)  # disconnected by Qt when this widget is deleted
        self._build_views(interactive=False)

    # -- loading ------------------------------------------------------------------------------
    def request(self, spec: str, seed: int = 0, val_split: float = 0.15) -> None:
        """Load ``spec`` on a worker thread; an answer to an older request is dropped."""
        self._request = next_request()
        self.splits = None
        self.kind = "loading"
        self._show_note(self.tr("Loading {spec}…").format(spec=spec))
        load_in_background(spec, seed, val_split, self._request)

    @property
    def busy(self) -> bool:
        return self.kind == "loading"

    def _arrived(self, request: int, splits, error: str) -> None:
        if request != self._request:
            return
        if splits is None:
            self.kind = "error"
            self._show_note(self.tr("No preview: the data could not be loaded."))
            self.failed.emit(error)
            return
        self.splits = splits
        self.kind = preview_kind(splits)
        {"scatter": self._scatter, "images": self._images, "lines": self._lines, "table": self._table}[self.kind](splits)
        self.loaded.emit(splits)

    def _show_note(self, text: str) -> None:
        self.note.setText(text)
        self.setCurrentWidget(self.note)

    # -- the views ----------------------------------------------------------------------------
    def _class_name(self, splits, k: int) -> str:
        names = splits.class_names or []
        return str(names[k]) if 0 <= k < len(names) else str(k)

    def _scatter(self, splits) -> None:
        item = self.plot.getPlotItem()
        item.clear()
        x, y = splits.train.x[:MAX_POINTS], splits.train.y[:MAX_POINTS]
        if splits.task == "classification":
            brushes = [pg.mkBrush(PALETTE[int(k) % len(PALETTE)]) for k in y]
        else:
            brushes = [pg.mkBrush("#2f6fed")] * len(x)
        scatter = pg.ScatterPlotItem(x[:, 0], x[:, 1], size=7 if len(x) < 50 else 4, pen=None, brush=brushes)
        item.addItem(scatter)
        self.caption.setText(self.tr("{n} training points, coloured by class").format(n=len(splits.train))
                             if splits.task == "classification" else "")
        self.setCurrentWidget(self.plot_page)

    def _lines(self, splits) -> None:
        item = self.plot.getPlotItem()
        item.clear()
        steps = splits.sample_shape[0]
        t = np.arange(steps)
        for i in range(min(LINES, len(splits.train))):
            colour = PALETTE[i % len(PALETTE)]
            item.plot(t, splits.train.x[i, :, 0], pen=pg.mkPen(colour, width=1.5))
            target = splits.train.y[i]
            if splits.task == "regression" and np.size(target) == 1:  # the value that comes next
                item.plot([steps], [float(np.ravel(target)[0])], pen=None, symbol="o", symbolSize=6,
                          symbolBrush=colour, symbolPen=None)
        self.caption.setText(self.tr("The first {n} sequences ({steps} steps; first feature)").format(
            n=min(LINES, len(splits.train)), steps=steps))
        self.setCurrentWidget(self.plot_page)

    def _images(self, splits) -> None:
        x, y = splits.train.x[:TILES], splits.train.y[:TILES]
        self._show_pixmap(mosaic(x, [self._class_name(splits, int(k)) if splits.task == "classification" else ""
                                     for k in y]))

    def _table(self, splits) -> None:
        x = splits.train.x[:ROWS].reshape(min(ROWS, len(splits.train)), -1)
        columns = min(x.shape[1], 12)
        classify = splits.task == "classification"
        self.table.clear()
        self.table.setRowCount(len(x))
        self.table.setColumnCount(columns + 1)
        self.table.setHorizontalHeaderLabels([f"x{j}" for j in range(columns)] +
                                             [self.tr("class") if classify else self.tr("target")])
        integer = splits.input_dtype == "int64"
        for i, row in enumerate(x):
            for j in range(columns):
                self.table.setItem(i, j, QTableWidgetItem(str(int(row[j])) if integer else f"{row[j]:.3g}"))
            target = splits.train.y[i]
            text = self._class_name(splits, int(target)) if classify else ", ".join(
                f"{v:.3g}" for v in np.ravel(target)[:4])
            self.table.setItem(i, columns, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.setCurrentWidget(self.table)


def mosaic(images: np.ndarray, labels: list[str], columns: int = 8, tile: int = 40,
           colours: list[str] | None = None) -> QPixmap:
    """A grid of images (N, C, H, W) with a label under each (in its colour, when given), on a
    white background."""
    n = len(images)
    columns = max(1, min(columns, n))
    rows = (n + columns - 1) // columns
    label_h = 14
    out = QPixmap(columns * (tile + 4), rows * (tile + label_h + 4))
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.SmoothPixmapTransform, False)
    font = painter.font()
    font.setPixelSize(11)
    painter.setFont(font)
    for i, img in enumerate(images):
        qimg = to_qimage(img)
        r, c = divmod(i, columns)
        x0, y0 = c * (tile + 4) + 2, r * (tile + label_h + 4) + 2
        painter.drawImage(QRectF(x0, y0, tile, tile), qimg)
        if labels[i]:
            painter.setPen(QColor(colours[i] if colours else "#374151"))
            painter.drawText(QRectF(x0, y0 + tile, tile, label_h), Qt.AlignCenter, labels[i])
    painter.end()
    return out


def to_qimage(img: np.ndarray) -> QImage:
    a = np.asarray(img, dtype=np.float32)
    lo, hi = float(a.min()), float(a.max())
    a = (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)
    a = (a * 255).astype(np.uint8)
    if a.shape[0] == 1:
        g = np.ascontiguousarray(a[0])
        return QImage(g.data, g.shape[1], g.shape[0], g.strides[0], QImage.Format_Grayscale8).copy()
    rgb = np.ascontiguousarray(np.transpose(a[:3], (1, 2, 0)))
    return QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format_RGB888).copy()
