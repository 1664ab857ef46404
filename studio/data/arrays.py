"""NumPy ``.npz`` archives: an input array and a target array, loaded without unpickling
(``allow_pickle=False``: a pickle can run code, and files are data, never code). uint8 inputs
are read as pixels and scaled to 0–1; a real-valued (N, F) table is standardised like a CSV
file; other integer inputs are token ids.

numpy only.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ..layers.spec import fmt
from .dataset import Loaded
from .errors import DataError
from .options import Options

MAX_CLASSES = 10_000  # distinct labels a classifier may have (each is one output of the network)

OPTIONS = {
    "x": "name of the input array in the archive (default: X or x)",
    "y": "name of the target array (default: y or Y)",
    "dtype": "float32 (real numbers) or int64 (token ids); default: int64 for integer arrays "
             "except uint8 pixels, float32 otherwise",
}


def load_npz(location: str, opts: Options, *, reconstruct: bool) -> Loaded:
    path = Path(location).expanduser()
    if not path.is_file():
        where = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise DataError(f"the NPZ file {path} {where} — check the path after npz: "
                        f"(a relative path starts from {Path.cwd()})")
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise DataError(f"{path.name} is not a readable .npz archive ({e}) — save it with "
                        "numpy.savez(path, X=inputs, y=targets)") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise DataError(f"{path.name} holds a single array, not named arrays — save it with "
                        "numpy.savez(path, X=inputs, y=targets)")
    with archive:
        x_key = _key(archive, opts.text("x"), ("X", "x"), "x", path)
        y_key = _key(archive, opts.text("y"), ("y", "Y"), "y", path, required=not reconstruct)
        x = _array(archive, x_key, path)
        y = None if y_key is None else _array(archive, y_key, path)

    pixels = x.dtype == np.uint8  # almost always image pixels
    x = _inputs(x, x_key, opts.choice("dtype", ("float32", "int64")), path)
    scaling: dict = {}
    if pixels and x.dtype == np.float32:
        x /= 255.0
        scaling["normalization"] = {"mean": [0.0], "std": [255.0], "axis": None}
        scaling["raw_range"] = (0.0, 255.0)
    elif x.dtype == np.float32 and x.ndim == 2:
        scaling["standardize"] = True  # a table of features, scaled like a CSV file's
    description = f"{len(x)} samples from {path.name}: '{x_key}' ({fmt(x.shape[1:])} each)"
    if y is None:
        return Loaded(path.stem, description + ", reconstructed.", "reconstruction", x, None, **scaling)
    if len(y) != len(x):
        raise DataError(f"'{x_key}' in {path.name} has {len(x)} samples but '{y_key}' has {len(y)} — "
                        "they need one target per sample")
    task, y, class_names = _targets(y, y_key, path)
    what = f"{len(class_names)} classes" if class_names else f"values of shape {fmt(y.shape[1:])}"
    return Loaded(path.stem, f"{description} → '{y_key}' ({what}).", task, x, y, class_names, **scaling)


def _key(archive, asked: str | None, defaults: tuple[str, ...], option: str, path: Path,
         required: bool = True) -> str | None:
    names = archive.files
    if asked is not None:
        if asked in names:
            return asked
    else:
        for name in defaults:
            if name in names:
                return name
        if not required:
            return None
    wanted = f"'{asked}'" if asked is not None else " or ".join(defaults)
    raise DataError(f"{path.name} has no array named {wanted}; its arrays are: {', '.join(names) or 'none'} — "
                    f"name the one to use with {option}=NAME")


def _array(archive, key: str, path: Path) -> np.ndarray:
    try:
        return archive[key]
    except ValueError:
        # numpy refuses object arrays when allow_pickle=False: exactly what we want
        raise DataError(f"'{key}' in {path.name} holds Python objects, which would have to be unpickled "
                        "(unpickling can run code, so Neurona Studio never does) — save it as a numeric "
                        "array, for example numpy.asarray(values, dtype=numpy.float32)") from None


def _inputs(x: np.ndarray, key: str, dtype: str | None, path: Path) -> np.ndarray:
    if x.dtype.kind not in "biuf" or x.ndim == 0 or len(x) == 0:
        shown = "no samples" if x.ndim and not len(x) else f"{x.dtype} values of shape {x.shape}"
        raise DataError(f"'{key}' in {path.name} holds {shown}; the inputs must be an array of numbers "
                        "with one row per sample")
    if x.ndim == 1:
        x = x[:, None]  # one feature per sample
    if dtype is None:
        # integers other than uint8 pixels are token ids for an Embedding
        dtype = "int64" if x.dtype.kind in "iu" and x.dtype != np.uint8 else "float32"
    if dtype == "int64":
        if x.dtype.kind == "f" and not np.all(np.isfinite(x) & (x == np.round(x))):
            raise DataError(f"'{key}' in {path.name} holds fractions, which cannot be token ids — "
                            "remove dtype=int64")
        if x.min() < 0:
            raise DataError(f"'{key}' in {path.name} holds negative numbers, which cannot be token ids — "
                            "use dtype=float32 to read them as real numbers")
        return x.astype(np.int64)
    _refuse_not_finite(x, key, path)
    return x.astype(np.float32)


def _targets(y: np.ndarray, key: str, path: Path) -> tuple[str, np.ndarray, list[str] | None]:
    if y.dtype.kind == "f":
        _refuse_not_finite(y, key, path)
        y = y.astype(np.float32)
        return "regression", y[:, None] if y.ndim == 1 else y, None  # one value per sample: (N, 1)
    if y.dtype.kind not in "biuUS":
        raise DataError(f"'{key}' in {path.name} holds {y.dtype} values — use whole numbers or text for "
                        "classes, real numbers for regression")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise DataError(f"'{key}' in {path.name} has shape {y.shape}, but class labels are one per sample — "
                        "save them as a 1-D array, or as real numbers for regression")
    # Counted before anything is sized by them: a label of 10**12 must not make 10**12 classes.
    values, inverse = np.unique(y, return_inverse=True)
    if len(values) > MAX_CLASSES:
        raise DataError(f"'{key}' in {path.name} has {len(values):,} different labels, more classes than a "
                        f"classifier here can have ({MAX_CLASSES:,}) — save real numbers (float) to predict a "
                        "value instead")
    if y.dtype.kind in "biu" and y.min() >= 0 and int(y.max()) < MAX_CLASSES:
        # labels 0…K−1 keep their meaning: class k is the label k
        names = [str(k) for k in range(int(y.max()) + 1)]
        labels = y.astype(np.int64)
    else:  # text, negative or huge labels: the distinct values in order are the classes
        labels = inverse.reshape(-1)
        names = [str(v) for v in values]
    present = np.unique(labels)
    if len(present) < 2:
        raise DataError(f"'{key}' in {path.name} has only one class ({names[present[0]]}); a classifier needs "
                        "at least two — add samples of other classes")
    return "classification", labels.astype(np.int64), names


def _refuse_not_finite(a: np.ndarray, key: str, path: Path) -> None:
    bad = ~np.isfinite(a.reshape(len(a), -1)).all(axis=1)
    if bad.any():
        raise DataError(f"'{key}' in {path.name} holds NaN or infinite values (first in sample "
                        f"{int(np.argmax(bad))}) — clean or remove those samples")
