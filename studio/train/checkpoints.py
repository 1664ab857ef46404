"""Weights and resumable training state on disk, as data: safetensors for tensors, JSON for
the rest. Nothing is unpickled, ever.

A run directory holds ``best.safetensors`` and ``last.safetensors`` (model weights, the keys of
the compiled module's state_dict) and ``resume/`` (optimizer tensors + a JSON state file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..graph.fileformat import atomic_write, write_atomically


class DamagedCheckpoint(ValueError):
    """A weights or state file that cannot be read back (cut short, overwritten, not ours).
    The message names the file."""


def read_tensors(path: Path, device=None) -> dict:
    """The tensors of a safetensors file; ``DamagedCheckpoint`` naming it if it cannot be read."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        return load_file(str(path), device=str(device) if device is not None else "cpu")
    except (SafetensorError, OSError, ValueError) as exc:
        raise DamagedCheckpoint(f"{path} cannot be read ({_first_line(exc)}): it is damaged or not a weights file"
                                ) from None


def _first_line(exc: BaseException) -> str:
    return next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)


def save_weights(module, path: Path) -> None:
    save_state(module.state_dict(), path)


def save_state(state: dict, path: Path) -> None:
    from safetensors.torch import save_file

    tensors = {k: v.detach().contiguous().cpu() for k, v in state.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda tmp: save_file(tensors, tmp))


def load_weights(module, path: Path, device=None) -> None:
    """Raises ``DamagedCheckpoint`` for a file that cannot be read and ``RuntimeError`` (torch's)
    for weights of another network."""
    module.load_state_dict(read_tensors(path, device), strict=True)


def save_resume_state(path: Path, optimizer, scheduler, scaler, state: dict[str, Any]) -> None:
    """Optimizer tensors → resume/optimizer.safetensors; everything else → resume/state.json."""
    from safetensors.torch import save_file

    import torch

    path.mkdir(parents=True, exist_ok=True)
    opt = optimizer.state_dict()
    tensors: dict[str, Any] = {}
    plain: dict[str, dict[str, Any]] = {}
    for index, slots in opt["state"].items():
        for name, value in slots.items():
            if isinstance(value, torch.Tensor):
                tensors[f"{index}.{name}"] = value.detach().contiguous().cpu()
            else:
                plain.setdefault(str(index), {})[name] = value
    write_atomically(path / "optimizer.safetensors", lambda tmp: save_file(tensors, tmp))
    doc = {
        **state,
        "optimizer": {"param_groups": opt["param_groups"], "plain_state": plain},
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "scaler": scaler.state_dict() if scaler is not None and scaler.is_enabled() else None,
    }
    # compact: the C encoder (indent= falls back to the pure-Python one, ~10× slower on a long history)
    atomic_write(path / "state.json", json.dumps(doc, separators=(",", ":")).encode("utf-8"))


def load_resume_state(path: Path, optimizer, scheduler, scaler, device) -> dict[str, Any]:
    """Raises ``DamagedCheckpoint`` naming the file that cannot be read back."""
    try:
        doc = json.loads((path / "state.json").read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or not isinstance(doc.get("epoch"), int):
            raise ValueError("not a run's state")
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise DamagedCheckpoint(f"{path / 'state.json'} cannot be read ({_first_line(exc)}): it is damaged") from None
    tensors = read_tensors(path / "optimizer.safetensors", device)
    try:
        _restore(doc, tensors, optimizer, scheduler, scaler)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DamagedCheckpoint(f"{path} does not hold this run's optimizer state ({type(exc).__name__}: {exc})"
                                ) from None
    return doc


def _restore(doc: dict, tensors: dict, optimizer, scheduler, scaler) -> None:
    state: dict[int, dict[str, Any]] = {}
    for key, value in tensors.items():
        index, name = key.split(".", 1)
        state.setdefault(int(index), {})[name] = value
    for index, slots in doc["optimizer"]["plain_state"].items():
        state.setdefault(int(index), {}).update(slots)
    optimizer.load_state_dict({"state": state, "param_groups": doc["optimizer"]["param_groups"]})
    if scheduler is not None and doc.get("scheduler") is not None:
        scheduler.load_state_dict(doc["scheduler"])
    if scaler is not None and doc.get("scaler"):
        scaler.load_state_dict(doc["scaler"])

