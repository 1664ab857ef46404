"""Training settings, the event schema and the metrics — the parts that need no training run.
Metrics are checked against scikit-learn, an independent implementation."""

import json

import numpy as np
import pytest
from sklearn import metrics as skm

from studio.train.config import ConfigError, TrainConfig
from studio.train import events as ev
from studio.train.metrics import classification_metrics, regression_metrics


def test_defaults_are_valid_and_round_trip():
    cfg = TrainConfig()
    cfg.validate()
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg


@pytest.mark.parametrize("data,fragment", [
    ({"epoch": 3}, "training.epoch: unknown setting — did you mean 'epochs'?"),
    ({"epochs": 0}, "training.epochs: must be a whole number of at least 1"),
    ({"lr": -1}, "training.lr: must be a number above 0"),
    ({"lr": "fast"}, "training.lr"),
    ({"optimizer": "adamax"}, "must be one of sgd, adam, adamw, rmsprop, adagrad"),
    ({"nesterov": True}, "needs optimizer sgd with momentum above 0"),
    ({"device": "gpu"}, "must be auto, cpu, cuda or cuda:N"),
    ({"val_split": 0.5, "test_split": 0.5}, "must leave samples to train on"),
    ({"batch_size": True}, "training.batch_size"),
])
def test_bad_settings_name_the_setting(data, fragment):
    with pytest.raises(ConfigError) as info:
        TrainConfig.from_dict(data)
    assert fragment in str(info.value)


def test_a_partly_bad_section_keeps_the_good_settings_and_names_each_bad_one():
    data = {"epochs": 50, "lr": -1, "optimizer": "sgd", "momentum": 0.9, "nesterov": True, "batchsize": 64,
            "val_split": 0.5, "test_split": 0.5, "seed": 7}
    cfg, errors = TrainConfig.from_dict_partly(data)
    assert (cfg.epochs, cfg.optimizer, cfg.momentum, cfg.nesterov, cfg.seed, cfg.val_split) == (50, "sgd", 0.9, True, 7, 0.5)
    assert cfg.lr == TrainConfig().lr and cfg.test_split == TrainConfig().test_split  # the defaults, for the bad ones
    assert sorted(errors) == ["batchsize", "lr", "test_split"]
    assert "did you mean 'batch_size'?" in str(errors["batchsize"])
    assert str(errors["lr"]).startswith("training.lr: must be a number above 0")
    assert "must leave samples to train on" in str(errors["test_split"])
    cfg.validate()
    # a setting that depends on another is judged with what was kept of it
    cfg, errors = TrainConfig.from_dict_partly({"optimizer": "sgdd", "momentum": 0.9, "nesterov": True})
    assert cfg.optimizer == "adam" and not cfg.nesterov and sorted(errors) == ["nesterov", "optimizer"]
    assert TrainConfig.from_dict_partly(TrainConfig(epochs=3).to_dict()) == (TrainConfig(epochs=3), {})
    cfg, errors = TrainConfig.from_dict_partly([1, 2])
    assert cfg == TrainConfig() and "must be an object of settings" in str(errors[""])


def test_gradient_descent_modes():
    assert TrainConfig(mode="full-batch").effective_batch_size(500) == 500
    assert TrainConfig(mode="stochastic").effective_batch_size(500) == 1
    assert TrainConfig(mode="mini-batch", batch_size=64).effective_batch_size(500) == 64


def test_cli_flags_override_file_settings():
    cfg = TrainConfig.from_dict({"epochs": 5, "lr": 0.1}).replace(epochs=7, lr=None)
    assert (cfg.epochs, cfg.lr) == (7, 0.1)


def test_events_round_trip_through_json():
    samples = [
        ev.RunStarted("r", "cpu", "classification", "cross_entropy", "adam", 3, 32, 100, 10, 10, 4, 1234, ["a", "b"]),
        ev.BatchLosses(1, 1, [0.5, 0.4], 0, 1000.0, 3.0),
        ev.EpochEnd(1, 3, {"loss": 0.4, "accuracy": 0.9}, {"loss": 0.5}, 0.001, 0.1, 1000.0, 0.2, True),
        ev.Warning("overfitting", "msg", 4), ev.Paused(1, 2), ev.Resumed(1, 2),
        ev.Done("completed", 3, 2, 1.5, "r", {"accuracy": 1.0}), ev.Error("nan", "m", "f", 2),
    ]
    for e in samples:
        line = e.to_json()
        assert "\n" not in line and json.loads(line)["event"] == e.kind
        assert ev.Event.from_json(line) == e


def test_non_finite_numbers_become_null():
    line = ev.EpochEnd(1, 1, {"loss": float("nan")}, {}, 0.1, 1.0, 1.0, None, False).to_json()
    assert json.loads(line)["train"]["loss"] is None


def test_classification_metrics_match_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 300)
    p = np.where(rng.random(300) < 0.7, y, rng.integers(0, 4, 300))
    m = classification_metrics(y, p, ["a", "b", "c", "d"])
    assert m["accuracy"] == pytest.approx(skm.accuracy_score(y, p))
    prec, rec, f1, support = skm.precision_recall_fscore_support(y, p, average="macro", zero_division=0)
    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx((prec, rec, f1))
    assert m["confusion_matrix"] == skm.confusion_matrix(y, p).tolist()  # rows = true class
    assert m["per_class"]["b"]["support"] == int((y == 1).sum())


def test_regression_metrics_match_scikit_learn():
    rng = np.random.default_rng(1)
    t = rng.normal(size=(200, 1))
    p = t + rng.normal(scale=0.3, size=(200, 1))
    m = regression_metrics(t, p)
    assert m["mse"] == pytest.approx(skm.mean_squared_error(t, p))
    assert m["mae"] == pytest.approx(skm.mean_absolute_error(t, p))
    assert m["r2"] == pytest.approx(skm.r2_score(t, p))
    assert m["rmse"] == pytest.approx(m["mse"] ** 0.5)
