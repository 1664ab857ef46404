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
def test_every_example_exports_and_matches_torch(path, tmp_path):
    run = tmp_path / "run"
    proc = run_cli("train", str(path), "--out", str(run), "--epochs", "1", "--quiet")
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("export", str(run), "-o", str(tmp_path / "m.onnx"), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["parity"]["passed"] and report["parity"]["max_abs_diff"] <= 1e-4
    # An implementation independent of onnxruntime agrees too.
    from studio.deploy.parity import check_parity
    from studio.train.runs import open_run, trained
    from studio.data import load_data

    r = open_run(run)
    trainer = trained(r, load_data(r.data["spec"], seed=r.config.seed, val_split=r.config.val_split,
                                   test_split=r.config.test_split))
    x = np.ascontiguousarray(trainer.splits.test.x[:16])
    reference = check_parity(trainer.module.cpu().eval(), tmp_path / "m.onnx", (x,), engine="reference")
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
