"""The canvas as a person uses it: rubber-band selection, moving, deleting, zoom under the
cursor, panning, fit, auto-arrange, clipboard, and what nodes and wires show."""

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication

from conftest import EXAMPLES
from gui.conftest import drag_mouse
from studio.graph import Edge, MoveNode, SetParam


def _open(make_window, name="digits_cnn.neurona"):
    w = make_window(EXAMPLES / name)
    w.view.resetTransform()
    return w


def test_rubber_band_selects_the_nodes_it_covers(make_window, qtbot):
    w = _open(make_window)
    view = w.view
    a, b = w.scene.nodes["conv1"], w.scene.nodes["relu1"]
    view.centerOn(w.scene.nodes["bn1"].sceneBoundingRect().center())
    top_left = view.mapFromScene(a.sceneBoundingRect().topLeft() - QPointF(20, 30))
    bottom_right = view.mapFromScene(b.sceneBoundingRect().bottomRight() + QPointF(10, 30))
    drag_mouse(qtbot, view, top_left, bottom_right)
    assert w.scene.selected_node_ids() == ["conv1", "bn1", "relu1"]
    assert "3 nodes selected" in w.inspector.widget().findChildren(type(w.status_params))[0].text()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Delete)
    g = w.doc.graph
    assert not {"conv1", "bn1", "relu1"} & set(g.nodes)
    assert not any(e.src in ("conv1", "bn1", "relu1") or e.dst in ("conv1", "bn1", "relu1") for e in g.edges)
    assert w.doc.analysis.problems_for("pool1")  # now fed by nothing
    w.doc.undo_stack.undo()  # a single step brings all three back, wired
    assert {"conv1", "bn1", "relu1"} <= set(g.nodes) and w.doc.analysis.ok


def test_moving_a_selection_moves_every_node_and_its_wires(make_window, qtbot):
    w = _open(make_window)
    view = w.view
    w.scene.select_nodes(["conv1", "bn1"])
    before = {k: w.doc.graph.node(k).position for k in ("conv1", "bn1", "relu1")}
    item = w.scene.nodes["conv1"]
    view.centerOn(item.sceneBoundingRect().center())
    start = view.mapFromScene(item.scenePos() + QPointF(40, 8))
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.NoModifier, start)
    for i in range(1, 9):
        qtbot.mouseMove(view.viewport(), start + QPoint(0, 10 * i))
    edge = w.scene.edges[Edge("bn1", "relu1")]
    assert edge.path.pointAtPercent(0).y() > before["bn1"][1] + 40  # the wire follows during the drag
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.NoModifier, start + QPoint(0, 80))
    after = {k: w.doc.graph.node(k).position for k in ("conv1", "bn1", "relu1")}
    assert after["conv1"][1] == before["conv1"][1] + 80 and after["bn1"][1] == before["bn1"][1] + 80
    assert after["relu1"] == before["relu1"]
    assert w.doc.undo_stack.undoText() == "Move"


def test_wheel_zooms_under_the_cursor_and_fit_shows_everything(make_window):
    w = _open(make_window)
    view = w.view
    target = w.scene.nodes["pool1"].sceneBoundingRect().center()
    view.centerOn(target)
    at = view.mapFromScene(target)
    before = view.zoom()
    ev = QWheelEvent(QPointF(at), QPointF(view.viewport().mapToGlobal(at)), QPoint(0, 0), QPoint(0, 240),
                     Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), ev)
    assert view.zoom() > before * 1.2
    assert (view.mapFromScene(target) - at).manhattanLength() <= 3  # the point under the cursor stays put
    w.act_fit.trigger()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(w.scene.itemsBoundingRect())
    fitted = view.zoom()
    w.act_zoom_in.trigger()  # one step is a quarter more
    assert view.zoom() == pytest.approx(fitted * 1.25)
    assert w.status_zoom.text() == f"{view.zoom() * 100:.0f} %"
    w.act_zoom_out.trigger()
    assert view.zoom() == pytest.approx(fitted)
    w.act_zoom_out.trigger()
    assert view.zoom() == pytest.approx(fitted / 1.25)
    assert w.status_zoom.text() == f"{view.zoom() * 100:.0f} %"


def test_middle_button_and_space_drag_pan_the_view(make_window, qtbot):
    w = _open(make_window)
    view = w.view
    view.centerOn(w.scene.nodes["conv2"].sceneBoundingRect().center())
    centre = lambda: view.mapToScene(view.viewport().rect().center())  # noqa: E731
    c0 = centre()
    mid = view.viewport().rect().center()
    drag_mouse(qtbot, view, mid, mid + QPoint(-150, 0), button=Qt.MiddleButton)
    c1 = centre()
    assert c1.x() > c0.x() + 100
    qtbot.keyPress(view, Qt.Key_Space)
    try:
        drag_mouse(qtbot, view, mid, mid + QPoint(0, -120))
    finally:
        qtbot.keyRelease(view, Qt.Key_Space)
    assert centre().y() > c1.y() + 80
    assert not w.scene.selected_node_ids()  # panning is not a rubber band
    assert w.doc.undo_stack.count() == 0  # nor an edit


