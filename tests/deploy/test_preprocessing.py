"""What the runner does to a model's input, by its metadata: a model whose graph normalises its
input is never normalised again, one exported before that is normalised once, one exported
without its preprocessing takes normalised numbers (and says so); image files come in the units
of the model's training data. And a model that onnxruntime loads as it is never needs the onnx
package. Small hand-built models (onnx.helper); no torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from studio.deploy.errors import DeployError
from studio.deploy.preprocessing import read_raw_range, to_raw_units
from studio.deploy.runner import OnnxRunner, _header_opset

ROOT = Path(__file__).resolve().parents[2]
NORM = {"mean": [1.0, -2.0, 3.0], "std": [2.0, 4.0, 0.5], "axis": 0}


def _save(path: Path, nodes, inputs, outputs, initializers=(), metadata=None, opset=17) -> Path:
    model = helper.make_model(helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers)),
                              opset_imports=[helper.make_opsetid("", opset)])
    if metadata:
        helper.set_model_props(model, metadata)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    return path


def identity(path: Path, metadata=None, opset=17) -> Path:
    """y = x for x of shape (batch, 3)."""
    return _save(path, [helper.make_node("Identity", ["x"], ["y"])],
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])], metadata=metadata, opset=opset)


def picture(path: Path, metadata=None) -> Path:
    """y = x for a grey 1×4×4 image."""
    return _save(path, [helper.make_node("Identity", ["x"], ["y"])],
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 4, 4])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1, 4, 4])], metadata=metadata)


def _meta(preprocessing=None, norm=NORM, raw_range=None) -> dict:
    meta = {"neurona.normalization": json.dumps(norm)}
    if preprocessing is not None:
        meta["neurona.preprocessing"] = preprocessing
    if raw_range is not None:
        meta["neurona.raw_range"] = json.dumps(raw_range)
    return meta


X = np.array([[3.0, 2.0, 4.0], [1.0, -2.0, 3.0]], dtype=np.float32)
NORMALISED = ((X - np.array(NORM["mean"])) / np.array(NORM["std"])).astype(np.float32)


def _bare(path: Path, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


# -- who normalises ----------------------------------------------------------------------------------

def test_a_model_that_normalises_its_input_itself_is_not_normalised_again(tmp_path):
    path = identity(tmp_path / "m.onnx", _meta("inside"))
    runner = OnnxRunner(path)
    assert runner.preprocessing == "inside" and runner.takes_raw_units and runner.notes == []
    np.testing.assert_array_equal(runner.run(X)["y"], _bare(path, X))
    np.testing.assert_array_equal(runner.run(X)["y"], X)


def test_a_model_exported_before_the_graph_carried_it_is_normalised_once(tmp_path):
    runner = OnnxRunner(identity(tmp_path / "m.onnx", _meta(None)))
    assert runner.preprocessing == "runner" and runner.takes_raw_units
    np.testing.assert_allclose(runner.run(X)["y"], NORMALISED, rtol=1e-6)
    np.testing.assert_array_equal(runner.run(X, preprocess=False)["y"], X)


def test_a_model_exported_without_its_preprocessing_takes_normalised_input_and_says_so(tmp_path):
    runner = OnnxRunner(identity(tmp_path / "m.onnx", _meta("outside")))
    assert runner.preprocessing == "outside" and not runner.takes_raw_units
    np.testing.assert_array_equal(runner.run(X)["y"], X)
    (note,) = runner.notes
    assert "exported without its preprocessing" in note and "already normalised" in note


def test_an_unknown_preprocessing_value_is_named_and_nothing_is_applied(tmp_path):
    runner = OnnxRunner(identity(tmp_path / "m.onnx", _meta("sideways")))
    np.testing.assert_array_equal(runner.run(X)["y"], X)
    assert len(runner.notes) == 1 and "'sideways'" in runner.notes[0]


def test_raw_units_undo_the_normalisation():
    np.testing.assert_allclose(to_raw_units(NORM, NORMALISED), X, rtol=1e-6)
    assert to_raw_units(NORM, NORMALISED).dtype == np.float32


# -- image files in the units of the training data -------------------------------------------------

def _png(path: Path) -> Path:
    pixels = np.array([[0, 51, 102, 255]] * 4, dtype=np.uint8)
    Image.fromarray(pixels, mode="L").save(path)
    return path


@pytest.mark.parametrize("metadata, top", [
    (_meta("inside", {"mean": [0.0], "std": [16.0], "axis": None}, [0, 16]), 16.0),  # the digits' counts
    (_meta("inside", {"mean": [0.0], "std": [255.0], "axis": None}, [0, 255]), 255.0),  # an image folder
    (_meta(None, {"mean": [0.0], "std": [16.0], "axis": None}), 1.0),  # exported before: the runner's x/16
    (None, 1.0),  # a model from elsewhere: 0–1, the common convention
], ids=["digits", "image-folder", "legacy-digits", "foreign"])
def test_an_image_file_is_put_in_the_units_the_model_was_trained_in(tmp_path, metadata, top):
    runner = OnnxRunner(picture(tmp_path / "m.onnx", metadata))
    feeds = runner.load_inputs(_png(tmp_path / "x.png"))
    y = runner.run(feeds)["y"]
    np.testing.assert_allclose(y[0, 0, 0], np.array([0, 51, 102, 255]) / 255 * top, rtol=1e-6)


def test_an_image_file_for_a_model_without_its_preprocessing_is_normalised_for_it(tmp_path):
    meta = _meta("outside", {"mean": [0.5], "std": [0.25], "axis": None}, [0, 1])
    runner = OnnxRunner(picture(tmp_path / "m.onnx", meta))
    y = runner.run(runner.load_inputs(_png(tmp_path / "x.png")))["y"]
    np.testing.assert_allclose(y[0, 0, 0], (np.array([0, 51, 102, 255]) / 255 - 0.5) / 0.25, rtol=1e-6)


def test_the_raw_range_of_a_model_exported_before_it_was_recorded():
    assert read_raw_range({}, {"mean": [0.0], "std": [16.0], "axis": None}) == (0.0, 16.0)
    assert read_raw_range({}, NORM) is None  # standardised features have no fixed units
    assert read_raw_range({"neurona.raw_range": "[0, 255]"}, None) == (0.0, 255.0)
    for bad in ("[3, 1]", "[0]", "nonsense", "[0, NaN]"):
        assert read_raw_range({"neurona.raw_range": bad}, None) is None


# -- loading without the onnx package ------------------------------------------------------------

def _imports_onnx(model: Path, inputs: Path) -> bool:
    code = ("import sys; from studio.deploy.runner import predict_file; "
            f"predict_file({str(model)!r}, {str(inputs)!r}); print('onnx' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip() == "True"


def test_a_model_onnxruntime_loads_as_it_is_needs_no_onnx_package(tmp_path):
    np.save(tmp_path / "x.npy", X)
    meta = {"neurona.class_names": json.dumps(["a", "b", "c"]), "neurona.output_ops": json.dumps({"y": "Identity"})}
    assert not _imports_onnx(identity(tmp_path / "m.onnx", meta), tmp_path / "x.npy")
    # an old opset has to be upgraded, which takes the onnx package
    assert _imports_onnx(identity(tmp_path / "old.onnx", opset=6), tmp_path / "x.npy")


def test_the_opset_is_read_from_the_file_as_onnx_reads_it(tmp_path):
    for opset in (6, 13, 17, 21):
        path = identity(tmp_path / f"m{opset}.onnx", opset=opset)
        assert _header_opset(str(path)) == opset
        assert OnnxRunner(path).opset == max(opset, 7)
    for junk in (b"", b"\xff" * 32, b"\x0a\xff\xff\xff\xff\x0f", os.urandom(64)):
        (tmp_path / "junk.onnx").write_bytes(junk)
        opset = _header_opset(str(tmp_path / "junk.onnx"))
        assert opset is None or isinstance(opset, int)
        with pytest.raises(DeployError):
            OnnxRunner(tmp_path / "junk.onnx")


def test_a_final_sigmoid_is_known_from_the_metadata_or_from_the_graph(tmp_path):
    nodes = [helper.make_node("Identity", ["x"], ["y"])]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 1])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 1])]
    names = {"neurona.class_names": json.dumps(["no", "yes"])}
    x = np.array([[0.8]], dtype=np.float32)
    # the graph ends in Identity: a logit, put through a sigmoid
    plain = OnnxRunner(_save(tmp_path / "a.onnx", nodes, inputs, outputs, metadata=names))
    np.testing.assert_allclose(plain.predict(x).probabilities[0, 1], 1 / (1 + np.exp(-0.8)), rtol=1e-6)
    # the metadata says a Sigmoid made it: already a probability
    said = OnnxRunner(_save(tmp_path / "b.onnx", nodes, inputs, outputs,
                            metadata={**names, "neurona.output_ops": json.dumps({"y": "Sigmoid"})}))
    np.testing.assert_allclose(said.predict(x).probabilities[0, 1], 0.8, rtol=1e-6)
    # no metadata, a real Sigmoid at the end: read from the graph
    sig = [helper.make_node("Sigmoid", ["x"], ["y"])]
    read = OnnxRunner(_save(tmp_path / "c.onnx", sig, inputs, outputs, metadata=names))
    np.testing.assert_allclose(read.predict(np.array([[0.0]], np.float32)).probabilities[0, 1], 0.5, rtol=1e-6)
    np.testing.assert_allclose(read.predict(x).probabilities[0, 1], 1 / (1 + np.exp(-0.8)), rtol=1e-6)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_model_path_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path):
    os.mkfifo(tmp_path / "fifo.onnx")  # opening it would wait for a writer forever
    os.symlink("/dev/zero", tmp_path / "zero.onnx")  # reading it would never end
    for name in ("fifo.onnx", "zero.onnx"):
        with pytest.raises(DeployError, match="not a regular file"):
            OnnxRunner(tmp_path / name)
    with pytest.raises(DeployError, match="is a folder"):
        OnnxRunner(tmp_path)
