"""Reading a run directory back: the graph it trained, its configuration and data, and the
trained module with its best (or last) weights — for ``evaluate`` and ``export``. No Qt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..graph.fileformat import GraphFileError
from ..graph.model import Graph
from ..layers import load_graph
from .config import ConfigError, TrainConfig
from .trainer import Trainer, TrainingFailed


class RunError(Exception):
    """The folder is not a usable run directory (exit 2 in the CLI)."""


@dataclass
class Run:
    path: Path
    graph: Graph
    config: TrainConfig
    data: dict[str, Any]
    summary: dict[str, Any] | None

    @property
    def weights(self) -> Path:
        best = self.path / "best.safetensors"
        return best if best.exists() else self.path / "last.safetensors"


def open_run(path: str | Path) -> Run:
    path = Path(path)
    if not path.is_dir():
        raise RunError(f"{path} is not a folder; give the --out folder of a neurona train run")
    missing = [n for n in ("graph.neurona", "config.json", "data.json") if not (path / n).exists()]
    if missing:
        raise RunError(f"{path} is not a training run: {', '.join(missing)} missing")
    try:
        graph = load_graph(path / "graph.neurona")
        config = TrainConfig.from_dict(json.loads((path / "config.json").read_text(encoding="utf-8")), where="config.json")
        data = json.loads((path / "data.json").read_text(encoding="utf-8"))
        summary_path = path / "summary.json"
        summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else None
    except (GraphFileError, ConfigError, ValueError, OSError) as exc:
        raise RunError(f"{path}: cannot read the run: {exc}") from None
    run = Run(path, graph, config, data, summary)
    if not run.weights.exists():
        raise RunError(f"{path} has no weights yet (best.safetensors / last.safetensors); the run never finished an epoch")
    return run


def trained(run: Run, splits) -> Trainer:
    """A trainer set up on ``splits`` with the run's weights loaded (nothing is written)."""
    config = run.config.replace(loss=run.data.get("objective", {}).get("loss", run.config.loss))
    trainer = Trainer(run.graph, splits, config, run.path)
    trainer.prepare()
    _load_run_weights(trainer.module, run, trainer.device)
    trainer.module.eval()
    return trainer


def trained_module(run: Run):
    """(module, analysis): the run's network with its weights, on the CPU and in eval mode, without
    its data — what exporting needs (the data may have moved since, or stayed on another machine)."""
    from ..compile import analyze, build_module

    analysis = analyze(run.graph)
    if not analysis.ok:
        first = analysis.errors[0]
        raise TrainingFailed("graph", f"the run's graph has {len(analysis.errors)} error(s), the first: {first.message}",
                             first.fix)
    module = build_module(run.graph, analysis)
    _load_run_weights(module, run, "cpu")
    return module.eval(), analysis


def run_samples(run: Run):
    """The run's own test inputs (the first of them, as the network receives them: normalised), kept
    in ``samples.npz`` when it finished; None if there are none."""
    from .samples import read_samples

    arrays = read_samples(run.path / "samples.npz")
    x = arrays.get("x") if arrays else None
    return x if x is not None and x.ndim >= 1 and len(x) else None


def _load_run_weights(module, run: Run, device) -> None:
    from .checkpoints import DamagedCheckpoint, load_weights

    try:
        load_weights(module, run.weights, device)
    except DamagedCheckpoint as exc:
        raise TrainingFailed("data", str(exc), "train the network again to write new weights") from None
    except (RuntimeError, OSError, ValueError) as exc:
        raise TrainingFailed("data", f"the weights in {run.weights.name} do not fit the run's graph: "
                                     f"{_first_mismatch(exc)}") from None


def _first_mismatch(exc: BaseException) -> str:
    """One line of torch's ``load_state_dict`` error: its first mismatch, not its header."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].startswith("Error(s) in loading state_dict"):
        return lines[1]
    return lines[0] if lines else type(exc).__name__