def test_auto_arrange_lays_out_left_to_right(make_window):
    """In reading order: a wire runs left to right, or down to a later row; a long chain wraps
    into rows so that the canvas shows it all at a readable zoom."""
    w = _open(make_window, "residual_cnn.neurona")
    g = w.doc.graph
    w.doc.push(MoveNode("conv_a", (1500.0, 900.0)))
    w.act_arrange.trigger()
    for e in g.edges:
        (x0, y0), (x1, y1) = g.node(e.src).position, g.node(e.dst).position
        assert x1 > x0 or y1 > y0, (e.src, e.dst)
    assert len({round(n.position[1]) for n in g.nodes.values()}) > 2  # 14 columns do not fit one row
    assert w.view.zoom() >= w.view.readable_zoom() - 1e-6
    view_rect = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert all(view_rect.contains(w.scene.nodes[k].sceneBoundingRect()) for k in g.nodes)
    rects = [w.scene.nodes[k].sceneBoundingRect() for k in g.nodes]
    assert not any(r.intersects(q) for i, r in enumerate(rects) for q in rects[i + 1:])  # nothing overlaps
    w.doc.undo_stack.undo()  # the whole arrangement is one step
    assert g.node("conv_a").position == (1500.0, 900.0)


def test_copy_paste_between_windows_and_junk_on_the_clipboard(make_window, qtbot):
    a = _open(make_window)
    b = make_window()
    a.scene.select_nodes(["conv1", "bn1", "relu1"])
    assert a.copy()
    ids = b.paste()
    assert ids == ["conv1", "bn1", "relu1"]
    assert {(e.src, e.dst) for e in b.doc.graph.edges} == {("conv1", "bn1"), ("bn1", "relu1")}
    assert b.paste() == ["conv2", "bn2", "relu2"]  # pasted again: fresh ids, shifted
    assert b.doc.graph.node("conv2").position != b.doc.graph.node("conv1").position
    junk = QMimeData()
    junk.setText('{"format": "neurona-graph", "version": 1, "nodes": [{"id": "a", "type": "Nope"}]}')
    QGuiApplication.clipboard().setMimeData(junk)
    count = len(b.doc.graph)
    assert b.paste() == []
    assert "Cannot paste" in b.statusBar().currentMessage() and "Nope" in b.statusBar().currentMessage()
    assert len(b.doc.graph) == count


def test_duplicate_and_cut(make_window):
    w = _open(make_window)
    w.scene.select_nodes(["dense1", "relu3"])
    assert w.duplicate() == ["dense2", "relu4"]
    assert Edge("dense2", "relu4") in w.doc.graph.edges
    w.scene.select_nodes(["drop"])
    w.cut()
    assert "drop" not in w.doc.graph.nodes
    assert w.paste() == ["drop"]


def test_nodes_show_parameters_and_shapes_and_wires_their_tensor_shapes(make_window):
    w = _open(make_window)
    conv = w.scene.nodes["conv1"]
    assert conv.params_text.startswith("out_channels=16") and "padding=1" in conv.params_text
    assert conv.shape_text == "→ B×16×8×8"
    assert w.scene.edges[Edge("pool2", "flat")].label == "B×32×2×2"
    assert w.scene.edges[Edge("flat", "dense1")].label == "B×128"
    w.doc.push(SetParam("x", "shape", [64]))
    assert w.scene.nodes["conv1"].severity == "error"
    assert w.scene.edges[Edge("x", "conv1")].problem  # drawn red: its target cannot take it
    assert w.scene.nodes["flat"].shape_text == "→ ?"  # downstream of the error: unknown


def test_a_500_node_graph_opens_and_a_node_drags(make_window, qtbot, tmp_path):
    from studio.graph import Edge as E, Graph, Node
    from studio.layers import save_graph

    g = Graph("big")
    g.nodes["x"] = Node("x", "Input", {"shape": [8]}, (0.0, 0.0))
    prev = "x"
    for i in range(1, 499):
        k = f"l{i}"
        g.nodes[k] = Node(k, "Linear" if i % 2 else "ReLU", {"out_features": 8} if i % 2 else {},
                          ((i % 25) * 220.0, (i // 25) * 160.0))
        g.edges.append(E(prev, k))
        prev = k
    g.nodes["y"] = Node("y", "Output", {}, (0.0, 20 * 160.0))
    g.edges.append(E(prev, "y"))
    path = tmp_path / "big.neurona"
    save_graph(g, path)
    w = make_window(path)
    assert len(w.scene.nodes) == 500 and len(w.scene.edges) == 499 and w.doc.analysis.ok
    item = w.scene.nodes["l250"]
    w.view.resetTransform()
    w.view.centerOn(item.sceneBoundingRect().center())
    start = w.view.mapFromScene(item.scenePos() + QPointF(40, 8))
    drag_mouse(qtbot, w.view, start, start + QPoint(60, 40))
    assert w.doc.graph.node("l250").position == (item.x(), item.y()) != ((250 % 25) * 220.0, 10 * 160.0)


def test_the_right_click_menu_adds_a_layer_where_it_was_asked(make_window):
    w = _open(make_window)
    w.scene.clearSelection()
    spot = QPointF(400.0, 600.0)
    menu = w.canvas_menu(spot)
    add = next(a.menu() for a in menu.actions() if a.menu() is not None)
    conv = next(a for sub in add.actions() if sub.menu() for a in sub.menu().actions() if a.text() == "Conv2D")
    conv.trigger()
    new = w.scene.selected_node_ids()
    assert new == ["conv3"] and w.scene.nodes["conv3"].sceneBoundingRect().contains(spot)
    menu = w.canvas_menu(spot)  # on a selection: what can be done to it
    assert w.act_delete in menu.actions() and w.act_duplicate in menu.actions()
    w.act_delete.trigger()
    assert "conv3" not in w.doc.graph.nodes
