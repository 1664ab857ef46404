"""The training panel's data preview and its fit check: the chosen data loads on a worker thread,
shows in the form that suits it, and is checked against the graph (the engine's own check) so a
graph that does not fit says what to change before anything starts."""

import pytest

from conftest import EXAMPLES


def _panel(make_window, example):
    w = make_window(EXAMPLES / example)
    return w, w.training_panel()


def _settled(qtbot, panel):
    qtbot.waitUntil(lambda: not panel._reload_timer.isActive() and not panel.preview.busy, timeout=60_000)


def _choose(qtbot, panel, spec):
    panel.data.setCurrentText(spec)
    _settled(qtbot, panel)


@pytest.mark.parametrize("example, kind", [("xor.neurona", "scatter"), ("digits_cnn.neurona", "images"),
                                           ("sine_lstm.neurona", "lines"), ("binary_classifier.neurona", "table"),
                                           ("transformer_classifier.neurona", "table"),
                                           ("gru_classifier.neurona", "lines")])
def test_each_example_previews_its_own_data_and_fits(make_window, qtbot, example, kind):
    w, panel = _panel(make_window, example)
    _settled(qtbot, panel)
    assert panel.preview.kind == kind
    assert panel.fit_problem is None
    assert "Fits the network" in panel.fit_note.text()
    assert panel.preview.currentWidget().isVisible()


def test_the_scatter_shows_the_training_points_and_the_images_their_labels(make_window, qtbot):
    w, panel = _panel(make_window, "xor.neurona")
    _choose(qtbot, panel, "moons?n=200")
    scatter = panel.preview.plot.getPlotItem().listDataItems()[0]
    assert len(scatter.data) == len(panel.preview.splits.train)
    w.doc.undo_stack.setClean()
    w2, digits = _panel(make_window, "digits_cnn.neurona")
    _settled(qtbot, digits)
    pixmap = digits.preview.images.pixmap()
    assert pixmap is not None and not pixmap.isNull() and pixmap.width() > 100
    assert "1×8×8" in digits.fit_note.text() and "10 classes" in digits.fit_note.text()


def test_a_table_shows_the_first_rows_with_their_class_names(make_window, qtbot):
    w, panel = _panel(make_window, "binary_classifier.neurona")
    _choose(qtbot, panel, "iris")
    table = panel.preview.table
    assert table.rowCount() == 8 and table.columnCount() == 5
    names = set(panel.preview.splits.class_names)
    assert {table.item(r, 4).text() for r in range(8)} <= names


def test_data_that_does_not_fit_is_refused_before_anything_starts(make_window, qtbot):
    w, panel = _panel(make_window, "xor.neurona")
    _choose(qtbot, panel, "digits")
    assert "set the Input's shape to [1, 8, 8]" in panel.fit_problem
    assert "✗" in panel.fit_note.text()
    before = dict(w.doc.graph.extra.get("training") or {})
    with qtbot.waitSignal(panel.training_failed, timeout=5000) as got:
        assert w.start_training() is False
    assert "set the Input's shape" in got.args[0]
    assert not panel.process.running and panel.started_event is None
    assert w.doc.graph.extra.get("training") == before  # nothing saved, nothing started
    _choose(qtbot, panel, "xor")
    assert panel.fit_problem is None


def test_a_flat_input_takes_images_reshaped_and_says_so(make_window, qtbot):
    w, panel = _panel(make_window, "digits_mlp.neurona")
    _settled(qtbot, panel)
    assert panel.fit_problem is None
    assert "reshaped from 1×8×8" in panel.fit_note.text() and "64" in panel.fit_note.text()


def test_editing_the_input_shape_rechecks_the_fit(make_window, qtbot):
    from studio.graph import SetParam

    w, panel = _panel(make_window, "binary_classifier.neurona")
    _settled(qtbot, panel)
    assert panel.fit_problem is None
    input_id = next(n.id for n in w.doc.graph.nodes.values() if n.type == "Input")
    w.doc.push(SetParam(input_id, "shape", [12]))
    assert panel.fit_problem is not None and "10" in panel.fit_problem
    w.doc.undo_stack.undo()
    assert panel.fit_problem is None


def test_unreadable_data_says_why(make_window, qtbot, tmp_path):
    w, panel = _panel(make_window, "xor.neurona")
    missing = tmp_path / "nope.csv"
    _choose(qtbot, panel, f"csv:{missing}?target=y")
    assert panel.preview.kind == "error"
    assert "nope.csv" in panel.fit_problem
    assert "✗" in panel.fit_note.text()


def test_only_the_last_choice_is_shown(make_window, qtbot):
    w, panel = _panel(make_window, "xor.neurona")
    _settled(qtbot, panel)
    panel.preview.request("iris")
    panel.preview.request("moons?n=120")
    qtbot.waitUntil(lambda: not panel.preview.busy, timeout=60_000)
    assert panel.preview.splits.name == "moons" and panel.preview.kind == "scatter"


def test_a_preview_deleted_while_its_data_loads_does_not_take_the_answer_with_it(qtbot):
    """The worker's answer goes out on the one courier that lives as long as the process: a
    widget deleted mid-load (its window closed) must not leave the worker emitting on a deleted
    object, which crashed the process."""
    import shiboken6

    from studio.ui.training.preview import DataPreview, courier

    doomed = DataPreview()
    with qtbot.waitSignal(courier().done, timeout=60_000,
                          check_params_cb=lambda request, splits, error: request == doomed._request) as answer:
        doomed.request("digits")
        shiboken6.delete(doomed)  # gone on the GUI thread while the worker loads
    request, splits, error = answer.args
    assert splits is not None and error == ""
    assert shiboken6.isValid(courier())

    alive = DataPreview()
    qtbot.addWidget(alive)
    alive.request("xor")
    qtbot.waitUntil(lambda: not alive.busy, timeout=60_000)
    assert alive.kind == "scatter" and len(alive.splits.train) > 0
