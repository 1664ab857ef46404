"""Training from the window: the whole flow on XOR, live plots, pause / resume / stop, data that
does not fit, and a training child killed from outside."""

import json
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from conftest import EXAMPLES


@pytest.fixture
def trained_window(make_window, tmp_path):
    src = tmp_path / "xor.neurona"
    src.write_text((EXAMPLES / "xor.neurona").read_text())
    w = make_window(src)
    yield w
    if w.training is not None:
        w.training.process.wait(5000)


def test_train_xor_from_the_window(trained_window, qtbot, tmp_path):
    w = trained_window
    panel = w.training_panel()
    assert panel.data.currentText() == "xor"  # from the file's training section
    with qtbot.waitSignal(panel.training_finished, timeout=180_000) as got:
        assert w.start_training()
    done = got.args[0]
    assert done.reason == "completed" and done.test["accuracy"] == 1.0
    assert "100.0%" in [panel.metrics.item(r, 1).text() for r in range(panel.metrics.rowCount())]
    summary = json.loads((tmp_path / "runs" / "xor" / panel._run_name / "summary.json").read_text())
    shown = [[int(panel.confusion.item(i, j).text()) for j in range(panel.confusion.columnCount())]
             for i in range(panel.confusion.rowCount())]
    assert shown == summary["test"]["confusion_matrix"]
    x, y = panel.plots.c_val.getData()
    assert x is not None and len(x) == done.epochs_run
    assert panel.runs.count() == 1
    assert not any(p.name.endswith(".tmp") for p in (tmp_path / "runs" / "xor").iterdir())
    assert panel.samples_view.kind == "regions"  # the decision regions of what it learnt
    assert "(0 of 4)" in panel.samples_view.caption.text()


def test_plots_fill_while_training_and_stop_ends_the_run(make_window, qtbot, tmp_path):
    src = tmp_path / "mlp.neurona"
    src.write_text((EXAMPLES / "digits_mlp.neurona").read_text())
    w = make_window(src)
    panel = w.training_panel()
    panel.epochs.setValue(400)
    assert w.start_training()
    qtbot.waitUntil(lambda: panel.plots.c_batch.getData()[0] is not None and len(panel.plots.c_batch.getData()[0]) >= 40,
                    timeout=180_000)
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    w.training_dock.raise_()
    # shown the first time, the training view gets room: plots and results, not a strip
    qtbot.waitUntil(lambda: panel.plots.height() >= 160, timeout=5000)
    image = w.grab().toImage()
    assert image.width() > 800 and image.save(str(shots / "training-mid-run.png"))
    panel.toggle_pause()
    qtbot.waitUntil(lambda: panel.process.state == "paused", timeout=30_000)
    assert panel.pause_button.text() == "Resume"
    panel.toggle_pause()
    qtbot.waitUntil(lambda: panel.process.state == "running", timeout=30_000)
    with qtbot.waitSignal(panel.training_finished, timeout=60_000) as got:
        w.act_stop.trigger()
    assert got.args[0].reason == "stopped" and got.args[0].epochs_run < 400
    assert w.doc.graph.extra["training"]["epochs"] == 400  # the settings went into the document
    assert w.isWindowModified()
    w.doc.undo_stack.undo()
    assert w.doc.graph.extra["training"].get("epochs") != 400


def test_data_that_does_not_fit_says_what_to_change(trained_window, qtbot):
    w = trained_window
    panel = w.training_panel()
    panel.data.setCurrentText("digits")
    with qtbot.waitSignal(panel.training_failed, timeout=180_000) as got:
        w.start_training()
    assert "set the Input's shape to [1, 8, 8]" in got.args[0]
    assert panel.started_event is None  # it never began training
    assert "set the Input" in panel.message.text()


def test_a_killed_child_is_reported_and_the_document_is_untouched(make_window, qtbot, tmp_path):
    src = tmp_path / "mlp.neurona"
    src.write_text((EXAMPLES / "digits_mlp.neurona").read_text())
    w = make_window(src)
    panel = w.training_panel()
    panel.epochs.setValue(400)
    w.start_training()
    qtbot.waitUntil(lambda: panel.process.state == "running", timeout=180_000)
    before = w.doc.graph.copy()
    with qtbot.waitSignal(panel.training_failed, timeout=30_000) as got:
        panel.process.proc.kill()
    assert "unexpectedly" in got.args[0]
    assert w.doc.graph.same_as(before) and w.isVisible()
    assert panel.start_button.isEnabled()


def test_a_network_with_problems_does_not_start(make_window):
    from studio.graph import SetParam

    w = make_window(EXAMPLES / "digits_cnn.neurona")
    w.doc.push(SetParam("x", "shape", [64]))
    assert not w.start_training()
    assert "problems" in w.training.message.text() and not w.training.process.running


