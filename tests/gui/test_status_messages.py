"""A status-bar message is readable whole: a long one wraps beside the counters instead of being
cut short by them (the fix at its end was lost)."""

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication


def test_a_long_message_wraps_and_is_never_cut(window, qtbot):
    w = window
    w.resize(1280, 800)
    junk = QMimeData()
    bad_id = "a" * 70  # too long for an id: the refusal names it and says what ids may be
    junk.setText('{"format": "neurona-graph", "version": 1, "nodes": [{"id": "%s", "type": "ReLU"}]}' % bad_id)
    QGuiApplication.clipboard().setMimeData(junk)
    assert w.paste() == []
    message = w.statusBar().currentMessage()
    assert message.startswith("Cannot paste:") and "aaaa" in message and message.endswith("for example 'dense1'")
    note = w.statusBar().note
    qtbot.waitUntil(lambda: note.isVisible() and note.height() >= note.heightForWidth(note.width()), timeout=3000)
    QApplication.processEvents()
    assert note.text() == message
    assert note.fontMetrics().horizontalAdvance(message) > note.width()  # it needs more than one line …
    assert note.height() >= note.heightForWidth(note.width())  # … and has them all
    counters = min(lbl.x() for lbl in (w.status_valid, w.status_params, w.status_zoom))
    assert note.x() + note.width() <= counters  # nothing under the counters
    w.statusBar().clearMessage()
    assert w.statusBar().currentMessage() == ""
