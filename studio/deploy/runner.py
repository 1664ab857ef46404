"""Run an ONNX model with onnxruntime — no torch — and turn its outputs into predictions.

``OnnxRunner`` loads a file (upgrading opsets below 7, which onnxruntime no longer runs),
describes its inputs and outputs, reads our metadata (class names, how the input is preprocessed,
the data's units), fits what the user gives it to what the model wants (dtype, a missing batch
axis, batches), and ranks classes for classifiers. A file that onnxruntime loads as it is never
goes through the ``onnx`` package (0.6 s to import): its opset is read from the file's top-level
fields and its metadata from the session. The ``onnx`` package comes in only for a file that
onnxruntime refuses — to upgrade an old opset, or to say what is wrong with it. ``load_inputs`` reads .npy, .npz, .csv, images and .pb tensors;
``predict_file`` does it all and returns JSON-ready data for the CLI.

Every failure the user can cause raises ``DeployError`` with one line naming the problem and the
fix. torch is never imported here.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import DeployError, one_line
from .preprocessing import (CLASS_NAMES_KEY, NORMALIZATION_KEY, normalization_arrays, read_output_ops,
                            read_preprocessing, read_raw_range)

__all__ = ["DeployError", "TensorSpec", "Prediction", "OnnxRunner", "predict_file", "IMAGE_SUFFIXES",
           "MIN_RUNNABLE_OPSET", "normalization_arrays"]

MIN_RUNNABLE_OPSET = 7  # onnxruntime rejects default-domain opsets below this
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
INPUT_SUFFIXES = (".npy", ".npz", ".csv", *IMAGE_SUFFIXES, ".pb")
_PROBABILITY_SUM_TOLERANCE = 1e-4

# onnxruntime's type strings → NumPy dtype names
_ORT_TYPES = {
    "tensor(float)": "float32", "tensor(double)": "float64", "tensor(float16)": "float16",
    "tensor(int64)": "int64", "tensor(int32)": "int32", "tensor(int16)": "int16", "tensor(int8)": "int8",
    "tensor(uint64)": "uint64", "tensor(uint32)": "uint32", "tensor(uint16)": "uint16", "tensor(uint8)": "uint8",
    "tensor(bool)": "bool", "tensor(string)": "str",
}


@dataclass
class TensorSpec:
    name: str
    dtype: str  # NumPy dtype name ("float32", "int64", …); onnxruntime's own string for exotic types
    shape: list[int | str | None]  # a str is a symbolic axis ("batch"), None an unknown one


@dataclass
class Prediction:
    outputs: dict[str, np.ndarray]
    probabilities: np.ndarray | None  # (N, K) for classifiers
    top_k: list[list[tuple[str, float]]] | None  # per sample: (label, probability), best first
    seconds: float  # time spent inside onnxruntime


class OnnxRunner:
    """One ONNX model, loaded, checked and ready to run on the CPU (or ``providers``)."""

    def __init__(self, path: str | os.PathLike, *, providers: list | None = None) -> None:
        self.path = os.fspath(path)
        self.notes: list[str] = []
        self._model = None  # the ModelProto, where the onnx package had to read the file
        _check_model_file(self.path)
        opset = _header_opset(self.path)
        runnable = opset is not None and opset >= MIN_RUNNABLE_OPSET
        session = _session(self.path, self.path, providers, quiet=True) if runnable else None
        if session is None:  # onnxruntime refuses the file as it is: load, check and upgrade it
            import onnx

            model = _load_model(onnx, self.path)
            opset = _default_opset(model)
            if opset < MIN_RUNNABLE_OPSET:
                model, new = _upgrade(onnx, model, opset, self.path)
                self.notes.append(f"upgraded from opset {opset} to {new}")
                opset = new
            self._model = model
            session = _session(model.SerializeToString(), self.path, providers)
        self._session = session
        self.opset = opset
        self.metadata: dict[str, str] = dict(session.get_modelmeta().custom_metadata_map)
        self.class_names: list[str] | None = _class_names(self.metadata.get(CLASS_NAMES_KEY))
        # The data's normalization as recorded at export, and who applies it: the model itself
        # ("inside"), the caller ("outside"), nobody ("none"), or this runner ("runner", for a
        # model exported before the graph carried it).
        self.normalization: dict | None = _normalization(self.metadata.get(NORMALIZATION_KEY))
        self.preprocessing, note = read_preprocessing(self.metadata, self.normalization)
        if note:
            self.notes.append(note)
        self.raw_range: tuple[float, float] | None = read_raw_range(self.metadata, self.normalization)
        self._applies_normalization = self.preprocessing == "runner"
        self._output_ops = read_output_ops(self.metadata)
        self.inputs = [_spec(a) for a in self._session.get_inputs()]
        self.outputs = [_spec(a) for a in self._session.get_outputs()]
        self._input_names = [s.name for s in self.inputs]
        self._output_names = [s.name for s in self.outputs]
        self._dtypes = {s.name: _np_dtype(s.dtype) for s in self.inputs}
        self._norm_cache: dict[tuple[str, int], tuple[np.ndarray, np.ndarray] | None] = {}
        # Static dims to check per input: (rank, ((axis, size), …)).
        self._static = {s.name: (len(s.shape), tuple((i, d) for i, d in enumerate(s.shape) if isinstance(d, int)))
                        for s in self.inputs}
        self._exact = self._exact_input()
        # onnxruntime's Python run() re-validates the feed names we have just checked and wraps the
        # binding's run(); with the CPU provider alone (nothing to fall back from) call the binding.
        binding = getattr(self._session, "_sess", None)
        cpu_only = self._session.get_providers() == ["CPUExecutionProvider"]
        self._run_binding = binding.run if cpu_only and hasattr(binding, "run") else None
        self.last_seconds = 0.0

    def __repr__(self) -> str:
        return f"OnnxRunner({self.path!r}, inputs={[s.name for s in self.inputs]}, outputs={self._output_names})"

    # -- running ------------------------------------------------------------------------------

    def run(self, feeds: dict[str, np.ndarray] | np.ndarray, *, batch_size: int | None = None,
            preprocess: bool = True) -> dict[str, np.ndarray]:
        """The model's outputs by name for ``feeds`` (arrays by input name, or one array for a
        one-input model). Dtypes are cast to what the model wants, a single sample gets a batch
        axis, normalization metadata is applied to float inputs when ``preprocess``, and with
        ``batch_size`` the samples go through in batches of at most that many."""
        prepared = self._as_is(feeds, preprocess) if batch_size is None else None
        if prepared is None:
            prepared = self._prepare(feeds, preprocess)
        if batch_size is not None:
            if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
                raise DeployError(f"batch_size must be a whole number ≥ 1, got {batch_size!r}")
            sizes = {x.shape[0] for x in prepared.values() if x.ndim}
            if len(sizes) > 1:
                raise DeployError(f"the inputs have different batch sizes ({sorted(sizes)}), so they cannot be "
                                  f"split into batches: give every input the same number of samples")
            n = sizes.pop() if sizes else 0
            if n > batch_size:
                return self._run_batches(prepared, n, batch_size)
        start = time.perf_counter()
        values = self._call(prepared)
        self.last_seconds = time.perf_counter() - start
        return dict(zip(self._output_names, values))

    def _exact_input(self) -> tuple | None:
        """For a one-input model whose axes are all static but perhaps the first: (name, dtype,
        rank, first static axis, static dims, whether normalization applies), what ``_as_is``
        checks; None where ``_prepare`` has to look at every call."""
        if len(self.inputs) != 1:
            return None
        spec = self.inputs[0]
        start = 0 if spec.shape and isinstance(spec.shape[0], int) else 1
        dims = tuple(spec.shape[start:])
        if not all(isinstance(d, int) for d in dims):
            return None
        want = self._dtypes[spec.name]
        return spec.name, want, len(spec.shape), start, dims, self._applies_normalization and want.kind == "f"

    def _as_is(self, feeds: Any, preprocess: bool) -> dict[str, np.ndarray] | None:
        """``{name: feeds}`` when ``feeds`` is one array that is already exactly what the model
        takes (dtype, rank, static dims, no normalization to apply): ``_prepare`` would pass it
        through unchanged. None otherwise, and ``_prepare`` fits it or says what is wrong."""
        if self._exact is None or type(feeds) is not np.ndarray:
            return None
        name, dtype, rank, start, dims, normalizes = self._exact
        if feeds.dtype != dtype or feeds.ndim != rank or feeds.shape[start:] != dims or (preprocess and normalizes):
            return None
        return {name: feeds}

    def _run_batches(self, prepared: dict[str, np.ndarray], n: int, batch_size: int) -> dict[str, np.ndarray]:
        parts: list[list[np.ndarray]] = []
        seconds = 0.0
        for lo in range(0, n, batch_size):
            chunk = {k: v[lo:lo + batch_size] for k, v in prepared.items()}
            start = time.perf_counter()
            parts.append(self._call(chunk))
            seconds += time.perf_counter() - start
        self.last_seconds = seconds
        result = {}
        for i, name in enumerate(self._output_names):
            pieces = [p[i] for p in parts]
            if any(np.ndim(p) == 0 for p in pieces):
                raise DeployError(f"output {name!r} has no batch axis, so it cannot be computed in batches: "
                                  f"run without batch_size")
            result[name] = np.concatenate(pieces, axis=0)
        return result

    def _call(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        try:
            if self._run_binding is not None:
                return self._run_binding(self._output_names, feeds, None)
            return self._session.run(self._output_names, feeds)
        except Exception as exc:
            raise DeployError(f"onnxruntime failed to run {Path(self.path).name}: {one_line(exc)}") from None

    def _prepare(self, feeds: Any, preprocess: bool) -> dict[str, np.ndarray]:
        if isinstance(feeds, np.ndarray) and len(self.inputs) == 1:  # the common case, kept short
            name = self._input_names[0]
            return {name: self._fit(self.inputs[0], feeds, preprocess)}
        if not isinstance(feeds, dict):
            if len(self.inputs) != 1:
                raise DeployError(f"the model takes {len(self.inputs)} inputs ({', '.join(self._input_names)}): "
                                  f"pass a dict of arrays by input name")
            feeds = {self._input_names[0]: feeds}
        unknown = [k for k in feeds if k not in self._dtypes]
        if unknown:
            raise DeployError(f"unknown input name(s) {', '.join(map(repr, unknown))}: the model's inputs are "
                              f"{', '.join(self._input_names)}")
        missing = [k for k in self._input_names if k not in feeds]
        if missing:
            raise DeployError(f"missing input(s) {', '.join(map(repr, missing))}: the model's inputs are "
                              f"{', '.join(self._input_names)}")
        out = {}
        for spec in self.inputs:
            out[spec.name] = self._fit(spec, feeds[spec.name], preprocess)
        return out

    def _fit(self, spec: TensorSpec, value: Any, preprocess: bool) -> np.ndarray:
        want = self._dtypes[spec.name]
        if type(value) is np.ndarray:
            x = value
        else:
            try:
                x = np.asarray(value)
            except Exception as exc:
                raise DeployError(f"input {spec.name!r} is not an array: {one_line(exc)}") from None
        if x.dtype != want:
            x = _cast(spec.name, x, want)
        rank, static = self._static[spec.name]
        if x.ndim == rank - 1:  # one sample: add the batch axis
            x = x[np.newaxis]
        shape = x.shape
        if x.ndim != rank or any(shape[i] != d for i, d in static):
            raise DeployError(f"input {spec.name!r} expects shape {_fmt_shape(spec.shape)} but was given "
                              f"{list(np.shape(value))}: reshape the data to match")
        if preprocess and self._applies_normalization and want.kind == "f":
            x = self._normalize(spec.name, x)
        return x

    @property
    def takes_raw_units(self) -> bool:
        """Whether the model is given data in the data's own units (its graph normalises them, or
        this runner does from metadata), rather than numbers already normalised."""
        return self.preprocessing in ("inside", "runner")

    def _normalize(self, name: str, x: np.ndarray) -> np.ndarray:
        key = (name, x.ndim)
        if key not in self._norm_cache:
            self._norm_cache[key] = normalization_arrays(self.normalization, name, x, x.dtype)
        arrays = self._norm_cache[key]
        if arrays is None:
            return x
        mean, std = arrays
        try:
            return ((x - mean) / std).astype(x.dtype, copy=False)
        except ValueError:
            raise DeployError(f"the model's normalization metadata does not fit input {name!r} of shape "
                              f"{list(x.shape)}: fix neurona.normalization or pass preprocess=False") from None

    # -- predicting ---------------------------------------------------------------------------

    def predict(self, feeds: dict[str, np.ndarray] | np.ndarray, *, top_k: int = 5,
                batch_size: int | None = None) -> Prediction:
        """Run the model; for a classifier also give class probabilities and the ``top_k`` best
        classes per sample. A classifier has one 2-D (N, K) output with K ≥ 2, or class names in
        its metadata; rows that already are distributions are kept, others go through softmax;
        K = 1 with two class names is a binary classifier (sigmoid, unless the model ends in one)."""
        if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
            raise DeployError(f"top_k must be a whole number ≥ 1, got {top_k!r}")
        outputs = self.run(feeds, batch_size=batch_size)
        seconds = self.last_seconds
        probabilities, ranked = self._classify(outputs, top_k)
        return Prediction(outputs=outputs, probabilities=probabilities, top_k=ranked, seconds=seconds)

    def _classify(self, outputs: dict[str, np.ndarray], top_k: int):
        """(probabilities (N, K) float64, top-k per sample), or (None, None) for a non-classifier."""
        if len(outputs) != 1:
            return None, None
        name, y = next(iter(outputs.items()))
        if y.dtype.kind not in "fiu" or y.ndim not in (1, 2) or y.size == 0:
            return None, None
        names = self.class_names
        k = y.shape[1] if y.ndim == 2 else 1
        if k == 1 and names is not None and len(names) == 2:
            p = y.reshape(-1).astype(np.float64)
            if self._output_op(name) != "Sigmoid":
                p = _sigmoid(p)
            probabilities = np.stack([1.0 - p, p], axis=1)
            return probabilities, _top_k(probabilities, top_k, names)
        if y.ndim != 2 or k < 2:
            return None, None
        labels = names if names is not None and len(names) == k else None
        if y.size <= _SMALL_OUTPUT:  # plain Python beats NumPy's per-call overhead here
            small = _classify_small(y.tolist(), top_k, labels)
            if small is not None:
                return small
        y = y.astype(np.float64, copy=False)
        probabilities = y if _is_distribution(y) else _softmax(y)
        return probabilities, _top_k(probabilities, top_k, labels)

    def _output_op(self, name: str) -> str:
        """The operator that makes output ``name`` ("" when unknown): from the metadata an export
        writes, else from the graph (read here, once, where no metadata says)."""
        if self._output_ops is None:
            model = self._model
            if model is None:
                import onnx

                try:
                    model = onnx.load(self.path, load_external_data=False)
                except Exception:
                    model = None
            producers = {} if model is None else {out: n.op_type for n in model.graph.node for out in n.output}
            self._output_ops = {o: producers.get(o, "") for o in self._output_names}
        return self._output_ops.get(name, "")

    # -- reading input files ------------------------------------------------------------------

    def load_inputs(self, path: str | os.PathLike) -> dict[str, np.ndarray]:
        """Arrays by input name from a file: .npy (one-input model), .npz (arrays by input name; a
        single array for a one-input model, whatever its key), .csv (numbers, header optional, one
        sample per row), an image (.png/.jpg/.jpeg/.bmp, for an N×C×H×W input with C 1 or 3) or an
        ONNX TensorProto (.pb)."""
        path = Path(os.fspath(path))
        suffix = path.suffix.lower()
        if suffix not in INPUT_SUFFIXES:
            raise DeployError(f"cannot read inputs from {path.name}: use a .npy, .npz, .csv, "
                              f"{', '.join(IMAGE_SUFFIXES)} or .pb file")
        if not path.is_file():
            raise DeployError(f"input file {path} does not exist: check the path")
        if suffix == ".npy":
            return self._single(path, _load_npy(path))
        if suffix == ".npz":
            return self._load_npz(path)
        if suffix == ".csv":
            return self._single(path, self._load_csv(path))
        if suffix == ".pb":
            return self._load_pb(path)
        return self._single(path, self._load_image(path))

    def _single(self, path: Path, array: np.ndarray) -> dict[str, np.ndarray]:
        if len(self.inputs) != 1:
            raise DeployError(f"{path.name} holds one array but the model takes {len(self.inputs)} inputs "
                              f"({', '.join(self._input_names)}): use an .npz file with arrays by input name")
        return {self._input_names[0]: array}

    def _load_npz(self, path: Path) -> dict[str, np.ndarray]:
        try:
            with np.load(path, allow_pickle=False) as archive:
                arrays = {k: archive[k] for k in archive.files}
        except Exception as exc:
            raise DeployError(f"cannot read {path.name} as an .npz archive: {one_line(exc)}") from None
        if len(self.inputs) == 1 and len(arrays) == 1:
            return {self._input_names[0]: next(iter(arrays.values()))}
        unknown = [k for k in arrays if k not in self._dtypes]
        missing = [k for k in self._input_names if k not in arrays]
        if unknown or missing:
            raise DeployError(f"{path.name} holds arrays {', '.join(arrays) or '(none)'} but the model's inputs are "
                              f"{', '.join(self._input_names)}: name one array after each input")
        return arrays

    def _load_pb(self, path: Path) -> dict[str, np.ndarray]:
        import onnx
        from onnx import numpy_helper

        tensor = onnx.TensorProto()
        try:
            tensor.ParseFromString(path.read_bytes())
            array = numpy_helper.to_array(tensor)
        except Exception as exc:
            raise DeployError(f"cannot read {path.name} as an ONNX TensorProto: {one_line(exc)}") from None
        if tensor.name in self._dtypes:
            if len(self.inputs) != 1:
                raise DeployError(f"{path.name} holds only input {tensor.name!r} but the model takes "
                                  f"{', '.join(self._input_names)}: use an .npz file with arrays by input name")
            return {tensor.name: array}
        return self._single(path, array)

    def _load_csv(self, path: Path) -> np.ndarray:
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise DeployError(f"cannot read {path.name} as CSV: {one_line(exc)}") from None
        if rows and not all(_is_number(c) for c in rows[0]):
            rows = rows[1:]  # a header
        if not rows:
            raise DeployError(f"{path.name} has no rows of numbers: put one sample per row")
        width = len(rows[0])
        values = []
        for i, row in enumerate(rows, start=1):
            if len(row) != width:
                raise DeployError(f"{path.name}: data row {i} has {len(row)} values but the first has {width}: "
                                  f"give every row the same number of columns")
            try:
                values.append([float(c) for c in row])
            except ValueError:
                bad = next(c for c in row if not _is_number(c))
                raise DeployError(f"{path.name}: data row {i} has a non-numeric value {bad.strip()!r}: "
                                  f"the CSV must hold numbers only (a header row is allowed)") from None
        x = np.asarray(values, dtype=np.float64)
        if len(self.inputs) == 1:
            spec = self.inputs[0]
            sample = spec.shape[1:]
            if all(isinstance(d, int) for d in sample) and list(sample) != [width] and math.prod(sample) == width:
                x = x.reshape(len(x), *sample)  # 64 columns for a 1×8×8 input
            if self._dtypes[spec.name].kind in "iu" and np.all(np.isfinite(x)) and np.all(x == np.round(x)):
                x = x.astype(self._dtypes[spec.name])
        return x

    def _load_image(self, path: Path) -> np.ndarray:
        if len(self.inputs) != 1:
            raise DeployError(f"an image can feed only a one-input model; this one takes "
                              f"{', '.join(self._input_names)}")
        spec = self.inputs[0]
        shape = spec.shape
        if len(shape) != 4 or shape[1] not in (1, 3):
            raise DeployError(f"{path.name} is an image but input {spec.name!r} has shape {_fmt_shape(shape)}, "
                              f"not N×C×H×W with 1 or 3 channels: pass the data as .npy or .csv")
        try:
            from PIL import Image
        except ImportError:
            raise DeployError("reading images needs Pillow: pip install Pillow") from None
        try:
            with Image.open(path) as image:
                image = image.convert("L" if shape[1] == 1 else "RGB")
                h, w = shape[2], shape[3]
                if isinstance(h, int) and isinstance(w, int) and image.size != (w, h):
                    image = image.resize((w, h), Image.Resampling.BILINEAR)
                pixels = self._pixel_units(np.asarray(image, dtype=np.float32))
        except DeployError:
            raise
        except Exception as exc:
            raise DeployError(f"cannot read {path.name} as an image: {one_line(exc)}") from None
        pixels = pixels[np.newaxis] if pixels.ndim == 2 else pixels.transpose(2, 0, 1)
        x = np.ascontiguousarray(pixels[np.newaxis])
        if self.preprocessing == "outside" and self.normalization is not None:
            x = self._normalize(spec.name, x)  # an image is in the data's own units, whatever the model wants
        return x

    def _pixel_units(self, pixels: np.ndarray) -> np.ndarray:
        """Pixels 0–255 in the units the model's data came in: its raw range where the metadata
        gives one (0–16 for the digits, 0–255 for image folders), else 0–1, the common convention."""
        if self.raw_range is None:
            return pixels / np.float32(255.0)
        low, high = self.raw_range
        if (low, high) == (0.0, 255.0):
            return pixels
        return (np.float32(low) + pixels * np.float32((high - low) / 255.0)).astype(np.float32)


def predict_file(model_path: str | os.PathLike, input_path: str | os.PathLike, *, top_k: int = 5) -> dict:
    """Everything ``neurona predict`` shows, as JSON-ready data."""
    runner = OnnxRunner(model_path)
    feeds = runner.load_inputs(input_path)
    prediction = runner.predict(feeds, top_k=top_k)
    return {
        "model": os.fspath(model_path),
        "notes": list(runner.notes),
        "inputs": [asdict(s) for s in runner.inputs],
        "outputs": {k: v.tolist() for k, v in prediction.outputs.items()},
        "probabilities": None if prediction.probabilities is None else prediction.probabilities.tolist(),
        "top_k": None if prediction.top_k is None else [
            [{"label": label, "probability": p} for label, p in ranked] for ranked in prediction.top_k],
        "seconds": prediction.seconds,
    }


# -- loading ------------------------------------------------------------------------------------

def _check_model_file(path: str) -> None:
    """A regular file (a link to one is fine): not a folder, FIFO, device or socket, which
    onnxruntime and onnx would read forever or block on."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        raise DeployError(f"model file {path} does not exist: check the path") from None
    import stat

    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise DeployError(f"model file {path} is {kind}: give the path of an .onnx file")


