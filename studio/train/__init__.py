"""Training: configuration, objective (loss) choice, the loop, metrics, checkpoints and the
JSON-lines event stream the CLI and the window read. No Qt; torch only where a run needs it.

The names below load on first use, so ``studio.train.config`` and ``studio.train.events`` can
be read (by the window, say) without importing the training loop and what it needs.
"""

from __future__ import annotations

import importlib

_WHERE = {"ConfigError": "config", "TrainConfig": "config", "Control": "trainer", "Trainer": "trainer",
          "TrainingFailed": "trainer", "TrainResult": "trainer"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
