"""The inspector: a form from the layer declaration; edits flow to shapes, summary and problems."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

from conftest import EXAMPLES


def _open(make_window, name="digits_cnn.neurona"):
    return make_window(EXAMPLES / name)


def _type(qtbot, editor_widget, text):
    line = editor_widget if isinstance(editor_widget, QLineEdit) else editor_widget.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)


def _summary_row(w, node_id):
    m = w.summary.model
    for r in range(m.rowCount()):
        if m.data(m.index(r, 0)) == node_id:
            return [m.data(m.index(r, c)) for c in range(4)]
    raise KeyError(node_id)


def test_the_form_follows_the_declaration(make_window):
    w = _open(make_window)
    w.focus_node("conv1")
    ed = w.inspector.editors
    assert list(ed) == ["out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"]
    spin = ed["out_channels"].findChild(QSpinBox)
    assert (spin.low, spin.high, spin.value()) == (1, 65536, 16)  # the arrows step within these
    assert ed["bias"].findChild(QCheckBox).isChecked()
    assert ed["padding"].findChild(QComboBox) is not None  # number, 'same' or 'valid'
    text = w.inspector.widget().findChild(type(w.inspector.dynamic["shapes"]), "teaching").text()
    assert "filter" in text.lower()
    shapes = w.inspector.dynamic["shapes"].text()
    assert "B×1×8×8" in shapes and "B×16×8×8" in shapes
    assert "(8 − 3 + 2·1)/1 + 1 = 8" in shapes  # the arithmetic behind the shape
    assert "160" in w.inspector.dynamic["count"].text() and "16·1·3·3" in w.inspector.dynamic["count"].text()


def test_an_edit_updates_shapes_downstream_and_the_summary(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("conv2")
    spin = w.inspector.editors["out_channels"].findChild(QSpinBox)
    _type(qtbot, spin, "8")
    g, a = w.doc.graph, w.doc.analysis
    assert g.node("conv2").params["out_channels"] == 8
    assert a.nodes["flat"].output.shape == (32,)  # 8×2×2, two layers further on
    assert w.scene.nodes["flat"].shape_text == "→ B×32"
    assert _summary_row(w, "conv2")[2] == "B×8×4×4"
    assert _summary_row(w, "dense1")[3] == f"{32 * 64 + 64:,}"
    assert w.status_params.text().endswith(f"{a.total_params:,}")


def test_typing_a_number_is_one_undo_step(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("dense1")
    before = w.doc.undo_stack.count()
    _type(qtbot, w.inspector.editors["out_features"].findChild(QSpinBox), "128")
    assert w.doc.graph.node("dense1").params["out_features"] == 128
    assert w.doc.undo_stack.count() == before + 1
    w.doc.undo_stack.undo()
    assert w.doc.graph.node("dense1").params["out_features"] == 64
    assert w.inspector.editors["out_features"].findChild(QSpinBox).value() == 64  # the form follows undo


def test_an_edit_that_breaks_the_graph_shows_in_the_problems_list(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("x")
    line = w.inspector.editors["shape"].findChild(QLineEdit)
    _type(qtbot, line, "64")
    assert w.doc.graph.node("x").params["shape"] == [1, 8, 8]  # applied on Enter, not while typing
    qtbot.keyClick(line, Qt.Key_Return)
    assert w.doc.graph.node("x").params["shape"] == [64]
    problems = w.summary.problems_model
    texts = [problems.data(problems.index(r, 1)) for r in range(problems.rowCount())]
    where = [problems.data(problems.index(r, 0)) for r in range(problems.rowCount())]
    assert "conv1" in where
    assert any("Conv2d expects channels × height × width" in t and "Reshape" in t for t in texts)
    assert w.scene.nodes["conv1"].severity == "error"
    assert "✗" in w.status_valid.text()
    w.scene.nodes["conv1"].setToolTip("")
    assert "Conv2d expects" in w.scene.node_tooltip(w.scene.nodes["conv1"])  # the badge's message
    # Clicking the problem selects and centres its node.
    row = where.index("conv1")
    w.summary.problems.clicked.emit(problems.index(row, 1))
    assert w.scene.selected_node_ids() == ["conv1"]


def test_an_invalid_value_is_explained_inline_and_not_applied(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("x")
    line = w.inspector.editors["shape"].findChild(QLineEdit)
    count = w.doc.undo_stack.count()
    _type(qtbot, line, "1, -1, -1")
    qtbot.keyClick(line, Qt.Key_Return)
    label = w.inspector.problems["shape"]
    assert label.isVisibleTo(w.inspector) and "-1" in label.text()
    assert w.doc.graph.node("x").params["shape"] == [1, 8, 8]
    assert w.doc.undo_stack.count() == count
    w.focus_node("drop")
    _type(qtbot, w.inspector.editors["p"].findChild(QLineEdit), "1.5")  # checked while typing
    assert "at most 1" in w.inspector.problems["p"].text()
    assert w.doc.graph.node("drop").params["p"] == 0.25


def test_rename_through_the_name_field(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("dense1")
    field = w.inspector.id_edit
    _type(qtbot, field, "class")
    assert "reserved" in w.inspector.id_problem.text()
    _type(qtbot, field, "hidden")
    qtbot.keyClick(field, Qt.Key_Return)
    g = w.doc.graph
    assert "hidden" in g.nodes and "dense1" not in g.nodes
    assert ("flat", "hidden") in {(e.src, e.dst) for e in g.edges}
    assert "hidden" in w.scene.nodes and w.scene.nodes["hidden"].node_id == "hidden"
    w.doc.undo_stack.undo()
    assert "dense1" in g.nodes and "dense1" in w.scene.nodes and len(w.scene.edges) == len(g.edges)


def test_nothing_selected_shows_the_network(make_window):
    w = _open(make_window)
    w.scene.clearSelection()
    totals = w.inspector.dynamic["totals"].text()
    assert "13,738" in totals and "Valid" in totals
    assert w.inspector.name_edit.text() == "digits_cnn"
