"""The user's own data from the training panel: a CSV file through the column picker, a NumPy
.npz file and a folder of images, each turned into the spec the engine loads — and loaded by it."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from conftest import EXAMPLES
from studio.data import load_data
from studio.ui.training import datafiles
from studio.ui.training.datafiles import ColumnPicker, csv_spec, peek_csv


def _settled(qtbot, panel):
    qtbot.waitUntil(lambda: not panel._reload_timer.isActive() and not panel.preview.busy, timeout=60_000)


def _write_csv(path, n=60, sep=",", names=None, encoding="utf-8"):
    rng = np.random.default_rng(0)
    names = names or [f"f{i}" for i in range(10)] + ["label"]
    x = rng.normal(size=(n, len(names) - 1))
    y = (x[:, 0] > 0).astype(int)
    lines = [sep.join(names)] + [sep.join([f"{v:.4f}" for v in row] + [["no", "yes"][k]]) for row, k in zip(x, y)]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_peek_reads_the_header_and_first_rows_as_the_engine_does(tmp_path):
    path = _write_csv(tmp_path / "d.csv", sep=";", names=["größe", "peso", "clase"], encoding="cp1252")
    header, rows = peek_csv(path)
    assert header == ["größe", "peso", "clase"]
    assert len(rows) == 5 and rows[0][2] in ("no", "yes")


def test_a_column_name_with_separators_survives_the_spec(tmp_path):
    path = _write_csv(tmp_path / "d.csv", names=["a&b", "c=d", "e%f", "target"])
    spec = csv_spec(path, "target", ["a&b", "e%f"])
    splits = load_data(spec)
    assert splits.sample_shape == (2,) and splits.class_names == ["no", "yes"]


def test_the_column_picker_builds_a_spec_the_engine_loads(qtbot, tmp_path):
    path = _write_csv(tmp_path / "d.csv")
    header, rows = peek_csv(path)
    picker = ColumnPicker(path, header, rows)
    qtbot.addWidget(picker)
    assert picker.target.currentText() == "label"
    assert picker.spec() == f"csv:{path}?target=label"  # every other column: no features= needed
    picker.features.item(3).setCheckState(Qt.Unchecked)
    assert load_data(picker.spec()).sample_shape == (9,)
    picker.target.setCurrentText("f0")  # predict f0 from the rest; label becomes a feature again?
    assert picker.features.item(0).checkState() == Qt.Unchecked
    assert not picker.features.item(0).flags() & Qt.ItemIsEnabled
    assert picker.features.item(10).checkState() == Qt.Checked
    picker.task.setCurrentIndex(picker.task.findData("regression"))
    assert "task=regression" in picker.spec()
    for i in range(picker.features.count()):
        picker.features.item(i).setCheckState(Qt.Unchecked)
    assert not picker.ok.isEnabled() and picker.problem.text()


def test_a_csv_chosen_in_the_panel_previews_and_fits(make_window, qtbot, tmp_path, monkeypatch):
    path = _write_csv(tmp_path / "patients.csv")
    w = make_window(EXAMPLES / "binary_classifier.neurona")
    panel = w.training_panel()
    _settled(qtbot, panel)
    monkeypatch.setattr(panel, "_ask_file", lambda *a: str(path))
    monkeypatch.setattr(ColumnPicker, "exec", lambda self: QDialog.Accepted)
    assert panel.choose_csv()
    assert panel.data.currentText() == f"csv:{path}?target=label"
    _settled(qtbot, panel)
    assert panel.preview.kind == "table" and panel.preview.table.rowCount() == 8
    assert panel.fit_problem is None, panel.fit_problem


def test_a_cancelled_choice_changes_nothing(make_window, qtbot, tmp_path, monkeypatch):
    w = make_window(EXAMPLES / "xor.neurona")
    panel = w.training_panel()
    monkeypatch.setattr(panel, "_ask_file", lambda *a: "")
    assert not panel.choose_csv() and not panel.choose_npz()
    monkeypatch.setattr(panel, "_ask_folder", lambda *a: "")
    assert not panel.choose_images()
    assert panel.data.currentText() == "xor"


def test_an_npz_chosen_in_the_panel_fits_a_two_input_network(make_window, qtbot, tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(80, 2)).astype(np.float32)
    np.savez(tmp_path / "points.npz", X=x, y=(x[:, 0] * x[:, 1] > 0).astype(np.int64))
    w = make_window(EXAMPLES / "xor.neurona")
    panel = w.training_panel()
    monkeypatch.setattr(panel, "_ask_file", lambda *a: str(tmp_path / "points.npz"))
    assert panel.choose_npz()
    _settled(qtbot, panel)
    assert panel.preview.kind == "scatter"
    assert panel.fit_problem is None, panel.fit_problem


def test_an_image_folder_chosen_in_the_panel_shows_its_images(make_window, qtbot, tmp_path, monkeypatch):
    from PIL import Image

    rng = np.random.default_rng(2)
    for cls in ("cats", "dogs"):
        (tmp_path / "pets" / cls).mkdir(parents=True)
        for i in range(6):
            Image.fromarray(rng.integers(0, 255, (12, 12, 3), dtype=np.uint8)).save(tmp_path / "pets" / cls / f"{i}.png")
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    panel = w.training_panel()
    monkeypatch.setattr(panel, "_ask_folder", lambda *a: str(tmp_path / "pets"))

    def accept(self):
        assert "2 classes: cats, dogs" in self.findChildren(datafiles.QLabel)[0].text()
        self.size.setValue(8)
        self.gray.setChecked(True)
        return QDialog.Accepted

    monkeypatch.setattr(datafiles.ImageOptions, "exec", accept)
    assert panel.choose_images()
    assert panel.data.currentText() == f"images:{tmp_path / 'pets'}?size=8&gray=1"
    _settled(qtbot, panel)
    assert panel.preview.kind == "images"
    assert panel.preview.splits.class_names == ["cats", "dogs"]
    # 1×8×8 images fit the digits CNN's Input, but it has 10 outputs for 2 classes: said so
    assert panel.fit_problem is not None and "2" in panel.fit_problem
