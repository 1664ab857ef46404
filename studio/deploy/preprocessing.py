"""What a model does to its input before the network, and how its metadata records it.

The engine scales data before training (``DataSplits.normalization``: pixels divided by 255, the
digits' counts by 16, a table's features standardised). An exported model does that step inside
its own graph, so that any runtime given the data's own units computes what ``neurona predict``
computes. Its metadata says what to feed it:

- ``neurona.preprocessing``: ``"inside"`` (the graph normalises its input), ``"outside"``
  (exported with ``--no-preprocessing``: the input must already be normalised, as
  ``neurona.normalization`` says) or ``"none"`` (the data was never scaled). A model exported
  before this key existed has ``neurona.normalization`` alone, and the runner applies it
  (``"runner"``), once, as it always did.
- ``neurona.raw_range``: ``[low, high]`` of the data's own units where the source has fixed units
  (pixels 0–255, the digits' counts 0–16), so that an image file is put in those units first.
- ``neurona.output_ops``: the operator that makes each output (a final ``Sigmoid`` …), so that
  ``predict`` need not read the graph to know whether an output already is a probability.

No torch at import time, no onnx, no Qt.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from .errors import DeployError

__all__ = ["PREPROCESSING_KEY", "RAW_RANGE_KEY", "OUTPUT_OPS_KEY", "NORMALIZATION_KEY", "CLASS_NAMES_KEY",
           "PREPROCESSING", "normalization_arrays", "to_raw_units", "with_normalization", "read_preprocessing",
           "read_raw_range", "read_output_ops"]

CLASS_NAMES_KEY = "neurona.class_names"
NORMALIZATION_KEY = "neurona.normalization"
PREPROCESSING_KEY = "neurona.preprocessing"
RAW_RANGE_KEY = "neurona.raw_range"
OUTPUT_OPS_KEY = "neurona.output_ops"
PREPROCESSING = ("inside", "outside", "none")


def normalization_arrays(norm: dict, name: str, x: np.ndarray, dtype) -> tuple[np.ndarray, np.ndarray] | None:
    """Mean and std shaped to broadcast over batched ``x``: per entry along sample axis ``axis``
    (batch axis excluded), or one value for every element when ``axis`` is None."""
    try:
        mean = np.asarray(norm["mean"], dtype=np.float64).reshape(-1)
        std = np.asarray(norm["std"], dtype=np.float64).reshape(-1)
        axis = norm.get("axis")
    except (TypeError, ValueError, KeyError, AttributeError):
        raise DeployError("the model's neurona.normalization metadata is not numbers: fix it or pass "
                          "preprocess=False") from None
    if mean.size != std.size or mean.size == 0:
        raise DeployError("the model's neurona.normalization metadata has mean and std of different lengths: "
                          "fix it or pass preprocess=False")
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std))):
        raise DeployError("the model's neurona.normalization metadata holds NaN or infinite values: fix it or "
                          "pass preprocess=False")
    std = np.where(std == 0, 1.0, std)
    if axis is None:
        if mean.size != 1:
            raise DeployError("the model's neurona.normalization has several values but no axis: "
                              "fix it or pass preprocess=False")
        return mean.astype(dtype).reshape(()), std.astype(dtype).reshape(())
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise DeployError(f"the model's neurona.normalization has axis {axis!r}, not a whole number: fix it or "
                          f"pass preprocess=False")
    batched_axis = axis + 1
    if not 1 <= batched_axis < x.ndim or x.shape[batched_axis] != mean.size:
        raise DeployError(f"the model's normalization has {mean.size} values along sample axis {axis}, which input "
                          f"{name!r} of shape {list(x.shape)} does not have: fix it or pass preprocess=False")
    shape = [1] * x.ndim
    shape[batched_axis] = mean.size
    return mean.astype(dtype).reshape(shape), std.astype(dtype).reshape(shape)


def to_raw_units(norm: dict, x: np.ndarray) -> np.ndarray:
    """Normalised samples ``x`` (batched) back in the data's own units: ``x · std + mean``, in
    ``x``'s dtype."""
    mean, std = normalization_arrays(norm, "input", x, np.float64)
    return (x * std + mean).astype(x.dtype)


def with_normalization(module: Any, norm: dict, sample: np.ndarray) -> Any:
    """A torch module that computes ``module((x − mean) / std)``: ``module`` taking the data's
    own units. ``sample`` is a batch shaped like the input, to shape mean and std by."""
    import torch

    mean, std = normalization_arrays(norm, "input", sample, np.float32)

    class Normalized(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.network = module
            self.register_buffer("input_mean", torch.from_numpy(np.ascontiguousarray(mean)))
            self.register_buffer("input_std", torch.from_numpy(np.ascontiguousarray(std)))

        def forward(self, x):
            return self.network((x - self.input_mean) / self.input_std)

    return Normalized()


def read_preprocessing(metadata: dict[str, str], normalization: dict | None) -> tuple[str, str | None]:
    """(how the input is preprocessed, a note for the user or None) from a model's metadata:
    ``"inside"``, ``"outside"``, ``"none"``, or ``"runner"`` for a model exported before the key
    existed that has normalization metadata (the runner applies it)."""
    value = metadata.get(PREPROCESSING_KEY)
    if value is None:
        return ("runner" if normalization is not None else "none"), None
    if value not in PREPROCESSING:
        return "none", (f"the model's {PREPROCESSING_KEY} is {value[:40]!r}, which this version does not know: "
                        f"its input goes in unchanged")
    if value == "outside":
        return value, ("this model was exported without its preprocessing: give it input already normalised, "
                       "(x − mean) / std with the mean and std of its neurona.normalization metadata")
    return value, None


def read_raw_range(metadata: dict[str, str], normalization: dict | None) -> tuple[float, float] | None:
    """The data's own units as (low, high): from ``neurona.raw_range``, or, for a model exported
    before it existed, from a fixed scale ``x / s`` in its normalization (units 0 to s)."""
    text = metadata.get(RAW_RANGE_KEY)
    if text is not None:
        try:
            low, high = (float(v) for v in json.loads(text))
        except (ValueError, TypeError):
            return None
        return (low, high) if np.isfinite(low) and np.isfinite(high) and low < high else None
    if normalization is not None and normalization.get("axis") is None:
        try:
            (mean,), (std,) = normalization["mean"], normalization["std"]
            mean, std = float(mean), float(std)
        except (TypeError, ValueError, KeyError):
            return None
        if mean == 0 and np.isfinite(std) and std > 0:
            return 0.0, std
    return None


def read_output_ops(metadata: dict[str, str]) -> dict[str, str] | None:
    """{output name: operator that makes it} from ``neurona.output_ops``; None when absent or unreadable."""
    text = metadata.get(OUTPUT_OPS_KEY)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return value
    return None
