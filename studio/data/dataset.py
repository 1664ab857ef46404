"""What loading produces: ``Split`` and ``DataSplits`` (the public result, with ``adapt`` to fit
a graph's Input), and ``Loaded``, what each source hands over before splitting.

numpy only (and the layer catalogue's shape formatting); no torch, sklearn or Pillow.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ..layers.spec import fmt
from .errors import DataError

TASKS = ("classification", "regression", "reconstruction")
DTYPES = ("float32", "int64")


@dataclass
class Split:
    x: np.ndarray  # (N, *sample_shape): float32, or int64 for token ids
    y: np.ndarray  # classification (N,) int64; regression (N, *target_shape) float32; reconstruction like x

    def __len__(self) -> int:
        return len(self.x)


@dataclass
class DataSplits:
    spec: str
    name: str
    description: str
    task: str
    sample_shape: tuple[int, ...]
    input_dtype: str
    target_shape: tuple[int, ...]
    class_names: list[str] | None
    # {"mean": [...], "std": [...], "axis": int | None}, already applied to x and fitted on train;
    # ``axis`` is the sample axis the lists run along (None: one value for every element).
    normalization: dict | None
    input_noise: float
    train: Split
    val: Split
    test: Split
    # (low, high) of the values the data comes in before ``normalization`` (pixels 0–255, the
    # digits' counts 0–16), when the source has fixed units; None for tables and sequences.
    raw_range: tuple[float, float] | None = None

    @property
    def num_classes(self) -> int | None:
        return len(self.class_names) if self.class_names is not None else None

    def adapt(self, input_shape: tuple[int, ...], input_dtype: str) -> DataSplits:
        """These splits with x shaped for a graph's Input: ``self`` when it already fits, a
        reshaped copy when the number of values per sample agrees (64 ↔ 1×8×8, 20 ↔ 20×1),
        otherwise a ``DataError`` saying which side to change."""
        shape = tuple(int(d) for d in input_shape)
        if input_dtype not in DTYPES:
            raise DataError(f"the graph's Input has dtype {input_dtype!r}; use float32 or int64")
        if input_dtype != self.input_dtype:
            raise DataError(_dtype_mismatch(self.input_dtype, input_dtype))
        if shape == self.sample_shape:
            return self
        if math.prod(shape) != math.prod(self.sample_shape):
            # "64 features … expects 10": the second "features" goes without saying
            expects = str(shape[0]) if len(shape) == len(self.sample_shape) == 1 else _describe(shape)
            raise DataError(
                f"the data has {_describe(self.sample_shape)} per sample but the graph's Input expects "
                f"{expects} — set the Input's shape to {list(self.sample_shape)}, "
                f"or choose data with {_describe(shape)}")
        reconstruct = self.task == "reconstruction"

        def reshape(split: Split) -> Split:
            x = split.x.reshape(len(split), *shape)
            return Split(x, split.y.reshape(len(split), *shape) if reconstruct else split.y)

        return dataclasses.replace(
            self, sample_shape=shape, target_shape=shape if reconstruct else self.target_shape,
            normalization=_reshaped_normalization(self.normalization, self.sample_shape, shape),
            train=reshape(self.train), val=reshape(self.val), test=reshape(self.test))


@dataclass
class Loaded:
    """One source's samples before splitting and scaling."""

    name: str
    description: str
    task: str
    x: np.ndarray  # (N, *sample_shape) float32 or int64
    y: np.ndarray | None  # None when the source only has inputs (target=input)
    class_names: list[str] | None = None
    standardize: bool = False  # per feature (x is (N, F)), fitted on the train split
    normalization: dict | None = None  # already applied by the source (a fixed scale such as 1/255)
    raw_range: tuple[float, float] | None = None  # the source's units before that scale (0–255 pixels)
    same_splits: bool = False  # train = val = test = every sample (the four XOR points)


def _describe(shape: tuple[int, ...]) -> str:
    """'64 features', 'a 20×1 sequence', 'a 1×8×8 image' — how a learner names one sample."""
    if len(shape) == 0:
        return "a single value"
    if len(shape) == 1:
        return f"{shape[0]} feature" + ("" if shape[0] == 1 else "s")
    kind = {2: "sequence", 3: "image"}.get(len(shape), "tensor")
    return f"a {fmt(shape)} {kind}"


def _dtype_mismatch(data_dtype: str, input_dtype: str) -> str:
    if data_dtype == "float32":
        return ("the data holds real numbers but the Input expects int64 token ids — "
                "set the Input's dtype to float32")
    return ("the data holds int64 token ids but the Input expects real numbers (float32) — "
            "set the Input's dtype to int64")


def _reshaped_normalization(norm: dict | None, old: tuple[int, ...], new: tuple[int, ...]) -> dict | None:
    """Per-axis statistics still apply after a reshape when some new axis runs over exactly the
    same elements as the old one (F ↔ F×1 ↔ 1×F); otherwise the reshape would scramble them."""
    if norm is None or norm.get("axis") is None:
        return norm
    axis = norm["axis"]
    before, size = math.prod(old[:axis]), old[axis]
    for new_axis, d in enumerate(new):
        if d == size and math.prod(new[:new_axis]) == before:
            return {**norm, "axis": new_axis}
    raise DataError(
        f"the data is scaled per entry along its {fmt(old)} shape, which a {fmt(new)} Input would mix up — "
        f"set the Input's shape to {list(old)}")
