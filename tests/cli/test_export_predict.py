"""Train → export → predict, through the command line: every example exports to ONNX that
matches torch (in onnxruntime and in onnx's reference evaluator), and predictions are right."""

import json

import numpy as np
import onnx
import pytest

from conftest import EXAMPLES, run_cli


@pytest.fixture(scope="module")
def xor_model(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xor")
    assert run_cli("train", "examples/xor.neurona", "--out", str(tmp / "run"), "--quiet").returncode == 0
    proc = run_cli("export", str(tmp / "run"), "-o", str(tmp / "xor.onnx"))
    assert proc.returncode == 0, proc.stderr
    assert "passed" in proc.stdout
    return tmp / "xor.onnx"


def test_xor_export_carries_metadata(xor_model):
    model = onnx.load(str(xor_model))
    meta = {p.key: p.value for p in model.metadata_props}
    assert json.loads(meta["neurona.class_names"]) == ["0", "1"]
    assert json.loads(meta["neurona.graph"])["name"] == "xor"
    assert model.producer_name == "Neurona Studio"


def test_the_exported_xor_predicts_all_four_points(xor_model, tmp_path):
    points = tmp_path / "points.csv"
    points.write_text("a,b\n0,0\n0,1\n1,0\n1,1\n")
    proc = run_cli("predict", str(xor_model), "--input", str(points), "--json", "--top-k", "1")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    labels = [ranked[0]["label"] for ranked in result["top_k"]]
    assert labels == ["0", "1", "1", "0"]
    assert list(result["outputs"]) == ["y"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.neurona")), ids=lambda p: p.stem)
def test_every_example_exports_a_model_that_needs_nothing_else(path, tmp_path):
    """The exported file normalises its input itself: given the data's own units, a bare
    onnxruntime session computes what the trained network computes on the normalised data, and
    ``neurona predict`` gives exactly what that bare session gives."""
    import onnxruntime as ort
    import torch

    from studio.data import load_data
    from studio.deploy.parity import check_parity
    from studio.deploy.preprocessing import to_raw_units, with_normalization
    from studio.train.runs import open_run, trained

    run = tmp_path / "run"
    proc = run_cli("train", str(path), "--out", str(run), "--epochs", "1", "--quiet")
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("export", str(run), "-o", str(tmp_path / "m.onnx"), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["parity"]["passed"] and report["parity"]["max_abs_diff"] <= 1e-4

    r = open_run(run)
    trainer = trained(r, load_data(r.data["spec"], seed=r.config.seed, val_split=r.config.val_split,
                                   test_split=r.config.test_split))
    module = trainer.module.cpu().eval()
    x = np.ascontiguousarray(trainer.splits.test.x[:16])  # as the network takes them
    norm = r.data["normalization"]
    meta = {p.key: p.value for p in onnx.load(str(tmp_path / "m.onnx")).metadata_props}
    if norm is None or x.dtype.kind != "f":
        assert meta["neurona.preprocessing"] == "none"
        raw = x
    else:
        assert meta["neurona.preprocessing"] == "inside"
        raw = to_raw_units(norm, x)  # the data's own units: pixel counts, unscaled features
        assert not np.allclose(raw, x)
    # the units an image file is put in: the digits' counts run 0–16
    digits = r.data["spec"].split("?")[0] == "digits"
    assert json.loads(meta.get("neurona.raw_range", "null")) == ([0.0, 16.0] if digits else None)
    with torch.no_grad():
        want = module(torch.as_tensor(x)).numpy()
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    (name,) = [i.name for i in session.get_inputs()]
    (bare,) = session.run(None, {name: raw})
    assert np.allclose(bare, want, rtol=1e-4, atol=1e-4), np.abs(bare - want).max()

    np.save(tmp_path / "raw.npy", raw)
    proc = run_cli("predict", str(tmp_path / "m.onnx"), "--input", str(tmp_path / "raw.npy"), "--json")
    assert proc.returncode == 0, proc.stderr
    (predicted,) = json.loads(proc.stdout)["outputs"].values()
    assert np.array_equal(np.asarray(predicted, dtype=bare.dtype), bare)  # exactly, not nearly

    # An implementation independent of onnxruntime agrees too.
    shipped = module if meta["neurona.preprocessing"] == "none" else with_normalization(module, norm, x)
    reference = check_parity(shipped, tmp_path / "m.onnx", (raw,), engine="reference")
    assert reference.passed, reference.max_abs_diff


def test_export_of_a_missing_run_exits_2(tmp_path):
    proc = run_cli("export", str(tmp_path), "-o", str(tmp_path / "m.onnx"))
    assert proc.returncode == 2 and "not a training run" in proc.stderr


def test_predict_on_unreadable_input_exits_2(xor_model, tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_text("hello")
    proc = run_cli("predict", str(xor_model), "--input", str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = run_cli("predict", str(tmp_path / "missing.onnx"), "--input", str(bad))
    assert proc.returncode == 2


def test_export_of_damaged_weights_names_the_file(tmp_path):
    run = tmp_path / "run"
    assert run_cli("train", "examples/xor.neurona", "--out", str(run), "--epochs", "1", "--quiet").returncode == 0
    for name in ("best.safetensors", "last.safetensors"):
        (run / name).write_bytes(b"not weights")
    proc = run_cli("export", str(run), "-o", str(tmp_path / "m.onnx"))
    assert proc.returncode == 1 and "internal error" not in proc.stderr
    assert "best.safetensors cannot be read" in proc.stderr and "train the network again" in proc.stderr
    assert not (tmp_path / "m.onnx").exists()


def test_a_run_exports_after_its_data_has_moved(tmp_path):
    """The run's own test samples check the export when its data no longer loads; the metadata
    comes from the run, so the model still knows its classes and normalisation."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 2))
    csv = tmp_path / "mine.csv"
    csv.write_text("a,b,label\n" + "".join(f"{a:.4f},{b:.4f},{int(a * b > 0)}\n" for a, b in x))
    run = tmp_path / "run"
    spec = f"csv:{csv}?target=label"
    assert run_cli("train", "examples/xor.neurona", "--data", spec, "--out", str(run), "--epochs", "2",
                   "--quiet").returncode == 0
    csv.rename(tmp_path / "moved.csv")
    proc = run_cli("export", str(run), "-o", str(tmp_path / "m.onnx"), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    kept = int(np.load(run / "samples.npz")["x"].shape[0])
    assert report["parity"]["passed"] and report["parity"]["samples"] == kept
    assert len(report["notes"]) == 1 and "does not exist" in report["notes"][0]
    assert f"on the {kept} test samples the run kept" in report["notes"][0]
    meta = {p.key: p.value for p in onnx.load(str(tmp_path / "m.onnx")).metadata_props}
    assert meta["neurona.data"] == spec and json.loads(meta["neurona.class_names"]) == ["0", "1"]
    assert json.loads(meta["neurona.normalization"]) == json.loads((run / "data.json").read_text())["normalization"]
    (run / "samples.npz").unlink()
    proc = run_cli("export", str(run), "-o", str(tmp_path / "n.onnx"))
    assert proc.returncode == 1 and "put the data back where it was" in proc.stderr
    assert not (tmp_path / "n.onnx").exists()


def test_predict_normalises_once_whatever_the_model_was_exported_with(tmp_path):
    """Inside the graph (now), by predict from metadata (a model exported before), or by the user
    (--no-preprocessing, and predict says so): the same raw numbers, the same answer."""
    rng = np.random.default_rng(1)
    x = rng.normal(loc=(50.0, -3.0), scale=(10.0, 0.5), size=(80, 2))
    csv = tmp_path / "mine.csv"
    csv.write_text("a,b,label\n" + "".join(f"{a:.4f},{b:.4f},{int(a > 50)}\n" for a, b in x))
    run = tmp_path / "run"
    assert run_cli("train", "examples/xor.neurona", "--data", f"csv:{csv}?target=label", "--out", str(run),
                   "--epochs", "2", "--quiet").returncode == 0
    assert run_cli("export", str(run), "-o", str(tmp_path / "inside.onnx")).returncode == 0
    proc = run_cli("export", str(run), "-o", str(tmp_path / "outside.onnx"), "--no-preprocessing", "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["parity"]["passed"], proc.stderr
    legacy = onnx.load(str(tmp_path / "outside.onnx"))  # as exported before the graph carried it
    kept = [p for p in legacy.metadata_props if p.key != "neurona.preprocessing"]
    del legacy.metadata_props[:]
    legacy.metadata_props.extend(kept)
    onnx.save(legacy, str(tmp_path / "legacy.onnx"))

    norm = json.loads((run / "data.json").read_text())["normalization"]
    raw = x[:6].astype(np.float32)
    np.save(tmp_path / "raw.npy", raw)
    np.save(tmp_path / "normalised.npy", ((raw - norm["mean"]) / np.asarray(norm["std"])).astype(np.float32))

    def predict(model, inputs):
        proc = run_cli("predict", str(tmp_path / model), "--input", str(tmp_path / inputs), "--json")
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout)
        return np.asarray(result["outputs"]["y"]), result["notes"]

    inside, notes = predict("inside.onnx", "raw.npy")
    assert notes == []
    old, _ = predict("legacy.onnx", "raw.npy")
    outside, notes = predict("outside.onnx", "normalised.npy")
    np.testing.assert_allclose(old, inside, atol=1e-5)
    np.testing.assert_allclose(outside, inside, atol=1e-5)
    assert len(notes) == 1 and "already normalised" in notes[0]
    unnormalised, _ = predict("outside.onnx", "raw.npy")  # raw numbers are not what it takes
    assert not np.allclose(unnormalised, inside, atol=1e-3)
    proc = run_cli("predict", str(tmp_path / "outside.onnx"), "--input", str(tmp_path / "raw.npy"))
    assert "note: this model was exported without its preprocessing" in proc.stderr
