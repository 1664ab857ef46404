"""Core layers: Input, Output, Linear, Dropout, Flatten, Unflatten, Reshape, Identity."""

from __future__ import annotations

import math

from .rules import check_dim, need_float, same, the_input
from .spec import Ctor, Inferred, LayerSpec, ParamCount, Param, ShapeError, TensorInfo, describe, fmt


def _input_shape(p, inputs):
    return Inferred({"out": TensorInfo(tuple(p["shape"]), p["dtype"])})


INPUT = LayerSpec(
    type="Input", category="core", label="Input", role="input",
    keywords=("input", "placeholder", "features", "data", "entrada"),
    params=(
        Param("shape", "ints", [2], "Shape of one sample, without the batch dimension: [features], "
              "[channels, height, width] or [time steps, features].", min=1, max=1_000_000, max_len=5),
        Param("dtype", "choice", "float32", "float32 for real-valued data; int64 for token ids fed to an Embedding.",
              choices=("float32", "int64")),
    ),
    inputs=(), shape=_input_shape,
)


def _output_shape(p, inputs):
    return Inferred({"out": the_input(inputs)})


OUTPUT = LayerSpec(
    type="Output", category="core", label="Output", role="output",
    keywords=("output", "prediction", "result", "salida"),
    outputs=(), shape=_output_shape,
)


def _linear_shape(p, inputs):
    t = the_input(inputs)
    need_float("Linear", t)
    if t.rank == 0:
        raise ShapeError("Linear needs at least one feature dimension but receives a single value per sample",
                         "remove the layer that reduced the input to a scalar")
    n, m = t.shape[-1], p["out_features"]
    warnings = ()
    if t.rank == 3:
        warnings = (
            f"Linear acts on the last dimension only (the width {n} of {fmt(t.shape)}), so it "
            f"mixes each row separately — add a Flatten before it to use all {t.numel()} values",
        )
    return Inferred({"out": TensorInfo(t.shape[:-1] + (m,))}, (f"last dimension: {n} → {m}",), warnings)


def _linear_count(p, inputs):
    n, m = the_input(inputs).shape[-1], p["out_features"]
    total = n * m + (m if p["bias"] else 0)
    formula = f"{n}·{m} + {m} = {total:,}" if p["bias"] else f"{n}·{m} = {total:,}"
    return ParamCount(total, total, formula)


LINEAR = LayerSpec(
    type="Linear", category="core", label="Linear (Dense)",
    keywords=("dense", "fully connected", "fc", "perceptron", "mlp", "neuron", "affine", "densa"),
    params=(
        Param("out_features", "int", 16, "Number of output neurons (units in Keras).", min=1, max=1_000_000),
        Param("bias", "bool", True, "Learn an additive bias for each output neuron."),
    ),
    shape=_linear_shape, count=_linear_count,
    ctor=lambda p, i: Ctor("nn.Linear", {"in_features": the_input(i).shape[-1], "out_features": p["out_features"], "bias": p["bias"]}),
)

def _float_same(layer, t):
    need_float(layer, t)  # torch's dropout cannot scale integer token ids
    return same(t)


DROPOUT = LayerSpec(
    type="Dropout", category="core", label="Dropout",
    keywords=("dropout", "regularization", "regularisation", "overfitting"),
    params=(Param("p", "float", 0.5, "Probability of zeroing each value during training.", min=0.0, max=1.0),),
    shape=lambda p, i: _float_same("Dropout", the_input(i)),
    ctor=lambda p, i: Ctor("nn.Dropout", {"p": p["p"]}),
)


def _flatten_shape(p, inputs):
    t = the_input(inputs)
    s = check_dim("Flatten", p["start_dim"], t.rank, "start_dim")
    e = check_dim("Flatten", p["end_dim"], t.rank, "end_dim")
    if s > e:
        raise ShapeError(f"Flatten start_dim={p['start_dim']} comes after end_dim={p['end_dim']}",
                         "use a start_dim that is not after end_dim (the defaults 1 and -1 flatten everything)")
    merged = math.prod(t.shape[s:e + 1])
    out = t.shape[:s] + (merged,) + t.shape[e + 1:]
    arith = (f"{'·'.join(map(str, t.shape[s:e + 1]))} = {merged}",) if e > s else ()
    return Inferred({"out": TensorInfo(out, t.dtype)}, arith)


