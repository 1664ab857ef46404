"""Every bundled example graph (examples/*.neurona) loads, validates without a single warning,
summarises, compiles, runs, survives the code-generation round trip, and has the output shape and
parameter count the course expects. (What each one reaches when trained with its own settings is
tested in tests/train/test_defaults_reach_targets.py.)

New examples are picked up automatically by the glob below. No Qt.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from conftest import random_inputs
from studio.compile import analyze, build_module
from studio.compile.codegen import generate
from studio.compile.lowering import class_name
from studio.layers import dump_graph, load_graph, read_graph

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.neurona"))
BATCH = 3

# What the course material expects of every example (a new example must say what it expects too).
EXPECTED_OUTPUT_SHAPE = {"digits_cnn": (10,), "digits_mlp": (10,), "xor": (1,), "binary_classifier": (1,),
                         "residual_cnn": (10,), "sine_lstm": (1,), "gru_classifier": (2,),
                         "conv_autoencoder": (1, 8, 8), "transformer_classifier": (2,)}
EXPECTED_TOTAL_PARAMS = {
    "xor": 2 * 4 + 4 + 4 * 1 + 1,
    "binary_classifier": 10 * 16 + 16 + 16 * 1 + 1,
    "digits_mlp": (64 * 128 + 128) + (128 * 64 + 64) + (64 * 10 + 10),
    # conv 3×3 (1→16), batch norm, conv 3×3 (16→32), Linear 128→64, Linear 64→10
    "digits_cnn": (9 * 16 + 16) + 2 * 16 + (9 * 16 * 32 + 32) + (128 * 64 + 64) + (64 * 10 + 10),
    # stem conv, two 3×3 convs (16→16) with batch norms, head 16→10
    "residual_cnn": (9 * 16 + 16) + 2 * (9 * 16 * 16 + 16 + 2 * 16) + (16 * 10 + 10),
    "sine_lstm": 4 * (32 * (1 + 32) + 2 * 32) + (32 + 1),  # 4 gates: input and hidden weights, two biases
    "gru_classifier": 3 * (32 * (4 + 32) + 2 * 32) + (32 * 2 + 2),  # 3 gates
    # two stride-2 convs (1→16→32), two transposed 2×2 convs (32→16→1)
    "conv_autoencoder": (9 * 16 + 16) + (9 * 16 * 32 + 32) + (4 * 32 * 16 + 16) + (4 * 16 + 1),
    # embedding 32×32; encoder: attention in/out projections, feed-forward 32→64→32, two layer norms;
    # head 16·32 → 2
    "transformer_classifier": 32 * 32 + (3 * 32 * 32 + 3 * 32) + (32 * 32 + 32) + (32 * 64 + 64) + (64 * 32 + 32)
                              + 2 * 2 * 32 + (16 * 32 * 2 + 2),
}
REQUIRED = {"xor", "binary_classifier", "digits_mlp", "digits_cnn", "residual_cnn", "sine_lstm",
            "gru_classifier", "conv_autoencoder", "transformer_classifier"}


def _ids(paths):
    return [p.stem for p in paths]


@pytest.fixture(scope="module", params=EXAMPLES, ids=_ids(EXAMPLES))
def example(request):
    """(path, graph, analysis, compiled module) for one example, built once per module."""
    path = request.param
    graph = load_graph(path)
    analysis = analyze(graph)
    module = build_module(graph, analysis) if analysis.ok else None
    return path, graph, analysis, module


def _output_shape(analysis):
    (out_id,) = analysis.outputs()
    return analysis.nodes[out_id].outputs["out"].shape


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_the_course_architectures_are_all_there():
    assert len(EXAMPLES) >= 9
    assert REQUIRED <= {p.stem for p in EXAMPLES}


def test_every_example_has_its_expected_figures():
    names = {p.stem for p in EXAMPLES}
    assert set(EXPECTED_OUTPUT_SHAPE) == names
    assert set(EXPECTED_TOTAL_PARAMS) == names


def test_loads_and_analyses_cleanly(example):
    path, graph, analysis, _ = example
    assert analysis.ok, [str(p) for p in analysis.problems]
    assert analysis.warnings == [], [str(p) for p in analysis.warnings]
    assert graph.name == path.stem
    assert len(graph.description.split()) >= 20, "the description should tell a learner what to look at"
    assert len(analysis.inputs()) == 1 and len(analysis.outputs()) == 1


def test_every_node_is_placed_in_reading_order(example):
    """Wires run left to right, or down to a later row of a chain wrapped like text."""
    _, graph, analysis, _ = example
    missing = [n.id for n in graph.nodes.values() if n.position is None]
    assert not missing, f"nodes without a position: {missing}"
    pos = {k: n.position for k, n in graph.nodes.items()}
    for e in graph.edges:
        (xs, ys), (xd, yd) = pos[e.src], pos[e.dst]
        assert xs < xd or yd >= ys + 100, f"wire {e.src} → {e.dst} runs right to left"
    spots = [n.position for n in graph.nodes.values()]
    assert len(set(spots)) == len(spots), "two nodes share a position"


def test_file_round_trip(example):
    """Saving an example and reading it back changes nothing the editor or compiler sees."""
    _, graph, _, _ = example
    again = read_graph(dump_graph(graph))
    assert (again.name, again.description) == (graph.name, graph.description)
    assert [(n.id, n.type, n.params, n.position) for n in again.nodes.values()] == \
        [(n.id, n.type, n.params, n.position) for n in graph.nodes.values()]
    assert again.edges == graph.edges


def test_cli_check(example):
    path = example[0]
    result = _cli("check", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["errors"] == [] and report["warnings"] == []


def test_cli_summary_json(example):
    path, graph, analysis, module = example
    result = _cli("summary", str(path), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["valid"] is True
    assert [n["id"] for n in summary["nodes"]] == analysis.order
    assert {n["id"] for n in summary["nodes"]} == set(graph.nodes)
    for n in summary["nodes"]:
        assert {"id", "type", "output_shape", "params"} <= set(n)
        assert n["type"] == graph.nodes[n["id"]].type
        assert n["output_shape"][0] is None, n  # the batch
        assert all(isinstance(d, int) and d > 0 for d in n["output_shape"][1:]), n
    real = sum(p.numel() for p in module.parameters())
    assert summary["total_params"] == real == analysis.total_params
    assert summary["trainable_params"] == sum(p.numel() for p in module.parameters() if p.requires_grad)


def test_forward_pass_gives_the_inferred_shape(example):
    _, graph, analysis, module = example
    module.eval()
    with torch.no_grad():
        out = module(*random_inputs(graph, analysis, BATCH))
    assert isinstance(out, torch.Tensor)
    assert tuple(out.shape) == (BATCH, *_output_shape(analysis))
    assert out.dtype == torch.float32
    assert torch.isfinite(out).all()


def test_training_mode_forward_and_backward(example):
    """One training step's worth of work: batch statistics, dropout and gradients all flow."""
    _, graph, analysis, module = example
    module.train()
    try:
        out = module(*random_inputs(graph, analysis, BATCH, seed=1))
        out.float().pow(2).mean().backward()
    finally:
        module.zero_grad(set_to_none=True)
        module.eval()
    assert tuple(out.shape) == (BATCH, *_output_shape(analysis))


