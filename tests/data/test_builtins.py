"""Every built-in data set loads with its documented shapes, dtypes and task, is the same for the
same seed, and is scaled with statistics from the training split only."""

import numpy as np
import pytest

from studio.data import DataError, builtin_datasets, load_data

BUILTINS = {b.name: b for b in builtin_datasets()}


@pytest.mark.parametrize("name", list(BUILTINS))
def test_each_builtin_loads_as_documented(name):
    info = BUILTINS[name]
    d = load_data(name)
    assert (d.name, d.task, d.sample_shape) == (name, info.task, info.sample_shape)
    assert d.input_dtype == ("int64" if name == "tokens" else "float32")
    for split in (d.train, d.val, d.test):
        assert len(split) > 0
        assert split.x.shape[1:] == d.sample_shape and split.x.dtype == np.dtype(d.input_dtype)
        if d.task == "classification":
            assert split.y.shape == (len(split),) and split.y.dtype == np.int64
            assert 0 <= split.y.min() and split.y.max() < d.num_classes
        else:
            assert split.y.shape == (len(split), *d.target_shape) and split.y.dtype == np.float32
    if d.task == "classification":
        assert d.target_shape == () and len(d.class_names) == d.num_classes >= 2
    assert info.description and all(isinstance(v, str) and v for v in info.options.values())


@pytest.mark.parametrize("name", list(BUILTINS))
def test_each_builtin_is_the_same_for_the_same_seed(name):
    a, b = load_data(name, seed=3), load_data(name, seed=3)
    for sa, sb in ((a.train, b.train), (a.val, b.val), (a.test, b.test)):
        np.testing.assert_array_equal(sa.x, sb.x)
        np.testing.assert_array_equal(sa.y, sb.y)


@pytest.mark.parametrize("name", [n for n in BUILTINS if n != "xor"])  # xor: the same 4 points, always
def test_each_builtin_differs_across_seeds(name):
    a, b = load_data(name, seed=0), load_data(name, seed=1)
    assert not np.array_equal(a.train.x, b.train.x)


def test_a_different_seed_gives_a_different_shuffle():
    assert not np.array_equal(load_data("moons", seed=0).train.x, load_data("moons", seed=1).train.x)
    assert not np.array_equal(load_data("digits", seed=0).train.y, load_data("digits?seed=1").train.y)


def test_xor_is_the_four_points_in_every_split():
    d = load_data("xor")
    for split in (d.train, d.val, d.test):
        assert sorted(map(tuple, split.x.tolist())) == [(0, 0), (0, 1), (1, 0), (1, 1)]
        assert all(int(a) ^ int(b) == y for (a, b), y in zip(split.x, split.y))
    assert d.class_names == ["0", "1"] and d.normalization is None


def test_xor_with_more_points_is_noisy_copies_split_normally():
    d = load_data("xor?n=200&noise=0.05")
    assert (len(d.train), len(d.val), len(d.test)) == (140, 30, 30)
    corner = np.round(d.train.x).astype(int)
    assert np.array_equal(corner[:, 0] ^ corner[:, 1], d.train.y)


def test_digits_are_scaled_to_0_1_with_a_recorded_global_scale():
    d = load_data("digits")
    assert d.sample_shape == (1, 8, 8) and d.class_names == [str(i) for i in range(10)]
    assert d.normalization == {"mean": [0.0], "std": [16.0], "axis": None}
    assert d.train.x.min() == 0.0 and d.train.x.max() == 1.0
    assert len(d.train) + len(d.val) + len(d.test) == 1797


@pytest.mark.parametrize("name", ["moons", "circles", "spirals", "blobs", "iris", "wine", "breast_cancer"])
def test_tabular_builtins_are_standardized_on_the_training_split_only(name):
    d = load_data(name)
    np.testing.assert_allclose(d.train.x.mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(d.train.x.std(axis=0), 1, atol=1e-3)
    assert d.normalization["axis"] == 0 and len(d.normalization["mean"]) == d.sample_shape[0]
    # val/test were scaled with the train statistics, so they are not exactly centred themselves
    assert np.abs(np.concatenate([d.val.x, d.test.x]).mean(axis=0)).max() > 1e-4


def test_bundled_sets_keep_their_class_names():
    assert load_data("iris").class_names == ["setosa", "versicolor", "virginica"]
    assert load_data("breast_cancer").class_names == ["malignant", "benign"]


def test_blobs_takes_a_feature_count_and_stays_binary():
    d = load_data("blobs?features=10")
    assert d.sample_shape == (10,) and d.num_classes == 2 and len(d.train) + len(d.val) + len(d.test) == 1000
    assert load_data("blobs?features=4&classes=4&n=200").num_classes == 4


def test_sine_predicts_the_value_after_the_window():
    d = load_data("sine?window=12&noise=0")
    assert d.sample_shape == (12, 1) and d.target_shape == (1,)
    assert np.abs(d.train.x).max() <= 1.0 and np.abs(d.train.y).max() <= 1.0


def test_sequences_label_is_the_sign_of_feature_0s_sum():
    d = load_data("sequences")
    assert d.sample_shape == (30, 4)
    np.testing.assert_array_equal(d.train.x[:, :, 0].sum(axis=1) > 0, d.train.y == 1)
    assert 0.35 < d.train.y.mean() < 0.65


def test_tokens_hold_tokens_1_and_2_once_and_the_class_is_their_order():
    d = load_data("tokens")
    x, y = d.train.x, d.train.y
    assert x.dtype == np.int64 and x.min() >= 1 and x.max() < 32
    assert ((x == 1).sum(axis=1) == 1).all() and ((x == 2).sum(axis=1) == 1).all()
    np.testing.assert_array_equal((x == 1).argmax(axis=1) < (x == 2).argmax(axis=1), y == 1)
    assert 0.4 < y.mean() < 0.6


def test_target_input_makes_a_reconstruction_set_with_input_noise():
    d = load_data("digits?target=input&noise=0.3")
    assert d.task == "reconstruction" and d.input_noise == 0.3 and d.class_names is None
    assert d.target_shape == d.sample_shape == (1, 8, 8)
    np.testing.assert_array_equal(d.train.x, d.train.y)


def test_noise_without_target_input_is_refused():
    with pytest.raises(DataError, match="target=input"):
        load_data("digits?noise=0.3")


def test_spec_options_override_the_arguments():
    d = load_data("iris?val=0.2&test=0.2&seed=5", val_split=0.5, test_split=0.1)
    assert (len(d.train), len(d.val), len(d.test)) == (90, 30, 30)
    np.testing.assert_array_equal(d.train.x, load_data("iris", seed=5, val_split=0.2, test_split=0.2).train.x)


@pytest.mark.parametrize("spec, words", [
    ("moons?colour=red", ["colour", "noise"]),
    ("digits?n=100", ["'n'", "val, test, seed"]),
    ("moons?n=ten", ["n=ten", "whole number"]),
    ("moons?n=1", ["n=1", "at least 2"]),
    ("moons?val=1.5", ["val=1.5"]),
    ("sine?window=0", ["window=0"]),
    ("digts", ["'digts'", "did you mean", "digits"]),
    ("iris?target=species", ["target=species", "target=input"]),
])
def test_bad_builtin_options_name_the_option_and_the_fix(spec, words):
    with pytest.raises(DataError) as info:
        load_data(spec)
    for word in words:
        assert word in str(info.value)


def test_too_few_samples_for_a_split_says_how_many_are_needed():
    with pytest.raises(DataError, match="at least 3"):
        load_data("moons?n=2")
