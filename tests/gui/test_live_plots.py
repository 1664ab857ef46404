"""The live plots: they draw what arrives, span the run from its start, and pace their redraws
by what a redraw costs (so that the window leaves the CPU to the training beside it)."""

import numpy as np
import pytest

from studio.ui.training import plots as plots_module
from studio.ui.training.plots import LivePlots


@pytest.fixture
def plots(qtbot):
    p = LivePlots()
    qtbot.addWidget(p)
    p.resize(900, 260)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_the_x_axes_span_the_whole_run_from_its_start(plots):
    plots.reset("accuracy", batches_per_epoch=10, epochs=5)
    (x0, x1), _ = plots.loss_plot.viewRange()
    assert x0 <= 0 and 50 <= x1 <= 52
    (m0, m1), _ = plots.metric_plot.viewRange()
    assert m0 == pytest.approx(0.5) and m1 == pytest.approx(5.5)
    plots.add_batches(1, [1.0, 0.9, 0.8])
    plots._redraw(force=True)
    assert plots.loss_plot.viewRange()[0] == [x0, x1]  # new points do not move the axis


def test_an_earlier_longer_run_keeps_the_axis_wide_enough_to_show_it(plots):
    plots.reset("accuracy", batches_per_epoch=2, epochs=8)
    for e in range(1, 9):
        plots.add_epoch(e, {"loss": 1 / e}, {"loss": 1.1 / e, "accuracy": e / 10}, 0.01)
    plots.finish("first")
    plots.reset("accuracy", batches_per_epoch=2, epochs=3)
    assert plots.metric_plot.viewRange()[0][1] == pytest.approx(8.5)
    plots.show_earlier(0, False)
    plots.reset("accuracy", batches_per_epoch=2, epochs=3)
    assert plots.metric_plot.viewRange()[0][1] == pytest.approx(3.5)


def test_only_the_curves_that_changed_are_updated(plots, monkeypatch):
    plots.reset("accuracy", batches_per_epoch=4, epochs=2)
    calls = []
    monkeypatch.setattr(plots.c_val, "setData", lambda *a, **k: calls.append("val"))
    monkeypatch.setattr(plots.c_batch, "setData", lambda *a, **k: calls.append("batch"))
    plots.add_batches(1, [0.5, 0.4])
    plots._redraw(force=True)
    assert calls == ["batch"]
    plots.add_epoch(1, {"loss": 0.4}, {"loss": 0.45, "accuracy": 0.8}, 0.01)
    plots._redraw(force=True)
    assert calls == ["batch", "val"]


def test_a_costly_redraw_makes_the_next_wait(plots, monkeypatch):
    plots.reset("accuracy", batches_per_epoch=100, epochs=1)
    plots.add_batches(1, [1.0])
    plots._redraw(force=True)
    plots._update_seconds = 0.2  # as if the last redraw took 200 ms
    plots.add_batches(2, [0.9])
    plots._redraw()
    assert plots.c_batch.getData()[0].tolist() == [1.0]  # held back: 200 ms is more than its share
    assert plots._dirty == {"batches"}
    monkeypatch.setattr(plots_module, "PAINT_SHARE", 1e9)  # any cost is now affordable
    plots._redraw()
    assert plots.c_batch.getData()[0].tolist() == [1.0, 2.0]


def test_non_finite_losses_are_left_out_and_the_smoothing_follows_the_rest(plots):
    plots.reset("accuracy", batches_per_epoch=10, epochs=1)
    plots.add_batches(1, [1.0, None, float("nan"), 0.0])
    x, y = plots.batch.data()
    assert x.tolist() == [1.0, 4.0] and y.tolist() == [1.0, 0.0]
    assert np.allclose(plots.smooth.data()[1], [1.0, 0.9])
