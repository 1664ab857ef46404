"""After training: the network's answers on test samples, drawn the way the data is best seen —
images each with its predicted and its true class written under it, at a readable size (mistakes
in red, first), the decision regions of a 2-D
classifier with the test points over them, predicted against actual for regression, inputs
beside their reconstructions for an autoencoder, a table otherwise. Read from the run folder's
``samples.npz`` (written by the engine with the best weights)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QTableWidgetItem, QVBoxLayout, QWidget

from ...train.samples import read_samples
from .. import i18n
from .preview import PALETTE, DataViews, mosaic, to_qimage

RIGHT, WRONG = "#2f7a4a", "#c03535"
TILE = 56  # pixels an image is drawn at (an 8×8 digit, seven times its size)
LABEL_POINTS = 9.0  # the least size of a sample's label
GAP = 10  # pixels between tiles


class SampleGrid(QScrollArea):
    """Images with lines of text under each, drawn at their own size: as many columns as the
    width holds, the rest further down. (Scaled down to fit, a grid's labels became too small
    to read.)"""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sample-grid")
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.picture = QLabel()
        self.picture.setStyleSheet("background: white;")
        self.setWidget(self.picture)
        self.images: list = []
        self.lines: list[list[tuple[str, str]]] = []  # per image: (text, colour) under it
        self.columns = 0

    def show_tiles(self, images: list, lines: list[list[tuple[str, str]]]) -> None:
        self.images = [to_qimage(img) for img in images]
        self.lines = lines
        self.columns = 0
        self._draw()

    def label_font(self) -> QFont:
        font = QFont(self.font())
        if font.pointSizeF() < LABEL_POINTS:
            font.setPointSizeF(LABEL_POINTS)
        return font

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._draw()

    def _draw(self) -> None:
        if not self.images:
            return
        font = self.label_font()
        metrics = QFontMetrics(font)
        text_width = max((metrics.horizontalAdvance(t) for ls in self.lines for t, _ in ls), default=0)
        cell_w = max(TILE, text_width) + GAP
        cell_h = TILE + metrics.height() * max(len(ls) for ls in self.lines) + GAP
        room = self.width() - self.verticalScrollBar().sizeHint().width()  # its bar may come: kept free
        columns = max(1, min(len(self.images), room // cell_w))
        if columns == self.columns:
            return
        self.columns = columns
        rows = -(-len(self.images) // columns)
        ratio = self.devicePixelRatioF()  # a HiDPI screen gets its own pixels: sharp text
        pixmap = QPixmap(round(columns * cell_w * ratio), round(rows * cell_h * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor("white"))
        painter = QPainter(pixmap)
        painter.setFont(font)
        for i, (image, lines) in enumerate(zip(self.images, self.lines)):
            r, c = divmod(i, columns)
            x0, y0 = c * cell_w, r * cell_h + GAP // 2
            painter.drawImage(QRectF(x0 + (cell_w - TILE) / 2, y0, TILE, TILE), image)  # nearest: crisp pixels
            for k, (text, colour) in enumerate(lines):
                painter.setPen(QColor(colour))
                painter.drawText(QRectF(x0, y0 + TILE + k * metrics.height(), cell_w, metrics.height()),
                                 Qt.AlignCenter, text)
        painter.end()
        self.picture.setPixmap(pixmap)
        self.picture.resize(pixmap.deviceIndependentSize().toSize())


class SamplesView(DataViews):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sample-predictions")
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)  # the results grid decides its size
        self.kind = ""
        self.samples: dict | None = None
        self.names: list[str] = []
        self._build_views(interactive=True)
        self.grid = SampleGrid()
        self.grid_caption = QLabel()
        self.grid_caption.setWordWrap(True)
        self.grid_caption.setStyleSheet("color: #6b7280;")
        self.grid_page = QWidget()
        page = QVBoxLayout(self.grid_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(2)
        page.addWidget(self.grid_caption)
        page.addWidget(self.grid, 1)
        self.addWidget(self.grid_page)
        self.clear()

    def clear(self) -> None:
        self.kind, self.samples = "", None
        self.note.setText(self.tr("The network's answers on test samples appear here after training."))
        self.setCurrentWidget(self.note)

    def show_run(self, run_dir: str | Path, class_names: list[str] | None) -> bool:
        s = read_samples(Path(run_dir) / "samples.npz")
        if s is None or "kind" not in s:
            self.clear()
            self.note.setText(self.tr("This run left no sample predictions."))
            return False
        self.samples, self.names = s, list(class_names or [])
        self._show()
        return True

    def _show(self) -> None:
        s, names = self.samples, self.names
        task = str(s["kind"])
        if task == "classification" and "grid_pred" in s:
            self._regions(s, names)
        elif task == "classification" and s["x"].ndim == 4 and s["x"].shape[1] in (1, 3):
            self._images(s, names)
        elif task == "classification":
            self._table(s, names)
        elif task == "regression":
            self._regression(s)
        elif s["x"].ndim == 4 and s["x"].shape[1] in (1, 3):
            self._reconstructions(s)
        else:
            self._table(s, names)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.LanguageChange and self.samples is not None:
            self._show()  # the labels drawn into the images are in words
        super().changeEvent(event)

    # -- the views ----------------------------------------------------------------------------
    @staticmethod
    def _name(names: list[str], k: int) -> str:
        return str(names[k]) if 0 <= k < len(names) else str(k)

    def _images(self, s, names) -> None:
        """Each image with what the network predicted and what it truly is, in words; the mistakes
        come first (what a learner looks for), in red with a ✗."""
        true, pred = s["y_true"].astype(int), s["y_pred"].astype(int)
        order = sorted(range(len(true)), key=lambda i: true[i] == pred[i])  # stable: mistakes first
        lines = []
        for i in order:
            right = true[i] == pred[i]
            colour = RIGHT if right else WRONG
            lines.append([(("✓ " if right else "✗ ") + self.tr("predicted {label}").format(
                label=self._name(names, int(pred[i]))), colour),
                (self.tr("true {label}").format(label=self._name(names, int(true[i]))), colour)])
        wrong = int((true != pred).sum())
        self.grid_caption.setText(
            self.tr("{n} test images, each with the network's answer and the true class: %n mistake(s), in red, "
                    "first.", "", wrong).format(n=len(true)) if wrong else
            self.tr("{n} test images, each with the network's answer and the true class: no mistakes.").format(
                n=len(true)))
        self.setCurrentWidget(self.grid_page)
        self.grid.show_tiles([s["x"][i] for i in order], lines)
        self.kind = "images"

    def _reconstructions(self, s) -> None:
        pairs = np.concatenate([s["x"][:16], s["x_out"][:16]])
        labels = [self.tr("input")] * len(s["x"][:16]) + [self.tr("output")] * len(s["x_out"][:16])
        self._show_pixmap(mosaic(pairs, labels, columns=min(16, len(s["x"][:16])), tile=40))
        self.kind = "reconstructions"

    def _regions(self, s, names) -> None:
        item = self.plot.getPlotItem()
        item.clear()
        gx, gy, cls, conf = s["grid_x"], s["grid_y"], s["grid_pred"], s["grid_confidence"]
        rgba = np.zeros(cls.shape + (4,), dtype=np.ubyte)
        for k in np.unique(cls):
            colour = pg.mkColor(PALETTE[int(k) % len(PALETTE)])
            rgba[cls == k, :3] = (colour.red(), colour.green(), colour.blue())
        rgba[..., 3] = (40 + 110 * np.clip((conf - conf.min()) / max(float(np.ptp(conf)), 1e-6), 0, 1)).astype(np.ubyte)
        image = pg.ImageItem(np.transpose(rgba, (1, 0, 2)))  # ImageItem indexes [x, y]
        image.setRect(float(gx[0]), float(gy[0]), float(gx[-1] - gx[0]), float(gy[-1] - gy[0]))
        item.addItem(image)
        pts, true, pred = s["points"], s["points_true"], s["points_pred"]
        brushes = [pg.mkBrush(PALETTE[int(k) % len(PALETTE)]) for k in true]
        right = true == pred
        item.addItem(pg.ScatterPlotItem(pts[right, 0], pts[right, 1], size=8, brush=[b for b, r in zip(brushes, right) if r],
                                        pen=pg.mkPen("w", width=1)))
        if (~right).any():
            item.addItem(pg.ScatterPlotItem(pts[~right, 0], pts[~right, 1], size=11, symbol="x",
                                            brush=pg.mkBrush(WRONG), pen=pg.mkPen(WRONG, width=1)))
        self.caption.setText(self.tr("Decision regions: the colour is the predicted class, paler where the network "
                                     "is unsure; ✕ marks a test point it gets wrong ({wrong} of {n}).").format(
            wrong=int((~right).sum()), n=len(true)))
        item.setLabel("bottom", "x0")
        item.setLabel("left", "x1")
        self.kind = "regions"
        self.setCurrentWidget(self.plot_page)

    def _regression(self, s) -> None:
        item = self.plot.getPlotItem()
        item.clear()
        t, p = s["y_true"], s["y_pred"]
        item.addItem(pg.ScatterPlotItem(t, p, size=5, pen=None, brush=pg.mkBrush(47, 111, 237, 160)))
        lo, hi = float(min(t.min(), p.min())), float(max(t.max(), p.max()))
        item.plot([lo, hi], [lo, hi], pen=pg.mkPen("#6b7280", width=1, style=Qt.DashLine))
        item.setLabel("bottom", self.tr("actual"))
        item.setLabel("left", self.tr("predicted"))
        self.caption.setText(self.tr("Predicted against actual on {n} test samples: a point on the dashed line "
                                     "is a perfect prediction.").format(n=len(t)))
        self.kind = "regression"
        self.setCurrentWidget(self.plot_page)

    def _table(self, s, names) -> None:
        """One sample a row: the answer, the truth and the confidence first (they are what the
        table is for), then the first inputs."""
        x = s["x"].reshape(len(s["x"]), -1)
        columns = min(x.shape[1], 8)
        self.table.clear()
        self.table.setRowCount(len(x))
        self.table.setColumnCount(columns + 3)
        self.table.setHorizontalHeaderLabels([self.tr("predicted"), self.tr("true"), self.tr("confidence")] +
                                             [f"x{j}" for j in range(columns)])
        integer = x.dtype.kind in "iu"
        for i, row in enumerate(x):
            t, p = int(s["y_true"][i]), int(s["y_pred"][i])
            for j, text in ((0, self._name(names, p)), (1, self._name(names, t)),
                            (2, i18n.percent(float(s['confidence'][i]), 0))):
                cell = QTableWidgetItem(text)
                if j == 0:
                    cell.setForeground(pg.mkColor(RIGHT if t == p else WRONG))
                self.table.setItem(i, j, cell)
            for j in range(columns):
                self.table.setItem(i, 3 + j, QTableWidgetItem(str(int(row[j])) if integer else f"{row[j]:.3g}"))
        self.table.resizeColumnsToContents()
        self.kind = "table"
        self.setCurrentWidget(self.table)
