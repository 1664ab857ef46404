"""The canvas as a new user first sees it, in the default 1280×800 window with its docks: every
template opens with its text readable, and the zoom figure is the scale the canvas is drawn at."""

import pytest
from PySide6.QtCore import QRectF

from conftest import EXAMPLES
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
