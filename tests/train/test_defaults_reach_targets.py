"""Defaults that keep their promises. Each example, trained with its own "training" section, and
each built-in data set's typical network, trained with the settings the set suggests (what the
training panel starts from), reach on the test split at least the figure their description
states, through the real training engine.

The suite trains with seed 0, the seed a learner's run gets. ``NEURONA_TARGET_SEEDS=0,1,2``
checks the same promises on other seeds (the figures were chosen to hold on seeds 0–9).
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import EXAMPLES
from studio.compile.translate import translate
from studio.data import builtin_datasets, load_data
from studio.layers import graph_from_data, load_graph
from studio.train import TrainConfig, Trainer

SEEDS = [int(s) for s in os.environ.get("NEURONA_TARGET_SEEDS", "0").split(",")]
BUILTINS = {b.name: b for b in builtin_datasets()}

# name → (metric on the test split, the least it reaches); the description states the figure
EXAMPLE_TARGETS = {
    "xor": ("accuracy", 1.0),
    "binary_classifier": ("accuracy", 0.90),
    "digits_mlp": ("accuracy", 0.95),
    "digits_cnn": ("accuracy", 0.97),
    "residual_cnn": ("accuracy", 0.95),
    "gru_classifier": ("accuracy", 0.97),
    "transformer_classifier": ("accuracy", 0.95),
    "sine_lstm": ("r2", 0.95),
    "conv_autoencoder": ("r2", 0.90),
}
BUILTIN_TARGETS = {
    "xor": ("accuracy", 1.0),
    "moons": ("accuracy", 0.97),
    "circles": ("accuracy", 0.97),
    "spirals": ("accuracy", 0.90),
    "blobs": ("accuracy", 0.90),
    "iris": ("accuracy", 0.85),
    "wine": ("accuracy", 0.90),
    "breast_cancer": ("accuracy", 0.90),
    "digits": ("accuracy", 0.97),
    "sine": ("r2", 0.95),
    "sequences": ("accuracy", 0.97),
    "tokens": ("accuracy", 0.95),
}
# The network a set is tried with: the example written for it, else two hidden layers of 16.
BUILTIN_EXAMPLE = {"digits": "digits_cnn", "sine": "sine_lstm", "sequences": "gru_classifier",
                   "tokens": "transformer_classifier"}
TWO_CLASSES = {"xor", "moons", "circles", "spirals", "blobs", "breast_cancer"}
HIDDEN = 16

_runs: dict[str, dict] = {}  # (network, settings) → test metrics: an example and its set share a run


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """Networks this small train fastest on one thread; more only wait on each other, and on a
    busy machine they slowed these runs tenfold."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _mlp(features: int, outputs: int):
    nodes = [{"id": "x", "type": "Input", "params": {"shape": [features]}},
             {"id": "dense1", "type": "Linear", "params": {"out_features": HIDDEN}}, {"id": "relu1", "type": "ReLU"},
             {"id": "dense2", "type": "Linear", "params": {"out_features": HIDDEN}}, {"id": "relu2", "type": "ReLU"},
             {"id": "out", "type": "Linear", "params": {"out_features": outputs}}, {"id": "y", "type": "Output"}]
    return graph_from_data({"format": "neurona-graph", "version": 1, "name": f"mlp_{features}_{outputs}",
                            "nodes": nodes, "edges": [{"from": a["id"], "to": b["id"]} for a, b in zip(nodes, nodes[1:])]})


def _test_metrics(network: str, graph, cfg: TrainConfig, tmp_path_factory) -> dict:
    key = json.dumps([network, cfg.to_dict()], sort_keys=True)
    if key not in _runs:
        splits = load_data(cfg.data, seed=cfg.seed, val_split=cfg.val_split, test_split=cfg.test_split)
        _runs[key] = Trainer(graph, splits, cfg, tmp_path_factory.mktemp("run") / "r").run().test
    return _runs[key]


def _figure(metric: str, least: float) -> str:
    """How a description states the promise: "97 %", "R² ≥ 0.95"."""
    return f"{least * 100:.0f} %" if metric == "accuracy" else f"R² ≥ {least:g}"