def test_generated_code_round_trip(example):
    _, graph, analysis, module = example
    source = generate(graph, analysis)
    namespace: dict = {"__name__": "generated_example"}
    exec(compile(source, "<generated>", "exec"), namespace)
    cls = namespace[class_name(graph)]
    torch.manual_seed(1234)
    standalone = cls()
    assert list(standalone.state_dict()) == list(module.state_dict())
    standalone.load_state_dict(module.state_dict(), strict=True)
    standalone.eval()
    module.eval()
    xs = random_inputs(graph, analysis, BATCH, seed=2)
    with torch.no_grad():
        want = module(*xs)
        got = standalone(*xs)
    assert got.shape == want.shape
    assert (got - want).abs().max().item() <= 1e-6


def test_compiled_forward_reads_like_hand_written_code(example):
    from studio.compile.build import readable_code

    _, graph, analysis, module = example
    code = readable_code(module)
    assert "= None" not in code
    assert "= None" in module.code or len(graph.nodes) <= 3  # the running module frees memory early
    for node_id, node in graph.nodes.items():
        if node.type in ("Input", "Output"):
            continue
        assert re.search(rf"\b{re.escape(node_id)}\b", code), f"{node_id!r} is not in the compiled forward:\n{code}"


def test_output_shapes_the_course_expects(example):
    path, _, analysis, _ = example
    assert _output_shape(analysis) == EXPECTED_OUTPUT_SHAPE[path.stem]


def test_parameter_counts_the_course_expects(example):
    path, _, analysis, module = example
    expected = EXPECTED_TOTAL_PARAMS[path.stem]
    assert analysis.total_params == expected
    assert sum(p.numel() for p in module.parameters()) == expected


def test_autoencoder_reconstructs_the_input_shape():
    graph = load_graph(ROOT / "examples" / "conv_autoencoder.neurona")
    analysis = analyze(graph)
    (in_id,) = analysis.inputs()
    assert analysis.nodes[in_id].outputs["out"].shape == (1, 8, 8)
    assert _output_shape(analysis) == (1, 8, 8)


def test_transformer_takes_token_ids():
    graph = load_graph(ROOT / "examples" / "transformer_classifier.neurona")
    analysis = analyze(graph)
    (in_id,) = analysis.inputs()
    assert analysis.nodes[in_id].params["dtype"] == "int64"
