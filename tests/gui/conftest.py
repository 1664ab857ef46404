"""Fixtures for driving the real window with pytest-qt (offscreen): a main window with its own
settings and recovery folder, drag-and-drop and mouse helpers, and answering modal dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.ui import i18n
from studio.ui.app import application
from studio.ui.canvas.view import LAYER_MIME
from studio.ui.recovery import RecoveryStore


@pytest.fixture(scope="session")
def qapp_cls():
    return type(application())


@pytest.fixture(autouse=True, scope="session")
def clipboard_emptied_at_exit(qapp):
    """Qt's offscreen platform crashes at exit while its clipboard holds data (a Qt bug; the
    xcb platform is fine), so the session empties it before the interpreter ends."""
    yield
    QApplication.clipboard().clear()


@pytest.fixture(autouse=True)
def no_leftover_windows(qapp):
    """A test that leaves a top-level window open fails (the next test would see it)."""
    before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    yield
    QApplication.processEvents()
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible() and id(w) not in before
            and w.objectName() != "qtbot-keep"]
    for w in left:
        w.close()
    assert not left, f"top-level widgets left open: {[type(w).__name__ + ':' + w.objectName() for w in left]}"


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def recovery(tmp_path):
    return RecoveryStore(tmp_path / "recovery")


@pytest.fixture
def make_window(qtbot, settings, recovery):
    from studio.ui.mainwindow import MainWindow

    made = []

    def make(path=None, *, show=True):
        w = MainWindow(settings=settings, recovery=recovery)
        made.append(w)  # closed below, not by qtbot: its close comes first and would prompt to save
        if path is not None:
            assert w.open_path(path, confirm=False)
        if show:
            w.show()
            w.windowHandle().requestActivate()  # keys go to the focus widget of the active window
            qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
        return w

    yield make
    for w in made:
        w.doc.undo_stack.setClean()  # no unsaved-changes prompt on the way out
        w.close()
        w.deleteLater()
    i18n.install("en")


@pytest.fixture
def window(make_window):
    return make_window()


def send_drop(view, mime: QMimeData, pos: QPoint, action=Qt.CopyAction) -> bool:
    """Deliver a drag enter, move and drop to the view, as a real drag would (see GUI-TESTING)."""
    vp = view.viewport()
    enter = QDragEnterEvent(pos, action, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(vp, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(pos, action, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(vp, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(QPointF(pos), action, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(vp, drop)
    return drop.isAccepted()


def layer_mime(palette, type_name: str) -> QMimeData:
    item = palette.tree.layer_item(type_name)
    assert item is not None, type_name
    return palette.tree.mimeData([item])


def port_point(view, window, node_id: str, port: str, output: bool) -> QPoint:
    item = window.scene.nodes[node_id].port(port, output)
    assert item is not None, (node_id, port, output)
    return view.mapFromScene(item.scenePos())


def drag_mouse(qtbot, view, start: QPoint, end: QPoint, steps: int = 6, button=Qt.LeftButton, modifier=Qt.NoModifier):
    vp = view.viewport()
    qtbot.mousePress(vp, button, modifier, start)
    try:
        for i in range(1, steps + 1):
            p = start + (end - start) * (i / steps)
            qtbot.mouseMove(vp, QPoint(round(p.x()), round(p.y())))
    finally:
        qtbot.mouseRelease(vp, button, modifier, end)


def wire(qtbot, window, src: str, dst: str, src_port: str = "out", dst_port: str = "in"):
    view = window.view
    drag_mouse(qtbot, view, port_point(view, window, src, src_port, True), port_point(view, window, dst, dst_port, False))


class DialogAnswer:
    """Answer the next modal dialog: ``with answer(qtbot, QMessageBox.Discard): action()``.
    ``seen`` holds the dialog's text, so a test can check what it said."""

    def __init__(self, qtbot, button, name: str | None = None) -> None:
        self.qtbot, self.button, self.name = qtbot, button, name
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)

    def _poll(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or (self.name and box.objectName() != self.name):
            return
        self.seen.append(box.text() + "\n" + box.informativeText())
        self.timer.stop()
        if isinstance(self.button, str):
            target = next(b for b in box.buttons() if b.text().replace("&", "") == self.button)
        else:
            target = box.button(self.button)
        target.click()

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.stop()
        return False


@pytest.fixture
def answer(qtbot):
    return lambda button, name=None: DialogAnswer(qtbot, button, name)
