"""NPZ archives: default and chosen keys, classes versus regression, pixels and token ids, and
the refusal to unpickle object arrays."""

import numpy as np
import pytest

from studio.data import DataError, load_data


def save(tmp_path, name="data.npz", **arrays):
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def test_integer_labels_are_classes_0_to_k(tmp_path):
    rng = np.random.default_rng(0)
    path = save(tmp_path, X=rng.normal(3, 2, (90, 5)), y=np.arange(90) % 3)
    d = load_data(f"npz:{path}")
    assert d.task == "classification" and d.class_names == ["0", "1", "2"] and d.name == "data"
    assert d.sample_shape == (5,) and d.train.x.dtype == np.float32 and d.train.y.dtype == np.int64
    np.testing.assert_allclose(d.train.x.mean(axis=0), 0, atol=1e-5)  # a flat table is standardised
    assert set(d.val.y.tolist()) == {0, 1, 2}


def test_real_targets_are_regression_and_keys_can_be_chosen(tmp_path):
    path = save(tmp_path, inputs=np.zeros((20, 4, 3), np.float32), out=np.linspace(0, 1, 20))
    d = load_data(f"npz:{path}?x=inputs&y=out")
    assert d.task == "regression" and d.target_shape == (1,) and d.sample_shape == (4, 3)
    assert d.train.y.shape == (len(d.train), 1) and d.normalization is None


def test_lowercase_keys_and_text_labels(tmp_path):
    path = save(tmp_path, x=np.ones((12, 2)), Y=np.array(["no", "yes", "maybe"] * 4))
    d = load_data(f"npz:{path}")
    assert d.class_names == ["maybe", "no", "yes"]


def test_uint8_pixels_are_scaled_and_integers_are_token_ids(tmp_path):
    pixels = np.full((10, 1, 4, 4), 255, np.uint8)
    d = load_data(f"npz:{save(tmp_path, 'p.npz', X=pixels, y=np.arange(10) % 2)}")
    assert d.input_dtype == "float32" and d.train.x.max() == 1.0
    assert d.normalization == {"mean": [0.0], "std": [255.0], "axis": None}
    ids = np.arange(60).reshape(10, 6) % 7
    t = load_data(f"npz:{save(tmp_path, 't.npz', X=ids, y=np.arange(10) % 2)}")
    assert t.input_dtype == "int64" and t.train.x.dtype == np.int64
    f = load_data(f"npz:{save(tmp_path, 't.npz', X=ids, y=np.arange(10) % 2)}?dtype=float32")
    assert f.input_dtype == "float32"


def test_target_input_needs_no_y(tmp_path):
    d = load_data(f"npz:{save(tmp_path, X=np.random.default_rng(1).random((10, 1, 3, 3)))}?target=input")
    assert d.task == "reconstruction" and d.target_shape == (1, 3, 3)
    np.testing.assert_array_equal(d.train.x, d.train.y)


def test_object_arrays_are_refused_without_unpickling(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, X=np.zeros((3, 2)), y=np.array([{"a": 1}, None, "b"], dtype=object))
    with pytest.raises(DataError) as err:
        load_data(f"npz:{path}")
    assert "'y' in objects.npz holds Python objects" in str(err.value) and "numeric" in str(err.value)


@pytest.mark.parametrize("arrays, spec_options, words", [
    ({"inputs": np.zeros((4, 2)), "y": np.zeros(4)}, "", ["no array named X or x", "inputs, y", "x=NAME"]),
    ({"X": np.zeros((4, 2))}, "", ["no array named y or Y", "its arrays are: X"]),
    ({"X": np.zeros((4, 2)), "y": np.zeros(4)}, "?y=labels", ["no array named 'labels'", "y=NAME"]),
    ({"X": np.zeros((4, 2)), "y": np.zeros(5)}, "", ["4 samples", "'y' has 5"]),
    ({"X": np.array([[1.0, np.nan]] * 4), "y": np.arange(4) % 2}, "", ["NaN", "sample 0"]),
    ({"X": np.zeros((4, 2)), "y": np.ones(4, int)}, "", ["only one class"]),
    ({"X": np.array(["a", "b"]), "y": np.arange(2)}, "", ["one row per sample"]),
    ({"X": np.zeros((6, 2)), "y": np.zeros((6, 2), int)}, "", ["one per sample"]),
])
def test_bad_archives_name_the_array(tmp_path, arrays, spec_options, words):
    path = save(tmp_path, **arrays)
    with pytest.raises(DataError) as err:
        load_data(f"npz:{path}{spec_options}")
    for word in words:
        assert word in str(err.value)


def test_a_missing_or_broken_file_is_named(tmp_path):
    with pytest.raises(DataError, match="gone.npz does not exist"):
        load_data(f"npz:{tmp_path / 'gone.npz'}")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(DataError, match="broken.npz is not a readable .npz archive"):
        load_data(f"npz:{broken}")
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(DataError, match="single array"):
        load_data(f"npz:{single}")


def test_a_huge_label_is_counted_not_used_as_a_size(tmp_path):
    """A 1 KB archive whose labels are [0]*39 + [10**12] once made 10**12 class names (22 GB).
    Loaded in a child process under a 2 GiB address-space limit, so a regression fails instead of
    taking the machine."""
    import subprocess
    import sys

    path = save(tmp_path, X=np.zeros((40, 2), np.float32), y=np.array([0] * 39 + [10**12], np.int64))
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
            "from studio.data import load_data; d = load_data(sys.argv[1] + '?val=0&test=0');"
            "print(d.class_names, d.train.y.max())")
    run = subprocess.run([sys.executable, "-c", code, f"npz:{path}"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["['0',", "'1000000000000']", "1"]


def test_more_different_labels_than_a_classifier_can_have_are_refused(tmp_path):
    path = save(tmp_path, X=np.zeros((20_000, 1), np.float32), y=np.arange(20_000))
    with pytest.raises(DataError, match="20,000 different labels, more classes than a classifier here can have"):
        load_data(f"npz:{path}")
