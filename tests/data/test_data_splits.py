"""split_indices: an exact partition, stratified, seedable, and loud about empty splits."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.data import DataError, split_indices


@settings(max_examples=200, deadline=None)
@given(n=st.integers(3, 400), val=st.floats(0, 0.45), test=st.floats(0, 0.45), seed=st.integers(0, 2**32 - 1),
       classes=st.integers(1, 6), stratify=st.booleans())
def test_splits_partition_every_index_exactly_once(n, val, test, seed, classes, stratify):
    labels = np.random.default_rng(seed).integers(0, classes, n)
    try:
        train, val_idx, test_idx = split_indices(labels, seed=seed, val_split=val, test_split=test,
                                                 stratify=stratify)
    except DataError as e:
        # only when no group is big enough to give every split a sample
        assert stratify and np.bincount(labels).max() < 3, e
        return
    together = np.concatenate([train, val_idx, test_idx])
    assert len(together) == n
    assert np.array_equal(np.sort(together), np.arange(n))  # disjoint and complete
    assert all(a.dtype == np.int64 for a in (train, val_idx, test_idx))
    assert len(train) >= 1
    if val > 0:
        assert len(val_idx) >= 1
    else:
        assert len(val_idx) == 0
    if test == 0:
        assert len(test_idx) == 0


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 300), val=st.floats(0, 0.6), test=st.floats(0, 0.3), seed=st.integers(0, 1000))
def test_a_count_partitions_too(n, val, test, seed):
    try:
        parts = split_indices(n, seed=seed, val_split=val, test_split=test, stratify=False)
    except DataError as e:
        assert n < 3 and "would be empty" in str(e)
        return
    assert np.array_equal(np.sort(np.concatenate(parts)), np.arange(n))


def test_stratified_splits_keep_each_class_in_proportion():
    labels = np.repeat([0, 1, 2], [600, 300, 100])
    train, val, test = split_indices(labels, seed=1, val_split=0.2, test_split=0.1, stratify=True)
    assert (len(train), len(val), len(test)) == (700, 200, 100)
    for split, fraction in ((train, 0.7), (val, 0.2), (test, 0.1)):
        counts = np.bincount(labels[split], minlength=3)
        assert np.allclose(counts, np.array([600, 300, 100]) * fraction, atol=1)


def test_a_class_of_three_reaches_every_split():
    labels = np.array([0] * 100 + [1] * 3)
    for seed in range(10):
        train, val, test = split_indices(labels, seed=seed, val_split=0.15, test_split=0.15, stratify=True)
        for split in (train, val, test):
            assert 1 in labels[split]


def test_tiny_classes_stay_in_training():
    labels = np.array([0] * 50 + [1, 2, 2])
    train, val, test = split_indices(labels, seed=0, val_split=0.15, test_split=0.15, stratify=True)
    assert {1, 2} <= set(labels[train].tolist())


def test_the_same_seed_gives_the_same_split_and_another_seed_another():
    a = split_indices(100, seed=7, val_split=0.2, test_split=0.2, stratify=False)
    b = split_indices(100, seed=7, val_split=0.2, test_split=0.2, stratify=False)
    c = split_indices(100, seed=8, val_split=0.2, test_split=0.2, stratify=False)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_splits_are_shuffled():
    train, _, _ = split_indices(1000, seed=0, val_split=0.1, test_split=0.1, stratify=False)
    assert not np.array_equal(train, np.sort(train))


def test_zero_fractions_leave_everything_for_training():
    train, val, test = split_indices(10, seed=0, val_split=0, test_split=0, stratify=False)
    assert len(train) == 10 and len(val) == len(test) == 0


def test_an_empty_split_says_how_many_samples_are_needed():
    with pytest.raises(DataError, match=r"validation split would be empty.*at least 3 samples.*val=0"):
        split_indices(2, seed=0, val_split=0.15, test_split=0, stratify=False)
    with pytest.raises(DataError, match=r"each class has fewer than 3 samples.*of some class"):
        split_indices(np.array([0, 1, 2, 3]), seed=0, val_split=0.1, test_split=0.1, stratify=True)


@pytest.mark.parametrize("val, test, words", [
    (1.2, 0.1, "val=1.2 must be at least 0 and less than 1"),
    (-0.1, 0.1, "val=-0.1"),
    (0.1, float("nan"), "test=nan"),
    (0.6, 0.5, "leave no samples to train on"),
])
def test_bad_fractions_are_refused(val, test, words):
    with pytest.raises(DataError, match=words):
        split_indices(100, seed=0, val_split=val, test_split=test, stratify=False)


def test_no_samples_is_an_error():
    with pytest.raises(DataError, match="empty"):
        split_indices(np.array([]), seed=0, val_split=0.1, test_split=0.1, stratify=True)
