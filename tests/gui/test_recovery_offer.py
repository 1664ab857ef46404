"""What a start-up does after a crash: the window the app opens offers back the recovery file a
gone process left (restored, or kept for later), and autosaves every 30 s as the README says.

The start is ``studio.ui.app.run`` itself, in this process, with its recovery folder in a
temporary XDG_DATA_HOME; only its final ``app.exec()`` is replaced, so that pytest-qt drives
the event loop and can answer the dialog."""

import json
import re

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from conftest import EXAMPLES, ROOT
from studio.graph import SetParam
from studio.layers import dump_graph, load_graph
from studio.ui import app, i18n
from studio.ui.mainwindow import AUTOSAVE_MS, MainWindow
from studio.ui.recovery import RecoveryStore

GONE_PID = 2**22 + 12345  # a process that is not running


@pytest.fixture
def started(qtbot, tmp_path, monkeypatch):
    """Start the app as ``neurona`` does (on the XOR example); returns a function that starts
    it and gives back its main window, closed at the end."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(app.REPORT_ENV, raising=False)
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: 0))
    windows = []
    # An offer nobody in the test answers (several starts in one process each schedule one) is
    # put off, not left modal: the test's own answers poll far more often and come first.
    leftover = QTimer()
    leftover.setInterval(500)
    leftover.timeout.connect(_put_off_offers)
    leftover.start()

    def start():
        # the widgets themselves, held: ids of wrappers let go could be reused by the new window's
        before = QApplication.topLevelWidgets()
        assert app.run(None, example=str(EXAMPLES / "xor.neurona")) == 0
        (w,) = [x for x in QApplication.topLevelWidgets()
                if isinstance(x, MainWindow) and not any(x is b for b in before)]
        windows.append(w)
        return w

    yield start
    leftover.stop()
    for w in windows:
        w.doc.undo_stack.setClean()
        w.close()
        w.deleteLater()
    i18n.install("en")


def _put_off_offers() -> None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox) and box.objectName() == "recovery":
        next(b for b in box.buttons() if b.text().replace("&", "") == "Not now").click()


def _crashed_session(tmp_path) -> RecoveryStore:
    """The recovery file a session left when it died with a change to digits_cnn unsaved."""
    store = RecoveryStore()  # the default folder, as the app finds it
    assert store.folder.is_relative_to(tmp_path)
    graph = load_graph(EXAMPLES / "digits_cnn.neurona")
    SetParam("dense1", "out_features", 99).apply(graph)
    slot = store.new_slot()
    slot.write(dump_graph(graph), str(EXAMPLES / "digits_cnn.neurona"), "digits_cnn.neurona")
    meta = json.loads(slot.meta_file.read_text())
    meta["pid"] = GONE_PID
    slot.meta_file.write_text(json.dumps(meta))
    return store


def test_the_window_a_start_opens_offers_back_the_crashed_work(started, tmp_path, qtbot, answer):
    store = _crashed_session(tmp_path)
    with answer("Restore", "recovery") as a:
        w = started()
        qtbot.waitUntil(lambda: bool(a.seen), timeout=10_000)
    assert "digits_cnn.neurona" in a.seen[0]
    qtbot.waitUntil(lambda: "dense1" in w.doc.graph.nodes, timeout=5000)
    assert w.doc.graph.node("dense1").params["out_features"] == 99
    assert w.doc.path is not None and w.doc.path.name == "digits_cnn.neurona"
    assert w.isWindowModified()
    assert store.pending() == []  # offered once: this window's own autosave holds it now
    assert w.slot.exists and w.slot.folder == store.folder


def test_work_not_restored_now_is_offered_again_at_the_next_start(started, tmp_path, qtbot, answer):
    store = _crashed_session(tmp_path)
    with answer("Not now", "recovery") as a:
        w = started()
        qtbot.waitUntil(lambda: bool(a.seen), timeout=10_000)
    assert w.doc.graph.name == "xor" and len(store.pending()) == 1
    w.close()
    with answer("Restore", "recovery") as b:
        w = started()
        qtbot.waitUntil(lambda: bool(b.seen), timeout=10_000)
    qtbot.waitUntil(lambda: "dense1" in w.doc.graph.nodes, timeout=5000)
    assert store.pending() == []


def test_the_started_window_autosaves_every_30_seconds_as_the_readme_says(started, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    promised = re.search(r"autosaves to a recovery file\s+every (\d+) s", readme)
    assert promised, "the README no longer says how often the editor autosaves"
    w = started()
    timer = w.autosave_timer
    assert timer.isActive() and not timer.isSingleShot()
    assert timer.interval() == AUTOSAVE_MS == int(promised.group(1)) * 1000
    w.doc.push(SetParam("h", "out_features", 7))
    assert not w.slot.exists
    timer.timeout.emit()  # what the timer does when the 30 s are up
    assert w.slot.exists and load_graph(w.slot.graph_file).node("h").params["out_features"] == 7
