"""After training, the network's answers on test samples, drawn as suits the data."""

import pytest

from conftest import EXAMPLES
from studio.data import load_data
from studio.layers import load_graph
from studio.train import Trainer, TrainConfig
from studio.ui.training.samples import SamplesView


@pytest.fixture
def view(qtbot):
    v = SamplesView()
    qtbot.addWidget(v)
    v.resize(500, 300)
    v.show()
    return v


def _run(tmp_path, example, data, epochs):
    splits = load_data(data)
    Trainer(load_graph(EXAMPLES / example), splits, TrainConfig(epochs=epochs), tmp_path / "run").run()
    return tmp_path / "run", splits.class_names


@pytest.mark.parametrize("example, data, kind", [
    ("xor.neurona", "xor", "regions"), ("digits_cnn.neurona", "digits", "images"),
    ("sine_lstm.neurona", "sine", "regression"), ("conv_autoencoder.neurona", "digits?target=input", "reconstructions"),
    ("binary_classifier.neurona", "blobs?features=10", "table"), ("transformer_classifier.neurona", "tokens", "table"),
])
def test_each_kind_of_data_gets_its_view(view, tmp_path, example, data, kind):
    run, names = _run(tmp_path, example, data, 2)
    assert view.show_run(run, names)
    assert view.kind == kind
    assert view.currentWidget().isVisible()


def test_mistakes_are_counted_and_named(view, tmp_path):
    run, names = _run(tmp_path, "digits_cnn.neurona", "digits", 1)
    view.show_run(run, names)
    s = view.samples
    wrong = int((s["y_true"] != s["y_pred"]).sum())
    assert f"({wrong} of 32 here)" in view.images.toolTip()
    assert not view.images.pixmap().isNull()


def test_a_table_marks_each_answer(view, tmp_path):
    run, names = _run(tmp_path, "binary_classifier.neurona", "blobs?features=10", 2)
    view.show_run(run, names)
    t = view.table
    assert t.rowCount() == 32 and t.horizontalHeaderItem(t.columnCount() - 2).text() == "predicted"
    assert t.item(0, t.columnCount() - 1).text().endswith("%")


def test_a_run_without_samples_says_so(view, tmp_path):
    assert not view.show_run(tmp_path, None)
    assert view.kind == "" and "no sample predictions" in view.note.text()
