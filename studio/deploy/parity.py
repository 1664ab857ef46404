"""Does the ONNX file compute what the torch module computes? Same inputs through both, compare.

Two engines run the ONNX side: onnxruntime (what ships) and ``onnx.reference.ReferenceEvaluator``
(a plain-Python implementation of the ONNX spec, independent of onnxruntime's kernels).
Inputs are fed raw: normalization metadata is not applied (both sides see the same numbers).

No Qt. torch is imported only inside ``check_parity``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import onnx

from .errors import DeployError, one_line

__all__ = ["ENGINES", "ParityReport", "check_parity"]

ENGINES = ("onnxruntime", "reference")


@dataclass
class ParityReport:
    max_abs_diff: float
    per_output: dict[str, float]
    atol: float
    samples: int
    passed: bool
    engine: str


def check_parity(
    module: Any,
    onnx_path: str | os.PathLike,
    inputs: tuple[np.ndarray, ...],
    *,
    atol: float = 1e-4,
    engine: str = "onnxruntime",
) -> ParityReport:
    """Run ``inputs`` (one array per model input, forward order) through ``module`` and the ONNX
    file and compare every output. Inputs are cast to the dtypes the ONNX model declares
    (e.g. float64 → float32), so both sides see the same numbers. ``passed`` means every
    output has the same shape and differs by at most ``atol`` (NaN where both are NaN is equal).
    """
    if engine not in ENGINES:
        raise DeployError(f"unknown parity engine {engine!r}: use one of {', '.join(ENGINES)}")
    if not isinstance(inputs, (tuple, list)) or not inputs:
        raise DeployError("parity inputs must be a tuple with one array per model input")
    from .runner import OnnxRunner

    runner = OnnxRunner(onnx_path)
    if len(inputs) != len(runner.inputs):
        raise DeployError(f"{len(inputs)} parity input(s) but the model takes {len(runner.inputs)} "
                          f"({', '.join(s.name for s in runner.inputs)}): give one array per input")
    feeds = {spec.name: _as_dtype(spec, x) for spec, x in zip(runner.inputs, inputs)}
    expected = _torch_outputs(module, list(feeds.values()))

    if engine == "onnxruntime":
        got = runner.run(feeds, preprocess=False)
    else:
        got = _reference_outputs(onnx_path, feeds)
    names = [spec.name for spec in runner.outputs]
    if len(expected) != len(names):
        raise DeployError(f"torch returns {len(expected)} output(s) but the ONNX model has {len(names)} "
                          f"({', '.join(names)}): re-export the module")

    per_output = {}
    for name, want in zip(names, expected):
        per_output[name] = _max_abs_diff(name, np.asarray(got[name]), want)
    worst = max(per_output.values(), default=0.0)
    return ParityReport(max_abs_diff=worst, per_output=per_output, atol=float(atol),
                        samples=int(next(iter(feeds.values())).shape[0]) if next(iter(feeds.values())).ndim else 1,
                        passed=bool(worst <= atol), engine=engine)


def _as_dtype(spec, value) -> np.ndarray:
    """``value`` in the dtype the ONNX input declares (e.g. float64 data for a float32 model)."""
    x = np.ascontiguousarray(value)
    try:
        want = np.dtype(spec.dtype)
    except TypeError:
        return x
    if x.dtype != want:
        if want.kind in "iu" and x.dtype.kind == "f" and not np.array_equal(x, np.round(x)):
            raise DeployError(f"input {spec.name!r} takes whole numbers ({want.name}) but the parity data has "
                              f"fractions: pass the same data the model is fed")
        x = x.astype(want)
    return x


def _torch_outputs(module, arrays: list[np.ndarray]) -> list[np.ndarray]:
    import torch

    tensors = [torch.from_numpy(np.ascontiguousarray(a)) for a in arrays]
    was_training = bool(getattr(module, "training", False))
    module.eval()
    try:
        with torch.no_grad():
            out = module(*tensors)
    except Exception as exc:
        raise DeployError(f"the torch module failed on the parity inputs: {one_line(exc)}") from None
    finally:
        module.train(was_training)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    return [o.detach().cpu().numpy() for o in outs]


def _reference_outputs(onnx_path, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    from onnx.reference import ReferenceEvaluator

    try:
        evaluator = ReferenceEvaluator(onnx.load(os.fspath(onnx_path)))
        results = evaluator.run(None, feeds)
    except Exception as exc:
        raise DeployError(f"onnx's reference evaluator could not run {os.fspath(onnx_path)}: {one_line(exc)}") from None
    return dict(zip(evaluator.output_names, results))


def _max_abs_diff(name: str, got: np.ndarray, want: np.ndarray) -> float:
    if got.shape != want.shape:
        raise DeployError(f"output {name!r} has shape {list(got.shape)} in ONNX but {list(want.shape)} in torch: "
                          f"re-export the module (was the batch axis fixed?)")
    if got.size == 0:
        return 0.0
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    both_nan = np.isnan(got64) & np.isnan(want64)
    same_inf = np.isinf(got64) & (got64 == want64)
    diff = np.abs(got64 - want64)
    diff[both_nan | same_inf] = 0.0
    diff[np.isnan(diff)] = np.inf  # NaN on one side only
    return float(diff.max())
