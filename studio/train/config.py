"""Training configuration: what ``neurona train`` flags set, what a ``.neurona`` file's
``"training"`` section stores, and what the desktop's training panel edits.

Plain data with validation that names the key and the fix. No Qt, no torch.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from dataclasses import dataclass
from typing import Any, Mapping

from ..graph.model import show_value

LOSSES = ("auto", "mse", "l1", "smooth_l1", "huber", "bce", "bce_with_logits", "cross_entropy", "nll")
OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad")
SCHEDULES = ("none", "step", "exponential", "cosine", "plateau")
MODES = ("mini-batch", "full-batch", "stochastic")
MONITORS = ("val_loss", "val_accuracy", "loss", "accuracy")


class ConfigError(ValueError):
    """A bad setting. The message names the setting and what to do; ``key`` is the setting
    (None when the section as a whole is wrong) and ``why`` the message without the setting's
    name, for a form that labels its fields its own way."""

    def __init__(self, message: str, key: str | None = None, why: str | None = None) -> None:
        super().__init__(message)
        self.key, self.why = key, why


@dataclass
class TrainConfig:
    data: str | None = None  # a data spec (see docs/data-specs.md); None: the file's or the CLI's choice
    epochs: int = 20
    mode: str = "mini-batch"  # gradient descent: mini-batch, full-batch (all samples per step) or stochastic (one)
    batch_size: int = 32  # used in mini-batch mode
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.0  # SGD and RMSprop
    nesterov: bool = False  # SGD with momentum > 0
    weight_decay: float = 0.0
    loss: str = "auto"  # chosen from the graph and the data
    schedule: str = "none"
    step_size: int = 10  # step schedule: epochs between decays
    gamma: float = 0.1  # step and exponential schedules: decay factor
    plateau_patience: int = 5  # reduce-on-plateau: epochs without improvement before lowering the rate
    early_stopping: int | None = None  # patience in epochs; None turns it off
    monitor: str = "val_loss"
    min_delta: float = 0.0
    grad_clip: float | None = None  # max gradient norm
    seed: int = 0
    device: str = "auto"  # auto, cpu, cuda, cuda:N
    amp: bool = True  # mixed precision where the device supports it (CUDA)
    val_split: float = 0.15
    test_split: float = 0.15

    def effective_batch_size(self, n_train: int) -> int:
        if self.mode == "full-batch":
            return max(n_train, 1)
        if self.mode == "stochastic":
            return 1
        return self.batch_size

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "training") -> "TrainConfig":
        if not isinstance(data, Mapping):
            raise _not_settings(data, where)
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = [k for k in data if k not in names]
        if unknown:
            key = str(unknown[0])
            close = difflib.get_close_matches(key, names, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the settings are: {', '.join(names)}"
            raise ConfigError(f"{where}.{key}: unknown setting — {hint}", key, f"unknown setting — {hint}")
        config = cls(**dict(data))
        config.validate(where)
        return config

    @classmethod
    def from_dict_partly(cls, data: Mapping[str, Any], *, where: str = "training"
                         ) -> tuple["TrainConfig", dict[str, ConfigError]]:
        """What ``from_dict`` would give with every bad setting left at its default, and why
        each was left out (by key). For a window opening a hand-edited file: the good settings
        are kept and the bad ones named, not all of them lost to the first mistake."""
        if not isinstance(data, Mapping):
            return cls(), {"": _not_settings(data, where)}
        good: dict[str, Any] = {}
        errors: dict[str, ConfigError] = {}
        names = [f.name for f in dataclasses.fields(cls)]
        # in declaration order, so that a setting is checked after those it depends on
        # (nesterov after optimizer and momentum, test_split after val_split)
        for key in sorted(data, key=lambda k: names.index(k) if k in names else len(names)):
            try:
                cls.from_dict({**good, key: data[key]}, where=where)
            except ConfigError as exc:
                errors[str(key)] = exc
            else:
                good[key] = data[key]
        return cls(**good), errors

    def replace(self, **changes: Any) -> "TrainConfig":
        merged = {**self.to_dict(), **{k: v for k, v in changes.items() if v is not None}}
        return TrainConfig.from_dict(merged, where="settings")

    def validate(self, where: str = "training") -> None:
        def bad(key: str, why: str) -> ConfigError:
            return ConfigError(f"{where}.{key}: {why} (got {show_value(getattr(self, key))})", key, why)

        def integer(key: str, low: int, high: int | None = None, optional: bool = False) -> None:
            v = getattr(self, key)
            if v is None and optional:
                return
            if not isinstance(v, int) or isinstance(v, bool) or v < low or (high is not None and v > high):
                top = f" and at most {high:,}" if high is not None else ""
                raise bad(key, f"must be a whole number of at least {low}{top}")

        def number(key: str, low: float, high: float | None = None, optional: bool = False, open_low: bool = False) -> None:
            v = getattr(self, key)
            if v is None and optional:
                return
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
            if ok:
                try:
                    ok = math.isfinite(float(v)) and (v > low if open_low else v >= low) and (high is None or v <= high)
                except OverflowError:
                    ok = False
            if not ok:
                rng = f"{'above' if open_low else 'of at least'} {low:g}" + (f" and at most {high:g}" if high is not None else "")
                raise bad(key, f"must be a number {rng}")

        def choice(key: str, options: tuple[str, ...]) -> None:
            if getattr(self, key) not in options:
                raise bad(key, f"must be one of {', '.join(options)}")

        if self.data is not None and not isinstance(self.data, str):
            raise bad("data", "must be a data spec such as \"digits\" or \"csv:data.csv?target=label\"")
        integer("epochs", 1, 1_000_000)
        choice("mode", MODES)
        integer("batch_size", 1, 10_000_000)
        choice("optimizer", OPTIMIZERS)
        number("lr", 0.0, 10.0, open_low=True)
        number("momentum", 0.0, 1.0)
        if not isinstance(self.nesterov, bool):
            raise bad("nesterov", "must be true or false")
        if self.nesterov and (self.optimizer != "sgd" or self.momentum <= 0):
            raise bad("nesterov", "needs optimizer sgd with momentum above 0")
        number("weight_decay", 0.0, 1.0)
        choice("loss", LOSSES)
        choice("schedule", SCHEDULES)
        integer("step_size", 1)
        number("gamma", 0.0, 1.0, open_low=True)
        integer("plateau_patience", 0)
        integer("early_stopping", 1, optional=True)
        choice("monitor", MONITORS)
        number("min_delta", 0.0)
        number("grad_clip", 0.0, optional=True, open_low=True)
        integer("seed", 0, 2**32 - 1)
        if not isinstance(self.device, str) or not (self.device in ("auto", "cpu", "cuda") or _is_cuda_index(self.device)):
            raise bad("device", "must be auto, cpu, cuda or cuda:N")
        if not isinstance(self.amp, bool):
            raise bad("amp", "must be true or false")
        number("val_split", 0.0, 0.9)
        number("test_split", 0.0, 0.9)
        if self.val_split + self.test_split >= 1:
            why = "val_split + test_split must leave samples to train on"
            raise ConfigError(f"{where}: {why} (got {self.val_split:g} + {self.test_split:g})", "test_split", why)


def _not_settings(data: Any, where: str) -> ConfigError:
    return ConfigError(f"{where} must be an object of settings, not {show_value(data)}")


def _is_cuda_index(device: str) -> bool:
    head, _, index = device.partition(":")
    return head == "cuda" and index.isdigit() and index.isascii()