def test_the_whole_flow_train_export_and_predict_xor(trained_window, qtbot, tmp_path):
    """Open XOR, train it on the built-in XOR set, export to ONNX with parity passed, and let the
    inference panel predict all four points."""
    w = trained_window
    panel = w.training_panel()
    with qtbot.waitSignal(panel.training_finished, timeout=180_000) as got:
        w.start_training()
    assert got.args[0].test["accuracy"] == 1.0
    assert w.act_export_onnx.isEnabled() and panel.export_button.isEnabled()
    dialog = w.export_run()
    assert dialog is not None and dialog.opset.value() == 18
    with qtbot.waitSignal(dialog.exported, timeout=180_000) as exported:
        dialog.export_button.click()
    assert "passed" in dialog.verdict.text() and dialog.result["parity"]["max_abs_diff"] <= 1e-4
    path = exported.args[0]
    inference = w.inference
    assert inference is not None and inference.runner is not None and inference.runner.path == path
    assert inference.io.rowCount() == 2  # one input, one output
    for a, b in ((0, 0), (0, 1), (1, 0), (1, 1)):
        inference.numbers.setText(f"{a}, {b}")
        assert inference.run()
        label, _ = inference.prediction.top_k[0][0]
        assert str(label) == str(a ^ b), (a, b, inference.prediction.top_k)
    assert "ms in onnxruntime" in inference.latency.text()
    # the run's own test samples, fed one by one: the exported model's data is found beside it
    assert inference.sample_spec.currentText() == "xor"
    inference.source.setCurrentIndex(2)
    qtbot.waitUntil(lambda: inference._samples is not None, timeout=30_000)
    assert inference.sample_index.maximum() == 3
    for i in range(4):
        with qtbot.waitSignal(inference.predicted, timeout=10_000):
            inference.sample_index.setValue(i) if i else inference.run()
        label, _ = inference.prediction.top_k[0][0]
        truth = inference._truth(inference._samples[1], i)
        assert str(label) == truth and f"true answer is <b>{truth}</b>" in inference.sample_truth.text()
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    dialog.hide()
    w.inference_dock.raise_()
    QApplication.processEvents()
    assert w.grab().save(str(shots / "inference.png"))
    height = inference.bar_item.opts["height"]
    assert len(height) == 2 and abs(sum(height) - 1.0) < 1e-6
    inference.source.setCurrentIndex(0)
    inference.numbers.setText("1, 2, 3")
    assert not inference.run()
    assert "2 numbers per sample" in inference.message.text()
    dialog.close()


def test_the_device_list_comes_from_the_engine_and_keeps_a_setting_from_elsewhere(make_window, qtbot):
    w = make_window(EXAMPLES / "xor.neurona")
    panel = w.training_panel()
    if panel.devices is None:
        with qtbot.waitSignal(panel.devices_listed, timeout=60_000):
            pass
    ids = [panel.device.itemData(i) for i in range(panel.device.count())]
    assert ids[:2] == ["auto", "cpu"]
    assert [d["id"] for d in panel.devices] == ids[1:]
    assert panel._devices_process is None  # asked in a child process, which has ended
    panel.doc.graph.extra["training"] = {**panel.doc.graph.extra.get("training", {}), "device": "cuda:7"}
    panel.load_settings()
    assert panel.device.currentData() == "cuda:7"
    assert "cuda:7" in panel.device.currentText() and panel.device.currentText() != "cuda:7"  # says it is not here
    assert panel.settings()["device"] == "cuda:7"
    panel.device.setCurrentIndex(ids.index("cpu"))
    assert panel.settings()["device"] == "cpu"


def test_a_runs_results_come_one_part_per_turn_of_the_event_loop(trained_window, qtbot):
    """Built all at once, the plots' last redraw, the tables and the sample predictions were the
    window's longest stall at a run's end: the engine's last event only starts them, and
    ``training_finished`` says they are all shown. A new run shows the rest of the last one first."""
    w = trained_window
    panel = w.training_panel()
    at_the_end = {}
    panel.process.run_finished.connect(lambda _: at_the_end.update(
        confusion=panel.confusion.rowCount(), samples=panel.samples_view.kind, pending=len(panel._finish_steps)))
    with qtbot.waitSignal(panel.training_finished, timeout=180_000):
        assert w.start_training()
    assert at_the_end == {"confusion": 0, "samples": "", "pending": 4}
    assert panel.confusion.rowCount() == 2 and panel.samples_view.kind == "regions" and not panel._finish_steps

    order = []
    panel.training_started.connect(lambda: order.append("started"))
    panel.training_finished.connect(lambda done: order.append(("finished", Path(done.run_dir).name)))

    def again(_):  # at once, before the first run's results are shown
        panel.process.run_finished.disconnect(again)
        order.append(panel.start())

    panel.process.run_finished.connect(again)
    assert w.start_training()
    qtbot.waitUntil(lambda: len(order) == 5, timeout=360_000)
    first, second = order[1], order[4]
    assert order == ["started", first, "started", True, second] and first != second
    assert panel.runs.count() == 3 and not panel._finish_steps and panel.samples_view.kind == "regions"
