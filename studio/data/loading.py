"""``load_data``: a spec string → ``DataSplits``. Reads the options every kind shares (val, test,
seed, target=input, noise), asks the right source for its samples, splits them, and fits any
standardisation on the training split only.

numpy only here; the sources import scikit-learn or Pillow inside their own functions. No torch.
"""

from __future__ import annotations

import numpy as np

from . import arrays, images, tabular
from .builtin import BUILTINS
from .dataset import DataSplits, Loaded, Split
from .errors import DataError
from .options import Options
from .scaling import standardize
from .spec import DataSpec, parse_spec
from .splits import check_fractions, split_indices

_SOURCES = {"csv": tabular.load_csv, "npz": arrays.load_npz, "images": images.load_images}


def load_data(spec: str, *, seed: int = 0, val_split: float = 0.15, test_split: float = 0.15) -> DataSplits:
    """Load, split and scale the data ``spec`` names (see the package docstring). ``val=``,
    ``test=`` and ``seed=`` in the spec override the arguments. Raises ``DataError``."""
    parsed = parse_spec(spec)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"the seed must be a whole number of at least 0, not {seed!r}")
    opts = Options(parsed.options)
    seed = opts.integer("seed", seed, min=0)
    val_split = opts.number("val", val_split, min=0, below=1)
    test_split = opts.number("test", test_split, min=0, below=1)
    check_fractions(val_split, test_split)
    reconstruct = _wants_reconstruction(parsed, opts)
    input_noise = _input_noise(parsed, opts, reconstruct)
    for common in ("seed", "val", "test"):
        opts.pop(common)

    if parsed.kind == "builtin":
        # generation draws from its own stream, so changing val= does not change the samples
        rng = np.random.default_rng([seed, 0])
        loaded = BUILTINS[parsed.location].load(opts, rng, seed)
    else:
        loaded = _SOURCES[parsed.kind](parsed.location, opts, reconstruct=reconstruct)
    return _split_and_scale(spec.strip(), loaded, reconstruct, input_noise, seed, val_split, test_split)


def _wants_reconstruction(spec: DataSpec, opts: Options) -> bool:
    target = opts.text("target")
    if target is None:
        return False
    if target == "input":
        opts.pop("target")
        return True
    if spec.kind == "csv":
        return False  # a column name, for the CSV source
    raise DataError(f"option target={target} does not apply here: this data brings its own targets — "
                    "the only choice is target=input, to train an autoencoder")


def _input_noise(spec: DataSpec, opts: Options, reconstruct: bool) -> float:
    """With target=input, ``noise`` is the denoising noise for every kind of data (a generated
    set then keeps its default spread); otherwise only generated sets have a ``noise``."""
    if reconstruct:
        noise = opts.number("noise", 0.0, min=0)
        opts.pop("noise")
        return noise
    own = BUILTINS[spec.location].info.options if spec.kind == "builtin" else {}
    if "noise" in opts and "noise" not in own:
        example = spec.location if spec.kind == "builtin" else "digits"
        raise DataError("option noise= adds noise to the inputs of a denoising autoencoder, so it needs "
                        f"target=input — for example {example}?target=input&noise=0.3")
    return 0.0


def _split_and_scale(spec: str, data: Loaded, reconstruct: bool, input_noise: float, seed: int,
                     val_split: float, test_split: float) -> DataSplits:
    n = len(data.x)
    if data.same_splits:
        train = val = test = np.arange(n)
    else:
        # autoencoders on labelled data are still split by class, so every split sees every class
        stratify = data.task == "classification" and data.y is not None
        train, val, test = split_indices(data.y if stratify else n, seed=seed, val_split=val_split,
                                         test_split=test_split, stratify=stratify)
    x, normalization = data.x, data.normalization
    if data.standardize:
        x, normalization = standardize(x, train)

    if reconstruct or data.y is None:
        task, y, class_names = "reconstruction", x, None
        target_shape = tuple(x.shape[1:])
    else:
        task, y, class_names = data.task, data.y, data.class_names
        target_shape = () if task == "classification" else tuple(y.shape[1:])

    def take(idx: np.ndarray) -> Split:
        # fancy indexing copies, so the splits never share memory (xor's three splits included)
        return Split(x[idx], y[idx])

    return DataSplits(
        spec=spec, name=data.name, description=data.description, task=task,
        sample_shape=tuple(x.shape[1:]), input_dtype=str(x.dtype), target_shape=target_shape,
        class_names=class_names, normalization=normalization, input_noise=float(input_noise),
        raw_range=data.raw_range,
        train=take(train), val=take(val), test=take(test))
