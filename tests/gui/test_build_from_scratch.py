"""A learner builds the digits CNN example from an empty canvas with the mouse and keyboard
only: drag each layer from the palette, wire the ports, type the parameters. The result must
summarise exactly like the example file."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QLineEdit, QSpinBox

from conftest import EXAMPLES
from gui.conftest import layer_mime, send_drop, wire
from studio.compile.summary import summarize
from studio.layers import load_graph

# (palette type, parameters to type in the inspector)
LAYERS = [
    ("Input", {"shape": "1, 8, 8"}),
    ("Conv2d", {"out_channels": "16", "padding": "1"}),
    ("BatchNorm2d", {}),
    ("ReLU", {}),
    ("MaxPool2d", {"kernel_size": "2"}),
    ("Conv2d", {"out_channels": "32", "padding": "1"}),
    ("ReLU", {}),
    ("MaxPool2d", {"kernel_size": "2"}),
    ("Flatten", {}),
    ("Linear", {"out_features": "64"}),
    ("ReLU", {}),
    ("Dropout", {"p": "0.25"}),
    ("Linear", {"out_features": "10"}),
    ("Output", {}),
]


def _click_node(qtbot, w, node_id):
    item = w.scene.nodes[node_id]
    w.view.centerOn(item.sceneBoundingRect().center())
    qtbot.mouseClick(w.view.viewport(), Qt.LeftButton, Qt.NoModifier,
                     w.view.mapFromScene(item.scenePos() + QPointF(40, 8)))  # on the title bar
    assert w.scene.selected_node_ids() == [node_id]


def _type_into(qtbot, editor, text):
    line = editor.findChild(QLineEdit)
    spins = editor.findChildren(QSpinBox)
    if spins:  # a number or a pair of numbers: the first spin box (pairs stay linked)
        line = spins[0].lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key_Return)


def test_build_the_digits_cnn_through_the_ui(window, qtbot):
    w = window
    view = w.view
    view.set_zoom(1.0)
    ids = []
    for i, (type_name, params) in enumerate(LAYERS):
        # each layer dropped a little to the right of the last, where the view shows it
        spot = QPointF(i * 230.0, 0.0)
        view.centerOn(spot)
        assert send_drop(view, layer_mime(w.palette, type_name), view.mapFromScene(spot))
        ids.append(w.scene.selected_node_ids()[0])
        if params:  # the inspector shows the new node: type its parameters
            _click_node(qtbot, w, ids[-1])
            for name, text in params.items():
                _type_into(qtbot, w.inspector.editors[name], text)
            view.setFocus()
    assert len(w.doc.graph) == 14 and ids[0] == "x1" and ids[-1] == "y1"

    for a, b in zip(ids, ids[1:]):
        view.centerOn(w.scene.nodes[a].sceneBoundingRect().center() + QPointF(110, 0))
        wire(qtbot, w, a, b)
    assert len(w.doc.graph.edges) == 13

    assert w.doc.analysis.ok, [str(p) for p in w.doc.analysis.problems]
    ours = summarize(w.doc.graph, w.doc.analysis)
    example = summarize(load_graph(EXAMPLES / "digits_cnn.neurona"))
    assert [(r.type, r.output_shape, r.params) for r in ours.rows] == \
           [(r.type, r.output_shape, r.params) for r in example.rows]
    assert ours.total_params == example.total_params == 13_738
    assert "13,738" in w.status_params.text()
    assert "✓" in w.status_valid.text()
