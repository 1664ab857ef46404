"""OnnxRunner and predict_file on small hand-built ONNX models (onnx.helper, no torch): input files
of every kind, dtype and shape fitting, batches, normalization metadata, classifier outputs, and
one-line DeployErrors for everything a user can get wrong."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from studio.deploy.errors import DeployError
from studio.deploy.runner import OnnxRunner, Prediction, TensorSpec, predict_file

ROOT = Path(__file__).resolve().parents[2]
RNG = np.random.default_rng(0)
W = RNG.normal(size=(3, 4)).astype(np.float32)
B = RNG.normal(size=(4,)).astype(np.float32)


def _save(path: Path, nodes, inputs, outputs, initializers=(), metadata=None, opset=17) -> Path:
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    if metadata:
        helper.set_model_props(model, metadata)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    return path


def linear(path: Path, k: int = 4, *, last: str | None = None, metadata=None) -> Path:
    """y = x·W + b for x of shape (batch, 3), with an optional final Softmax or Sigmoid."""
    w = RNG.normal(size=(3, k)).astype(np.float32) if k != 4 else W
    b = RNG.normal(size=(k,)).astype(np.float32) if k != 4 else B
    nodes = [helper.make_node("MatMul", ["x", "w"], ["xw"]), helper.make_node("Add", ["xw", "b"], ["z" if last else "y"])]
    if last == "Softmax":
        nodes.append(helper.make_node("Softmax", ["z"], ["y"], axis=-1))
    elif last == "Sigmoid":
        nodes.append(helper.make_node("Sigmoid", ["z"], ["y"]))
    return _save(path, nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", k])],
                 [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")], metadata)


def two_inputs(path: Path) -> Path:
    """y = a + float(t) for a float (batch, 2) and int64 (batch, 2)."""
    nodes = [helper.make_node("Cast", ["t"], ["tf"], to=TensorProto.FLOAT), helper.make_node("Add", ["a", "tf"], ["y"])]
    return _save(path, nodes, [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["batch", 2]),
                               helper.make_tensor_value_info("t", TensorProto.INT64, ["batch", 2])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2])])


def image(path: Path, channels: int, metadata=None) -> Path:
    """The mean of each channel of an N×C×4×4 image, as (N, C)."""
    nodes = [helper.make_node("GlobalAveragePool", ["x"], ["p"]), helper.make_node("Flatten", ["p"], ["y"])]
    return _save(path, nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", channels, 4, 4])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", channels])], metadata=metadata)


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _one_line(excinfo) -> str:
    text = str(excinfo.value)
    assert "\n" not in text and text
    return text


# -- loading the model ---------------------------------------------------------------------------

def test_specs_metadata_and_class_names(tmp_path):
    meta = {"neurona.class_names": json.dumps(["a", "b", "c", "d"]),
            "neurona.normalization": json.dumps({"mean": [1, 2, 3], "std": [2, 2, 2], "axis": 0}), "other": "x"}
    runner = OnnxRunner(linear(tmp_path / "m.onnx", metadata=meta))
    assert runner.inputs == [TensorSpec("x", "float32", ["batch", 3])]
    assert runner.outputs == [TensorSpec("y", "float32", ["batch", 4])]
    assert runner.metadata == meta and runner.notes == []
    assert runner.class_names == ["a", "b", "c", "d"]
    assert runner.normalization == {"mean": [1, 2, 3], "std": [2, 2, 2], "axis": 0}


def test_without_metadata_there_are_no_class_names(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx", metadata={"neurona.class_names": "null"}))
    assert runner.class_names is None and runner.normalization is None


def test_a_corrupt_file_is_a_deploy_error(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x08\x07this is not protobuf \xff\xfe" * 10)
    with pytest.raises(DeployError) as excinfo:
        OnnxRunner(bad)
    assert "bad.onnx" in _one_line(excinfo)
    text = tmp_path / "text.onnx"
    text.write_text("hello")
    with pytest.raises(DeployError):
        OnnxRunner(text)
    with pytest.raises(DeployError) as excinfo:
        OnnxRunner(tmp_path / "missing.onnx")
    assert "does not exist" in _one_line(excinfo)


def test_an_invalid_model_is_a_deploy_error(tmp_path):
    graph = helper.make_graph([helper.make_node("NoSuchOp", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    path = tmp_path / "invalid.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    with pytest.raises(DeployError) as excinfo:
        OnnxRunner(path)
    assert "not a valid ONNX model" in _one_line(excinfo)


def test_an_opset_6_model_is_upgraded_and_says_so(tmp_path):
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
    path = tmp_path / "old.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 6)], ir_version=3), path)
    runner = OnnxRunner(path)
    assert runner.notes == ["upgraded from opset 6 to 7"]
    x = np.array([[-1, 0, 2], [3, -4, 5]], np.float32)
    np.testing.assert_array_equal(runner.run(x)["y"], np.maximum(x, 0))


# -- run: fitting feeds ------------------------------------------------------------------------

def test_run_casts_adds_a_batch_axis_and_checks_names_and_shapes(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx"))
    x = RNG.normal(size=(5, 3))  # float64
    out = runner.run(x)["y"]
    assert out.dtype == np.float32 and out.shape == (5, 4)
    np.testing.assert_allclose(out, x.astype(np.float32) @ W + B, rtol=1e-5, atol=1e-6)
    single = runner.run({"x": x[0]})["y"]
    assert single.shape == (1, 4)
    np.testing.assert_allclose(single[0], out[0], rtol=1e-6)
    assert runner.run(np.ones((2, 3), np.int32))["y"].shape == (2, 4)
    with pytest.raises(DeployError) as excinfo:
        runner.run(np.ones((2, 5), np.float32))
    assert "'x'" in (msg := _one_line(excinfo)) and "[batch, 3]" in msg and "[2, 5]" in msg
    with pytest.raises(DeployError) as excinfo:
        runner.run(np.ones((2, 2, 3), np.float32))
    assert "[2, 2, 3]" in _one_line(excinfo)
    with pytest.raises(DeployError) as excinfo:
        runner.run({"x": x, "extra": x})
    assert "'extra'" in _one_line(excinfo)
    with pytest.raises(DeployError) as excinfo:
        runner.run({})
    assert "missing" in _one_line(excinfo)


def test_int64_inputs_take_whole_numbers_only(tmp_path):
    runner = OnnxRunner(two_inputs(tmp_path / "m.onnx"))
    a = np.zeros((2, 2), np.float32)
    out = runner.run({"a": a, "t": np.array([[1, 2], [3, 4]], np.int32)})["y"]
    np.testing.assert_array_equal(out, [[1, 2], [3, 4]])
    out = runner.run({"a": a, "t": np.array([[1.0, 2.0], [3.0, 4.0]])})["y"]  # integral floats are fine
    np.testing.assert_array_equal(out, [[1, 2], [3, 4]])
    with pytest.raises(DeployError) as excinfo:
        runner.run({"a": a, "t": np.full((2, 2), 0.5)})
    assert "'t'" in _one_line(excinfo)
    with pytest.raises(DeployError) as excinfo:
        runner.run(a)  # one array for a two-input model
    assert "a, t" in _one_line(excinfo)


def test_batches_give_the_same_outputs_as_one_run(tmp_path):
    runner = OnnxRunner(two_inputs(tmp_path / "m.onnx"))
    feeds = {"a": RNG.normal(size=(10, 2)).astype(np.float32), "t": RNG.integers(0, 9, (10, 2))}
    whole = runner.run(feeds)["y"]
    for batch_size in (1, 3, 4, 10, 64):
        np.testing.assert_array_equal(runner.run(feeds, batch_size=batch_size)["y"], whole)
    with pytest.raises(DeployError):
        runner.run(feeds, batch_size=0)
    with pytest.raises(DeployError) as excinfo:
        runner.run({"a": feeds["a"], "t": feeds["t"][:4]}, batch_size=3)
    assert "batch sizes" in _one_line(excinfo)
    linear_runner = OnnxRunner(linear(tmp_path / "l.onnx"))
    x = RNG.normal(size=(7, 3)).astype(np.float32)
    one = linear_runner.predict(x, top_k=2)
    split = linear_runner.predict(x, top_k=2, batch_size=2)
    np.testing.assert_array_equal(one.outputs["y"], split.outputs["y"])
    assert one.top_k == split.top_k


def test_normalization_metadata_is_applied_to_float_inputs(tmp_path):
    per_feature = {"neurona.normalization": json.dumps({"mean": [1.0, 2.0, 3.0], "std": [2.0, 4.0, 0.5], "axis": 0})}
    runner = OnnxRunner(linear(tmp_path / "m.onnx", metadata=per_feature))
    x = RNG.normal(size=(4, 3)).astype(np.float32)
    scaled = (x - np.array([1, 2, 3], np.float32)) / np.array([2, 4, 0.5], np.float32)
    np.testing.assert_allclose(runner.run(x)["y"], scaled @ W + B, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(runner.run(x[0])["y"][0], scaled[0] @ W + B, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(runner.run(x, preprocess=False)["y"], x @ W + B, rtol=1e-5, atol=1e-5)

    scalar = {"neurona.normalization": json.dumps({"mean": [0.0], "std": [16.0], "axis": None})}
    runner = OnnxRunner(image(tmp_path / "i.onnx", 1, metadata=scalar))
    pixels = RNG.random((2, 1, 4, 4)).astype(np.float32) * 16
    np.testing.assert_allclose(runner.run(pixels)["y"], pixels.mean(axis=(2, 3)) / 16, rtol=1e-5)

    channels = {"neurona.normalization": json.dumps({"mean": [0.5, 0.25, 0.0], "std": [0.5, 0.25, 1.0], "axis": 0})}
    runner = OnnxRunner(image(tmp_path / "rgb.onnx", 3, metadata=channels))
    pixels = RNG.random((2, 3, 4, 4)).astype(np.float32)
    want = (pixels.mean(axis=(2, 3)) - [0.5, 0.25, 0.0]) / [0.5, 0.25, 1.0]
    np.testing.assert_allclose(runner.run(pixels)["y"], want, rtol=1e-5, atol=1e-6)


def test_normalization_is_not_applied_to_integer_inputs(tmp_path):
    path = two_inputs(tmp_path / "m.onnx")
    model = onnx.load(path)
    helper.set_model_props(model, {"neurona.normalization": json.dumps({"mean": [10.0], "std": [1.0], "axis": None})})
    onnx.save(model, path)
    out = OnnxRunner(path).run({"a": np.zeros((1, 2)), "t": np.array([[1, 2]])})["y"]
    np.testing.assert_array_equal(out, [[-9, -8]])  # a shifted by -10, t untouched


# -- predict -------------------------------------------------------------------------------------

def test_logits_go_through_softmax(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx", metadata={"neurona.class_names": json.dumps(list("abcd"))}))
    x = RNG.normal(size=(6, 3)).astype(np.float32)
    prediction = runner.predict(x, top_k=2)
    assert isinstance(prediction, Prediction) and prediction.seconds > 0
    want = _softmax((x @ W + B).astype(np.float64))
    np.testing.assert_allclose(prediction.probabilities, want, rtol=1e-5, atol=1e-7)
    for probs, ranked in zip(want, prediction.top_k):
        order = np.argsort(-probs)[:2]
        assert [label for label, _ in ranked] == ["abcd"[i] for i in order]
        np.testing.assert_allclose([p for _, p in ranked], probs[order], rtol=1e-5)


def test_rows_that_are_already_probabilities_are_kept(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx", last="Softmax"))
    x = RNG.normal(size=(3, 3)).astype(np.float32)
    prediction = runner.predict(x, top_k=10)
    np.testing.assert_allclose(prediction.probabilities, prediction.outputs["y"], rtol=1e-6)
    assert all(len(ranked) == 4 for ranked in prediction.top_k)  # top_k beyond K is K
    assert {label for label, _ in prediction.top_k[0]} == {"0", "1", "2", "3"}  # index labels


def test_one_logit_with_two_class_names_is_a_binary_sigmoid(tmp_path):
    names = {"neurona.class_names": json.dumps(["no", "yes"])}
    runner = OnnxRunner(linear(tmp_path / "m.onnx", k=1, metadata=names))
    x = RNG.normal(size=(8, 3)).astype(np.float32) * 3
    prediction = runner.predict(x, top_k=1)
    z = prediction.outputs["y"][:, 0].astype(np.float64)
    p = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(prediction.probabilities, np.stack([1 - p, p], axis=1), rtol=1e-6)
    assert [r[0][0] for r in prediction.top_k] == ["yes" if v > 0.5 else "no" for v in p]
    # A model that ends in a Sigmoid already gives the probability: no second sigmoid.
    runner = OnnxRunner(linear(tmp_path / "s.onnx", k=1, last="Sigmoid", metadata=names))
    prediction = runner.predict(x, top_k=2)
    p = prediction.outputs["y"][:, 0].astype(np.float64)
    np.testing.assert_allclose(prediction.probabilities[:, 1], p, rtol=1e-6)
    assert len(prediction.top_k[0]) == 2


def test_non_classifiers_have_no_probabilities(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx", k=1))  # regression: one output, no class names
    prediction = runner.predict(np.zeros((2, 3)))
    assert prediction.probabilities is None and prediction.top_k is None
    runner = OnnxRunner(two_inputs(tmp_path / "t.onnx"))
    assert runner.predict({"a": np.zeros((1, 2)), "t": np.zeros((1, 2), np.int64)}).probabilities is not None
    with pytest.raises(DeployError):
        runner.predict({"a": np.zeros((1, 2)), "t": np.zeros((1, 2), np.int64)}, top_k=0)


# -- load_inputs ---------------------------------------------------------------------------------

def test_npy_and_npz(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx"))
    x = RNG.normal(size=(3, 3)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    np.testing.assert_array_equal(runner.load_inputs(tmp_path / "x.npy")["x"], x)
    np.savez(tmp_path / "any.npz", whatever=x)
    np.testing.assert_array_equal(runner.load_inputs(tmp_path / "any.npz")["x"], x)
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(DeployError):
        runner.load_inputs(tmp_path / "obj.npy")

    two = OnnxRunner(two_inputs(tmp_path / "t.onnx"))
    np.savez(tmp_path / "both.npz", a=np.ones((2, 2)), t=np.ones((2, 2), np.int64))
    feeds = two.load_inputs(tmp_path / "both.npz")
    assert sorted(feeds) == ["a", "t"]
    assert two.run(feeds)["y"].shape == (2, 2)
    np.savez(tmp_path / "wrong.npz", a=np.ones((2, 2)), u=np.ones((2, 2)))
    with pytest.raises(DeployError) as excinfo:
        two.load_inputs(tmp_path / "wrong.npz")
    assert "a, t" in _one_line(excinfo)
    with pytest.raises(DeployError) as excinfo:
        two.load_inputs(tmp_path / "x.npy")
    assert ".npz" in _one_line(excinfo)
    (tmp_path / "broken.npz").write_bytes(b"PK not really")
    with pytest.raises(DeployError):
        two.load_inputs(tmp_path / "broken.npz")


def test_csv_with_and_without_header(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx"))
    (tmp_path / "h.csv").write_text("a,b,c\n1,2,3\n4,5,6.5\n")
    np.testing.assert_array_equal(runner.load_inputs(tmp_path / "h.csv")["x"], [[1, 2, 3], [4, 5, 6.5]])
    (tmp_path / "n.csv").write_text("1,2,3\n\n-4e0, 5 ,6\n")
    np.testing.assert_array_equal(runner.load_inputs(tmp_path / "n.csv")["x"], [[1, 2, 3], [-4, 5, 6]])
    for text, fragment in (("a,b,c\n1,x,3\n", "'x'"), ("1,2,3\n4,5\n", "row 2"), ("a,b,c\n", "no rows"), ("", "no rows")):
        (tmp_path / "bad.csv").write_text(text)
        with pytest.raises(DeployError) as excinfo:
            runner.load_inputs(tmp_path / "bad.csv")
        assert fragment in _one_line(excinfo)
    images = OnnxRunner(image(tmp_path / "i.onnx", 1))  # 16 columns fill a 1×4×4 sample
    (tmp_path / "px.csv").write_text("\n".join(",".join(str(v) for v in range(16 * r, 16 * r + 16)) for r in range(2)))
    x = images.load_inputs(tmp_path / "px.csv")["x"]
    assert x.shape == (2, 1, 4, 4) and x[1, 0, 3, 3] == 31


def test_images(tmp_path):
    from PIL import Image

    gray = OnnxRunner(image(tmp_path / "g.onnx", 1))
    pixels = (np.arange(16, dtype=np.uint8).reshape(4, 4) * 16)
    Image.fromarray(pixels, mode="L").save(tmp_path / "g.png")
    x = gray.load_inputs(tmp_path / "g.png")["x"]
    assert x.shape == (1, 1, 4, 4) and x.dtype == np.float32
    np.testing.assert_allclose(x[0, 0], pixels / 255.0, rtol=1e-6)
    Image.fromarray(np.full((8, 8, 3), 200, np.uint8)).save(tmp_path / "big.bmp")  # RGB → L, resized
    x = gray.load_inputs(tmp_path / "big.bmp")["x"]
    assert x.shape == (1, 1, 4, 4) and np.allclose(x, 200 / 255, atol=1 / 255)

    rgb = OnnxRunner(image(tmp_path / "c.onnx", 3))
    colour = np.zeros((8, 8, 3), np.uint8)
    colour[..., 0] = 255
    Image.fromarray(colour).save(tmp_path / "red.jpg", quality=100)
    Image.fromarray(colour).convert("L").save(tmp_path / "red.jpeg")
    x = rgb.load_inputs(tmp_path / "red.jpg")["x"]
    assert x.shape == (1, 3, 4, 4)
    assert x[0, 0].min() > 0.95 and x[0, 1:].max() < 0.05
    assert rgb.load_inputs(tmp_path / "red.jpeg")["x"].shape == (1, 3, 4, 4)  # gray → RGB
    assert rgb.predict(rgb.load_inputs(tmp_path / "red.jpg")).outputs["y"].shape == (1, 3)

    flat = OnnxRunner(linear(tmp_path / "m.onnx"))
    with pytest.raises(DeployError) as excinfo:
        flat.load_inputs(tmp_path / "g.png")
    assert "N×C×H×W" in _one_line(excinfo)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    with pytest.raises(DeployError):
        gray.load_inputs(tmp_path / "broken.png")


def test_pb_and_unsupported_files(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx"))
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    (tmp_path / "x.pb").write_bytes(numpy_helper.from_array(x, "x").SerializeToString())
    np.testing.assert_array_equal(runner.load_inputs(tmp_path / "x.pb")["x"], x)
    (tmp_path / "bad.pb").write_bytes(b"\xff\xff\xff")
    with pytest.raises(DeployError):
        runner.load_inputs(tmp_path / "bad.pb")
    (tmp_path / "x.txt").write_text("1 2 3")
    with pytest.raises(DeployError) as excinfo:
        runner.load_inputs(tmp_path / "x.txt")
    assert ".npy" in _one_line(excinfo)
    with pytest.raises(DeployError) as excinfo:
        runner.load_inputs(tmp_path / "missing.csv")
    assert "does not exist" in _one_line(excinfo)


# -- predict_file and the no-torch promise -------------------------------------------------------

def test_predict_file_is_json_ready(tmp_path):
    model = linear(tmp_path / "m.onnx", metadata={"neurona.class_names": json.dumps(list("abcd"))})
    (tmp_path / "x.csv").write_text("0,0,0\n1,2,3\n")
    result = predict_file(model, tmp_path / "x.csv", top_k=3)
    assert json.loads(json.dumps(result)) == result
    assert result["model"] == str(model) and result["notes"] == []
    assert result["inputs"] == [{"name": "x", "dtype": "float32", "shape": ["batch", 3]}]
    assert list(result["outputs"]) == ["y"] and len(result["outputs"]["y"]) == 2
    assert len(result["probabilities"]) == 2 and len(result["top_k"][0]) == 3
    assert set(result["top_k"][0][0]) == {"label", "probability"} and result["seconds"] >= 0
    regression = predict_file(linear(tmp_path / "r.onnx", k=1), tmp_path / "x.csv")
    assert regression["probabilities"] is None and regression["top_k"] is None


def test_the_runner_does_not_load_torch(tmp_path):
    model = linear(tmp_path / "m.onnx", metadata={"neurona.class_names": json.dumps(list("abcd"))})
    (tmp_path / "x.csv").write_text("1,2,3\n")
    code = (
        "import sys\n"
        "import studio.deploy.runner as r\n"
        "assert 'torch' not in sys.modules, 'importing the runner loaded torch'\n"
        f"runner = r.OnnxRunner({str(model)!r})\n"
        f"runner.predict(runner.load_inputs({str(tmp_path / 'x.csv')!r}))\n"
        f"r.predict_file({str(model)!r}, {str(tmp_path / 'x.csv')!r})\n"
        "import studio.deploy, studio.deploy.errors\n"
        "assert 'torch' not in sys.modules, 'running the runner loaded torch'\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_the_fast_small_output_path_agrees_with_numpy(tmp_path):
    from studio.deploy import runner as module

    rng = np.random.default_rng(5)
    for shape in [(1, 10), (4, 3), (2, 7)]:
        y = rng.normal(size=shape) * 5
        y[0, 1] = y[0, 2]  # a tie: the lower index ranks first on both paths
        for labels in (None, [chr(97 + i) for i in range(shape[1])]):
            probs, ranked = module._classify_small(y.tolist(), 4, labels)
            want = module._softmax(y)
            np.testing.assert_allclose(probs, want, rtol=1e-12)
            assert ranked == module._top_k(want, 4, labels) or \
                [[label for label, _ in r] for r in ranked] == [[label for label, _ in r] for r in module._top_k(want, 4, labels)]
    assert module._classify_small([[1.0, float("nan"), 2.0]], 2, None) is None
    assert module._classify_small([[float("inf"), 0.0]], 2, None) is None
    runner = OnnxRunner(linear(tmp_path / "m.onnx"))
    prediction = runner.predict(np.array([[np.nan, 0, 0]], np.float32), top_k=2)  # NaN in, no crash
    assert prediction.probabilities.shape == (1, 4) and len(prediction.top_k[0]) == 2


def test_images_are_scaled_once_when_the_model_records_its_normalization(tmp_path):
    """A model trained on an image folder records mean 0, std 255: raw pixels go in and the
    metadata scales them, exactly once (not /255 and then /255 again)."""
    from PIL import Image

    pixels = (np.arange(16, dtype=np.uint8).reshape(4, 4) * 16)
    Image.fromarray(pixels, mode="L").save(tmp_path / "g.png")
    meta = {"neurona.normalization": json.dumps({"mean": [0.0], "std": [255.0], "axis": None})}
    with_meta = OnnxRunner(image(tmp_path / "a.onnx", 1, metadata=meta))
    without = OnnxRunner(image(tmp_path / "b.onnx", 1))
    raw = with_meta.load_inputs(tmp_path / "g.png")
    np.testing.assert_allclose(raw["x"][0, 0], pixels)
    np.testing.assert_allclose(with_meta.run(raw)["y"], without.run(without.load_inputs(tmp_path / "g.png"))["y"],
                               rtol=1e-6)


def test_an_exact_array_takes_the_short_path_and_anything_else_the_checked_one(tmp_path):
    runner = OnnxRunner(linear(tmp_path / "m.onnx"))
    x = RNG.normal(size=(3, 3)).astype(np.float32)
    assert runner._as_is(x, True) is not None  # float32, rank 2, 3 features: passed as it is
    for other in (x.astype(np.float64), x[0], x[:, :2], x.reshape(1, 3, 3), [list(r) for r in x]):
        assert runner._as_is(other, True) is None  # cast, batch axis added, or a clear error
    np.testing.assert_array_equal(runner.run(x)["y"], runner.run({"x": x})["y"])  # the dict goes the long way
    np.testing.assert_array_equal(runner.run(x[:, ::-1].copy()[:, ::-1])["y"], runner.run(x)["y"])  # strided view
    with pytest.raises(DeployError) as excinfo:
        runner.run(np.ones((2, 5), np.float32))
    assert _one_line(excinfo) == "input 'x' expects shape [batch, 3] but was given [2, 5]: reshape the data to match"
    with pytest.raises(DeployError) as excinfo:
        runner.run(np.array([["a", "b", "c"]]))
    assert _one_line(excinfo) == "input 'x' expects float32 but was given str32: convert the data"


def test_the_short_path_still_normalizes(tmp_path):
    meta = {"neurona.normalization": json.dumps({"mean": [1.0, 2.0, 3.0], "std": [2.0, 4.0, 0.5], "axis": 0})}
    runner = OnnxRunner(linear(tmp_path / "m.onnx", metadata=meta))
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    assert runner._as_is(x, True) is None and runner._as_is(x, False) is not None
    scaled = (x - np.array([1, 2, 3], np.float32)) / np.array([2, 4, 0.5], np.float32)
    np.testing.assert_allclose(runner.run(x)["y"], scaled @ W + B, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(runner.run(x, preprocess=False)["y"], x @ W + B, rtol=1e-5, atol=1e-5)


def test_models_with_several_inputs_or_symbolic_inner_axes_always_take_the_checked_path(tmp_path):
    assert OnnxRunner(two_inputs(tmp_path / "two.onnx"))._exact is None
    nodes = [helper.make_node("Identity", ["x"], ["y"])]
    path = _save(tmp_path / "seq.onnx", nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", "T", 2])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", "T", 2])])
    runner = OnnxRunner(path)
    assert runner._exact is None
    assert runner.run(np.ones((1, 5, 2), np.float32))["y"].shape == (1, 5, 2)


def test_zeros_and_ones_feed_a_bool_input_and_other_values_say_what_to_pass(tmp_path):
    path = _save(tmp_path / "not.onnx", [helper.make_node("Not", ["x"], ["y"])],
                 [helper.make_tensor_value_info("x", TensorProto.BOOL, [None, 2])],
                 [helper.make_tensor_value_info("y", TensorProto.BOOL, [None, 2])])
    runner = OnnxRunner(path)
    assert runner.run({"x": np.array([[1.0, 0.0]])})["y"].tolist() == [[False, True]]
    with pytest.raises(DeployError) as excinfo:
        runner.run({"x": np.array([[1.0, 2.0]])})
    assert "expects true/false values" in str(excinfo.value) and "pass 0 or 1" in str(excinfo.value)
