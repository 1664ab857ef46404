"""Live training plots (pyqtgraph): loss per batch (raw and smoothed) and per epoch for training
and validation, the task's metric per epoch, and the learning rate; earlier runs overlaid. The
legend is a line of text under the plots, never over a curve.

Incoming events append to growable NumPy buffers and mark their curves dirty; a redraw updates
only the curves that changed. Redraws are paced by what they cost the GUI thread (its CPU time,
updating the curves and painting them): never more than 1.5 % of one core while data comes in,
never more often than every 50 ms, and never later than 250 ms after the data came, the pace of
the status line beside the plots, so the curves never trail what the status says by more than
one redraw. Curves downsample and clip to the view, so 100,000 points stay smooth. Axes (with
their grid) are cached as pixmaps and repainted only when their range changes, and ranges
change seldom: the x axes span the run from its start, and a y axis moves only when a value
leaves it, to "nice" bounds that hold the whole run (accuracy keeps 0 to 1), so a falling loss
does not redraw its axis at every point.
"""

from __future__ import annotations

import html
import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGraphicsItem, QLabel, QVBoxLayout, QWidget

REDRAW_MS = 50  # the shortest pause between two redraws
LAG_MS = 250  # the longest: the panel's status line follows a run at this pace (panel.LIVE_MS)
PAINT_SHARE = 0.015  # the most of one core's time the live plots may take while data comes in
SMOOTHING = 0.9  # exponential moving average of the batch loss
BOUNDED = {"accuracy": (0.0, 1.0)}  # metrics whose axis is fixed
AXIS_WIDTH = 48  # pixels for the y axes' tick labels ("0.0025", "−250")
BATCH, SMOOTHED, TRAIN, VALIDATION, RATE = "#9db7f5", "#2f5fd0", "#1f2937", "#e5607a", "#3fa56b"
EARLIER = (229, 96, 122, 90)  # the validation colour, faded
EARLIER_LEGEND = "#e48a9c"  # the same on white, dark enough to read as a legend sample


NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_bound(v: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above ``v`` > 0."""
    k = 10.0 ** np.floor(np.log10(v))
    return next((m * k for m in NICE if m * k >= v * (1 - 1e-12)), 10.0 * k)


def steady_range(current: tuple[float, float] | None, lo: float, hi: float) -> tuple[float, float] | None:
    """A y range for data spanning [lo, hi]: None (keep ``current``) while the data stay inside it;
    else "nice" bounds with a little room, from 0 when the data are all of one sign (a loss from 0
    up, a negative score from 0 down)."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None
    if current is not None and current[0] <= lo and hi <= current[1]:
        return None
    top = 0.0 if hi <= 0 else nice_bound(hi * 1.05)
    bottom = 0.0 if lo >= 0 else -nice_bound(-lo * 1.05)
    if top == bottom:  # all zeros
        top = 1.0
    return bottom, top


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


def _curve(plot, pen, symbol=None):
    c = plot.plot([], [], pen=pen, symbol=symbol, symbolSize=5,
                  symbolBrush=pen.color() if symbol and hasattr(pen, "color") else None)
    c.setDownsampling(auto=True, method="peak")
    c.setClipToView(True)
    c.setSkipFiniteCheck(True)
    return c


class _TimedView(pg.GraphicsLayoutWidget):
    """Adds up the GUI thread's CPU time its paints take (time spent waiting for a core that
    another process holds is not their cost: on a busy machine it made every redraw look several
    times dearer, and the plots fell seconds behind)."""

    paint_seconds = 0.0

    def paintEvent(self, event):  # noqa: N802 (Qt's name)
        t0 = time.thread_time()
        super().paintEvent(event)
        self.paint_seconds += time.thread_time() - t0


class LivePlots(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=True, background="w", foreground="#374151")
        self.view = _TimedView()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.loss_plot = self.view.addPlot(row=0, col=0)
        self.metric_plot = self.view.addPlot(row=0, col=1)
        self.lr_plot = self.view.addPlot(row=0, col=2)
        for p in (self.loss_plot, self.metric_plot, self.lr_plot):
            p.showGrid(x=True, y=True, alpha=0.2)
            for side in ("left", "bottom"):  # an axis draws its grid too: replayed only when it changes
                p.getAxis(side).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
            # A fixed width: wider tick labels would resize the plot, and with it every axis of the row.
            p.getAxis("left").setWidth(AXIS_WIDTH)
        # The legend is text under the plots: inside a plot it covered the curves wherever it sat
        # (a loss need not fall, an accuracy need not rise), and a curve under it repainted it.
        self.legend = QLabel()
        self.legend.setObjectName("plot-legend")
        self.legend.setAlignment(Qt.AlignCenter)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.view.ci.layout.setColumnStretchFactor(0, 3)
        self.view.ci.layout.setColumnStretchFactor(1, 2)
        self.view.ci.layout.setColumnStretchFactor(2, 1)
        self.earlier: list[dict] = []  # finished runs: {"name", "curves", "shown", "epochs"}
        self._timer = QTimer(self)  # started when data comes, for the time the next redraw is due
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.timeout.connect(self.redraw)
        self._last_redraw = self._update_seconds = 0.0
        self._dirty: set[str] = set()
        self.c_batch = _curve(self.loss_plot, pg.mkPen(BATCH, width=1))
        self.c_smooth = _curve(self.loss_plot, pg.mkPen(SMOOTHED, width=2))
        self.c_train = _curve(self.loss_plot, pg.mkPen(TRAIN, width=2), "o")
        self.c_val = _curve(self.loss_plot, pg.mkPen(VALIDATION, width=2), "o")
        self.c_train_metric = _curve(self.metric_plot, pg.mkPen(TRAIN, width=2), "o")
        self.c_val_metric = _curve(self.metric_plot, pg.mkPen(VALIDATION, width=2), "o")
        self.c_lr = _curve(self.lr_plot, pg.mkPen(RATE, width=2), "o")
        self.reset(metric="accuracy", batches_per_epoch=1)
        self.retranslate()

    def retranslate(self) -> None:
        self.loss_plot.setTitle(self.tr("Loss"))
        self.loss_plot.setLabel("bottom", self.tr("batch"))
        self.metric_plot.setTitle(self.metric_title())
        self.metric_plot.setLabel("bottom", self.tr("epoch"))
        self.lr_plot.setTitle(self.tr("Learning rate"))
        self.lr_plot.setLabel("bottom", self.tr("epoch"))
        self._write_legend()

    def _write_legend(self) -> None:
        """Each kind of line once: the training and validation colours are the same in the loss
        and the metric plots."""
        entries = [("━━", BATCH, self.tr("loss per batch")), ("━━", SMOOTHED, self.tr("smoothed")),
                   ("─●─", TRAIN, self.tr("training (per epoch)")),
                   ("─●─", VALIDATION, self.tr("validation (per epoch)"))]
        if any(run["shown"] for run in self.earlier):
            entries.append(("╌╌", EARLIER_LEGEND, self.tr("earlier runs (validation)")))
        self.legend.setText("&nbsp;&nbsp;&nbsp; ".join(
            f"<span style='color:{colour}'>{line}</span>&nbsp;{html.escape(name).replace(' ', '&nbsp;')}"
            for line, colour, name in entries))

    def metric_title(self) -> str:
        names = {"accuracy": self.tr("Accuracy"), "r2": self.tr("R² (1 is perfect)")}
        return names.get(self.metric_name, self.metric_name)

    def set_metric(self, metric: str) -> None:
        """The metric the next run will plot ("accuracy" or "r2"), named in its plot's title.
        (Not ``metric``: an attribute of that name hides QWidget's virtual ``metric()``, which Qt
        calls to lay the legend out.)"""
        self.metric_name = metric
        self.metric_plot.setTitle(self.metric_title())

    # -- a run ------------------------------------------------------------------------------
    def reset(self, metric: str, batches_per_epoch: int, epochs: int | None = None) -> None:
        """A new run: empty buffers and curves (earlier runs stay as faded lines). With the run's
        length known the x axes span it from the start: the curves grow across a still axis (one
        that need not be redrawn with every point) and show how far the run has come."""
        self.metric_name = metric
        self.batches_per_epoch = max(batches_per_epoch, 1)
        if epochs:
            last = max([epochs] + [run["epochs"] for run in self.earlier if run["shown"]])
            self.loss_plot.setXRange(0, last * self.batches_per_epoch, padding=0.02)
            for p in (self.metric_plot, self.lr_plot):
                p.setXRange(0.5, last + 0.5, padding=0)
        else:
            for p in (self.loss_plot, self.metric_plot, self.lr_plot):
                p.enableAutoRange(axis="x")
        self.batch = Series(4096)
        self.smooth = Series(4096)
        self.train_loss, self.val_loss = Series(256), Series(256)
        self.train_metric, self.val_metric = Series(256), Series(256)
        self.lr = Series(256)
        self._ema: float | None = None
        self.last_epoch = 0
        self._pairs = ((self.c_batch, self.batch), (self.c_smooth, self.smooth), (self.c_train, self.train_loss),
                       (self.c_val, self.val_loss), (self.c_train_metric, self.train_metric),
                       (self.c_val_metric, self.val_metric), (self.c_lr, self.lr))
        self.metric_plot.setTitle(self.metric_title())
        self._y_ranges: dict[int, tuple[float, float]] = {}  # by plot: what it was set to, this run
        for p in (self.loss_plot, self.metric_plot, self.lr_plot):
            p.disableAutoRange(axis="y")
        if metric in BOUNDED:
            low, high = BOUNDED[metric]
            self.metric_plot.setYRange(low, high, padding=0.02)
        self._dirty = {"batches", "epochs"}  # the curves still show the last run: empty them
        self.redraw()

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
        self._changed("batches")

    def add_epoch(self, epoch: int, train: dict, val: dict, lr: float) -> None:
        self.last_epoch = max(self.last_epoch, epoch)
        x = float(epoch * self.batches_per_epoch)
        for series, at, value in ((self.train_loss, x, train.get("loss")), (self.val_loss, x, val.get("loss")),
                                  (self.train_metric, epoch, train.get(self.metric_name)),
                                  (self.val_metric, epoch, val.get(self.metric_name)), (self.lr, epoch, lr)):
            if isinstance(value, (int, float)) and np.isfinite(value):
                series.extend([at], [float(value)])
        self._changed("epochs")

    def finish(self, name: str) -> None:
        """Keep this run's validation curves as a faded overlay for the next runs."""
        self.redraw()
        (lx, ly), (mx, my) = self.val_loss.data(), self.val_metric.data()
        self.add_earlier(name, (lx.copy(), ly.copy()), (mx.copy(), my.copy()), self.last_epoch)

    def add_earlier(self, name: str, loss, metric, epochs: int, shown: bool = True) -> None:
        """An earlier run's validation loss (x in batches) and metric (x in epochs), as (xs, ys)
        arrays, drawn as faded dashed lines."""
        curves = []
        for plot, (x, y) in ((self.loss_plot, loss), (self.metric_plot, metric)):
            x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
            keep = np.isfinite(x) & np.isfinite(y)  # curves skip the finite check: only finite points go in
            if keep.any():
                c = plot.plot(x[keep], y[keep], pen=pg.mkPen(EARLIER, width=1.5,
                                                             style=pg.QtCore.Qt.DashLine))
                c.earlier = True
                c.setVisible(shown)
                curves.append(c)
        self.earlier.append({"name": name, "curves": curves, "shown": shown, "epochs": epochs})
        self._write_legend()

    def clear_earlier(self) -> None:
        """Forget every earlier run (another document's runs are not this one's)."""
        for plot in (self.loss_plot, self.metric_plot):
            for c in plot.listDataItems():
                if getattr(c, "earlier", False):
                    plot.removeItem(c)
        self.earlier = []
        self._write_legend()

    def show_earlier(self, index: int, shown: bool) -> None:
        run = self.earlier[index]
        run["shown"] = shown
        for c in run["curves"]:
            c.setVisible(shown)
        self.fit_y()
        self._write_legend()

    def fit_y(self) -> None:
        """Fit the y axes to what is drawn, steadily (an axis grows to take a shown curve in)."""
        self._steady_y(self.loss_plot)
        if self.metric_name not in BOUNDED:
            self._steady_y(self.metric_plot)

    def _changed(self, part: str) -> None:
        """New data for ``part`` ("batches" or "epochs"): a redraw is due when the pause after the
        last one is over (at once after a quiet spell)."""
        self._dirty.add(part)
        if not self._timer.isActive():
            wait = self._last_redraw + self.pause() - time.perf_counter()
            self._timer.start(max(0, math.ceil(wait * 1000)))

    def pause(self) -> float:
        """Seconds from one redraw to the next. The last redraw's cost (updating the curves, then
        painting them) over the share of a core the plots may take: a slow machine or a large view
        paints less often rather than take the CPU the training beside it needs. But never longer
        than the status line's pace: a dear paint (the first of a run, an epoch's) made the next
        wait seconds, and the curves trailed the status line by tens of epochs."""
        cost = self._update_seconds + self.view.paint_seconds  # the paints add theirs as they come
        return min(max(cost / PAINT_SHARE, REDRAW_MS / 1000), LAG_MS / 1000)

    def redraw(self) -> None:
        """Update the curves that changed, now."""
        self._timer.stop()
        if not self._dirty:
            return
        self._last_redraw = time.perf_counter()
        self.view.paint_seconds = 0.0
        dirty, self._dirty = self._dirty, set()
        t0 = time.thread_time()
        try:
            self._update_curves(dirty)
        finally:
            self._update_seconds = time.thread_time() - t0

    def _update_curves(self, dirty: set) -> None:
        if "batches" in dirty:
            self.c_batch.setData(*self.batch.data())
            self.c_smooth.setData(*self.smooth.data())
        if "epochs" in dirty:
            for curve, series in self._pairs[2:]:
                curve.setData(*series.data())
            if self.metric_name not in BOUNDED:
                self._steady_y(self.metric_plot)
            self._steady_y(self.lr_plot)
        self._steady_y(self.loss_plot)  # batch and epoch losses share it

    def _steady_y(self, plot) -> None:
        """Move ``plot``'s y axis only when a shown value has left it (earlier runs count)."""
        lo, hi = np.inf, -np.inf
        for item in plot.listDataItems():
            if not item.isVisible():
                continue
            y = item.yData  # all of it (getData gives what is drawn: clipped to the view, downsampled)
            if y is not None and len(y):
                lo, hi = min(lo, float(np.nanmin(y))), max(hi, float(np.nanmax(y)))
        new = steady_range(self._y_ranges.get(id(plot)), lo, hi)
        if new is not None:
            self._y_ranges[id(plot)] = new
            plot.setYRange(*new, padding=0)
