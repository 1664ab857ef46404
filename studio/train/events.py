"""The training event stream: one JSON object per line, the same schema for the CLI progress
bar, the desktop window and any script (documented in docs/training-events.md).

Events are frozen dataclasses with ``to_json`` / ``from_json``. Batch losses are grouped so
the stream stays near 20 lines a second however fast the batches are. No Qt, no torch.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, TextIO


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-ready data, NaN and infinity as None."""
        return _clean(self._fields())

    def to_json(self) -> str:
        try:  # fields hold plain JSON values; non-finite floats are rare (a NaN loss ends the run)
            return _ENCODE(self._fields())
        except ValueError:
            return _ENCODE(self.to_dict())

    def _fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.kind}
        for name in _field_names(type(self)):
            data[name] = getattr(self, name)
        return data

    @staticmethod
    def from_json(line: str | bytes) -> "Event":
        data = json.loads(line)
        kind = data.pop("event")
        cls = EVENTS[kind]
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class RunStarted(Event):
    kind: ClassVar[str] = "start"
    run_dir: str
    device: str
    task: str
    loss: str
    optimizer: str
    epochs: int
    batch_size: int
    train_samples: int
    val_samples: int
    test_samples: int
    batches_per_epoch: int
    parameters: int
    class_names: list[str] | None = None
    start_epoch: int = 1  # > 1 when resuming
    config: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BatchLosses(Event):
    """Losses of consecutive batches ``first_batch`` … in ``epoch`` (1-based), grouped."""

    kind: ClassVar[str] = "batches"
    epoch: int
    first_batch: int
    losses: list[float]
    step: int  # global index of the first batch, for plotting across epochs
    samples_per_second: float
    eta_seconds: float | None


@dataclass(frozen=True)
class EpochEnd(Event):
    kind: ClassVar[str] = "epoch"
    epoch: int
    epochs: int
    train: dict[str, float]
    val: dict[str, float]
    lr: float
    seconds: float
    samples_per_second: float
    eta_seconds: float | None
    best: bool  # the monitored metric improved: the best checkpoint was written


@dataclass(frozen=True)
class Warning(Event):  # noqa: A001 - the event's name in the stream
    kind: ClassVar[str] = "warning"
    code: str  # "overfitting", "nan", "softmax_before_cross_entropy", …
    message: str
    epoch: int | None = None


@dataclass(frozen=True)
class Paused(Event):
    kind: ClassVar[str] = "paused"
    epoch: int
    batch: int


@dataclass(frozen=True)
class Resumed(Event):
    kind: ClassVar[str] = "resumed"
    epoch: int
    batch: int


@dataclass(frozen=True)
class Done(Event):
    kind: ClassVar[str] = "done"
    reason: str  # "completed", "stopped", "early_stopping"
    epochs_run: int
    best_epoch: int | None
    seconds: float
    run_dir: str
    test: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Error(Event):
    kind: ClassVar[str] = "error"
    code: str  # "nan", "out_of_memory", "data", "graph", "config", "internal"
    message: str
    fix: str = ""
    epoch: int | None = None


EVENTS: dict[str, type[Event]] = {c.kind: c for c in (RunStarted, BatchLosses, EpochEnd, Warning, Paused, Resumed, Done, Error)}


_ENCODE = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _clean(value: Any) -> Any:
    """JSON has no NaN or infinity: write them as null (a NaN loss is reported separately)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


class EventStream:
    """Writes events as JSON lines to ``out`` (a text file or stdout) and/or hands them to
    ``listener``. The trainer does the throttling: it groups batch losses into one event at
    most every ``BATCH_INTERVAL`` seconds, so the stream stays near 20 lines a second."""

    BATCH_INTERVAL = 0.05

    def __init__(self, out: TextIO | None = None, listener: Callable[[Event], None] | None = None) -> None:
        self.out = out
        self.listener = listener
        self.written = 0

    def emit(self, event: Event, *, flush: bool = True) -> None:
        """Write ``event`` and hand it to the listener. ``flush=False`` leaves the line in the
        file's buffer for the next event (or ``flush``) to send: the trainer does so for the last
        batch losses of an epoch when the epoch's own event follows within ``BATCH_INTERVAL``."""
        if self.out is not None:
            self.out.write(event.to_json() + "\n")
            if flush:
                self.out.flush()
        if self.listener is not None:
            self.listener(event)
        self.written += 1

    def flush(self) -> None:
        if self.out is not None:
            self.out.flush()
