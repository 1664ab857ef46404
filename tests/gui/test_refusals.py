"""Refusals and problems are read whole: a refused wire says why, with its fix, in a wrapped note
kept inside the window; the status bar never shows a line cut short by its counters; a node's
problem badge explains itself in a wrapped tooltip; the problems list shows each message whole."""

import re

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QHelpEvent, QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QLabel, QToolTip

from conftest import EXAMPLES
from gui.conftest import drag_mouse, port_point
from studio.graph import SetParam


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", QTextDocumentFragment.fromHtml(html).toPlainText()).strip()


def _in_window(w, widget) -> bool:
    return w.rect().contains(QRect(widget.mapTo(w, QPoint(0, 0)), widget.size()))


def _digits_cnn(make_window, conv: bool = False):
    """The digits CNN template; with ``conv``, a new Conv2d placed below it (as ``conv3``)."""
    w = make_window()
    assert (w.width(), w.height()) == (1280, 800)
    w.new_from_template(str(EXAMPLES / "digits_cnn.neurona"))
    if conv:
        w.scene.select_nodes(["y"])
        visible = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
        assert w.add_layer_at("Conv2d", QPointF(visible.center().x(), visible.bottom() - 40)) == "conv3"
    return w


def test_a_refused_wire_shows_its_whole_reason_and_fix_inside_the_window(make_window, qtbot):
    w = _digits_cnn(make_window, conv=True)
    view = w.view
    # Flatten's vector of 128 into a Conv2d: refused, with the fix (a Reshape)
    start, end = port_point(view, w, "flat", "out", True), port_point(view, w, "conv3", "in", False)
    with qtbot.waitSignal(view.wire_refused, timeout=2000) as got:
        drag_mouse(qtbot, view, start, end)
    reason = got.args[0]
    assert "Reshape" in reason and len(reason) > 120
    note = view.findChild(QLabel, "canvas-note")
    assert note is not None and note.isVisible()
    assert reason in _plain(note.text())
    assert _in_window(w, note)
    assert view.viewport().geometry().contains(note.geometry())
    # wrapped to its width, as tall as its wrapped text: nothing elided or cut
    assert note.wordWrap() and note.fontMetrics().horizontalAdvance(reason) > note.width()
    assert note.height() >= note.heightForWidth(note.width())
    # the status bar says it whole too, wrapped beside the counters; never a line cut by them
    message = w.statusBar().currentMessage()
    assert message == f"Cannot wire: {reason}"
    bar = w.statusBar().note
    qtbot.waitUntil(lambda: bar.height() >= bar.heightForWidth(bar.width()), timeout=3000)
    counters = min(lbl.x() for lbl in (w.status_valid, w.status_params, w.status_zoom))
    assert bar.x() + bar.width() <= counters
    assert w.doc.undo_stack.count() == 1  # placing conv3; nothing for the refusal
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=QPoint(10, 10))  # the next click puts it away
    assert not note.isVisible()


def test_a_bad_port_under_a_dragged_wire_explains_itself_inside_the_window(make_window, qtbot):
    w = _digits_cnn(make_window, conv=True)
    view, vp = w.view, w.view.viewport()
    start, over = port_point(view, w, "flat", "out", True), port_point(view, w, "conv3", "in", False)
    qtbot.mousePress(vp, Qt.LeftButton, Qt.NoModifier, start)
    try:
        for i in range(1, 7):
            p = start + (over - start) * (i / 6)
            qtbot.mouseMove(vp, QPoint(round(p.x()), round(p.y())))
        note = view.findChild(QLabel, "canvas-note")
        assert note is not None and note.isVisible()
        assert "Reshape" in _plain(note.text())
        assert view.viewport().geometry().contains(note.geometry()) and _in_window(w, note)
        assert note.height() >= note.heightForWidth(note.width())
    finally:
        qtbot.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, start)
    assert not note.isVisible()  # released on nothing: the note goes with the wire


def test_a_short_refusal_is_said_whole_in_the_status_bar(make_window, qtbot):
    w = _digits_cnn(make_window)
    w.view.wire_refused.emit("'x' is already wired there")
    assert w.statusBar().currentMessage() == "Cannot wire: 'x' is already wired there"


def test_a_problem_badge_explains_itself_in_a_wrapped_tooltip(make_window, qtbot):
    w = _digits_cnn(make_window)
    w.doc.push(SetParam("x", "shape", [64]))  # conv1 now gets a flat vector: an error badge
    item = w.scene.nodes["conv1"]
    assert item.severity == "error"
    view, vp = w.view, w.view.viewport()
    at = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseMove(vp, at)
    QApplication.sendEvent(vp, QHelpEvent(QEvent.ToolTip, at, vp.mapToGlobal(at)))
    try:
        qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
        assert QtGui.Qt.mightBeRichText(QToolTip.text())  # rich text wraps; a plain line would run on
        assert "Reshape" in _plain(QToolTip.text())
        label = next(t for t in QApplication.topLevelWidgets() if t.objectName() == "qtooltip_label" and t.isVisible())
        assert label.wordWrap()
        assert label.screen().geometry().contains(label.geometry())
        assert label.width() < label.fontMetrics().horizontalAdvance(_plain(QToolTip.text()))
    finally:
        QToolTip.hideText()
        qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)


def test_a_long_problem_is_shown_whole_in_the_problems_list(make_window, qtbot):
    w = _digits_cnn(make_window)
    w.doc.push(SetParam("x", "shape", [64]))
    table = w.summary.problems
    model = table.model()
    assert model.rowCount() >= 1
    text = model.data(model.index(0, 1))
    assert "Reshape" in text
    width = table.columnWidth(1)
    needed = table.fontMetrics().boundingRect(QRect(0, 0, width - 8, 10_000), Qt.TextWordWrap, text).height()
    assert needed > table.fontMetrics().height() * 1.5  # the message takes more than one line here
    assert table.rowHeight(0) >= needed