def _heads(name: str) -> tuple[str, ...]:
    """The networks a set is tried with: its example; else the MLP, and for two classes both
    heads a learner builds (one logit for BCEWithLogitsLoss, two for CrossEntropyLoss)."""
    if name in BUILTIN_EXAMPLE:
        return ("example",)
    return ("one score", "a score per class") if name in TWO_CLASSES else ("a score per class",)


def _suggested_config(name: str, seed: int) -> TrainConfig:
    return TrainConfig.from_dict({"data": name, **BUILTINS[name].suggested, "seed": seed})


# -- the promises are stated and complete (fast) ------------------------------------------------


def test_every_example_and_builtin_set_has_a_promise():
    assert set(EXAMPLE_TARGETS) == {p.stem for p in EXAMPLES.glob("*.neurona")}
    assert set(BUILTIN_TARGETS) == set(BUILTINS)


@pytest.mark.parametrize("name", sorted(EXAMPLE_TARGETS))
def test_each_example_states_its_promise(name):
    assert _figure(*EXAMPLE_TARGETS[name]) in load_graph(EXAMPLES / f"{name}.neurona").description


@pytest.mark.parametrize("name", sorted(BUILTIN_TARGETS))
def test_each_builtin_set_states_its_promise_in_both_languages(name):
    figure, description = _figure(*BUILTIN_TARGETS[name]), BUILTINS[name].description
    assert figure in description
    assert figure in translate(description, "es", strict=True)  # numbers carried over as written


def test_the_two_class_sets_are_the_ones_with_two_classes():
    assert TWO_CLASSES == {n for n in BUILTINS if BUILTINS[n].task == "classification"
                           and len(load_data(n).class_names) == 2} - set(BUILTIN_EXAMPLE)


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_each_builtin_set_suggests_complete_valid_settings(name):
    suggested = dict(BUILTINS[name].suggested)
    assert set(suggested) == {"epochs", "mode", "batch_size", "optimizer", "lr", "momentum"}
    TrainConfig.from_dict(suggested)  # valid settings of a "training" section


@pytest.mark.parametrize("name", sorted(BUILTIN_EXAMPLE))
def test_a_set_with_its_own_example_suggests_the_examples_settings(name):
    """The panel shows what the example trains with, and the tests below train it once."""
    section = load_graph(EXAMPLES / f"{BUILTIN_EXAMPLE[name]}.neurona").extra["training"]
    assert section["data"] == name
    assert TrainConfig.from_dict(section) == _suggested_config(name, 0)


# -- the promises are kept (real training) ------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", sorted(EXAMPLE_TARGETS))
def test_each_example_reaches_what_its_description_promises(name, seed, tmp_path_factory):
    graph = load_graph(EXAMPLES / f"{name}.neurona")
    cfg = TrainConfig.from_dict({**graph.extra["training"], "seed": seed})
    metric, least = EXAMPLE_TARGETS[name]
    got = _test_metrics(name, graph, cfg, tmp_path_factory)[metric]
    assert got >= least, f"{name} (seed {seed}): test {metric} {got:.4f} < {least}"


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name, head", [(n, h) for n in sorted(BUILTIN_TARGETS) for h in _heads(n)])
def test_each_builtin_set_reaches_its_promise_with_the_suggested_settings(name, head, seed, tmp_path_factory):
    cfg = _suggested_config(name, seed)
    if head == "example":
        network = BUILTIN_EXAMPLE[name]
        graph = load_graph(EXAMPLES / f"{network}.neurona")
    else:
        outputs = 1 if head == "one score" else len(load_data(name).class_names)
        network, graph = f"mlp->{outputs}", _mlp(BUILTINS[name].sample_shape[0], outputs)
    metric, least = BUILTIN_TARGETS[name]
    got = _test_metrics(network, graph, cfg, tmp_path_factory)[metric]
    assert got >= least, f"{name}, {network} (seed {seed}): test {metric} {got:.4f} < {least}"
