"""Each training setting does what it says, in real (short) runs: optimisers, the three modes
of gradient descent, schedules, early stopping, seeds, the overfitting hint and the event rate."""

import json

import pytest

from conftest import EXAMPLES
from digits_fixtures import digits, mlp  # noqa: F401 (fixtures)
from studio.data import load_data
from studio.layers import load_graph
from studio.train import TrainConfig, Trainer
from studio.train.config import OPTIMIZERS
from studio.train.events import EventStream


def run(graph, data, tmp_path, **settings):
    events = []
    result = Trainer(graph, data, TrainConfig(**settings), tmp_path, stream=EventStream(listener=events.append)).run()
    return result, events


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_learns(optimizer, mlp, digits, tmp_path):
    lr = 0.05 if optimizer in ("sgd", "adagrad") else 1e-3
    result, _ = run(mlp, digits, tmp_path, optimizer=optimizer, lr=lr, epochs=3, momentum=0.9 if optimizer == "sgd" else 0.0)
    assert result.history[-1]["train"]["loss"] < result.history[0]["train"]["loss"]


@pytest.mark.parametrize("mode,batches", [("full-batch", 1), ("stochastic", None), ("mini-batch", 20)])
def test_modes_of_gradient_descent(mode, batches, mlp, digits, tmp_path):
    _, events = run(mlp, digits, tmp_path, mode=mode, batch_size=64, epochs=1)
    start = events[0]
    assert start.batches_per_epoch == (batches or start.train_samples)
    assert start.batch_size == {"full-batch": start.train_samples, "stochastic": 1, "mini-batch": 64}[mode]


@pytest.mark.parametrize("schedule,expected", [
    ("step", [0.01, 0.01, 0.001, 0.001]),
    ("exponential", [0.01, 0.005, 0.0025, 0.00125]),
    ("cosine", [0.01, 0.0085355, 0.005, 0.0014645]),
])
def test_learning_rate_schedules(schedule, expected, mlp, digits, tmp_path):
    result, _ = run(mlp, digits, tmp_path, schedule=schedule, lr=0.01, epochs=4, step_size=2,
                    gamma=0.1 if schedule == "step" else 0.5)
    assert [h["lr"] for h in result.history] == pytest.approx(expected, rel=1e-4)


def test_reduce_on_plateau_lowers_the_rate_when_validation_stalls(mlp, digits, tmp_path):
    result, _ = run(mlp, digits, tmp_path, schedule="plateau", plateau_patience=0, gamma=0.5, lr=0.5,
                    optimizer="sgd", epochs=6)
    assert min(h["lr"] for h in result.history) < 0.5


def test_early_stopping_ends_the_run_and_keeps_the_best_epoch(mlp, digits, tmp_path):
    # A huge learning rate makes validation loss stop improving almost at once.
    result, events = run(mlp, digits, tmp_path, optimizer="sgd", lr=2.0, epochs=50, early_stopping=2)
    assert result.reason == "early_stopping"
    assert result.epochs_run - result.best_epoch == 2
    assert events[-1].kind == "done" and events[-1].reason == "early_stopping"
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["best_epoch"] == result.best_epoch


def test_the_same_seed_gives_the_same_run(mlp, digits, tmp_path):
    a, _ = run(mlp, digits, tmp_path / "a", seed=7, epochs=2)
    b, _ = run(mlp, digits, tmp_path / "b", seed=7, epochs=2)
    c, _ = run(mlp, digits, tmp_path / "c", seed=8, epochs=2)
    assert [h["train"]["loss"] for h in a.history] == [h["train"]["loss"] for h in b.history]
    assert [h["train"]["loss"] for h in a.history] != [h["train"]["loss"] for h in c.history]


def test_the_overfitting_hint_appears_when_validation_loss_rises(tmp_path):
    # A big network on 40 noisy points memorises them: validation loss climbs while training loss falls.
    graph = load_graph(EXAMPLES / "digits_mlp.neurona")
    data = load_data("moons?n=60&noise=0.45", val_split=0.4)
    graph.nodes["x"].params["shape"] = [2]
    graph.nodes["out"].params["out_features"] = 2
    _, events = run(graph, data, tmp_path, lr=0.01, epochs=200, batch_size=8)
    hints = [e for e in events if e.kind == "warning" and e.code == "overfitting"]
    assert len(hints) == 1 and "overfitting" in hints[0].message


def test_batch_events_are_grouped_to_about_twenty_a_second(mlp, digits, tmp_path):
    _, events = run(mlp, digits, tmp_path, mode="stochastic", epochs=1)
    batches = [e for e in events if e.kind == "batches"]
    assert sum(len(e.losses) for e in batches) == events[0].train_samples  # every batch's loss, none lost
    seconds = [e for e in events if e.kind == "epoch"][0].seconds
    assert len(batches) <= 25 * seconds + 2  # grouped, not one line per batch
    steps = [e.step for e in batches]
    assert steps == sorted(steps)
