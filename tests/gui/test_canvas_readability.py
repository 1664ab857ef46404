"""The canvas as a new user first sees it, in the default 1280×800 window with its docks: the
zoom figure is the scale the canvas is drawn at."""

from conftest import EXAMPLES


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
