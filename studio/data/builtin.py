"""The built-in data sets: what each one is (``BuiltinInfo``, listed by ``builtin_datasets``) and
how it is made. Nothing is ever downloaded: the tabular and image sets are the ones bundled with
scikit-learn, the rest are generated from the seed.

numpy at import time; scikit-learn only inside the loaders that need it. No torch, no Pillow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np

from . import synthetic
from .dataset import Loaded
from .errors import DataError
from .options import Options


@dataclass(frozen=True)
class BuiltinInfo:
    name: str
    description: str  # one sentence for the data picker
    task: str
    sample_shape: tuple[int, ...]  # with the default options
    options: dict[str, str]  # the set's own options → one-line help (the common ones are in the docs)
    # Training settings (keys of a file's "training" section) the training panel starts from when
    # this set is picked and the document sets none of its own: with them a typical small network
    # for the set (two hidden Linear+ReLU layers of 16 for points and tables; the examples'
    # networks for images, sequences and tokens) reaches what the description promises.
    suggested: Mapping[str, Any] = field(default_factory=dict)


def _suggest(epochs: int, lr: float, *, batch_size: int = 32, mode: str = "mini-batch",
             optimizer: str = "adam", momentum: float = 0.0) -> Mapping[str, Any]:
    """Every suggestion sets the same keys, so that picking one set after another leaves
    nothing of the first behind."""
    return MappingProxyType({"epochs": epochs, "mode": mode, "batch_size": batch_size,
                             "optimizer": optimizer, "lr": lr, "momentum": momentum})


# points and tables (moons, blobs, iris …) with two hidden layers of 16
_TABLE = _suggest(40, 0.005)


@dataclass(frozen=True)
class _Builtin:
    info: BuiltinInfo
    load: Callable[[Options, np.random.Generator, int], Loaded]  # (options, rng, seed)


_N = "number of samples to generate"


def _loaded(info: BuiltinInfo, x: np.ndarray, y: np.ndarray, class_names: list[str] | None,
            **extra) -> Loaded:
    return Loaded(name=info.name, description=info.description, task=info.task, x=x, y=y,
                  class_names=class_names, **extra)


# --------------------------------------------------------------------------------------------
# Generated sets

XOR = BuiltinInfo(
    "xor", "The four corners of the unit square labelled by exclusive or (1 when exactly one "
    "coordinate is 1): no single straight line separates the classes, but a hidden layer of a few "
    "neurons gets all four right (100 % accuracy).",
    "classification", (2,),
    {"n": "number of points (default 4: the exact corners, used for training, validation and test alike; "
          "more gives noisy copies that are split as usual)",
     "noise": "std of the jitter around the corners (default 0 for 4 points, 0.1 for more)"},
    # the whole set in every step, with momentum to carry the weights over the plateau
    suggested=_suggest(300, 0.5, mode="full-batch", optimizer="sgd", momentum=0.9))


def _xor(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    n = opts.integer("n", 4, min=4, max=1_000_000)
    noise = opts.number("noise", 0.0 if n == 4 else 0.1, min=0)
    x, y = synthetic.xor(rng, n, noise)
    # Four points cannot be split three ways; the course trains and evaluates on all four.
    return _loaded(XOR, x, y, ["0", "1"], same_splits=n == 4)


MOONS = BuiltinInfo(
    "moons", "Two interleaving half circles of 2-D points, one per class, that need a curved "
    "decision boundary: two hidden layers of 16 neurons reach at least 97 % test accuracy.",
    "classification", (2,),
    {"n": _N + " (default 500)", "noise": "std of the Gaussian noise on each point (default 0.1)"},
    suggested=_suggest(30, 0.01))


def _moons(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=opts.integer("n", 500, min=2, max=1_000_000),
                      noise=opts.number("noise", 0.1, min=0), random_state=seed)
    return _loaded(MOONS, x.astype(np.float32), y.astype(np.int64), ["0", "1"], standardize=True)


CIRCLES = BuiltinInfo(
    "circles", "A small circle of 2-D points inside a larger one, one class each: no straight "
    "line separates them, but hidden layers can (two of 16 neurons reach at least 97 % test accuracy).",
    "classification", (2,),
    {"n": _N + " (default 500)", "noise": "std of the Gaussian noise on each point (default 0.05)",
     "factor": "radius of the inner circle relative to the outer one (default 0.5)"},
    suggested=_suggest(30, 0.01))


def _circles(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    from sklearn.datasets import make_circles

    x, y = make_circles(n_samples=opts.integer("n", 500, min=2, max=1_000_000),
                        noise=opts.number("noise", 0.05, min=0),
                        factor=opts.number("factor", 0.5, min=0, below=1), random_state=seed)
    return _loaded(CIRCLES, x.astype(np.float32), y.astype(np.int64), ["0", "1"], standardize=True)


SPIRALS = BuiltinInfo(
    "spirals", "Two interleaved spirals of 2-D points, one per class: a hard boundary that needs "
    "several hidden layers or many neurons (two hidden layers of 16 neurons reach at least 90 % test "
    "accuracy in 100 epochs).",
    "classification", (2,),
    {"n": _N + " (default 500)", "noise": "std of the Gaussian noise on each point (default 0.05)",
     "turns": "how many times each spiral winds around the centre (default 1.5)"},
    suggested=_suggest(100, 0.01))


def _spirals(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    x, y = synthetic.spirals(rng, opts.integer("n", 500, min=2, max=1_000_000),
                             opts.number("noise", 0.05, min=0), opts.number("turns", 1.5, min=0.1, max=10))
    return _loaded(SPIRALS, x, y, ["0", "1"], standardize=True)


SINE = BuiltinInfo(
    "sine", "Windows of a noisy sine wave with a random phase and period, each paired with the "
    "value that comes next: forecasting for recurrent networks (an LSTM reaches R² ≥ 0.95 on the "
    "test windows).", "regression", (20, 1),
    {"n": "number of windows (default 1000)", "window": "time steps per window (default 20)",
     "noise": "std of the Gaussian noise on each value (default 0.05)"},
    suggested=_suggest(20, 0.005))  # as examples/sine_lstm.neurona


def _sine(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    x, y = synthetic.sine_windows(rng, opts.integer("n", 1000, min=2, max=1_000_000),
                                  opts.integer("window", 20, min=1, max=10_000), opts.number("noise", 0.05, min=0))
    return _loaded(SINE, x, y, None)


SEQUENCES = BuiltinInfo(
    "sequences", "Sequences of sensor-like readings, class 1 when the first feature adds up to "
    "more than zero over all steps: the answer needs memory of the whole sequence (a GRU reaches "
    "at least 97 % test accuracy).",
    "classification", (30, 4),
    {"n": _N + " (default 1000)", "steps": "time steps per sequence (default 30)",
     "features": "readings per time step (default 4; only the first decides the class)"},
    suggested=_suggest(15, 0.005))  # as examples/gru_classifier.neurona


def _sequences(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    x, y = synthetic.running_sum_sequences(
        rng, opts.integer("n", 1000, min=2, max=1_000_000), opts.integer("steps", 30, min=1, max=10_000),
        opts.integer("features", 4, min=1, max=1_000))
    return _loaded(SEQUENCES, x, y, ["0", "1"])


TOKENS = BuiltinInfo(
    "tokens", "Sequences of token ids that always contain tokens 1 and 2, class 1 when 1 comes "
    "first: only the order tells the classes apart, so the model needs positions (a small "
    "Transformer reaches at least 95 % test accuracy).",
    "classification", (16,),
    {"n": _N + " (default 2000)", "length": "tokens per sequence (default 16)",
     "vocab": "vocabulary size: ids run from 0 to vocab−1 (default 32)"},
    suggested=_suggest(20, 0.001, batch_size=64))  # as examples/transformer_classifier.neurona


def _tokens(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    x, y = synthetic.marker_order_tokens(
        rng, opts.integer("n", 2000, min=2, max=1_000_000), opts.integer("length", 16, min=2, max=10_000),
        opts.integer("vocab", 32, min=4, max=1_000_000))
    return _loaded(TOKENS, x, y, ["0", "1"])


BLOBS = BuiltinInfo(
    "blobs", "Points in 10 dimensions from one cluster per class (2 by default), partly "
    "overlapping: tabular data for a first dense classifier (two hidden layers of 16 neurons reach at "
    "least 90 % test accuracy).", "classification", (10,),
    {"n": _N + " (default 1000)", "features": "numbers per sample (default 10)",
     "classes": "number of classes (default 2)"},
    suggested=_TABLE)


def _blobs(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    from sklearn.datasets import make_classification

    features = opts.integer("features", 10, min=1, max=10_000)
    classes = opts.integer("classes", 2, min=2, max=100)
    # half the features carry the class, the rest are noise; enough to give each class a cluster
    informative = max(1, features // 2)
    if classes > 2 ** informative:
        raise DataError(f"blobs cannot make {classes} classes from {features} features — "
                        f"use features={2 * math.ceil(math.log2(classes))} or more, or fewer classes")
    x, y = make_classification(n_samples=opts.integer("n", 1000, min=2, max=1_000_000), n_features=features,
                               n_informative=informative, n_redundant=0, n_classes=classes,
                               n_clusters_per_class=1, random_state=seed)
    return _loaded(BLOBS, x.astype(np.float32), y.astype(np.int64), [str(k) for k in range(classes)],
                   standardize=True)


# --------------------------------------------------------------------------------------------
# scikit-learn's bundled sets

DIGITS = BuiltinInfo(
    "digits", "1,797 handwritten digits as 8×8 grey images (1 channel), scaled to 0–1, in 10 "
    "classes from 0 to 9: a small CNN (the digits_cnn example) reaches at least 97 % test accuracy.",
    "classification", (1, 8, 8), {},
    suggested=_suggest(20, 0.002, batch_size=64))  # as examples/digits_cnn.neurona


def _digits(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    # pixel counts run 0–16; a fixed scale keeps the images in 0–1 for Sigmoid decoders
    x = (bunch.data.reshape(-1, 1, 8, 8) / 16.0).astype(np.float32)
    return _loaded(DIGITS, x, bunch.target.astype(np.int64), [str(c) for c in bunch.target_names],
                   normalization={"mean": [0.0], "std": [16.0], "axis": None}, raw_range=(0.0, 16.0))


def _sklearn_table(info: BuiltinInfo, loader_name: str) -> Callable[[Options, np.random.Generator, int], Loaded]:
    def load(opts: Options, rng: np.random.Generator, seed: int) -> Loaded:
        import sklearn.datasets

        bunch = getattr(sklearn.datasets, loader_name)()
        return _loaded(info, bunch.data.astype(np.float32), bunch.target.astype(np.int64),
                       [str(c) for c in bunch.target_names], standardize=True)

    return load


IRIS = BuiltinInfo(
    "iris", "150 iris flowers described by 4 measurements of their sepals and petals, in 3 "
    "species: two hidden layers of 16 neurons reach at least 85 % test accuracy (the test split "
    "holds 23 flowers).", "classification", (4,), {}, suggested=_TABLE)
WINE = BuiltinInfo(
    "wine", "178 wines described by 13 chemical measurements, in 3 cultivars (grape varieties): two "
    "hidden layers of 16 neurons reach at least 90 % test accuracy.", "classification", (13,), {},
    suggested=_TABLE)
BREAST_CANCER = BuiltinInfo(
    "breast_cancer", "569 breast tumour samples described by 30 measurements of cell nuclei, "
    "labelled malignant or benign: two hidden layers of 16 neurons reach at least 90 % test "
    "accuracy.",
    "classification", (30,), {}, suggested=_TABLE)


BUILTINS: dict[str, _Builtin] = {b.info.name: b for b in (
    _Builtin(XOR, _xor),
    _Builtin(MOONS, _moons),
    _Builtin(CIRCLES, _circles),
    _Builtin(SPIRALS, _spirals),
    _Builtin(BLOBS, _blobs),
    _Builtin(DIGITS, _digits),
    _Builtin(IRIS, _sklearn_table(IRIS, "load_iris")),
    _Builtin(WINE, _sklearn_table(WINE, "load_wine")),
    _Builtin(BREAST_CANCER, _sklearn_table(BREAST_CANCER, "load_breast_cancer")),
    _Builtin(SINE, _sine),
    _Builtin(SEQUENCES, _sequences),
    _Builtin(TOKENS, _tokens),
)}


def builtin_datasets() -> list[BuiltinInfo]:
    """Every built-in data set, in the order the data picker shows them."""
    return [b.info for b in BUILTINS.values()]
