"""Live training plots (pyqtgraph): loss per batch (raw and smoothed) and per epoch for training
and validation, the task's metric per epoch, and the learning rate; earlier runs overlaid.

Incoming events append to growable NumPy buffers and mark the plot dirty; a 50 ms timer
redraws what changed. Curves downsample and clip to the view, so 100,000 points stay smooth.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

REDRAW_MS = 50
SMOOTHING = 0.9  # exponential moving average of the batch loss


class Series:
    """x, y values in preallocated arrays that double when full."""

    def __init__(self, capacity: int = 1024) -> None:
        self.x = np.empty(capacity)
        self.y = np.empty(capacity)
        self.n = 0

    def extend(self, xs, ys) -> None:
        k = len(ys)
        if self.n + k > len(self.x):
            size = max(len(self.x) * 2, self.n + k)
            self.x = np.resize(self.x, size)
            self.y = np.resize(self.y, size)
        self.x[self.n:self.n + k] = xs
        self.y[self.n:self.n + k] = ys
        self.n += k

    def data(self):
        return self.x[:self.n], self.y[:self.n]


def _curve(plot, pen, name=None, symbol=None):
    c = plot.plot([], [], pen=pen, name=name, symbol=symbol, symbolSize=5,
                  symbolBrush=pen.color() if symbol and hasattr(pen, "color") else None)
    c.setDownsampling(auto=True, method="peak")
    c.setClipToView(True)
    c.setSkipFiniteCheck(True)
    return c


class LivePlots(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=True, background="w", foreground="#374151")
        self.view = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.loss_plot = self.view.addPlot(row=0, col=0)
        self.metric_plot = self.view.addPlot(row=0, col=1)
        self.lr_plot = self.view.addPlot(row=0, col=2)
        for p in (self.loss_plot, self.metric_plot, self.lr_plot):
            p.showGrid(x=True, y=True, alpha=0.2)
        self.loss_plot.addLegend(offset=(-5, 5))  # losses fall: the top right is free
        self.metric_plot.addLegend(offset=(-5, -5))  # accuracy rises: the bottom right is
        self.view.ci.layout.setColumnStretchFactor(0, 3)
        self.view.ci.layout.setColumnStretchFactor(1, 2)
        self.view.ci.layout.setColumnStretchFactor(2, 1)
        self.earlier: list[dict] = []  # finished runs: {"name", "val_loss", "metric", "curves", "shown"}
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self.reset(metric="accuracy", batches_per_epoch=1)
        self.retranslate()

    def retranslate(self) -> None:
        self.loss_plot.setTitle(self.tr("Loss"))
        self.loss_plot.setLabel("bottom", self.tr("batch"))
        self.metric_plot.setTitle(self.metric_title())
        self.metric_plot.setLabel("bottom", self.tr("epoch"))
        self.lr_plot.setTitle(self.tr("Learning rate"))
        self.lr_plot.setLabel("bottom", self.tr("epoch"))

    def metric_title(self) -> str:
        return {"accuracy": self.tr("Accuracy"), "r2": self.tr("R² (1 is perfect)")}.get(self.metric, self.metric)

    # -- a run ------------------------------------------------------------------------------
    def reset(self, metric: str, batches_per_epoch: int) -> None:
        """A new run: empty buffers, fresh curves (earlier runs stay as faded lines)."""
        self.metric = metric
        self.batches_per_epoch = max(batches_per_epoch, 1)
        self.batch = Series(4096)
        self.smooth = Series(4096)
        self.train_loss, self.val_loss = Series(256), Series(256)
        self.train_metric, self.val_metric = Series(256), Series(256)
        self.lr = Series(256)
        self._ema: float | None = None
        for p in (self.loss_plot, self.metric_plot, self.lr_plot):
            for item in list(p.listDataItems()):
                if not getattr(item, "earlier", False):
                    p.removeItem(item)
        self.c_batch = _curve(self.loss_plot, pg.mkPen("#9db7f5", width=1), self.tr("batch"))
        self.c_smooth = _curve(self.loss_plot, pg.mkPen("#2f5fd0", width=2), self.tr("smoothed"))
        self.c_train = _curve(self.loss_plot, pg.mkPen("#1f2937", width=2), self.tr("train (epoch)"), "o")
        self.c_val = _curve(self.loss_plot, pg.mkPen("#e5607a", width=2), self.tr("validation (epoch)"), "o")
        self.c_train_metric = _curve(self.metric_plot, pg.mkPen("#1f2937", width=2), self.tr("train"), "o")
        self.c_val_metric = _curve(self.metric_plot, pg.mkPen("#e5607a", width=2), self.tr("validation"), "o")
        self.c_lr = _curve(self.lr_plot, pg.mkPen("#3fa56b", width=2), None, "o")
        self.metric_plot.setTitle(self.metric_title())
        self._dirty = False
        self._timer.start()

    def add_batches(self, step: int, losses) -> None:
        ys = np.asarray([np.nan if v is None else v for v in losses], dtype=float)
        xs = np.arange(step, step + len(ys), dtype=float)
        keep = np.isfinite(ys)  # curves skip the finite check, so only finite values go in
        xs, ys = xs[keep], ys[keep]
        smooth = np.empty_like(ys)
        ema = self._ema
        for i, v in enumerate(ys):  # a few dozen values per event
            ema = v if ema is None else SMOOTHING * ema + (1 - SMOOTHING) * v
            smooth[i] = ema
        self._ema = ema
        self.batch.extend(xs, ys)
        self.smooth.extend(xs, smooth)
        self._dirty = True

    def add_epoch(self, epoch: int, train: dict, val: dict, lr: float) -> None:
        x = float(epoch * self.batches_per_epoch)
        for series, at, value in ((self.train_loss, x, train.get("loss")), (self.val_loss, x, val.get("loss")),
                                  (self.train_metric, epoch, train.get(self.metric)),
                                  (self.val_metric, epoch, val.get(self.metric)), (self.lr, epoch, lr)):
            if isinstance(value, (int, float)) and np.isfinite(value):
                series.extend([at], [float(value)])
        self._dirty = True

    def finish(self, name: str) -> None:
        """Keep this run's validation curves as a faded overlay for the next runs."""
        self._redraw()
        curves = []
        for plot, series in ((self.loss_plot, self.val_loss), (self.metric_plot, self.val_metric)):
            x, y = series.data()
            if len(x):
                c = plot.plot(x.copy(), y.copy(), pen=pg.mkPen((229, 96, 122, 90), width=1.5, style=pg.QtCore.Qt.DashLine))
                c.earlier = True
                curves.append(c)
        self.earlier.append({"name": name, "curves": curves, "shown": True})

    def show_earlier(self, index: int, shown: bool) -> None:
        run = self.earlier[index]
        run["shown"] = shown
        for c in run["curves"]:
            c.setVisible(shown)

    def _redraw(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.c_batch.setData(*self.batch.data())
        self.c_smooth.setData(*self.smooth.data())
        self.c_train.setData(*self.train_loss.data())
        self.c_val.setData(*self.val_loss.data())
        self.c_train_metric.setData(*self.train_metric.data())
        self.c_val_metric.setData(*self.val_metric.data())
        x, y = self.lr.data()
        self.c_lr.setData(x, y)
        if len(y) and float(y.max()) > 0 and float(y.min()) == float(y.max()):  # a constant rate: show it, not ±0.5
            self.lr_plot.setYRange(0, 2 * float(y.max()), padding=0)
        elif len(y):
            self.lr_plot.enableAutoRange(axis="y")

    def stop_timer(self) -> None:
        self._timer.stop()
