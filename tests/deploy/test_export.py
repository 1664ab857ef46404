"""Every bundled example exports to ONNX and the file is right: it passes the full ONNX checker,
keeps a dynamic batch axis (batch 1 and 7 both run), matches torch within 1e-4 in onnxruntime and
in onnx's reference evaluator, and carries our metadata and producer. Plus the exporter's choices
(which exporter, the fallback) and its one-line DeployErrors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import onnx
import pytest

from conftest import random_inputs
import torch

import studio
from studio.compile import analyze, build_module
from studio.deploy import onnx_export
from studio.deploy.errors import DeployError
from studio.deploy.onnx_export import MAX_OPSET, MIN_OPSET, ExportReport, export_onnx
from studio.deploy.parity import check_parity
from studio.deploy.runner import OnnxRunner
from studio.layers import load_graph

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.neurona"))
METADATA = {"neurona.class_names": json.dumps(["zero", "one"]), "neurona.task": "classification",
            "neurona.graph": '{"nodes": []}', "neurona.note": "ünïcode ✓"}


def _torch(module, inputs) -> list[np.ndarray]:
    with torch.no_grad():
        out = module(*inputs)
    return [o.numpy() for o in (out if isinstance(out, tuple) else (out,))]


@pytest.fixture(scope="module", params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def exported(request, tmp_path_factory):
    torch.manual_seed(0)
    graph = load_graph(request.param)
    analysis = analyze(graph)
    module = build_module(graph, analysis).eval()
    path = tmp_path_factory.mktemp(request.param.stem) / "model.onnx"
    report = export_onnx(module, path, example_inputs=random_inputs(graph, analysis, 4, seed=1),
                         input_names=analysis.inputs(), output_names=analysis.outputs(), metadata=METADATA)
    return graph, analysis, module, path, report


def test_the_report(exported):
    _, analysis, _, path, report = exported
    assert isinstance(report, ExportReport)
    assert report.path == str(path) and path.is_file()
    assert report.opset == 18 and report.exporter in ("dynamo", "torchscript")
    assert report.inputs == analysis.inputs() and report.outputs == analysis.outputs()
    assert 0 < report.seconds < 60
    assert not list(path.parent.glob(".*.tmp")), "the temporary file was left behind"
    assert not list(path.parent.glob("*.data")), "weights went to an external data file"


def test_the_file_passes_the_full_checker_and_carries_metadata(exported):
    *_, path, report = exported
    onnx.checker.check_model(str(path), full_check=True)
    model = onnx.load(path)
    assert model.producer_name == "Neurona Studio" and model.producer_version == studio.__version__
    meta = {p.key: p.value for p in model.metadata_props}
    # which operator makes each output: a runner knows a final Sigmoid without reading the graph
    ops = json.loads(meta.pop("neurona.output_ops"))
    graph = exported[0]
    last = {graph.nodes[e.src].type for e in graph.edges if graph.nodes[e.dst].type == "Output"}
    assert list(ops) == report.outputs
    assert (set(ops.values()) == {"Sigmoid"}) == (last == {"Sigmoid"}), (ops, last)
    assert meta == METADATA
    assert OnnxRunner(path).metadata == {**METADATA, "neurona.output_ops": json.dumps(ops)}
    assert next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) == report.opset


@pytest.mark.parametrize("batch", [1, 7])
def test_the_batch_axis_is_dynamic(exported, batch):
    graph, analysis, module, path, _ = exported
    runner = OnnxRunner(path)
    assert all(isinstance(spec.shape[0], str) for spec in runner.inputs + runner.outputs)
    inputs = random_inputs(graph, analysis, batch, seed=2)
    got = runner.run({n: x.numpy() for n, x in zip(analysis.inputs(), inputs)}, preprocess=False)
    for (name, out), want in zip(got.items(), _torch(module, inputs)):
        assert out.shape == want.shape and out.shape[0] == batch, name
        np.testing.assert_allclose(out, want, rtol=0, atol=1e-4, err_msg=name)


@pytest.mark.parametrize("engine", ["onnxruntime", "reference"])
def test_parity_with_torch(exported, engine):
    graph, analysis, module, path, _ = exported
    inputs = tuple(x.numpy() for x in random_inputs(graph, analysis, 6, seed=3))
    report = check_parity(module, path, inputs, engine=engine)
    assert report.engine == engine and report.samples == 6 and report.atol == 1e-4
    assert set(report.per_output) == set(analysis.outputs())
    assert report.passed and report.max_abs_diff <= 1e-4, report


# -- exporter choice and failures (one small model) ---------------------------------------------

@pytest.fixture(scope="module")
def xor():
    torch.manual_seed(0)
    graph = load_graph(ROOT / "examples" / "xor.neurona")
    analysis = analyze(graph)
    return build_module(graph, analysis).eval(), analysis


def _export(xor, path, **kwargs):
    module, analysis = xor
    kwargs.setdefault("example_inputs", (torch.randn(4, 2),))
    return export_onnx(module, path, input_names=analysis.inputs(), output_names=analysis.outputs(), **kwargs)


def test_auto_prefers_the_fast_exporter_and_dynamo_takes_over_above_its_opsets(xor, tmp_path):
    assert _export(xor, tmp_path / "a.onnx").exporter == "torchscript"
    report = _export(xor, tmp_path / "b.onnx", opset=MAX_OPSET)
    assert report.exporter == "dynamo" and report.opset == MAX_OPSET and report.fallback_reason
    low = _export(xor, tmp_path / "c.onnx", opset=MIN_OPSET)
    assert low.opset == MIN_OPSET
    x = np.random.default_rng(0).normal(size=(5, 2)).astype(np.float32)
    for path in ("a.onnx", "b.onnx", "c.onnx"):
        assert check_parity(xor[0], tmp_path / path, (x,)).passed


def test_a_failing_exporter_falls_back_to_the_other(xor, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise onnx_export._ExportFailed("RuntimeError: simulated")

    monkeypatch.setitem(onnx_export._EXPORTERS, "torchscript", broken)
    report = _export(xor, tmp_path / "m.onnx")
    assert report.exporter == "dynamo" and "simulated" in report.fallback_reason
    monkeypatch.setitem(onnx_export._EXPORTERS, "dynamo", broken)
    with pytest.raises(DeployError) as excinfo:
        _export(xor, tmp_path / "n.onnx")
    assert "simulated" in str(excinfo.value) and "\n" not in str(excinfo.value)
    assert not (tmp_path / "n.onnx").exists()


def test_an_opset_outside_the_range_is_a_deploy_error(xor, tmp_path):
    for opset in (MIN_OPSET - 1, MAX_OPSET + 1, 6, "18"):
        with pytest.raises(DeployError) as excinfo:
            _export(xor, tmp_path / "m.onnx", opset=opset)
        message = str(excinfo.value)
        assert f"{MIN_OPSET} to {MAX_OPSET}" in message and "\n" not in message
    assert not (tmp_path / "m.onnx").exists()


def test_bad_arguments_are_deploy_errors(xor, tmp_path):
    cases = [
        dict(path=tmp_path / "missing" / "m.onnx"),
        dict(path=tmp_path, ),
        dict(path=tmp_path / "m.onnx", metadata={"k": 1}),
        dict(path=tmp_path / "m.onnx", example_inputs=[torch.randn(4, 2)]),
        dict(path=tmp_path / "m.onnx", example_inputs=(torch.randn(4, 2), torch.randn(4, 2))),
    ]
    for case in cases:
        path = case.pop("path")
        with pytest.raises(DeployError) as excinfo:
            _export(xor, path, **case)
        assert "\n" not in str(excinfo.value)


def test_an_export_the_checker_rejects_leaves_no_file(xor, tmp_path, monkeypatch):
    def reject(*args, **kwargs):
        raise onnx.checker.ValidationError("simulated\nsecond line")

    monkeypatch.setattr(onnx.checker, "check_model", reject)
    with pytest.raises(DeployError) as excinfo:
        _export(xor, tmp_path / "m.onnx")
    assert "checker" in str(excinfo.value) and "\n" not in str(excinfo.value)
    assert os.listdir(tmp_path) == []


def test_an_export_is_silent(xor, tmp_path, capfd):
    _export(xor, tmp_path / "a.onnx", opset=MAX_OPSET)  # the dynamo exporter is the chatty one
    out, err = capfd.readouterr()
    assert out == "" and err == ""
