"""The results of a run are readable in the window as it opens (1280×800): after a real digits
run the whole 10×10 confusion matrix and every metric's name show without scrolling or eliding,
each sample image says which class is the prediction and which the truth, and the plots' legend
covers no curve — in English and in Spanish."""

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from conftest import EXAMPLES
from studio.ui import i18n
from studio.ui.training.samples import LABEL_POINTS


@pytest.fixture
def trained(make_window, qtbot, tmp_path):
    src = tmp_path / "cnn.neurona"
    src.write_text((EXAMPLES / "digits_cnn.neurona").read_text())
    w = make_window(src)
    assert (w.width(), w.height()) == (1280, 800)
    panel = w.training_panel()
    panel.epochs.setValue(2)
    with qtbot.waitSignal(panel.training_finished, timeout=300_000):
        assert w.start_training()
    yield w, panel
    panel.process.wait(5000)


def fully_shown(widget) -> bool:
    """Nothing of ``widget`` is cut off by the window, a splitter or a parent."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def no_scroll_bars(table) -> bool:
    return not table.verticalScrollBar().isVisible() and not table.horizontalScrollBar().isVisible()


def confusion_readable(panel) -> bool:
    t = panel.confusion
    viewport = t.viewport().rect()
    cells = all(viewport.contains(t.visualItemRect(t.item(i, j)))
                for i in range(t.rowCount()) for j in range(t.columnCount()))
    return t.rowCount() == t.columnCount() == 10 and cells and no_scroll_bars(t) and fully_shown(t)


def metrics_readable(panel) -> bool:
    t = panel.metrics
    viewport = t.viewport().rect()
    pad = 2 * t.style().pixelMetric(t.style().PixelMetric.PM_FocusFrameHMargin) + 2
    for r in range(t.rowCount()):
        for c in range(2):
            item = t.item(r, c)
            rect = t.visualItemRect(item)
            if not viewport.contains(rect) or t.fontMetrics().horizontalAdvance(item.text()) + pad > rect.width():
                return False
    return t.rowCount() >= 5 and no_scroll_bars(t) and fully_shown(t)


def check_results(panel, qtbot) -> None:
    qtbot.waitUntil(lambda: panel.result_tabs.currentWidget() is panel.results_box, timeout=5000)
    names = panel._metric_names()  # in the language now installed
    qtbot.waitUntil(lambda: panel.metrics.item(2, 0).text() == names["precision"], timeout=5000)  # retranslated
    qtbot.waitUntil(lambda: confusion_readable(panel), timeout=5000)
    qtbot.waitUntil(lambda: metrics_readable(panel), timeout=5000)
    assert fully_shown(panel.confusion_note) and fully_shown(panel.metrics_title)
    assert panel.confusion_note.sizeHint().width() <= panel.confusion_note.width()
    shown = [panel.metrics.item(r, 0).text() for r in range(panel.metrics.rowCount())]
    assert shown == [names[k] for k in ("loss", "accuracy", "precision", "recall", "f1")]
    view = panel.samples_view
    assert view.kind == "images" and view.grid.isVisible()
    s = view.samples
    predicted, true = view.tr("predicted {label}"), view.tr("true {label}")
    said = {(predicted.format(label=p), true.format(label=t)) for p, t in zip(s["y_pred"], s["y_true"])}
    qtbot.waitUntil(lambda: {(lines[0][0][2:], lines[1][0]) for lines in view.grid.lines} == said, timeout=5000)
    assert view.grid.label_font().pointSizeF() >= LABEL_POINTS >= 9
    picture = view.grid.picture
    assert picture.pixmap().deviceIndependentSize().toSize() == picture.size()  # drawn as it is, never scaled down with its labels
    assert picture.width() <= view.grid.viewport().width()


def check_legend(panel) -> None:
    plots = panel.plots
    legend = QRect(plots.legend.mapTo(plots, plots.legend.rect().topLeft()), plots.legend.size())
    assert plots.legend.isVisible() and legend.height() > 0
    for plot in (plots.loss_plot, plots.metric_plot, plots.lr_plot):
        box = plots.view.mapFromScene(plot.vb.sceneBoundingRect()).boundingRect()
        assert not QRect(plots.view.mapTo(plots, box.topLeft()), box.size()).intersects(legend)


def test_results_and_curves_are_readable_at_the_default_size_in_english_and_spanish(trained, qtbot, tmp_path):
    w, panel = trained
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "es"):
        i18n.install(lang)
        QApplication.processEvents()  # every widget retranslates
        check_results(panel, qtbot)
        assert w.grab().save(str(shots / f"training-results-{lang}.png"))
        panel.result_tabs.setCurrentWidget(panel.curves_page)
        qtbot.waitUntil(lambda: panel.plots.isVisible(), timeout=5000)
        QApplication.processEvents()
        check_legend(panel)
        assert w.grab().save(str(shots / f"training-curves-{lang}.png"))
        panel.result_tabs.setCurrentWidget(panel.results_box)
    if lang == "es":
        assert "predicha" in panel.samples_view.tr("predicted {label}")


def test_a_new_run_shows_the_curves_and_its_end_the_results(trained, qtbot):
    w, panel = trained
    assert panel.result_tabs.currentWidget() is panel.results_box
    panel.epochs.setValue(1)
    with qtbot.waitSignal(panel.training_started, timeout=10_000):
        assert w.start_training()
    assert panel.result_tabs.currentWidget() is panel.curves_page
    with qtbot.waitSignal(panel.training_finished, timeout=300_000):
        pass
    assert panel.result_tabs.currentWidget() is panel.results_box
