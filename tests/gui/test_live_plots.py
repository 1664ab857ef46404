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


@pytest.mark.parametrize("v, bound", [(0.93, 1.0), (1.0, 1.0), (1.01, 1.2), (2.31, 2.5), (3150, 4000), (7e-6, 8e-6),
                                      (0.0011, 0.0012), (9.5, 10)])
def test_nice_bounds_are_round_numbers_at_or_above_the_value(v, bound):
    assert plots_module.nice_bound(v) == pytest.approx(bound)


def test_a_steady_range_moves_only_when_a_value_leaves_it():
    steady = plots_module.steady_range
    assert steady(None, 0.2, 2.31) == (0.0, pytest.approx(2.5))  # a loss: from 0 up
    assert steady((0.0, 2.5), 0.01, 2.31) is None  # it fell: the axis stays
    assert steady((0.0, 2.5), 0.01, 2.7) == (0.0, pytest.approx(3.0))  # it rose past the top
    assert steady(None, -210, 50) == (pytest.approx(-250), pytest.approx(60))  # a negative R² early on
    assert steady(None, 0.0, 0.0) == (0.0, 1.0)
    assert steady((0.0, 1.0), float("nan"), 1.0) is None


def test_a_falling_loss_does_not_move_the_y_axis_and_accuracy_keeps_zero_to_one(plots):
    """A moving y axis repaints the axis (ticks, grid) at every redraw; a steady one only the curves."""
    plots.reset("accuracy", batches_per_epoch=10, epochs=5)
    plots.add_batches(0, [2.3, 2.2, 2.0])
    plots._redraw(force=True)
    first = plots.loss_plot.viewRange()[1]
    assert first == [0.0, pytest.approx(2.5)]
    for e in range(1, 6):
        plots.add_batches(e * 10, list(np.linspace(2.0 / e, 1.5 / e, 10)))
        plots.add_epoch(e, {"loss": 1.8 / e, "accuracy": 0.5 + e / 12}, {"loss": 1.9 / e, "accuracy": 0.45 + e / 12}, 1e-3)
        plots._redraw(force=True)
        assert plots.loss_plot.viewRange()[1] == first
        lo, hi = plots.metric_plot.viewRange()[1]
        assert lo == pytest.approx(-0.02) and hi == pytest.approx(1.02)
    assert plots.lr_plot.viewRange()[1] == [0.0, pytest.approx(0.0012)]  # a constant rate is shown, not ±0.5
    plots.add_batches(49, [3.1])  # a spike past the top moves it once, to a round number
    plots._redraw(force=True)
    assert plots.loss_plot.viewRange()[1] == [0.0, pytest.approx(4.0)]


def test_a_metric_without_bounds_follows_its_values_steadily(plots):
    plots.reset("r2", batches_per_epoch=2, epochs=4)
    plots.add_epoch(1, {"loss": 5.0, "r2": -210.0}, {"loss": 6.0, "r2": -190.0}, 0.01)
    plots._redraw(force=True)
    lo, hi = plots.metric_plot.viewRange()[1]
    assert lo == pytest.approx(-250) and hi <= 0
    plots.add_epoch(2, {"loss": 1.0, "r2": 0.5}, {"loss": 1.2, "r2": 0.4}, 0.01)
    plots._redraw(force=True)
    lo2, hi2 = plots.metric_plot.viewRange()[1]
    assert lo2 == pytest.approx(-250) and hi2 == pytest.approx(0.6)  # -210 is still shown
