"""The inference panel fed test samples of a data set: in the data's own units when the model
normalises its input itself, reshaped to what the model takes, with the true answer beside it."""

import os
from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES, run_cli
from studio.ui.training.inference import THUMBNAIL, InferencePanel, picture_of


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The binary classifier trained on standardised blobs, exported into its run folder; beside
    it, network.onnx, the same run exported without its normalisation (the network alone)."""
    run = tmp_path_factory.mktemp("blobs") / "run"
    r = run_cli("train", str(EXAMPLES / "binary_classifier.neurona"), "--out", str(run), "--epochs", "3", "--quiet")
    assert r.returncode == 0, r.stderr
    r = run_cli("export", str(run), "-o", str(run / "model.onnx"))
    assert r.returncode == 0, r.stderr
    r = run_cli("export", str(run), "-o", str(run / "network.onnx"), "--no-preprocessing")
    assert r.returncode == 0, r.stderr
    return run / "model.onnx"


def _network(exported, x: np.ndarray) -> dict:
    """The trained network's outputs for ``x`` as it was trained on (normalised)."""
    from studio.deploy.runner import OnnxRunner

    return OnnxRunner(exported.parent / "network.onnx").run(x)


@pytest.fixture
def panel(qtbot):
    p = InferencePanel()
    qtbot.addWidget(p)
    p.show()
    return p


def test_a_model_in_its_run_folder_brings_its_data(panel, exported, qtbot):
    assert panel.open_model(str(exported))
    assert panel.sample_spec.currentText() == "blobs?features=10"
    panel.source.setCurrentIndex(2)
    qtbot.waitUntil(lambda: panel._samples is not None, timeout=30_000)
    splits = panel._samples[1]
    assert panel.sample_index.maximum() == len(splits.test) - 1
    with qtbot.waitSignal(panel.predicted, timeout=10_000):
        panel.sample_index.setValue(5)
    # the same answer as the network gives the sample exactly as it was trained on
    direct = _network(exported, splits.test.x[5:6])
    assert panel.runner.normalization is not None
    for name, value in direct.items():
        np.testing.assert_allclose(panel.prediction.outputs[name], value, atol=1e-5)
    fed = panel.feeds_from_sample(splits, 5)[panel.runner.inputs[0].name]
    assert not np.allclose(fed, splits.test.x[5:6])  # it was fed in the data's own units
    assert panel._truth(splits, 5) in panel.sample_truth.text()


def test_it_runs_once_the_data_has_loaded(panel, exported, qtbot):
    panel.open_model(str(exported))
    panel.source.setCurrentIndex(2)
    panel.sample_spec.setCurrentText("blobs?features=10&n=300")
    with qtbot.waitSignal(panel.predicted, timeout=30_000):
        assert panel.run() is False  # not yet: it predicts when the samples arrive
    assert panel.prediction is not None


def test_data_that_cannot_load_says_why(panel, exported, qtbot, tmp_path):
    panel.open_model(str(exported))
    panel.source.setCurrentIndex(2)
    panel.sample_spec.setCurrentText(f"csv:{tmp_path / 'missing.csv'}")
    qtbot.waitUntil(lambda: "missing.csv" in panel.message.text(), timeout=30_000)
    assert panel._samples is None


def test_images_are_reshaped_for_a_model_that_takes_them_flat(panel, qtbot, tmp_path):
    run = tmp_path / "run"
    assert run_cli("train", str(EXAMPLES / "digits_mlp.neurona"), "--out", str(run), "--epochs", "1",
                   "--quiet").returncode == 0
    assert run_cli("export", str(run), "-o", str(run / "m.onnx")).returncode == 0
    panel.open_model(str(run / "m.onnx"))
    panel.source.setCurrentIndex(2)
    qtbot.waitUntil(lambda: panel._samples is not None, timeout=30_000)
    feeds = panel.feeds_from_sample(panel._samples[1], 0)
    assert next(iter(feeds.values())).shape == (1, 64)
    with qtbot.waitSignal(panel.predicted, timeout=10_000):
        panel.run()
    assert len(panel.prediction.top_k[0]) == 5
    # the digit that was fed is drawn, though the model took it as 64 numbers
    assert panel.picture.isVisible()
    assert panel.picture.pixmap().width() == panel.picture.pixmap().height() == THUMBNAIL
    image = panel.picture.pixmap().toImage()
    sample = panel._samples[1].test.x[0][0]
    darkest, brightest = np.unravel_index(sample.argmin(), sample.shape), np.unravel_index(sample.argmax(), sample.shape)
    side = THUMBNAIL // 8
    assert image.pixelColor(darkest[1] * side, darkest[0] * side).value() < 30
    assert image.pixelColor(brightest[1] * side, brightest[0] * side).value() > 225
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    panel.resize(900, 420)
    assert panel.grab().save(str(shots / "inference-digit.png"))
    # typed numbers are no picture
    panel.source.setCurrentIndex(0)
    panel.numbers.setText(", ".join(["0.5"] * 64))
    assert panel.run()
    assert not panel.picture.isVisible()


