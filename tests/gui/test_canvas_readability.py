"""The canvas as a new user first sees it, in the default 1280×800 window with its docks: every
template opens with its text readable, the zoom figure is the scale the canvas is drawn at, and a
layer added from the palette lands on screen and on free canvas."""

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from conftest import EXAMPLES
from gui.conftest import layer_mime, send_drop
from studio.graph import Edge
from studio.ui.canvas import style

TEMPLATES = sorted(EXAMPLES.glob("*.neurona"))
READABLE_PX = 9.0


def _visible(view) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


def _text_heights(view, monkeypatch) -> list[float]:
    """Paint the canvas once and return the on-screen pixel height of every font it drew with."""
    fonts = []
    made = style.font

    def recording(*args, **kwargs):
        fonts.append(made(*args, **kwargs))
        return fonts[-1]

    monkeypatch.setattr(style, "font", recording)
    for item in view.scene().items():
        item.update()
    view.viewport().grab()
    monkeypatch.setattr(style, "font", made)
    dpi = view.viewport().logicalDpiY()
    assert fonts, "the canvas drew no text"
    return [(f.pointSizeF() * dpi / 72.0 if f.pointSizeF() > 0 else f.pixelSize()) * view.transform().m11()
            for f in fonts]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_a_template_opens_readable_with_its_start_on_screen(make_window, monkeypatch, path):
    w = make_window()
    assert (w.width(), w.height()) == (1280, 800) and w.palette is not None
    assert w.new_from_template(str(path))
    view = w.view
    assert min(_text_heights(view, monkeypatch)) >= READABLE_PX
    assert w.status_zoom.text() == f"{round(view.transform().m11() * 100)} %"
    visible = _visible(view)
    for k, node in w.doc.graph.nodes.items():
        if node.type == "Input":
            assert visible.contains(w.scene.nodes[k].sceneBoundingRect()), k


@pytest.mark.parametrize("name", ["digits_cnn", "digits_mlp", "conv_autoencoder", "xor"])
def test_a_long_chain_is_wrapped_so_all_of_it_reads_at_once(make_window, monkeypatch, name):
    w = make_window()
    w.new_from_template(str(EXAMPLES / f"{name}.neurona"))
    assert min(_text_heights(w.view, monkeypatch)) >= READABLE_PX
    visible = _visible(w.view)
    assert all(visible.contains(item.sceneBoundingRect()) for item in w.scene.nodes.values())


def test_a_file_opened_before_the_window_shows_is_fitted_to_its_real_size(make_window, monkeypatch):
    """How the app starts with a file: opened first, shown after; the fit follows the real size."""
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    view = w.view
    assert min(_text_heights(view, monkeypatch)) >= READABLE_PX
    visible = _visible(view)
    assert all(visible.contains(item.sceneBoundingRect()) for item in w.scene.nodes.values())
    assert w.status_zoom.text() == f"{round(view.transform().m11() * 100)} %"


def test_the_zoom_figure_is_the_scale_the_canvas_is_drawn_at(make_window, qtbot):
    w = make_window()
    view = w.view
    w.new_from_template(str(EXAMPLES / "digits_cnn.neurona"))
    assert view.transform().m11() < 0.95
    assert w.status_zoom.text() == f"{round(view.transform().m11() * 100)} %"
    w.new_document()  # a new, empty network is drawn at 100 %
    assert view.transform().m11() == 1.0 and w.status_zoom.text() == "100 %"
    w.act_zoom_out.trigger()
    assert w.status_zoom.text() == f"{round(view.transform().m11() * 100)} %" == "80 %"
    view.resetTransform()
    assert w.status_zoom.text() == "100 %"


def test_the_wheel_zooms_about_the_point_it_turns_over(make_window, qtbot):
    """Wherever the pointer was last seen, the point under the wheel event stays put."""
    w = make_window()
    w.new_from_template(str(EXAMPLES / "digits_cnn.neurona"))
    view, vp = w.view, w.view.viewport()
    qtbot.mouseMove(vp, QPoint(30, 30))  # the pointer was last over another place of the canvas
    at = view.mapFromScene(w.scene.nodes["relu3"].sceneBoundingRect().center())
    target = view.mapToScene(at)
    before = view.zoom()
    QApplication.sendEvent(vp, QWheelEvent(QPointF(at), QPointF(vp.mapToGlobal(at)), QPoint(0, 0), QPoint(0, 240),
                                           Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False))
    assert view.zoom() > before * 1.2
    assert (view.mapFromScene(target) - at).manhattanLength() <= 2
    assert w.status_zoom.text() == f"{round(view.zoom() * 100)} %"


def test_an_output_added_from_the_search_appears_on_screen(make_window, qtbot):
    w = make_window()
    w.new_from_template(str(EXAMPLES / "residual_cnn.neurona"))  # opens on its start: its end is off screen
    w.scene.clearSelection()
    w.palette.search.setText("Output")
    qtbot.keyClick(w.palette.search, Qt.Key_Return)
    new = w.scene.selected_node_ids()
    assert len(new) == 1 and w.doc.graph.node(new[0]).type == "Output"
    assert _visible(w.view).contains(w.scene.nodes[new[0]].sceneBoundingRect())


def test_a_layer_added_after_the_selection_appears_on_screen(make_window):
    w = make_window()
    w.new_from_template(str(EXAMPLES / "residual_cnn.neurona"))
    w.scene.select_nodes(["out"])
    new = w.add_after_selection("ReLU")
    assert _visible(w.view).contains(w.scene.nodes[new].sceneBoundingRect())
    assert Edge("out", new) in w.doc.graph.edges and Edge(new, "y") in w.doc.graph.edges


def _clear_of_everything(w, new: str) -> None:
    r = w.scene.nodes[new].sceneBoundingRect()
    for k, item in w.scene.nodes.items():
        if k != new:
            assert not r.intersects(item.sceneBoundingRect()), f"{new} lies on {k}"
    for e, edge in w.scene.edges.items():
        if new not in (e.src, e.dst) and edge.label:
            assert not r.intersects(edge.label_rect()), f"{new} lies on the label of {e.src} → {e.dst}"


def test_layers_dropped_on_a_node_or_on_a_wire_label_land_beside_them(make_window):
    w = make_window()
    w.new_from_template(str(EXAMPLES / "xor.neurona"))
    view = w.view
    on_node = view.mapFromScene(w.scene.nodes["h"].sceneBoundingRect().center())
    assert send_drop(view, layer_mime(w.palette, "ReLU"), on_node)
    first = w.scene.selected_node_ids()[0]
    _clear_of_everything(w, first)
    on_label = view.mapFromScene(w.scene.edges[Edge("x", "h")].label_rect().center())
    assert send_drop(view, layer_mime(w.palette, "Dropout"), on_label)
    second = w.scene.selected_node_ids()[0]
    assert second != first
    _clear_of_everything(w, second)
    for k in (first, second):
        assert _visible(view).contains(w.scene.nodes[k].sceneBoundingRect())
    # dropped on free canvas, a layer lands right under the pointer
    free = QPoint(view.viewport().width() // 2, view.viewport().height() - 60)
    assert send_drop(view, layer_mime(w.palette, "Tanh"), free)
    third = w.scene.selected_node_ids()[0]
    assert w.scene.nodes[third].sceneBoundingRect().contains(view.mapToScene(free))
