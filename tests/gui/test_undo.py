"""Undo and redo of every kind of edit, through the window; and random edit sequences that
undo back to the original document and redo to the final one, with the canvas in step."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QSpinBox
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import EXAMPLES
from gui.conftest import drag_mouse, layer_mime, send_drop, wire
from studio.graph import AddNode, Connect, Disconnect, Edge, MoveNode, Node, RemoveNode, RenameNode, SetParam
from studio.layers import CATALOGUE


def scene_matches_document(w) -> None:
    g, scene = w.doc.graph, w.scene
    assert set(scene.nodes) == set(g.nodes)
    assert set(scene.edges) == set(g.edges)
    for k, item in scene.nodes.items():
        assert item.node_id == k
        if g.node(k).position is not None:
            assert (item.x(), item.y()) == g.node(k).position
    for e, item in scene.edges.items():
        assert item.edge == e
        assert item.path.pointAtPercent(0).toPoint() == scene.port_position(e, True).toPoint()
    assert [r.id for r in w.summary.model.rows] == w.doc.analysis.order


def _undo_redo(w, check):
    """Undo the last step, check the document went back, redo, check it came again.
    ``check(before)`` says whether the document looks as it did before (True) or after (False)
    the edit."""
    after = w.doc.graph.copy()
    w.doc.undo_stack.undo()
    assert check(before=True), "undo did not bring the document back"
    assert not w.doc.graph.same_as(after), "undo changed nothing"
    scene_matches_document(w)
    w.doc.undo_stack.redo()
    assert w.doc.graph.same_as(after)
    assert check(before=False), "redo did not make the edit again"
    scene_matches_document(w)


def test_undo_redo_of_each_edit_kind_through_the_window(make_window, qtbot):
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    g = w.doc.graph
    view = w.view
    view.resetTransform()
    view.centerOn(w.scene.nodes["conv1"].sceneBoundingRect().center())

    # add (drop from the palette)
    assert send_drop(view, layer_mime(w.palette, "ReLU"), QPoint(200, 300))
    _undo_redo(w, lambda before: ("relu4" in g.nodes) != before)

    # wire and unwire
    wire(qtbot, w, "conv1", "relu4")
    _undo_redo(w, lambda before: (Edge("conv1", "relu4") in g.edges) != before)
    w.scene.select_nodes([])
    w.scene.edges[Edge("conv1", "relu4")].setSelected(True)
    w.delete_selection()
    _undo_redo(w, lambda before: (Edge("conv1", "relu4") in g.edges) == before)

    # delete a node with its wires: undo brings back the same node, id and wires
    w.focus_node("bn1")
    node = g.node("bn1")
    w.delete_selection()
    assert "bn1" not in g.nodes
    w.doc.undo_stack.undo()
    assert g.node("bn1") is node and {Edge("conv1", "bn1"), Edge("bn1", "relu1")} <= set(g.edges)
    w.doc.undo_stack.redo()
    _undo_redo(w, lambda before: ("bn1" in g.nodes) == before)

    # parameter change in the inspector
    w.focus_node("conv2")
    spin = w.inspector.editors["out_channels"].findChild(QSpinBox)
    spin.setValue(24)
    _undo_redo(w, lambda before: g.node("conv2").params["out_channels"] == (32 if before else 24))

    # rename
    w.doc.push(RenameNode("conv2", "features"))
    _undo_redo(w, lambda before: ("conv2" in g.nodes) == before)

    # paste
    w.focus_node("conv1")
    assert w.copy()
    ids = w.paste()
    assert ids == ["conv2"]  # the first free id of its kind (conv2 was renamed)
    _undo_redo(w, lambda before: ("conv2" in g.nodes) != before)

    # auto-arrange: every node moves in one step
    placed = {k: n.position for k, n in g.nodes.items()}
    w.auto_arrange()
    arranged = {k: n.position for k, n in g.nodes.items()}
    assert arranged != placed
    _undo_redo(w, lambda before: {k: n.position for k, n in g.nodes.items()} == (placed if before else arranged))

    # a mouse drag of a node is one step, not one per pixel
    item = w.scene.nodes["conv1"]
    view.centerOn(item.sceneBoundingRect().center())
    start = view.mapFromScene(item.scenePos() + QPointF(30, 10))
    count = w.doc.undo_stack.count()
    old = g.node("conv1").position
    drag_mouse(qtbot, view, start, start + QPoint(120, 80), steps=12)
    assert w.doc.undo_stack.count() == count + 1
    assert g.node("conv1").position != old
    _undo_redo(w, lambda before: (g.node("conv1").position == old) == before)


def test_undo_and_redo_reach_the_menu_and_title(make_window):
    w = make_window(EXAMPLES / "xor.neurona")
    assert not w.act_undo.isEnabled() and not w.isWindowModified()
    w.doc.push(SetParam("h", "out_features", 8))
    assert w.act_undo.isEnabled() and w.act_undo.text().startswith("&Undo")
    assert "Change parameter" in w.act_undo.text()
    assert w.isWindowModified()
    w.act_undo.trigger()
    assert not w.isWindowModified() and w.act_redo.isEnabled()
    w.act_redo.trigger()
    assert w.doc.graph.node("h").params["out_features"] == 8


# -- random edit sequences -------------------------------------------------------------------------

TYPES = sorted(CATALOGUE)


def _random_edit(graph, draw):
    """One plausible user edit of ``graph``, drawn with hypothesis (None if none applies)."""
    ids = list(graph.nodes)
    kind = draw(st.sampled_from(["add", "add", "remove", "move", "connect", "disconnect", "param", "rename"]))
    if kind == "add" or not ids:
        t = draw(st.sampled_from(TYPES))
        return AddNode(Node(graph.new_id(t.lower()), t, {}, (float(draw(st.integers(0, 2000))), 0.0)))
    if kind == "remove":
        return RemoveNode(draw(st.sampled_from(ids)))
    if kind == "move":
        return MoveNode(draw(st.sampled_from(ids)), (float(draw(st.integers(-500, 500))), float(draw(st.integers(-500, 500)))))
    if kind == "connect":
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        spec = CATALOGUE[graph.node(b).type]
        port = str(draw(st.integers(0, 2))) if spec.variadic else (spec.default_input or "in")
        return Connect(Edge(a, b, "out", port))
    if kind == "disconnect":
        return Disconnect(draw(st.sampled_from(graph.edges))) if graph.edges else None
    if kind == "param":
        node = graph.node(draw(st.sampled_from(ids)))
        spec = CATALOGUE[node.type]
        ints = [p for p in spec.params if p.kind == "int"]
        if not ints:
            return None
        p = draw(st.sampled_from(ints))
        return SetParam(node.id, p.name, draw(st.integers(int(p.min or 0), int(min(p.max or 64, 64)))))
    old = draw(st.sampled_from(ids))
    return RenameNode(old, graph.new_id("renamed"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edits_undo_to_the_original_and_redo_to_the_final(make_window, data):
    w = make_window(EXAMPLES / "residual_cnn.neurona", show=False)
    original = w.doc.graph.copy()
    for _ in range(data.draw(st.integers(1, 14))):
        edit = _random_edit(w.doc.graph, data.draw)
        if edit is not None:
            w.doc.try_push(edit)  # a refused edit (a taken id, a duplicate wire) changes nothing
    final = w.doc.graph.copy()
    scene_matches_document(w)
    stack = w.doc.undo_stack  # consecutive changes of one parameter merge into one step
    while stack.canUndo():
        stack.undo()
    assert w.doc.graph.same_as(original)
    scene_matches_document(w)
    while stack.canRedo():
        stack.redo()
    assert w.doc.graph.same_as(final)
    scene_matches_document(w)
    w.doc.undo_stack.setClean()
    w.close()
