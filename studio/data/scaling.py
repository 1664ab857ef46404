"""Feature standardisation fitted on the training split only, so validation and test stay an
honest preview of unseen data. numpy only.
"""

from __future__ import annotations

import numpy as np


def standardize(x: np.ndarray, train: np.ndarray) -> tuple[np.ndarray, dict]:
    """``x`` (N, F) scaled to mean 0 and std 1 per feature using the statistics of the rows
    ``train``; returns the scaled copy and its normalization record (axis 0 = features)."""
    fit = x[train].astype(np.float64)
    mean = fit.mean(axis=0)
    std = fit.std(axis=0)
    # a constant feature carries no information; dividing by 1 keeps it finite (and zero)
    std = np.where(std > 1e-12, std, 1.0)
    scaled = ((x - mean) / std).astype(np.float32)
    return scaled, {"mean": mean.tolist(), "std": std.tolist(), "axis": 0}
