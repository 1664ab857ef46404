"""Dividing samples into train, validation and test: shuffled, seedable, and stratified for
classification so every class appears in each split in proportion.

numpy only.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import DataError

# A class this large always gets at least one sample in each split whose fraction is > 0.
MIN_PER_SPLIT = 3


def check_fractions(val_split: float, test_split: float) -> None:
    for name, f in (("val", val_split), ("test", test_split)):
        if not (isinstance(f, (int, float)) and math.isfinite(f) and 0 <= f < 1):
            what = "validation" if name == "val" else "test"
            raise DataError(f"the {what} fraction {name}={f} must be at least 0 and less than 1, for example {name}=0.15")
    if val_split + test_split >= 1:
        raise DataError(f"val={val_split:g} and test={test_split:g} leave no samples to train on — "
                        "make their sum less than 1, for example val=0.15&test=0.15")


def split_indices(labels_or_n, *, seed: int, val_split: float, test_split: float,
                  stratify: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(train, val, test) index arrays (int64, shuffled) that partition ``range(N)``.

    ``labels_or_n`` is N, or one label per sample. With ``stratify`` and labels, each class is
    split on its own in the given proportions, and a class with at least 3 samples puts at least
    one in every split whose fraction is > 0; every class keeps at least one training sample.
    Raises ``DataError`` when a split with a fraction > 0 would be empty.
    """
    check_fractions(val_split, test_split)
    if isinstance(labels_or_n, (int, np.integer)):
        n, labels = int(labels_or_n), None
    else:
        labels = np.asarray(labels_or_n)
        n = len(labels)
    if n <= 0:
        raise DataError("there are no samples to split — the data set is empty")
    rng = np.random.default_rng(seed)
    if stratify and labels is not None:
        groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    else:
        groups = [np.arange(n)]
    counts = np.array([len(g) for g in groups])
    n_val, n_test = _per_group(counts, val_split, test_split, rng)

    parts: tuple[list, list, list] = ([], [], [])
    for group, v, t in zip(groups, n_val, n_test):
        order = rng.permutation(group)
        parts[1].append(order[:v])
        parts[2].append(order[v:v + t])
        parts[0].append(order[v + t:])
    train, val, test = (rng.permutation(np.concatenate(p)).astype(np.int64) for p in parts)

    for name, what, fraction, split in (("val", "validation", val_split, val), ("test", "test", test_split, test)):
        if fraction > 0 and len(split) == 0:
            few = "each class has" if len(groups) > 1 else "the data has"
            raise DataError(
                f"the {what} split would be empty: {few} fewer than {MIN_PER_SPLIT} samples — "
                f"use at least {MIN_PER_SPLIT} samples{' of some class' if len(groups) > 1 else ''}, or set {name}=0")
    return train, val, test


def _per_group(counts: np.ndarray, val_split: float, test_split: float,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """How many samples of each group go to validation and to test."""
    n_val = _largest_remainder(counts, val_split, rng)
    n_test = _largest_remainder(counts, test_split, rng)
    big = counts >= MIN_PER_SPLIT
    if val_split > 0:
        n_val = np.where(big, np.maximum(n_val, 1), n_val)
    if test_split > 0:
        n_test = np.where(big, np.maximum(n_test, 1), n_test)
    # Every group keeps a training sample: take back from the larger held-out share.
    for i in range(len(counts)):
        while n_val[i] + n_test[i] > counts[i] - 1:
            if n_val[i] >= n_test[i]:
                n_val[i] -= 1
            else:
                n_test[i] -= 1
    return n_val, n_test


def _largest_remainder(counts: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Whole shares of ``counts * fraction`` that add up to the rounded overall share, so
    stratifying many small classes does not drift away from the asked fraction."""
    ideal = counts * fraction
    share = np.floor(ideal).astype(np.int64)
    missing = int(math.floor(counts.sum() * fraction + 0.5)) - int(share.sum())
    if missing > 0:
        # biggest remainders first; ties broken at random so no class is always favoured
        order = np.lexsort((rng.random(len(counts)), -(ideal - share)))
        share[order[:missing]] += 1
    return share
