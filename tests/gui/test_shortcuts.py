"""Every shortcut of the README's keyboard table, pressed on the real window, does what the
table says. Only the system file dialogs are answered by patching QFileDialog's static
functions (they are the platform's, not ours)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from conftest import EXAMPLES, ROOT
from studio.graph import Edge, MoveNode, SetParam
from studio.graph import fragments

KEYS = {"Ctrl+N", "Ctrl+O", "Ctrl+S", "Ctrl+Shift+S", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Ctrl+X", "Ctrl+C",
        "Ctrl+V", "Ctrl+D", "Delete", "Backspace", "Ctrl+A", "Ctrl+=", "Ctrl+-", "Ctrl+0", "Ctrl+L", "Ctrl+E",
        "F5", "F6", "Shift+F5", "Ctrl+Shift+E"}


def readme_keys() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| keys | what |"):]
    table = table[:table.index("\n\n")]
    keys = []
    for row in table.splitlines()[2:]:
        keys += re.findall(r"(?:(?:Ctrl|Shift|Alt)\+)*(?:F\d{1,2}|Delete|Backspace|[A-Z0-9=-])(?![\w+])", row.split("|")[1])
    return keys


def test_these_tests_press_every_key_of_the_readme_table():
    assert sorted(readme_keys()) == sorted(KEYS)


def press(w, keys: str) -> None:
    """Press ``keys`` as a person would, with the canvas focused (where the table's keys act)."""
    assert keys in KEYS, keys
    w.view.setFocus()
    QTest.keySequence(w.view, QKeySequence(keys))
    QApplication.processEvents()


class Dialogs:
    """QFileDialog's static functions, answering with a chosen path and recording each call."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[str] = []
        self.answer = ""
        for name in ("getOpenFileName", "getSaveFileName"):
            monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, _n=name, **k: self._ask(_n)))

    def _ask(self, name: str):
        self.calls.append(name)
        return str(self.answer), ""


@pytest.fixture
def dialogs(monkeypatch):
    return Dialogs(monkeypatch)


def test_new_open_save_save_as_and_export_code(make_window, dialogs, tmp_path):
    src = tmp_path / "xor.neurona"
    shutil.copy(EXAMPLES / "xor.neurona", src)
    other = tmp_path / "cnn.neurona"
    shutil.copy(EXAMPLES / "digits_cnn.neurona", other)
    w = make_window(src)

    press(w, "Ctrl+N")
    assert len(w.doc.graph) == 0 and w.doc.path is None and dialogs.calls == []

    dialogs.answer = other
    press(w, "Ctrl+O")
    assert dialogs.calls == ["getOpenFileName"]
    assert w.doc.path == other.resolve() and "conv1" in w.doc.graph.nodes

    w.doc.push(SetParam("conv1", "out_channels", 24))
    press(w, "Ctrl+S")  # the file has a name: saved there, no dialog
    assert dialogs.calls == ["getOpenFileName"]
    assert '"out_channels": 24' in other.read_text() and w.doc.undo_stack.isClean()

    dialogs.answer = tmp_path / "copy.neurona"
    press(w, "Ctrl+Shift+S")
    assert dialogs.calls[-1] == "getSaveFileName"
    assert w.doc.path == (tmp_path / "copy.neurona").resolve() and '"out_channels": 24' in dialogs.answer.read_text()

    dialogs.answer = tmp_path / "cnn.py"
    press(w, "Ctrl+E")
    assert dialogs.calls[-1] == "getSaveFileName" and len(dialogs.calls) == 3
    code = (tmp_path / "cnn.py").read_text()
    assert "class DigitsCnn(nn.Module)" in code and "nn.Conv2d(in_channels=1, out_channels=24" in code


def test_undo_redo_clipboard_delete_and_select_all(make_window):
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    g = w.doc.graph
    count = len(g)

    press(w, "Ctrl+A")
    assert sorted(w.scene.selected_node_ids()) == sorted(g.nodes)

    w.scene.select_nodes(["dense1", "relu3"])
    press(w, "Ctrl+C")
    assert QGuiApplication.clipboard().mimeData().hasFormat(fragments.MIME_TYPE)
    press(w, "Ctrl+V")
    assert {"dense2", "relu4"} <= set(g.nodes) and Edge("dense2", "relu4") in g.edges and len(g) == count + 2
    press(w, "Ctrl+Z")
    assert len(g) == count and "dense2" not in g.nodes
    press(w, "Ctrl+Shift+Z")
    assert "dense2" in g.nodes
    press(w, "Ctrl+Z")
    press(w, "Ctrl+Y")
    assert "dense2" in g.nodes and len(g) == count + 2

    w.scene.select_nodes(["drop"])
    before = set(g.nodes)
    press(w, "Ctrl+D")
    (copy,) = set(g.nodes) - before
    assert g.node(copy).type == "Dropout" and w.scene.selected_node_ids() == [copy]

    w.scene.select_nodes([copy])
    press(w, "Ctrl+X")
    assert copy not in g.nodes
    press(w, "Ctrl+V")
    assert copy in g.nodes and g.node(copy).type == "Dropout"

    w.scene.select_nodes([copy])
    press(w, "Delete")
    assert copy not in g.nodes
    w.scene.select_nodes(["relu4"])
    press(w, "Backspace")
    assert "relu4" not in g.nodes and Edge("dense2", "relu4") not in g.edges
    press(w, "Ctrl+Z")
    assert Edge("dense2", "relu4") in g.edges


def test_zoom_fit_and_auto_arrange(make_window):
    w = make_window(EXAMPLES / "residual_cnn.neurona")
    view, g = w.view, w.doc.graph
    view.resetTransform()
    press(w, "Ctrl+=")
    assert view.zoom() == pytest.approx(1.25)
    press(w, "Ctrl+-")
    press(w, "Ctrl+-")
    assert view.zoom() == pytest.approx(0.8)
    view.centerOn(5000, 5000)
    press(w, "Ctrl+0")
    assert view.mapToScene(view.viewport().rect()).boundingRect().contains(w.scene.itemsBoundingRect())

    w.doc.push(MoveNode("conv_a", (1500.0, 900.0)))  # out of place: the arrangement moves it back
    before = {k: n.position for k, n in g.nodes.items()}
    press(w, "Ctrl+L")
    assert {k: n.position for k, n in g.nodes.items()} != before
    for e in g.edges:  # in reading order: left to right, or down to a later row
        (x0, y0), (x1, y1) = g.node(e.src).position, g.node(e.dst).position
        assert x1 > x0 or y1 > y0, (e.src, e.dst)
    w.doc.undo_stack.undo()  # one step
    assert {k: n.position for k, n in g.nodes.items()} == before


def test_start_pause_resume_stop_and_export_the_run(make_window, qtbot, tmp_path):
    from studio.ui.training.export import ExportDialog

    src = tmp_path / "xor.neurona"
    shutil.copy(EXAMPLES / "xor.neurona", src)
    w = make_window(src)
    panel = w.training_panel()
    panel.epochs.setValue(100_000)  # long enough to pause and stop it
    try:
        with qtbot.waitSignal(panel.training_started, timeout=10_000):
            press(w, "F5")
        qtbot.waitUntil(lambda: panel.process.state == "running", timeout=120_000)
        press(w, "F6")
        qtbot.waitUntil(lambda: panel.process.state == "paused", timeout=30_000)
        press(w, "F6")
        qtbot.waitUntil(lambda: panel.process.state == "running", timeout=30_000)
        with qtbot.waitSignal(panel.training_finished, timeout=60_000) as got:
            press(w, "Shift+F5")
        assert got.args[0].reason == "stopped" and got.args[0].epochs_run < 100_000
    finally:
        panel.process.wait(5000)
    assert w.act_export_onnx.isEnabled()
    press(w, "Ctrl+Shift+E")
    shown = [d for d in QApplication.topLevelWidgets() if isinstance(d, ExportDialog) and d.isVisible()]
    try:
        assert len(shown) == 1 and shown[0].run_dir == Path(panel.last.run_dir)
    finally:
        for d in shown:
            d.close()