def _header_opset(path: str) -> int | None:
    """The default-domain opset of an ONNX file, read from the ModelProto's top-level fields
    (``opset_import`` is field 8) without the onnx package: the graph and everything else is
    skipped unread. None where the file does not read as a ModelProto; the onnx package then
    says why."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            found: int | None = None
            while f.tell() < size:
                key = _varint(f)
                field, wire = key >> 3, key & 7
                if wire == 0:
                    _varint(f)
                elif wire == 1:
                    f.seek(8, os.SEEK_CUR)
                elif wire == 5:
                    f.seek(4, os.SEEK_CUR)
                elif wire == 2:
                    length = _varint(f)
                    if f.tell() + length > size:
                        return None
                    if field == 8 and length <= 4096:
                        domain, version = _opset_entry(f.read(length))
                        if domain in ("", "ai.onnx") and version is not None:
                            found = version
                    else:
                        f.seek(length, os.SEEK_CUR)
                else:
                    return None
            return found if found is not None else MIN_RUNNABLE_OPSET
    except (OSError, ValueError):
        return None


def _varint(f) -> int:
    value, shift = 0, 0
    while True:
        byte = f.read(1)
        if not byte or shift > 63:
            raise ValueError("truncated varint")
        value |= (byte[0] & 0x7F) << shift
        if byte[0] < 0x80:
            return value
        shift += 7


def _opset_entry(data: bytes) -> tuple[str | None, int | None]:
    """(domain, version) of an OperatorSetIdProto (domain is field 1, version field 2)."""
    import io

    f, domain, version = io.BytesIO(data), "", None
    while f.tell() < len(data):
        key = _varint(f)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value = _varint(f)
            if field == 2:
                version = value
        elif wire == 2:
            length = _varint(f)
            chunk = f.read(length)
            if field == 1:
                domain = chunk.decode("utf-8", "replace")
        elif wire in (1, 5):
            f.read(8 if wire == 1 else 4)
        else:
            return None, None
    return domain, version


def _load_model(onnx, path: str):
    try:
        model = onnx.load(path)
    except Exception as exc:
        raise DeployError(f"cannot read {path} as an ONNX model ({one_line(exc)}): export it again") from None
    if not model.graph.node and not model.graph.output:
        raise DeployError(f"{path} is not an ONNX model (no graph in it): export it again")
    try:
        onnx.checker.check_model(model)
    except Exception as exc:
        raise DeployError(f"{path} is not a valid ONNX model: {one_line(exc)} — export it again") from None
    return model


def _default_opset(model) -> int:
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return int(entry.version)
    return MIN_RUNNABLE_OPSET  # no default-domain operators: nothing to upgrade


def _upgrade(onnx, model, opset: int, path: str):
    """(model converted to the lowest opset ≥ 7 that converts and passes the checker, that opset)."""
    from onnx import version_converter

    if opset < 7:
        model = _per_channel_prelu_slopes(onnx, model)
    last = None
    for target in range(MIN_RUNNABLE_OPSET, onnx.defs.onnx_opset_version() + 1):
        try:
            converted = version_converter.convert_version(model, target)
            _per_channel_prelu(onnx, converted)
            onnx.checker.check_model(converted)
            return converted, target
        except Exception as exc:
            last = exc
    raise DeployError(f"{path} uses opset {opset}, which onnxruntime cannot run, and converting it failed "
                      f"({one_line(last)}): re-export it with opset {MIN_RUNNABLE_OPSET} or newer")


def _per_channel_prelu(onnx, model) -> int:
    """Before opset 7 PRelu applied a (C,) slope per channel (axis 1); from 7 on it broadcasts
    NumPy-style from the last axis, and the version converter leaves the slope as it was (so
    onnxruntime fails, or worse, broadcasts along the wrong axis). Reshape each such slope to
    (C, 1, …, 1). Returns how many PRelu nodes were fixed."""
    from onnx import helper, numpy_helper, shape_inference

    try:
        inferred = shape_inference.infer_shapes(model)
    except Exception:
        return 0
    ranks = {v.name: len(v.type.tensor_type.shape.dim)
             for v in [*inferred.graph.input, *inferred.graph.value_info, *inferred.graph.output]
             if v.type.tensor_type.HasField("shape")}
    nodes, fixed = [], 0
    for node in model.graph.node:
        rank = ranks.get(node.input[0], 0) if node.op_type == "PRelu" and node.domain in ("", "ai.onnx") else 0
        if rank > 2:
            slope = node.input[1]
            shape, per_channel = f"{slope}__per_channel_shape_{fixed}", f"{slope}__per_channel_{fixed}"
            # a Constant node, not an initializer: IR version 3 wants every initializer listed as an input
            nodes.append(helper.make_node("Constant", [], [shape], value=numpy_helper.from_array(
                np.array([-1] + [1] * (rank - 2), dtype=np.int64))))
            nodes.append(helper.make_node("Reshape", [slope, shape], [per_channel]))
            node.input[1] = per_channel
            fixed += 1
        nodes.append(node)
    if fixed:
        del model.graph.node[:]
        model.graph.node.extend(nodes)
    return fixed


def _per_channel_prelu_slopes(onnx, model):
    """Before opset 7, PRelu applied a 1-D slope of C values per channel (axis 1); from opset 7
    on it broadcasts numpy-style (from the last axis), and onnx's version converter does not
    adapt it. Give such slopes trailing 1-axes (C → C×1×…) so they keep meaning per channel."""
    from onnx import numpy_helper, shape_inference

    prelus = [n for n in model.graph.node if n.op_type == "PRelu" and len(n.input) == 2]
    if not prelus:
        return model
    model = onnx.ModelProto.FromString(model.SerializeToString())
    try:
        inferred = shape_inference.infer_shapes(model)
    except Exception:
        inferred = model
    ranks = {}
    for info in [*inferred.graph.input, *inferred.graph.value_info, *inferred.graph.output]:
        if info.type.tensor_type.HasField("shape"):
            ranks[info.name] = len(info.type.tensor_type.shape.dim)
    initializers = {t.name: t for t in model.graph.initializer}
    uses: dict[str, int] = {}
    for node in model.graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1
    declared = {i.name: i for i in model.graph.input}
    for node in model.graph.node:
        if node.op_type != "PRelu" or len(node.input) != 2:
            continue
        x, slope = node.input
        tensor, rank = initializers.get(slope), ranks.get(x)
        if tensor is None or rank is None or rank <= 2 or len(tensor.dims) != 1 or tensor.dims[0] <= 1:
            continue
        array = numpy_helper.to_array(tensor).reshape((tensor.dims[0],) + (1,) * (rank - 2))
        if uses.get(slope, 0) > 1:  # shared with another node: give this PRelu its own copy
            name = f"{slope}__per_channel"
            node.input[1] = name
            if name not in initializers:
                initializers[name] = model.graph.initializer.add()
                initializers[name].CopyFrom(numpy_helper.from_array(array, name))
            continue
        tensor.CopyFrom(numpy_helper.from_array(array, slope))
        if slope in declared:  # IR < 4: initializers are graph inputs too
            dims = declared[slope].type.tensor_type.shape.dim
            del dims[:]
            for d in array.shape:
                dims.add().dim_value = d
    return model


def _session(model: str | bytes, path: str, providers, *, quiet: bool = False):
    """An onnxruntime session for ``model`` (a file's path, or its bytes); with ``quiet`` None
    where onnxruntime refuses it, else a ``DeployError`` with onnxruntime's reason."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 4  # fatal only: errors come back as exceptions (and a DeployError) anyway
    try:
        return ort.InferenceSession(model, options, providers=list(providers) if providers else ["CPUExecutionProvider"])
    except Exception as exc:
        if quiet:
            return None
        raise DeployError(f"onnxruntime cannot load {path}: {one_line(exc)}") from None


def _spec(arg) -> TensorSpec:
    shape = arg.shape
    dims = [d if isinstance(d, (int, str)) else None for d in shape] if isinstance(shape, (list, tuple)) else []
    dims = [d if not isinstance(d, str) or d else None for d in dims]
    return TensorSpec(name=arg.name, dtype=_ORT_TYPES.get(arg.type, arg.type), shape=dims)


def _np_dtype(name: str) -> np.dtype:
    try:
        return np.dtype(name)
    except TypeError:
        return np.dtype(object)


def _class_names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    return None


def _normalization(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, dict) and "mean" in value and "std" in value:
        return value
    return None


def _cast(name: str, x: np.ndarray, want: np.dtype) -> np.ndarray:
    kind = x.dtype.kind
    if want.kind == "f" and kind in "fiub":
        return x.astype(want)
    if want.kind in "iu":
        if kind in "iub":
            return x.astype(want)
        if kind == "f" and np.all(np.isfinite(x)) and np.all(x == np.round(x)):
            return x.astype(want)
        raise DeployError(f"input {name!r} expects whole numbers ({want.name}) but was given {x.dtype.name} "
                          f"values with fractions: pass integers")
    if want.kind == "b":
        if kind in "biu" or (kind == "f" and np.all(np.isin(x, (0.0, 1.0)))):  # typed or CSV 0/1 values
            return x.astype(want)
        raise DeployError(f"input {name!r} expects true/false values but was given {x.dtype.name} values other "
                          f"than 0 and 1: pass 0 or 1")
    raise DeployError(f"input {name!r} expects {want.name} but was given {x.dtype.name}: convert the data")


def _fmt_shape(shape: list) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def _load_npy(path: Path) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False)
    except Exception as exc:
        raise DeployError(f"cannot read {path.name} as an .npy array: {one_line(exc)}") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- classifier outputs -------------------------------------------------------------------------

