"""Wiring ports with the mouse: live feedback, refusals with reasons, replacing a wire."""

from PySide6.QtCore import QPoint, Qt

from conftest import EXAMPLES
from gui.conftest import drag_mouse, port_point, wire
from studio.graph import AddNode, Edge, Node
from studio.graph.edits import Macro
from studio.ui.canvas.items import PortItem


def _place(window, *nodes):
    window.doc.push(Macro([AddNode(Node(i, t, p, pos)) for i, t, p, pos in nodes]))
    window.view.resetTransform()
    window.view.centerOn(250, 60)


def test_dragging_from_an_output_to_an_input_wires_them(window, qtbot):
    _place(window, ("x", "Input", {"shape": [4]}, (0, 0)), ("dense1", "Linear", {"out_features": 3}, (260, 0)))
    with qtbot.waitSignal(window.view.wired, timeout=2000) as got:
        wire(qtbot, window, "x", "dense1")
    assert got.args[0] == Edge("x", "dense1")
    assert window.doc.graph.edges == [Edge("x", "dense1")]
    edge_item = window.scene.edges[Edge("x", "dense1")]
    assert edge_item.label == "B×4"  # the wire shows its tensor shape
    assert window.scene.nodes["dense1"].shape_text == "→ B×3"
    window.doc.undo_stack.undo()
    assert window.doc.graph.edges == [] and not window.scene.edges


def test_dragging_backwards_from_an_input_works_too(window, qtbot):
    _place(window, ("x", "Input", {"shape": [4]}, (0, 0)), ("dense1", "Linear", {}, (260, 0)))
    view = window.view
    drag_mouse(qtbot, view, port_point(view, window, "dense1", "in", False), port_point(view, window, "x", "out", True))
    assert window.doc.graph.edges == [Edge("x", "dense1")]


def test_releasing_on_a_node_body_uses_its_free_input(window, qtbot):
    _place(window, ("x", "Input", {"shape": [4]}, (0, 0)), ("relu1", "ReLU", {}, (260, 0)))
    view = window.view
    body = view.mapFromScene(window.scene.nodes["relu1"].sceneBoundingRect().center())
    drag_mouse(qtbot, view, port_point(view, window, "x", "out", True), body)
    assert window.doc.graph.edges == [Edge("x", "relu1")]


def test_an_incompatible_wire_is_refused_with_its_reason(window, qtbot):
    _place(window, ("x", "Input", {"shape": [64]}, (0, 0)), ("conv1", "Conv2d", {}, (260, 0)))
    with qtbot.waitSignal(window.view.wire_refused, timeout=2000) as got:
        wire(qtbot, window, "x", "conv1")
    reason = got.args[0]
    assert "Conv2d expects channels × height × width" in reason and "Reshape" in reason
    assert "first set the shape of Input 'x'" in reason
    assert window.doc.graph.edges == []
    assert "Cannot wire" in window.statusBar().currentMessage()
    assert window.doc.undo_stack.count() == 1  # only the placing; nothing pushed for the refusal


def test_a_loop_is_refused(window, qtbot):
    _place(window, ("x", "Input", {"shape": [4]}, (0, 0)), ("a", "ReLU", {}, (260, 0)), ("b", "ReLU", {}, (520, 0)))
    wire(qtbot, window, "x", "a")
    wire(qtbot, window, "a", "b")
    with qtbot.waitSignal(window.view.wire_refused, timeout=2000) as got:
        wire(qtbot, window, "b", "a")
    assert "loop" in got.args[0]
    assert set(window.doc.graph.edges) == {Edge("x", "a"), Edge("a", "b")}


def test_ports_light_up_while_a_wire_is_dragged(window, qtbot):
    _place(window, ("x", "Input", {"shape": [64]}, (0, 0)), ("dense1", "Linear", {}, (260, 0)),
           ("conv1", "Conv2d", {}, (260, 160)))
    view, vp = window.view, window.view.viewport()
    start = port_point(view, window, "x", "out", True)
    qtbot.mousePress(vp, Qt.LeftButton, Qt.NoModifier, start)
    try:
        qtbot.mouseMove(vp, start + QPoint(40, 10))
        assert window.scene.nodes["dense1"].inputs["in"].state == PortItem.GOOD
        assert window.scene.nodes["conv1"].inputs["in"].state == PortItem.BAD  # would be a shape error
        assert window.scene.nodes["dense1"].outputs["out"].state == PortItem.BAD  # output to output
    finally:
        qtbot.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, start + QPoint(40, 10))
    assert all(p.state == PortItem.NORMAL for item in window.scene.nodes.values()
               for p in (*item.inputs.values(), *item.outputs.values()))
    assert window.doc.graph.edges == []


def test_wiring_into_a_taken_input_replaces_the_old_wire_in_one_step(make_window, qtbot):
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    w.view.resetTransform()
    w.view.centerOn(w.scene.nodes["relu1"].sceneBoundingRect().center())
    before = list(w.doc.graph.edges)
    wire(qtbot, w, "conv1", "relu1")  # relu1 was fed by bn1
    edges = {(e.src, e.dst) for e in w.doc.graph.edges}
    assert ("conv1", "relu1") in edges and ("bn1", "relu1") not in edges
    w.doc.undo_stack.undo()
    assert w.doc.graph.edges == before


def test_add_grows_a_port_for_each_new_branch(window, qtbot):
    _place(window, ("x", "Input", {"shape": [4]}, (0, 0)), ("a", "ReLU", {}, (260, -100)),
           ("b", "Tanh", {}, (260, 100)), ("c", "Sigmoid", {}, (260, 300)), ("merge", "Add", {}, (560, 0)))
    for n in "abc":
        wire(qtbot, window, "x", n)
    assert list(window.scene.nodes["merge"].inputs) == ["0", "1"]
    wire(qtbot, window, "a", "merge", dst_port="0")
    wire(qtbot, window, "b", "merge", dst_port="1")
    assert list(window.scene.nodes["merge"].inputs) == ["0", "1", "2"]  # a free one for the next branch
    wire(qtbot, window, "c", "merge", dst_port="2")
    assert {e.dst_port for e in window.doc.graph.edges if e.dst == "merge"} == {"0", "1", "2"}
    assert window.doc.analysis.nodes["merge"].outputs["out"].shape == (4,)


def test_a_selected_wire_is_deleted_with_the_delete_key(window, qtbot):
    _place(window, ("x", "Input", {"shape": [4]}, (0, 0)), ("dense1", "Linear", {}, (260, 0)))
    wire(qtbot, window, "x", "dense1")
    edge = window.scene.edges[Edge("x", "dense1")]
    window.scene.clearSelection()
    edge.setSelected(True)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key_Delete)
    assert window.doc.graph.edges == [] and len(window.doc.graph) == 2
    assert window.doc.analysis.problems_for("dense1")  # "nothing wired into its input"
