"""A document's finished runs, read back from their folders: what the training panel overlays
for comparison when the document is opened again (validation loss and metric per epoch, the test
metrics). Plain JSON reading, no torch and no Qt; a folder that cannot be read is skipped, not
an error (it may be a run still going, one that was killed, or something else entirely).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import TrainConfig

LIMIT = 20  # the newest runs read; older ones stay on disk


@dataclass(frozen=True)
class RunCurves:
    name: str  # the run folder's name (a date and time, for runs started from the window)
    path: Path
    task: str
    metric: str  # the curve drawn beside the loss: "accuracy" for classifiers, else "r2"
    batches_per_epoch: int  # the loss plot's x axis counts batches
    epochs: tuple[int, ...]
    val_loss: tuple[float, ...]  # NaN where an epoch has none (a diverged run, a metric not computed)
    val_metric: tuple[float, ...]
    test: dict[str, Any]  # the summary's test metrics (best weights)


def finished_runs(folder: str | Path, limit: int = LIMIT) -> list[RunCurves]:
    """The newest ``limit`` finished runs in ``folder``, oldest first."""
    folder = Path(folder)
    try:
        dirs = sorted(d for d in folder.iterdir() if d.is_dir() and (d / "summary.json").is_file())
    except OSError:  # no runs yet, or a folder that cannot be listed
        return []
    runs = []
    for d in dirs[-limit:] if limit > 0 else []:
        run = read_run(d)
        if run is not None:
            runs.append(run)
    return runs


def read_run(path: Path) -> RunCurves | None:
    """One finished run's curves, or None if it is not one (or cannot be read)."""
    try:
        summary = json.loads((path / "summary.json").read_text(encoding="utf-8"))
        config_data = json.loads((path / "config.json").read_text(encoding="utf-8"))
        lines = (path / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    if not isinstance(summary, dict) or not isinstance(config_data, dict):
        return None
    config, _ = TrainConfig.from_dict_partly(config_data)
    task = summary.get("task") if isinstance(summary.get("task"), str) else ""
    metric = "accuracy" if task == "classification" else "r2"
    n = summary.get("train_samples")
    n = n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 1
    batch = min(config.effective_batch_size(n), n)
    epochs, losses, metrics = [], [], []
    for line in lines:  # a line cut short (a run killed mid-write) or edited by hand is skipped
        try:
            row = json.loads(line)
        except ValueError:
            continue
        epoch = row.get("epoch") if isinstance(row, dict) else None
        val = row.get("val") if isinstance(row, dict) else None
        if not isinstance(epoch, int) or isinstance(epoch, bool) or not isinstance(val, dict):
            continue
        epochs.append(epoch)
        losses.append(_finite(val.get("loss")))
        metrics.append(_finite(val.get(metric)))
    test = summary.get("test") if isinstance(summary.get("test"), dict) else {}
    return RunCurves(path.name, path, task, metric, math.ceil(n / batch), tuple(epochs), tuple(losses),
                     tuple(metrics), test)


def _finite(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return math.nan
