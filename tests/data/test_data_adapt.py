"""DataSplits.adapt: the same splits when the Input fits, a reshaped copy when the number of values
agrees, and messages that name both sides and both fixes when it does not."""

import numpy as np
import pytest

from studio.data import DataError, load_data


@pytest.fixture(scope="module")
def digits():
    return load_data("digits")


def test_a_matching_input_returns_the_same_splits(digits):
    assert digits.adapt((1, 8, 8), "float32") is digits
    assert digits.adapt([1, 8, 8], "float32") is digits


def test_flat_and_image_inputs_share_the_same_values(digits):
    flat = digits.adapt((64,), "float32")
    assert flat.sample_shape == (64,) and flat.train.x.shape == (len(digits.train), 64)
    np.testing.assert_array_equal(flat.train.x, digits.train.x.reshape(-1, 64))
    np.testing.assert_array_equal(flat.train.y, digits.train.y)
    assert flat.target_shape == () and flat.normalization == digits.normalization
    assert digits.sample_shape == (1, 8, 8)  # the original is left alone
    back = flat.adapt((1, 8, 8), "float32")
    np.testing.assert_array_equal(back.test.x, digits.test.x)


def test_reconstruction_targets_follow_the_reshape():
    d = load_data("digits?target=input").adapt((64,), "float32")
    assert d.target_shape == (64,) and d.train.y.shape == (len(d.train), 64)
    np.testing.assert_array_equal(d.train.x, d.train.y)


def test_a_feature_vector_becomes_a_sequence_and_keeps_its_scaling_axis():
    d = load_data("iris")
    seq = d.adapt((4, 1), "float32")
    assert seq.sample_shape == (4, 1) and seq.normalization["axis"] == 0
    row = d.adapt((1, 4), "float32")
    assert row.normalization["axis"] == 1 and row.normalization["mean"] == d.normalization["mean"]


def test_per_feature_scaling_that_a_reshape_would_scramble_is_refused():
    with pytest.raises(DataError, match=r"set the Input's shape to \[30\]"):
        load_data("breast_cancer").adapt((5, 6), "float32")


def test_the_64_versus_10_message_is_exact(digits):
    flat = digits.adapt((64,), "float32")
    with pytest.raises(DataError) as err:
        flat.adapt((10,), "float32")
    assert str(err.value) == ("the data has 64 features per sample but the graph's Input expects 10 — "
                              "set the Input's shape to [64], or choose data with 10 features")


@pytest.mark.parametrize("shape, expected", [
    ((10,), "the data has a 1×8×8 image per sample but the graph's Input expects 10 features — "
            "set the Input's shape to [1, 8, 8], or choose data with 10 features"),
    ((20, 1), "the data has a 1×8×8 image per sample but the graph's Input expects a 20×1 sequence — "
              "set the Input's shape to [1, 8, 8], or choose data with a 20×1 sequence"),
    ((3, 8, 8), "expects a 3×8×8 image"),
])
def test_shape_mismatches_name_both_shapes(digits, shape, expected):
    with pytest.raises(DataError) as err:
        digits.adapt(shape, "float32")
    assert expected in str(err.value)


def test_dtype_mismatches_name_the_dtype_to_set(digits):
    with pytest.raises(DataError) as err:
        digits.adapt((1, 8, 8), "int64")
    assert str(err.value) == ("the data holds real numbers but the Input expects int64 token ids — "
                              "set the Input's dtype to float32")
    tokens = load_data("tokens")
    assert tokens.adapt((16,), "int64") is tokens
    with pytest.raises(DataError, match="holds int64 token ids.*set the Input's dtype to int64"):
        tokens.adapt((16,), "float32")
    with pytest.raises(DataError, match="float16"):
        tokens.adapt((16,), "float16")


@pytest.mark.parametrize("example, spec", [
    ("digits_mlp", "digits"), ("digits_cnn", "digits"), ("conv_autoencoder", "digits?target=input"),
    ("sine_lstm", "sine"), ("gru_classifier", "sequences"), ("transformer_classifier", "tokens"),
    ("xor", "xor"), ("binary_classifier", "blobs?features=10"), ("residual_cnn", "digits"),
])
def test_every_example_graph_accepts_its_data(example, spec):
    import json
    from pathlib import Path

    doc = json.loads((Path(__file__).parents[2] / "examples" / f"{example}.neurona").read_text())
    params = next(n for n in doc["nodes"] if n["type"] == "Input")["params"]
    d = load_data(spec).adapt(tuple(params["shape"]), params.get("dtype", "float32"))
    assert d.train.x.shape[1:] == tuple(params["shape"])
