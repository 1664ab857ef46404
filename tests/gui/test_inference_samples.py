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
    """The binary classifier trained on standardised blobs, exported into its run folder."""
    run = tmp_path_factory.mktemp("blobs") / "run"
    r = run_cli("train", str(EXAMPLES / "binary_classifier.neurona"), "--out", str(run), "--epochs", "3", "--quiet")
    assert r.returncode == 0, r.stderr
    r = run_cli("export", str(run), "-o", str(run / "model.onnx"))
    assert r.returncode == 0, r.stderr
    return run / "model.onnx"


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
    direct = panel.runner.run({panel.runner.inputs[0].name: splits.test.x[5:6]}, preprocess=False)
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