def _is_distribution(y: np.ndarray) -> bool:
    return bool(np.all(y >= 0) and np.all(np.abs(y.sum(axis=1) - 1.0) <= _PROBABILITY_SUM_TOLERANCE))


def _softmax(y: np.ndarray) -> np.ndarray:
    z = y - y.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


_SMALL_OUTPUT = 512  # values in an output below which probabilities are computed without NumPy


def _classify_small(rows: list[list[float]], top_k: int, labels: list[str] | None):
    """``_softmax`` / ``_is_distribution`` / ``_top_k`` for a few rows, in plain Python."""
    exp = math.exp
    if all(min(r) >= 0 and abs(sum(r) - 1.0) <= _PROBABILITY_SUM_TOLERANCE for r in rows):
        probs = rows
    else:
        probs = []
        for r in rows:
            m = max(r)
            e = [exp(v - m) for v in r]
            total = sum(e)
            if not 0.0 < total < math.inf:
                return None  # NaN or +inf in the row: the NumPy path says what they mean
            probs.append([v / total for v in e])
    k = len(rows[0])
    names = labels if labels is not None else _index_labels(k)
    n = min(top_k, k)
    order = range(k)
    ranked = [[(names[j], p[j]) for j in sorted(order, key=p.__getitem__, reverse=True)[:n]] for p in probs]
    return np.array(probs, dtype=np.float64), ranked


@functools.lru_cache(maxsize=64)
def _index_labels(k: int) -> list[str]:
    return [str(i) for i in range(k)]


def _top_k(p: np.ndarray, k: int, names: list[str] | None) -> list[list[tuple[str, float]]]:
    k = min(k, p.shape[1])
    order = np.argsort(-p, axis=1, kind="stable")[:, :k]
    labels = names if names is not None else _index_labels(p.shape[1])
    return [[(labels[j], float(row[j])) for j in idx] for row, idx in zip(p, order)]
