"""A terminal progress bar fed by training events: epoch, batch, loss, samples/s, ETA.

On a terminal it redraws one line; otherwise (a log file, CI) it prints a line per epoch.
No Qt, no torch.
"""

from __future__ import annotations

import sys
from typing import TextIO

from . import events as ev


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else \
        f"{seconds // 60}:{seconds % 60:02d}"


class ProgressBar:
    def __init__(self, out: TextIO | None = None, width: int = 24) -> None:
        self.out = out or sys.stderr
        self.tty = hasattr(self.out, "isatty") and self.out.isatty()
        self.width = width
        self.epochs = 0
        self.batches = 0

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.RunStarted):
            self.epochs, self.batches = event.epochs, event.batches_per_epoch
            self._line(f"training on {event.device}: {event.train_samples:,} samples, batches of {event.batch_size}, "
                       f"loss {event.loss}, {event.parameters:,} parameters", end=True)
        elif isinstance(event, ev.BatchLosses) and self.tty:
            done = event.first_batch + len(event.losses) - 1
            filled = int(self.width * done / max(self.batches, 1))
            bar = "█" * filled + "·" * (self.width - filled)
            self._line(f"epoch {event.epoch}/{self.epochs} {bar} {done}/{self.batches} loss {event.losses[-1]:.4f} "
                       f"{event.samples_per_second:,.0f} samples/s ETA {_duration(event.eta_seconds)}")
        elif isinstance(event, ev.EpochEnd):
            parts = [f"epoch {event.epoch}/{event.epochs}", f"loss {event.train['loss']:.4f}"]
            if "accuracy" in event.train:
                parts.append(f"acc {event.train['accuracy']:.3f}")
            if event.val.get("loss") is not None:
                parts.append(f"val_loss {event.val['loss']:.4f}")
            if "accuracy" in event.val:
                parts.append(f"val_acc {event.val['accuracy']:.3f}")
            parts.append(f"{event.samples_per_second:,.0f} samples/s")
            parts.append(f"ETA {_duration(event.eta_seconds)}")
            self._line("  ".join(parts) + ("  *" if event.best else ""), end=True)
        elif isinstance(event, ev.Warning):
            self._line(f"note: {event.message}", end=True)
        elif isinstance(event, ev.Paused):
            self._line(f"paused at epoch {event.epoch}, batch {event.batch}", end=True)
        elif isinstance(event, ev.Resumed):
            self._line("resumed", end=True)
        elif isinstance(event, ev.Done):
            test = event.test
            result = ""
            if "accuracy" in test:
                result = f"; test accuracy {test['accuracy']:.4f}"
            elif "mse" in test:
                result = f"; test MSE {test['mse']:.5g}"
            self._line(f"{event.reason.replace('_', ' ')} after {event.epochs_run} epoch(s) in "
                       f"{_duration(event.seconds)}{result}; run saved in {event.run_dir}", end=True)

    def _line(self, text: str, end: bool = False) -> None:
        if self.tty:
            self.out.write("\r\x1b[2K" + text + ("\n" if end else ""))
        elif end:
            self.out.write(text + "\n")
        self.out.flush()
