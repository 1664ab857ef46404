"""samples.npz: the test predictions a finished run leaves for a person to look at."""

import numpy as np
import pytest

from conftest import EXAMPLES
from studio.data import load_data
from studio.layers import load_graph
from studio.train import Trainer, TrainConfig
from studio.train import events as ev
from studio.train.samples import GRID, read_samples


def _train(tmp_path, example, data, **cfg):
    graph = load_graph(EXAMPLES / example)
    trainer = Trainer(graph, load_data(data), TrainConfig(**cfg), tmp_path / "run")
    trainer.run()
    return read_samples(tmp_path / "run" / "samples.npz")


def test_xor_learnt_shows_right_answers_and_decision_regions(tmp_path):
    s = _train(tmp_path, "xor.neurona", "xor", epochs=300, mode="full-batch", lr=0.05)
    assert str(s["kind"]) == "classification"
    assert sorted(s["y_true"].tolist()) == [0, 0, 1, 1]  # the four corners
    assert (s["y_pred"] == s["y_true"]).all()
    assert s["grid_pred"].shape == (GRID, GRID) and set(np.unique(s["grid_pred"])) == {0, 1}
    # the regions agree with the points: each corner lies in a cell of its own class
    for (px, py), k in zip(s["points"], s["points_true"]):
        col, row = np.abs(s["grid_x"] - px).argmin(), np.abs(s["grid_y"] - py).argmin()
        assert s["grid_pred"][row, col] == k
    assert ((s["confidence"] > 0.5) & (s["confidence"] <= 1)).all()


def test_images_keep_their_pixels_and_labels(tmp_path):
    s = _train(tmp_path, "digits_cnn.neurona", "digits", epochs=2)
    assert s["x"].shape == (32, 1, 8, 8) and s["y_true"].shape == s["y_pred"].shape == (32,)
    assert s["y_pred"].min() >= 0 and s["y_pred"].max() <= 9


def test_regression_pairs_predictions_with_the_truth(tmp_path):
    s = _train(tmp_path, "sine_lstm.neurona", "sine", epochs=8)
    assert str(s["kind"]) == "regression"
    assert s["y_true"].shape == s["y_pred"].shape and len(s["y_true"]) == 150
    assert np.corrcoef(s["y_true"], s["y_pred"])[0, 1] > 0.5  # it has learnt something


def test_an_autoencoder_shows_inputs_beside_their_reconstructions(tmp_path):
    s = _train(tmp_path, "conv_autoencoder.neurona", "digits?target=input", epochs=2)
    assert str(s["kind"]) == "reconstruction" and s["x"].shape == s["x_out"].shape == (32, 1, 8, 8)


def test_the_file_is_plain_arrays(tmp_path):
    _train(tmp_path, "binary_classifier.neurona", "blobs?features=10", epochs=1)
    with np.load(tmp_path / "run" / "samples.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)


def test_failing_to_write_samples_warns_and_the_run_still_finishes(tmp_path, monkeypatch):
    import studio.train.samples as samples

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(samples, "write_samples", broken)

    class Sink(list):
        def write(self, text):
            self.extend(text.splitlines())

        def flush(self):
            pass

    sink = Sink()
    graph = load_graph(EXAMPLES / "xor.neurona")
    result = Trainer(graph, load_data("xor"), TrainConfig(epochs=2), tmp_path / "run",
                     stream=ev.EventStream(sink)).run()
    assert result.reason == "completed"
    assert any('"warning"' in line and "disk full" in line for line in sink)
    assert read_samples(tmp_path / "run" / "samples.npz") is None