FLATTEN = LayerSpec(
    type="Flatten", category="core", label="Flatten",
    keywords=("flatten", "vector", "reshape", "aplanar"),
    params=(
        Param("start_dim", "int", 1, "First dimension to merge (0 is the batch)."),
        Param("end_dim", "int", -1, "Last dimension to merge (-1 is the last)."),
    ),
    shape=_flatten_shape,
    ctor=lambda p, i: Ctor("nn.Flatten", {"start_dim": p["start_dim"], "end_dim": p["end_dim"]}),
)


def _values(n: int) -> str:
    return "1 value" if n == 1 else f"{n} values"


def resolve_sizes(layer: str, total: int, sizes: list[int], what: str) -> tuple[int, ...]:
    """Fill in a single -1 and check that ``sizes`` hold exactly ``total`` values."""
    known = math.prod(s for s in sizes if s != -1)
    if -1 in sizes:
        if total % known:
            raise ShapeError(f"{layer} cannot split {what} ({_values(total)}) into {fmt(sizes).replace('-1', '?')}: "
                             f"{total} is not a multiple of {known}", "choose sizes whose product divides it")
        sizes = [total // known if s == -1 else s for s in sizes]
    elif known != total:
        raise ShapeError(f"{layer} to {fmt(sizes)} needs {_values(known)} but receives {what} ({_values(total)})",
                         f"choose sizes whose product is {total}")
    return tuple(sizes)


def _unflatten_shape(p, inputs):
    t = the_input(inputs)
    d = check_dim("Unflatten", p["dim"], t.rank)
    sizes = resolve_sizes("Unflatten", t.shape[d], p["unflattened_size"], f"dimension {p['dim']}")
    return Inferred({"out": TensorInfo(t.shape[:d] + sizes + t.shape[d + 1:], t.dtype)})


UNFLATTEN = LayerSpec(
    type="Unflatten", category="core", label="Unflatten",
    keywords=("unflatten", "reshape", "view", "image"),
    params=(
        Param("dim", "int", 1, "Dimension to split (1 is the first after the batch)."),
        Param("unflattened_size", "ints", [1, -1], "Sizes to split it into; one -1 is worked out.",
              min=1, allow_infer=True),
    ),
    shape=_unflatten_shape,
    ctor=lambda p, i: Ctor("nn.Unflatten", {"dim": p["dim"], "unflattened_size": list(p["unflattened_size"])}),
)


def _reshape_shape(p, inputs):
    t = the_input(inputs)
    sizes = resolve_sizes("Reshape", t.numel(), p["shape"], describe(t))
    return Inferred({"out": TensorInfo(sizes, t.dtype)}, (f"{fmt(t.shape)} → {fmt(sizes)}",))


def _reshape_forward(low, p, inputs, used, shapes):
    target = resolve_sizes("Reshape", shapes["in"].numel(), p["shape"], "")
    return {"out": low.method("", inputs["in"], "reshape", -1, *target)}


RESHAPE = LayerSpec(
    type="Reshape", category="core", label="Reshape",
    keywords=("reshape", "view", "unflatten", "image"),
    params=(Param("shape", "ints", [-1], "New shape of one sample, without the batch; one -1 is worked out.",
                  min=1, allow_infer=True),),
    shape=_reshape_shape, forward=_reshape_forward,
)

IDENTITY = LayerSpec(
    type="Identity", category="core", label="Identity",
    keywords=("identity", "pass", "placeholder", "noop"),
    shape=lambda p, i: same(the_input(i)),
    ctor=lambda p, i: Ctor("nn.Identity"),
)

SPECS = (INPUT, OUTPUT, LINEAR, DROPOUT, FLATTEN, UNFLATTEN, RESHAPE, IDENTITY)
