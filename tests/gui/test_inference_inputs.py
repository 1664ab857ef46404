"""The inference panel given a file that is not a working model, and inputs from .npy and .npz
files, chosen through its own buttons (the system file dialog answered by patching
QFileDialog's static function)."""

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

from conftest import EXAMPLES, run_cli
from studio.ui.training.inference import InferencePanel

POINTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [1, 1]], dtype=np.float32)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The XOR network, trained a little and exported into its run folder."""
    run = tmp_path_factory.mktemp("xor") / "run"
    r = run_cli("train", str(EXAMPLES / "xor.neurona"), "--out", str(run), "--epochs", "2", "--quiet")
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


@pytest.fixture
def choose(monkeypatch):
    """What the next file dialog answers."""
    answer = {"path": ""}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(answer["path"]), "")))
    return lambda path: answer.update(path=path)


def _broken_graph(model_path, out):
    import onnx

    model = onnx.load(str(model_path))
    del model.graph.node[0]  # a node's input now comes from nowhere
    onnx.save(model, str(out))
    return out


def test_a_file_that_is_not_a_working_model_is_refused_with_the_reason(panel, exported, choose, tmp_path):
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"this is not a model\n")
    choose(junk)
    panel.open_button.click()
    assert panel.runner is None
    assert panel.message.text().count("Cannot open") == 1 and "junk.onnx" in panel.message.text()
    assert not panel.run_button.isEnabled() and not panel.file_button.isEnabled()

    choose(exported)
    panel.open_button.click()
    good = panel.runner
    assert good is not None and panel.run_button.isEnabled() and "Cannot open" not in panel.message.text()
    for bad in (_broken_graph(exported, tmp_path / "broken.onnx"), tmp_path / "cut.onnx", tmp_path / "gone.onnx"):
        if bad.name == "cut.onnx":
            bad.write_bytes(exported.read_bytes()[:300])
        choose(bad)
        panel.open_button.click()
        assert "Cannot open" in panel.message.text() and bad.name in panel.message.text(), bad.name
        assert panel.runner is good and panel.run_button.isEnabled(), bad.name  # the open model stays


@pytest.mark.parametrize("kind", ["npy", "npz"])
def test_an_npy_or_npz_input_runs_as_one_batch(panel, exported, choose, tmp_path, qtbot, kind):
    choose(exported)
    panel.open_button.click()
    name = panel.runner.inputs[0].name
    path = tmp_path / f"points.{kind}"
    if kind == "npy":
        np.save(path, POINTS)
    else:
        np.savez(path, **{name: POINTS})
    panel.source.setCurrentIndex(1)  # a file
    choose(path)
    with qtbot.waitSignal(panel.predicted, timeout=10_000) as got:
        panel.file_button.click()
    expected = panel.runner.run({name: POINTS})
    for key, value in expected.items():
        np.testing.assert_allclose(got.args[0].outputs[key], value, rtol=1e-5, atol=1e-6)
    assert panel.row.isVisibleTo(panel) and panel.row.maximum() == len(POINTS)
    assert "for 5 samples" in panel.latency.text()
    panel.row.setValue(2)  # the second sample's answer is the one shown
    value = np.asarray(next(iter(expected.values())))[1].ravel()
    assert "row 2</b>" in panel.outputs.text() and f"{value[0]:.4g}" in panel.outputs.text()


def test_an_npz_without_the_models_input_names_says_what_it_holds(panel, exported, choose, tmp_path):
    choose(exported)
    panel.open_button.click()
    name = panel.runner.inputs[0].name
    path = tmp_path / "two.npz"
    np.savez(path, a=POINTS, b=POINTS)
    panel.source.setCurrentIndex(1)
    choose(path)
    panel.file_button.click()
    assert panel.prediction is None
    text = panel.message.text()
    assert "two.npz holds arrays a, b" in text and name in text
