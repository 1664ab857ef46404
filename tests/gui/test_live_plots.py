"""The live plots: they draw what arrives, span the run from its start, pace their redraws by
what a redraw costs (so that the window leaves the CPU to the training beside it) but never fall
behind the status line, and keep their legend off the curves."""

import numpy as np
import pytest

from conftest import EXAMPLES
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
    plots.redraw()
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
    plots.redraw()
    assert calls == ["batch"]
    plots.add_epoch(1, {"loss": 0.4}, {"loss": 0.45, "accuracy": 0.8}, 0.01)
    plots.redraw()
    assert calls == ["batch", "val"]


def test_the_pause_between_redraws_is_their_cost_over_their_share_within_50_to_250_ms(plots):
    plots.view.paint_seconds = 0.0
    for cost, pause in ((0.0, 0.05), (0.0015, 0.1), (0.003, 0.2), (0.2, 0.25)):
        plots._update_seconds = cost
        assert plots.pause() == pytest.approx(pause)


def test_a_costly_redraw_makes_the_next_wait_but_never_past_the_status_lines_pace(plots, qtbot):
    """A dear redraw (the first of a run, an epoch's on a busy machine) made the next wait its cost
    over 1.5 % (200 ms: 13 s), and the curves fell tens of epochs behind the status line."""
    plots.reset("accuracy", batches_per_epoch=100, epochs=1)
    plots.add_batches(1, [1.0])
    plots.redraw()
    plots._update_seconds = 0.2  # as if the last redraw took 200 ms of the GUI thread's time
    plots.add_batches(2, [0.9])
    assert plots.c_batch.xData.tolist() == [1.0]  # held back for now
    assert plots._timer.isActive() and plots._timer.remainingTime() <= plots_module.LAG_MS
    qtbot.waitUntil(lambda: plots.c_batch.xData.tolist() == [1.0, 2.0], timeout=2 * plots_module.LAG_MS)


def test_the_status_line_is_not_slower_than_the_plots_may_be():
    from studio.ui.training.panel import LIVE_MS

    assert plots_module.LAG_MS <= LIVE_MS


def test_no_redraw_is_due_while_no_data_comes(plots, qtbot):
    plots.reset("accuracy", batches_per_epoch=10, epochs=1)
    plots.add_batches(0, [1.0])
    qtbot.waitUntil(lambda: not plots._timer.isActive(), timeout=2 * plots_module.LAG_MS)
    assert plots.c_batch.xData.tolist() == [0.0] and not plots._dirty


def test_the_legend_names_each_line_under_the_plots_not_over_them(plots):
    text = plots.legend.text()
    for name in ("loss per batch", "smoothed", "training (per epoch)", "validation (per epoch)"):
        assert name.replace(" ", "&nbsp;") in text
    assert "earlier" not in text
    legend = plots.legend.geometry()
    for plot in (plots.loss_plot, plots.metric_plot, plots.lr_plot):
        box = plots.view.mapFromScene(plot.vb.sceneBoundingRect()).boundingRect().translated(plots.view.pos())
        assert not box.intersects(legend)
    plots.add_earlier("one", ([10.0], [0.5]), ([1.0], [0.8]), 1)
    assert "earlier&nbsp;runs" in plots.legend.text()
    plots.show_earlier(0, False)
    assert "earlier" not in plots.legend.text()


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
    plots.redraw()
    first = plots.loss_plot.viewRange()[1]
    assert first == [0.0, pytest.approx(2.5)]
    for e in range(1, 6):
        plots.add_batches(e * 10, list(np.linspace(2.0 / e, 1.5 / e, 10)))
        plots.add_epoch(e, {"loss": 1.8 / e, "accuracy": 0.5 + e / 12}, {"loss": 1.9 / e, "accuracy": 0.45 + e / 12}, 1e-3)
        plots.redraw()
        assert plots.loss_plot.viewRange()[1] == first
        lo, hi = plots.metric_plot.viewRange()[1]
        assert lo == pytest.approx(-0.02) and hi == pytest.approx(1.02)
    assert plots.lr_plot.viewRange()[1] == [0.0, pytest.approx(0.0012)]  # a constant rate is shown, not ±0.5
    plots.add_batches(49, [3.1])  # a spike past the top moves it once, to a round number
    plots.redraw()
    assert plots.loss_plot.viewRange()[1] == [0.0, pytest.approx(4.0)]


def test_a_metric_without_bounds_follows_its_values_steadily(plots):
    plots.reset("r2", batches_per_epoch=2, epochs=4)
    plots.add_epoch(1, {"loss": 5.0, "r2": -210.0}, {"loss": 6.0, "r2": -190.0}, 0.01)
    plots.redraw()
    lo, hi = plots.metric_plot.viewRange()[1]
    assert lo == pytest.approx(-250) and hi <= 0
    plots.add_epoch(2, {"loss": 1.0, "r2": 0.5}, {"loss": 1.2, "r2": 0.4}, 0.01)
    plots.redraw()
    lo2, hi2 = plots.metric_plot.viewRange()[1]
    assert lo2 == pytest.approx(-250) and hi2 == pytest.approx(0.6)  # -210 is still shown


def test_the_curves_show_what_the_status_line_says_within_one_redraw(make_window, qtbot, tmp_path):
    """A real run from the window: whenever the status line says "epoch e · batch b", the batch
    curve has that batch and the epoch curves epoch e − 1; when it gives epoch e's validation
    loss, the epoch curves have epoch e. (The curves trailed by seconds: near epoch 100 while the
    status said 131, empty at epoch 11 of 20.)"""
    import re

    src = tmp_path / "mlp.neurona"
    src.write_text((EXAMPLES / "digits_mlp.neurona").read_text())
    w = make_window(src)
    panel = w.training_panel()
    panel.epochs.setValue(500)  # long enough for many status lines however fast the machine; stopped below
    plots = panel.plots
    checked = []
    finished = []
    panel.training_finished.connect(finished.append)

    def drawn(curve, x: float) -> bool:
        xs = curve.xData  # what the curve was given (getData is what it draws: clipped, downsampled)
        return x <= 0 or xs is not None and len(xs) > 0 and xs.max() >= x

    assert w.start_training()
    shown = ""
    while not finished:
        qtbot.waitUntil(lambda: bool(finished) or panel.status.text() != shown, timeout=120_000)
        shown = panel.status.text()
        batch = re.match(r"Epoch (\d+)/\d+ · batch (\d+)", shown)
        epoch = re.match(r"Epoch (\d+)/\d+ · validation loss", shown)
        if finished or not (batch or epoch):
            continue
        bpe = panel.started_event.batches_per_epoch
        if batch:
            e, b = int(batch[1]), int(batch[2])
            qtbot.waitUntil(lambda: drawn(plots.c_batch, (e - 1) * bpe + b - 1) and drawn(plots.c_train_metric, e - 1),
                            timeout=2 * plots_module.LAG_MS)
        else:
            e = int(epoch[1])
            qtbot.waitUntil(lambda: drawn(plots.c_val_metric, e), timeout=2 * plots_module.LAG_MS)
        checked.append(shown)
        if len(checked) == 10:
            panel.stop()
    assert len(checked) >= 10, checked  # the status line changed four times a second
