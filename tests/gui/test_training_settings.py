"""The training section of a hand-edited file, and settings the form refuses: each mistake is
named (as the form labels it where the form shows it), the good settings are kept, and nothing
starts on a bad one."""

import json

from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication

from conftest import EXAMPLES
from studio.ui import i18n


def shown(label) -> str:
    """What a rich-text label reads as."""
    return QTextDocumentFragment.fromHtml(label.text()).toPlainText()


def xor_with(tmp_path, **training):
    data = json.loads((EXAMPLES / "xor.neurona").read_text())
    data["training"] = training
    path = tmp_path / "xor.neurona"
    path.write_text(json.dumps(data))
    return path


def test_a_bad_setting_in_the_file_is_named_and_the_good_ones_are_kept(make_window, tmp_path):
    w = make_window(xor_with(tmp_path, data="xor", epochs=77, lr=-1, optimizer="sgd", momentum=0.9,
                             batchsize=8, seed=5))
    panel = w.training_panel()
    text = shown(panel.message)
    assert "training.lr: must be a number above 0 and at most 10 (got -1)" in text
    assert "training.batchsize: unknown setting — did you mean 'batch_size'?" in text
    assert (panel.epochs.value(), panel.optimizer.currentData(), panel.seed.value()) == (77, "sgd", 5)
    assert panel.lr.text() == "0.001"  # the default, as the message says
    section = panel.settings()
    assert section["momentum"] == 0.9  # a setting the form does not show, and a good one: kept
    assert "batchsize" not in section and section.get("lr") in (None, 0.001)
    assert w.doc.graph.extra["training"]["lr"] == -1  # the document is not changed until a run starts


def test_a_file_without_mistakes_clears_the_last_ones(make_window, tmp_path):
    w = make_window(xor_with(tmp_path, epochs=0))
    panel = w.training_panel()
    assert "training.epochs" in shown(panel.message)
    good = tmp_path / "good"
    good.mkdir()
    assert w.open_path(xor_with(good, epochs=3), confirm=False)
    assert w.training_panel() is panel and panel.message.text() == "" and panel.epochs.value() == 3


def test_a_learning_rate_the_engine_refuses_is_named_as_the_form_labels_it(make_window, tmp_path):
    w = make_window(xor_with(tmp_path, data="xor"))
    panel = w.training_panel()
    for typed, says in (("0", "Learning rate: must be a number above 0 and at most 10"),
                        ("fast", "Learning rate: must be a number, such as 0.001")):
        panel.lr.setText(typed)
        assert not panel.start()
        assert says in shown(panel.message) and "training.lr" not in shown(panel.message)
        assert QApplication.focusWidget() is panel.lr and panel.lr.selectedText() == typed
        scroll = panel._settings_scroll
        top = panel.lr.mapTo(scroll.widget(), panel.lr.rect().topLeft()).y() - scroll.verticalScrollBar().value()
        assert 0 <= top <= scroll.viewport().height() - panel.lr.height()  # scrolled into view
        assert not panel.process.running and "lr" not in w.doc.graph.extra["training"]


def test_a_kept_setting_that_no_longer_fits_the_form_stops_the_start(make_window, tmp_path):
    w = make_window(xor_with(tmp_path, data="xor", optimizer="sgd", momentum=0.9, nesterov=True))
    panel = w.training_panel()
    assert panel.message.text() == ""
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("adam"))
    assert not panel.start()
    assert "training.nesterov: needs optimizer sgd with momentum above 0" in shown(panel.message)
    assert not panel.process.running and w.doc.graph.extra["training"]["optimizer"] == "sgd"


def test_the_mistakes_are_explained_in_spanish(make_window, tmp_path):
    i18n.install("es")
    w = make_window(xor_with(tmp_path, data="xor", lr=50, mode="batch", batchsize=8))
    panel = w.training_panel()
    text = shown(panel.message)
    assert "training.lr: debe ser un número mayor que 0 y como mucho 10 (valor: 50)" in text
    assert "training.mode: debe ser uno de mini-batch, full-batch, stochastic (valor: \"batch\")" in text
    assert "training.batchsize: ajuste desconocido — ¿quisiste decir 'batch_size'?" in text
    panel.lr.setText("0")
    assert not panel.start()
    assert "Tasa de aprendizaje: debe ser un número mayor que 0 y como mucho 10" in shown(panel.message)
