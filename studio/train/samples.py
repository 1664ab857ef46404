"""Sample predictions of a finished run, for a person to look at: ``samples.npz`` in the run
folder (plain arrays, no pickle), written with the best weights on the test split.

- ``kind``: "classification", "regression" or "reconstruction".
- classification: ``x`` (the first test samples), ``y_true``, ``y_pred``, ``confidence`` (the
  predicted class's probability); for 2-D inputs also the decision regions over the data's
  range — ``grid_x``, ``grid_y`` (the axes), ``grid_pred`` (class per cell, rows along y) and
  ``grid_confidence`` — with every test point (``points``, ``points_true``, ``points_pred``).
- regression: ``y_true`` and ``y_pred`` (first output value of up to 2,000 test samples) and the
  first sequences with theirs (``x``, ``x_pred``).
- reconstruction: ``x`` (the first inputs) and ``x_out`` (what the network made of them).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .objective import Objective

SHOWN = 32  # samples kept with their inputs
POINTS = 2000  # test points kept for scatters
GRID = 90  # cells per side of the decision-region grid


def probabilities(objective: Objective, out):
    """Model outputs → class probabilities (N, K), whatever the loss expected of the output."""
    import torch

    if objective.binary:
        p1 = out.reshape(-1)
        if objective.loss != "bce":  # logits
            p1 = torch.sigmoid(p1)
        return torch.stack([1 - p1, p1], dim=1)
    if objective.loss == "nll":  # log-probabilities
        return out.exp()
    return torch.softmax(out, dim=1)


def write_samples(path: Path, objective: Objective, forward, x_test, y_test, task: str) -> None:
    """Predict on (part of) the test split and save what ``SamplesView`` draws; ``forward``
    takes a batch on the device and returns the trained output."""
    import torch

    arrays: dict[str, np.ndarray] = {"kind": np.array(task)}
    n = len(x_test)
    if n == 0:
        return
    with torch.no_grad():
        take = x_test[:max(SHOWN, min(POINTS, n))]
        out = _batched(forward, take)
        if task == "classification":
            probs = probabilities(objective, out)
            conf, pred = probs.max(dim=1)
            arrays.update(x=_np(take[:SHOWN]), y_true=_np(y_test[:SHOWN]).reshape(-1).astype(np.int64),
                          y_pred=_np(pred[:SHOWN]).astype(np.int64), confidence=_np(conf[:SHOWN]))
            if tuple(x_test.shape[1:]) == (2,) and x_test.dtype.is_floating_point:
                arrays.update(_regions(objective, forward, x_test, y_test, probs, pred, len(take)))
        elif task == "regression":
            y_pred = out.reshape(len(take), -1)[:, 0]
            arrays.update(y_true=_np(y_test[:len(take)].reshape(len(take), -1)[:, 0]), y_pred=_np(y_pred),
                          x=_np(take[:SHOWN]), x_pred=_np(y_pred[:SHOWN]))
        else:
            arrays.update(x=_np(take[:SHOWN]), x_out=_np(out[:SHOWN].reshape(take[:SHOWN].shape)))
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _regions(objective, forward, x_test, y_test, probs, pred, kept):
    import torch

    points = x_test[:kept]
    lo = points.min(dim=0).values
    hi = points.max(dim=0).values
    pad = (hi - lo).clamp(min=1e-3) * 0.15
    lo, hi = lo - pad, hi + pad
    gx = torch.linspace(float(lo[0]), float(hi[0]), GRID, device=x_test.device)
    gy = torch.linspace(float(lo[1]), float(hi[1]), GRID, device=x_test.device)
    yy, xx = torch.meshgrid(gy, gx, indexing="ij")
    cells = torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1).to(x_test.dtype)
    cell_probs = probabilities(objective, _batched(forward, cells))
    conf, cls = cell_probs.max(dim=1)
    return {"grid_x": _np(gx), "grid_y": _np(gy), "grid_pred": _np(cls).reshape(GRID, GRID).astype(np.int64),
            "grid_confidence": _np(conf).reshape(GRID, GRID), "points": _np(points),
            "points_true": _np(y_test[:kept]).reshape(-1).astype(np.int64),
            "points_pred": _np(pred[:kept]).astype(np.int64)}


def _batched(forward, x, size: int = 1024):
    import torch

    return torch.cat([forward(x[i:i + size]).float() for i in range(0, len(x), size)])


def _np(t) -> np.ndarray:
    a = t.detach().cpu().numpy()
    return a.astype(np.float32) if a.dtype.kind == "f" else a


def read_samples(path: str | Path) -> dict[str, np.ndarray] | None:
    """What ``write_samples`` saved, or None when there is none (or it cannot be read)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError, EOFError):
        return None
