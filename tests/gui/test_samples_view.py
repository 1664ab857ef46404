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


def test_each_image_says_in_words_what_was_predicted_and_what_is_true_mistakes_first(view, tmp_path):
    run, names = _run(tmp_path, "digits_cnn.neurona", "digits", 1)
    view.show_run(run, names)
    s = view.samples
    wrong = int((s["y_true"] != s["y_pred"]).sum())
    assert 0 < wrong < 32  # one epoch: some of each
    assert f"class: {wrong} mistake" in view.grid_caption.text()  # "mistake(s)" until the English plural loads
    said = [(a, b) for (a, _), (b, _) in view.grid.lines]
    expected = [(("✓ " if p == t else "✗ ") + f"predicted {p}", f"true {t}") for p, t in zip(s["y_pred"], s["y_true"])]
    assert sorted(said) == sorted(expected)
    assert all(a.startswith("✗") for a, _ in said[:wrong]) and all(a.startswith("✓") for a, _ in said[wrong:])
    assert view.grid.label_font().pointSizeF() >= 9
    assert view.grid.picture.pixmap().deviceIndependentSize().toSize() == view.grid.picture.size()  # at its own size: labels never shrink


def test_the_grid_takes_as_many_columns_as_its_width_holds(view, tmp_path, qtbot):
    run, names = _run(tmp_path, "digits_cnn.neurona", "digits", 1)
    view.show_run(run, names)
    narrow = view.grid.columns
    view.resize(1000, 300)
    qtbot.waitUntil(lambda: view.grid.columns > narrow, timeout=5000)
    assert view.grid.picture.width() <= view.grid.viewport().width()


def test_a_table_puts_the_answer_and_the_truth_first(view, tmp_path):
    run, names = _run(tmp_path, "binary_classifier.neurona", "blobs?features=10", 2)
    view.show_run(run, names)
    t = view.table
    assert t.rowCount() == 32
    assert [t.horizontalHeaderItem(j).text() for j in range(3)] == ["predicted", "true", "confidence"]
    assert t.item(0, 2).text().endswith("%")
    s = view.samples
    assert t.item(0, 0).text() == names[int(s["y_pred"][0])] and t.item(0, 1).text() == names[int(s["y_true"][0])]


def test_a_run_without_samples_says_so(view, tmp_path):
    assert not view.show_run(tmp_path, None)
    assert view.kind == "" and "no sample predictions" in view.note.text()