@pytest.mark.parametrize("shape, side", [((1, 8, 8), 96), ((3, 32, 32), 96), ((4, 5, 7), 91), ((1, 200, 100), 200)])
def test_image_samples_become_pictures(qtbot, shape, side):
    pixmap = picture_of(np.random.default_rng(0).random(shape))
    assert pixmap is not None and max(pixmap.width(), pixmap.height()) == side


@pytest.mark.parametrize("sample", [np.zeros(10), np.zeros((5, 20)), np.zeros((2, 8, 8)), np.full((1, 8, 8), np.nan),
                                    np.zeros((1, 1, 8)), np.array([["a"] * 4] * 4).reshape(1, 4, 4)])
def test_other_samples_are_no_pictures(qtbot, sample):
    assert picture_of(sample) is None


@pytest.fixture(scope="module")
def foreign_image_model(tmp_path_factory):
    """An image classifier written by hand with onnx.helper, not by our exporter: N×1×8×8 →
    Flatten → MatMul → Softmax over 3 classes. Class k scores the mean of image row k (0, 1, 2),
    so which rows are bright decides the answer."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = np.zeros((64, 3), dtype=np.float32)
    for k in range(3):
        w[k * 8:(k + 1) * 8, k] = 10.0 / 8
    graph = helper.make_graph(
        [helper.make_node("Flatten", ["image"], ["flat"]), helper.make_node("MatMul", ["flat", "w"], ["logits"]),
         helper.make_node("Softmax", ["logits"], ["probs"], axis=1)], "rows",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", 1, 8, 8])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["n", 3])],
        initializer=[numpy_helper.from_array(w, "w")])
    path = tmp_path_factory.mktemp("foreign") / "rows.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return path


def _bright_row(k: int) -> np.ndarray:
    img = np.zeros((8, 8), dtype=np.float32)
    img[k] = 1.0
    return img


def test_an_image_file_is_drawn_as_it_was_fed(panel, foreign_image_model, qtbot, tmp_path):
    from PySide6.QtGui import QImage

    assert panel.open_model(str(foreign_image_model))
    assert "rows.onnx" in panel.model_label.text()
    g = np.ascontiguousarray((_bright_row(2) * 255).astype(np.uint8))
    png = tmp_path / "two.png"
    assert QImage(g.data, 8, 8, 8, QImage.Format_Grayscale8).save(str(png))
    panel.source.setCurrentIndex(1)
    panel.file_path = str(png)
    assert panel.run()
    assert str(panel.prediction.top_k[0][0][0]) == "2"
    assert panel.picture.isVisible() and not panel.row.isVisible()
    image = panel.picture.pixmap().toImage()
    side = THUMBNAIL // 8
    assert image.pixelColor(side // 2, 2 * side + side // 2).value() > 225  # row 2 is the bright one
    assert image.pixelColor(side // 2, 5 * side + side // 2).value() < 30


def test_a_csv_of_several_rows_is_run_at_once_and_each_row_can_be_read(panel, foreign_image_model, qtbot, tmp_path):
    csv = tmp_path / "three.csv"
    rows = [_bright_row(k).ravel() for k in (1, 0, 2)]
    csv.write_text("\n".join(",".join(f"{v:g}" for v in r) for r in rows) + "\n", encoding="utf-8")
    panel.open_model(str(foreign_image_model))
    panel.source.setCurrentIndex(1)
    panel.file_path = str(csv)
    assert panel.run()
    assert panel.row.isVisible() and panel.row.maximum() == 3 and panel.shown_row() == 0
    assert "for 3 samples" in panel.latency.text()
    side = THUMBNAIL // 8
    for row, expected in ((1, 1), (2, 0), (3, 2)):
        panel.row.setValue(row)
        assert panel.shown_row() == row - 1
        assert f"<b>{expected}</b>" in panel.outputs.text().split("Top classes:")[1].split(",")[0]
        assert f"probs, row {row}" in panel.outputs.text()
        heights = panel.bar_item.opts["height"]
        assert int(np.argmax(heights)) == expected
        np.testing.assert_allclose(heights, panel.prediction.probabilities[row - 1])
        image = panel.picture.pixmap().toImage()  # the picture follows the row
        assert image.pixelColor(side // 2, expected * side + side // 2).value() > 225
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    panel.resize(900, 420)
    assert panel.grab().save(str(shots / "inference-rows.png"))
    # one sample again: no row chooser
    one = tmp_path / "one.csv"
    one.write_text(",".join(f"{v:g}" for v in rows[0]) + "\n", encoding="utf-8")
    panel.file_path = str(one)
    assert panel.run()
    assert not panel.row.isVisible() and panel.shown_row() == 0
    assert "samples" not in panel.latency.text()


def test_typed_samples_separated_by_semicolons_are_rows(panel, foreign_image_model):
    panel.open_model(str(foreign_image_model))
    panel.source.setCurrentIndex(0)
    panel.numbers.setText("; ".join(", ".join(f"{v:g}" for v in _bright_row(k).ravel()) for k in (2, 1)))
    assert panel.run()
    assert panel.row.maximum() == 2
    assert str(panel.prediction.top_k[panel.shown_row()][0][0]) == "2"
    panel.row.setValue(2)
    assert "<b>1</b>" in panel.outputs.text().split("Top classes:")[1]


def _tiny(tmp_path, name, node, inputs, outputs, initializers=()):
    import onnx
    from onnx import helper

    graph = helper.make_graph([node], name, inputs, outputs, initializer=list(initializers))
    path = tmp_path / f"{name}.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return path


def test_typed_zeros_and_ones_feed_a_true_false_input(panel, tmp_path):
    from onnx import TensorProto, helper

    path = _tiny(tmp_path, "flip", helper.make_node("Not", ["x"], ["y"]),
                 [helper.make_tensor_value_info("x", TensorProto.BOOL, [1, 3])],
                 [helper.make_tensor_value_info("y", TensorProto.BOOL, [1, 3])])
    assert panel.open_model(str(path))
    panel.numbers.setText("1, 0, 1")
    assert panel.run()
    assert panel.prediction.outputs["y"].tolist() == [[False, True, False]]
    panel.numbers.setText("1, 0.5, 1")
    assert not panel.run()
    assert "pass 0 or 1" in panel.message.text() and "input &#x27;x&#x27;" in panel.message.text()


def test_a_model_without_inputs_just_runs(panel, tmp_path):
    from onnx import TensorProto, helper, numpy_helper

    const = numpy_helper.from_array(np.array([[0.2, 0.8]], dtype=np.float32))
    path = _tiny(tmp_path, "const", helper.make_node("Constant", [], ["y"], value=const), [],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])
    assert panel.open_model(str(path))
    assert panel.run()
    assert panel.prediction.outputs["y"].tolist() == [[pytest.approx(0.2), pytest.approx(0.8)]]


# -- what goes in is shown: a sample's numbers, and whether typed numbers are raw ----------------

@pytest.fixture(scope="module")
def exported_xor(tmp_path_factory):
    """XOR, whose data is not standardised: its model carries no normalisation."""
    run = tmp_path_factory.mktemp("xor") / "run"
    r = run_cli("train", str(EXAMPLES / "xor.neurona"), "--out", str(run), "--epochs", "3", "--quiet")
    assert r.returncode == 0, r.stderr
    r = run_cli("export", str(run), "-o", str(run / "model.onnx"))
    assert r.returncode == 0, r.stderr
    return run / "model.onnx"


def _plain(label) -> str:
    import html

    return html.unescape(label.text())


def _shown_values(text: str) -> np.ndarray:
    """The numbers of a ``name = [a, b, …]`` line as the panel shows them."""
    import html
    import re

    inside = re.search(r"= \[([^\]]*)\]", html.unescape(text)).group(1)
    return np.array([float(v) for v in inside.split(",") if v.strip() not in ("", "…")])


def _run_sample(panel, qtbot, index):
    panel.source.setCurrentIndex(2)
    qtbot.waitUntil(lambda: panel._samples is not None, timeout=30_000)
    with qtbot.waitSignal(panel.predicted, timeout=10_000):
        if panel.sample_index.value() == index:
            panel.run()
        else:
            panel.sample_index.setValue(index)
    return panel._samples[1]


def test_a_tabular_sample_shows_the_numbers_fed_in_the_datas_own_units(panel, exported, qtbot, tmp_path):
    panel.open_model(str(exported))
    splits = _run_sample(panel, qtbot, 5)
    label = panel.sample_values
    assert label.isVisibleTo(panel)
    # the ten features in the data's own units: the standardised sample taken back through its mean and std
    norm = splits.normalization
    raw = splits.test.x[5] * np.asarray(norm["std"]) + np.asarray(norm["mean"])
    fed = panel.feeds_from_sample(splits, 5)[panel.runner.inputs[0].name][0]
    shown = _shown_values(label.text())
    assert shown.size == 10 and "values)" not in _plain(label)  # ten numbers: all of them on the line
    np.testing.assert_allclose(shown, fed, rtol=1e-3)
    np.testing.assert_allclose(shown, raw, rtol=1e-3)
    assert label.text().startswith(f"<code>{panel.runner.inputs[0].name} = [")
    assert "in the data's own units: the model standardises them itself" in _plain(label)
    tooltip = np.array([float(v) for v in label.toolTip().replace("\n", ",").split(",")])
    np.testing.assert_allclose(tooltip, fed, rtol=1e-3)
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    panel.resize(900, 420)
    assert panel.grab().save(str(shots / "inference-sample-values.png"))
    # another sample, other numbers; typed numbers hide them, and the note on units shows instead
    _run_sample(panel, qtbot, 6)
    np.testing.assert_allclose(_shown_values(label.text()),
                               panel.feeds_from_sample(splits, 6)[panel.runner.inputs[0].name][0], rtol=1e-3)
    panel.source.setCurrentIndex(0)
    assert not label.isVisibleTo(panel) and panel.numbers_note.isVisibleTo(panel)


def test_typed_numbers_are_raw_for_a_model_that_standardises_them(panel, exported, qtbot, tmp_path):
    panel.open_model(str(exported))
    panel.source.setCurrentIndex(0)
    note = panel.numbers_note
    assert panel.runner.normalization is not None
    assert note.isVisibleTo(panel)
    assert "Type raw values, in the data's own units: the model standardises them itself" in note.text()
    assert "mean: " + ", ".join(f"{v:.4g}" for v in panel.runner.normalization["mean"]) in note.toolTip()
    # raw numbers typed give the answer the network gives their standardised values
    norm = panel.runner.normalization
    raw = np.asarray(norm["mean"]) + 2 * np.asarray(norm["std"])
    panel.numbers.setText(", ".join(repr(float(v)) for v in raw))
    assert panel.run()
    direct = _network(exported, np.full((1, 10), 2.0, np.float32))
    for name, value in direct.items():
        np.testing.assert_allclose(panel.prediction.outputs[name], value, atol=1e-5)
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    panel.resize(900, 420)
    assert panel.grab().save(str(shots / "inference-typed-raw.png"))
    # the others: neither a file nor a test sample is typed
    panel.source.setCurrentIndex(1)
    assert not note.isVisibleTo(panel)


def test_a_model_without_normalisation_takes_numbers_as_its_network_does(panel, exported_xor, qtbot):
    panel.open_model(str(exported_xor))
    assert panel.runner.normalization is None
    panel.source.setCurrentIndex(0)
    assert panel.numbers_note.isVisibleTo(panel)
    assert "as the network takes them: the model's metadata holds no normalisation" in panel.numbers_note.text()
    assert panel.numbers_note.toolTip() == ""
    splits = _run_sample(panel, qtbot, 1)
    np.testing.assert_allclose(_shown_values(panel.sample_values.text()), splits.test.x[1])  # as the data holds it
    assert "as the network takes them: the model's metadata holds no normalisation" in _plain(panel.sample_values)


def test_the_notes_speak_spanish(panel, exported, exported_xor, qtbot):
    from studio.ui import i18n

    try:
        i18n.install("es")
        panel.open_model(str(exported))
        panel.source.setCurrentIndex(0)
        assert "Escribe los valores tal cual, en las unidades de los datos" in panel.numbers_note.text()
        _run_sample(panel, qtbot, 0)
        assert "en las unidades de los datos: el modelo los estandariza él mismo" in _plain(panel.sample_values)
        panel.open_model(str(exported_xor))
        panel.source.setCurrentIndex(0)
        assert "los metadatos del modelo no incluyen normalización" in panel.numbers_note.text()
    finally:
        i18n.install("en")


def test_a_long_sample_is_elided_with_its_count_and_shown_whole_in_the_tooltip(panel, qtbot, tmp_path):
    """Twenty numbers of a sine wave fed to a model written by hand that takes them flat."""
    from onnx import TensorProto, helper, numpy_helper

    from studio.ui.training.inference import values_text

    w = numpy_helper.from_array(np.ones((20, 1), dtype=np.float32), "w")
    path = _tiny(tmp_path, "sum", helper.make_node("MatMul", ["x", "w"], ["y"]),
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 20])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 1])], [w])
    assert panel.open_model(str(path))
    panel.sample_spec.setCurrentText("sine")
    splits = _run_sample(panel, qtbot, 3)
    label = panel.sample_values
    sample = np.ravel(splits.test.x[3])
    assert label.isVisibleTo(panel) and "(20 values)" in _plain(label) and ", …, " in _plain(label)
    shown = _shown_values(label.text())
    np.testing.assert_allclose(shown, np.concatenate([sample[:9], sample[-2:]]), rtol=1e-3, atol=1e-6)
    tooltip = np.array([float(v) for v in label.toolTip().replace("\n", ",").split(",")])
    np.testing.assert_allclose(tooltip, sample, rtol=1e-3, atol=1e-6)
    assert values_text(np.arange(3.0)) == ("0, 1, 2", 3)
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    panel.resize(900, 420)
    assert panel.grab().save(str(shots / "inference-long-sample.png"))


def test_token_ids_are_shown_whole_and_typed_as_the_network_takes_them(panel, qtbot, tmp_path):
    """A model written by hand that takes 16 token ids (int64), fed a sample of the tokens set."""
    from onnx import TensorProto, helper

    path = _tiny(tmp_path, "ids", helper.make_node("Cast", ["ids"], ["y"], to=TensorProto.FLOAT),
                 [helper.make_tensor_value_info("ids", TensorProto.INT64, ["n", 16])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 16])])
    assert panel.open_model(str(path))
    panel.source.setCurrentIndex(0)
    assert "This model takes whole numbers (int64): type them as the network takes them." in panel.numbers_note.text()
    panel.sample_spec.setCurrentText("tokens")
    splits = _run_sample(panel, qtbot, 2)
    ids = splits.test.x[2]
    text = _plain(panel.sample_values)
    assert text.startswith("<code>ids = [" + ", ".join(str(int(v)) for v in ids[:9]) + ", …, ")
    assert "(16 values)" in text and "as the network takes them" in text and "normalisation" not in text
    assert panel.sample_values.toolTip().replace("\n", ", ") == ", ".join(str(int(v)) for v in ids)


def test_a_model_exported_without_its_normalisation_takes_normalised_numbers(panel, exported, qtbot):
    assert panel.open_model(str(exported.parent / "network.onnx"))
    assert "exported without its preprocessing" in panel.model_label.text()
    panel.source.setCurrentIndex(0)
    assert "Type the values already normalised" in panel.numbers_note.text()
    assert "mean: " in panel.numbers_note.toolTip()
    splits = _run_sample(panel, qtbot, 5)
    fed = panel.feeds_from_sample(splits, 5)[panel.runner.inputs[0].name]
    np.testing.assert_array_equal(fed, splits.test.x[5:6])  # as the network was trained on it, not raw
    assert "exported without its normalisation" in _plain(panel.sample_values)
    # and it answers what the model with its normalisation inside answers on the raw sample
    inside = InferencePanel()
    qtbot.addWidget(inside)
    inside.open_model(str(exported))
    raw = inside.feeds_from_sample(splits, 5)
    for name, value in inside.runner.run(raw).items():
        np.testing.assert_allclose(panel.prediction.outputs[name], value, atol=1e-5)
