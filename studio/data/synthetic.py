"""Generated teaching data in plain numpy: the XOR points, two spirals, sine windows for
forecasting, sequences for a GRU and token ids for a Transformer.

Each generator takes a ``numpy.random.Generator`` and returns ``(x, y)``; no sklearn, no torch.
"""

from __future__ import annotations

import numpy as np

XOR_CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)


def xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points, cycling through the four corners of the unit square (so the classes stay
    balanced), each moved by Gaussian noise of std ``noise``; label = x0 XOR x1."""
    corner = np.arange(n) % 4
    x = XOR_CORNERS[corner] + noise * rng.standard_normal((n, 2))
    y = XOR_CORNERS[corner, 0] != XOR_CORNERS[corner, 1]
    return x.astype(np.float32), y.astype(np.int64)


def spirals(rng: np.random.Generator, n: int, noise: float, turns: float) -> tuple[np.ndarray, np.ndarray]:
    """Two spirals wound ``turns`` times around the origin, the second rotated half a turn
    from the first, so neighbouring arms belong to different classes."""
    y = np.arange(n) % 2
    # sqrt spreads points evenly along the arm instead of crowding the centre
    t = np.sqrt(rng.random(n))
    radius = 0.1 + 0.9 * t
    angle = 2 * np.pi * turns * t + np.pi * y
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    x += noise * rng.standard_normal(x.shape)
    return x.astype(np.float32), y.astype(np.int64)


def sine_windows(rng: np.random.Generator, n: int, window: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """``n`` noisy sine series, each with its own phase and a period of 8 to 40 steps;
    x = the first ``window`` values (n, window, 1), y = the value that follows (n, 1)."""
    period = rng.uniform(8, 40, size=(n, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
    t = np.arange(window + 1)
    series = np.sin(2 * np.pi * t / period + phase) + noise * rng.standard_normal((n, window + 1))
    return series[:, :window, None].astype(np.float32), series[:, window:].astype(np.float32)


def running_sum_sequences(rng: np.random.Generator, n: int, steps: int,
                          features: int) -> tuple[np.ndarray, np.ndarray]:
    """Sequences of standard-normal readings; class 1 iff feature 0 sums to more than zero over
    all steps (the other features are distractions). The answer needs the whole history: the
    last step alone predicts it little better than a coin."""
    # Drop sequences whose sum is within a small margin of zero, so the labels are not a coin
    # toss at the border; the margin is a quarter of the sum's standard deviation.
    margin = 0.25 * np.sqrt(steps)
    kept_x, kept = [], 0
    while kept < n:
        x = rng.standard_normal((2 * (n - kept) + 16, steps, features))
        x = x[np.abs(x[:, :, 0].sum(axis=1)) > margin][: n - kept]
        kept_x.append(x)
        kept += len(x)
    x = np.concatenate(kept_x)
    y = x[:, :, 0].sum(axis=1) > 0
    return x.astype(np.float32), y.astype(np.int64)


def marker_order_tokens(rng: np.random.Generator, n: int, length: int,
                        vocab: int) -> tuple[np.ndarray, np.ndarray]:
    """Token-id sequences that hold token 1 once and token 2 once at random places, every
    other place a random token from 3 to ``vocab``−1 (0 stays free, as padding often is);
    class 1 iff token 1 comes before token 2. Both markers are always present, so only
    their positions tell the classes apart."""
    x = rng.integers(3, vocab, size=(n, length))
    # two distinct positions per row: the first two entries of a random permutation
    positions = np.argsort(rng.random((n, length)), axis=1)[:, :2]
    rows = np.arange(n)
    x[rows, positions[:, 0]] = 1
    x[rows, positions[:, 1]] = 2
    y = positions[:, 0] < positions[:, 1]
    return x.astype(np.int64), y.astype(np.int64)
