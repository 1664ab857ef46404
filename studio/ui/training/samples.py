"""After training: the network's answers on test samples, drawn the way the data is best seen —
images with the predicted and the true label (mistakes in red), the decision regions of a 2-D
classifier with the test points over them, predicted against actual for regression, inputs
beside their reconstructions for an autoencoder, a table otherwise. Read from the run folder's
``samples.npz`` (written by the engine with the best weights)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QTableWidgetItem

from ...train.samples import read_samples
from .. import i18n
from .preview import PALETTE, DataViews, mosaic

RIGHT, WRONG = "#2f7a4a", "#c03535"


class SamplesView(DataViews):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sample-predictions")
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)  # the results grid decides its size
        self.kind = ""
        self.samples: dict | None = None
        self._build_views(interactive=True)
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
        self.samples, names = s, list(class_names or [])
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
        return True

    # -- the views ----------------------------------------------------------------------------
    @staticmethod
    def _name(names: list[str], k: int) -> str:
        return str(names[k]) if 0 <= k < len(names) else str(k)

    def _images(self, s, names) -> None:
        labels, colours = [], []
        for t, p in zip(s["y_true"], s["y_pred"]):
            right = t == p
            labels.append(self._name(names, int(p)) if right else f"{self._name(names, int(p))} ≠ {self._name(names, int(t))}")
            colours.append(RIGHT if right else WRONG)
        self._show_pixmap(mosaic(s["x"], labels, columns=8, tile=44, colours=colours))
        wrong = int((s["y_true"] != s["y_pred"]).sum())
        self.images.setToolTip(self.tr("Each image with the predicted class; a mistake shows predicted ≠ true, "
                                       "in red ({wrong} of {n} here).").format(wrong=wrong, n=len(s["y_true"])))
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
        x = s["x"].reshape(len(s["x"]), -1)
        columns = min(x.shape[1], 8)
        self.table.clear()
        self.table.setRowCount(len(x))
        self.table.setColumnCount(columns + 3)
        self.table.setHorizontalHeaderLabels([f"x{j}" for j in range(columns)] +
                                             [self.tr("true"), self.tr("predicted"), self.tr("confidence")])
        integer = x.dtype.kind in "iu"
        for i, row in enumerate(x):
            for j in range(columns):
                self.table.setItem(i, j, QTableWidgetItem(str(int(row[j])) if integer else f"{row[j]:.3g}"))
            t, p = int(s["y_true"][i]), int(s["y_pred"][i])
            for j, text in ((columns, self._name(names, t)), (columns + 1, self._name(names, p)),
                            (columns + 2, i18n.percent(float(s['confidence'][i]), 0))):
                cell = QTableWidgetItem(text)
                if j == columns + 1:
                    cell.setForeground(pg.mkColor(RIGHT if t == p else WRONG))
                self.table.setItem(i, j, cell)
        self.table.resizeColumnsToContents()
        self.kind = "table"
        self.setCurrentWidget(self.table)
