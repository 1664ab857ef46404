"""A CSV file chosen in the training panel, with its columns picked in the real column picker
(another target than the default, a column left out, the task said): the spec it makes is the
panel's data, fits the network, trains, and is what the file's training section keeps.
Only the system file dialog is answered by patching QFileDialog's static function."""

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from conftest import EXAMPLES
from studio.layers import load_graph
from studio.ui.training.datafiles import ColumnPicker, csv_spec

FEATURES = [f"f{i}" for i in range(10)]


def _write_csv(path, n=80):
    """The class first, ten measurements, and a free-text note last (the picker's default target)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 10))
    lines = [",".join(["label", *FEATURES, "note"])]
    for i, row in enumerate(x):
        lines.append(",".join([["no", "yes"][int(row[0] + row[1] > 0)], *(f"{v:.4f}" for v in row), f"visit {i}"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pick_columns(seen: list):
    """When the column picker shows, choose as a person would: predict `label`, not from `note`,
    as a classification; then press OK."""

    def poll():
        picker = QApplication.activeModalWidget()
        if not isinstance(picker, ColumnPicker):
            return
        timer.stop()
        seen.append(picker.target.currentText())
        picker.target.setCurrentIndex(picker.target.findText("label"))
        note = picker.features.findItems("note", Qt.MatchExactly)[0]
        assert note.checkState() == Qt.Checked  # the old target went back among the features
        note.setCheckState(Qt.Unchecked)
        picker.task.setCurrentIndex(picker.task.findData("classification"))
        seen.append(picker.chosen_features())
        assert picker.ok.isEnabled()
        picker.ok.click()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(poll)
    return timer


def test_the_columns_picked_reach_the_panel_the_run_and_the_file(make_window, qtbot, tmp_path, monkeypatch):
    path = _write_csv(tmp_path / "patients.csv")
    src = tmp_path / "classifier.neurona"
    src.write_text((EXAMPLES / "binary_classifier.neurona").read_text())
    w = make_window(src)
    panel = w.training_panel()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))

    seen = []
    timer = _pick_columns(seen)
    timer.start()
    try:
        assert panel.choose_csv()
    finally:
        timer.stop()
    assert seen == ["note", FEATURES]  # the picker showed, with the last column as its first guess
    spec = csv_spec(path, "label", FEATURES, "classification")
    assert panel.data.currentText() == spec
    qtbot.waitUntil(lambda: not panel._reload_timer.isActive() and not panel.preview.busy, timeout=60_000)
    assert panel.fit_problem is None, panel.fit_problem  # ten features, two classes: the network fits
    assert panel.preview.splits.class_names == ["no", "yes"]
    assert panel.settings()["data"] == spec

    panel.epochs.setValue(2)
    try:
        with qtbot.waitSignal(panel.training_finished, timeout=180_000) as got:
            assert w.start_training()
    finally:
        panel.process.wait(5000)
    assert got.args[0].reason == "completed" and "accuracy" in got.args[0].test
    assert w.doc.graph.extra["training"]["data"] == spec  # the document's training section
    assert w.save()
    assert load_graph(src).extra["training"]["data"] == spec  # and the file's
