"""The palette: search by Keras names and keywords, drag onto the canvas, double-click to add
after the selected node."""

from PySide6.QtCore import QMimeData, QPoint, Qt

from conftest import EXAMPLES
from gui.conftest import layer_mime, send_drop


def test_search_finds_keras_names_and_keywords(window):
    p = window.palette
    p.search.setText("dense")
    assert "Linear" in p.visible_types()
    p.search.setText("pooling")
    shown = set(p.visible_types())
    assert {"MaxPool2d", "AvgPool2d", "MaxPool1d"} <= shown and "Linear" not in shown
    p.search.setText("conv2d")
    assert "Conv2d" in p.visible_types()
    p.search.setText("zzzz-no-such-layer")
    assert p.visible_types() == []
    p.search.clear()
    assert len(p.visible_types()) > 35


def test_tooltips_carry_the_teaching_text(window):
    item = window.palette.tree.layer_item("Conv2d")
    tip = item.toolTip(0)
    assert "Conv2D" in tip and "filter" in tip.lower()


def test_drag_from_the_palette_creates_the_node_where_it_is_dropped(window, qtbot):
    view = window.view
    mime = layer_mime(window.palette, "Conv2d")
    assert mime.hasFormat("application/x-neurona-layer")
    pos = QPoint(300, 200)
    assert send_drop(view, mime, pos)
    assert list(window.doc.graph.nodes) == ["conv1"]
    node = window.doc.graph.node("conv1")
    item = window.scene.nodes["conv1"]
    assert item.sceneBoundingRect().contains(view.mapToScene(pos))  # under the drop point
    assert (item.x(), item.y()) == node.position
    assert window.scene.selected_node_ids() == ["conv1"]
    assert window.inspector.node_id == "conv1"
    window.doc.undo_stack.undo()
    assert len(window.doc.graph) == 0 and not window.scene.nodes


def test_a_drop_of_something_else_is_refused(window):
    view = window.view
    text = QMimeData()
    text.setText("Conv2d")
    assert not send_drop(view, text, QPoint(200, 200))
    bogus = QMimeData()
    bogus.setData("application/x-neurona-layer", b"NoSuchLayer")
    assert not send_drop(view, bogus, QPoint(200, 200))
    assert len(window.doc.graph) == 0


def test_the_real_press_and_move_path_starts_the_drag(window, qtbot, monkeypatch):
    tree = window.palette.tree
    item = tree.layer_item("ReLU")
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    dropped = []

    def start_drag(actions):
        mime = tree.mimeData(tree.selectedItems())
        dropped.append(send_drop(window.view, mime, QPoint(250, 180)))

    monkeypatch.setattr(tree, "startDrag", start_drag)
    vp = tree.viewport()
    qtbot.mousePress(vp, Qt.LeftButton, pos=rect.center())
    for dx in range(5, 60, 10):
        qtbot.mouseMove(vp, rect.center() + QPoint(dx, 0))
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=rect.center() + QPoint(60, 0))
    assert dropped == [True]
    assert [n.type for n in window.doc.graph] == ["ReLU"]


def test_double_click_adds_after_the_selected_node_already_wired(make_window, qtbot):
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    w.focus_node("conv1")
    item = w.palette.tree.layer_item("Dropout")
    w.palette.tree.itemActivated.emit(item, 0)  # what a double-click or Enter does
    g = w.doc.graph
    new = w.scene.selected_node_ids()
    assert new == ["drop1"]
    # It slots into the chain: conv1 → drop1 → bn1, and the layers after it moved right.
    assert {(e.src, e.dst) for e in g.edges} >= {("conv1", "drop1"), ("drop1", "bn1")}
    assert ("conv1", "bn1") not in {(e.src, e.dst) for e in g.edges}
    assert g.node("drop1").position[0] > g.node("conv1").position[0]
    assert g.node("bn1").position[0] > g.node("drop1").position[0]
    assert w.doc.analysis.ok
    w.doc.undo_stack.undo()  # one step takes it all back
    assert "drop1" not in g.nodes and ("conv1", "bn1") in {(e.src, e.dst) for e in g.edges}


def test_enter_in_the_search_adds_the_first_match(window, qtbot):
    window.palette.search.setText("dense")
    qtbot.keyClick(window.palette.search, Qt.Key_Return)
    assert [n.type for n in window.doc.graph] == ["Linear"]
    assert list(window.doc.graph.nodes) == ["dense1"]
