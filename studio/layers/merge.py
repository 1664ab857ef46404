"""Merge layers: Add (residual/skip connections), Concat, Multiply (gating)."""

from __future__ import annotations

from .rules import broadcast, check_dim, need_float
from .spec import Inferred, LayerSpec, Param, ShapeError, TensorInfo, fmt


def _ordered(inputs):
    return [inputs[k] for k in sorted(inputs, key=int)]


def _elementwise_shape(layer):
    def shape(p, inputs):
        ts = _ordered(inputs)
        for t in ts:
            need_float(layer, t)
        return Inferred({"out": TensorInfo(broadcast(layer, [t.shape for t in ts]))})

    return shape


def _chain(symbol):
    def forward(low, p, inputs, used, shapes):
        values = [inputs[k] for k in sorted(inputs, key=int)]
        acc = values[0]
        for i, v in enumerate(values[1:], start=1):
            acc = low.operator("" if i == len(values) - 1 else str(i), symbol, acc, v)
        return {"out": acc}

    return forward


def _concat_shape(p, inputs):
    ts = _ordered(inputs)
    rank = ts[0].rank
    if any(t.rank != rank for t in ts):
        raise ShapeError(
            f"Concat needs inputs with the same number of dimensions, but receives {' and '.join(fmt(t.shape) for t in ts)}",
            "add a Flatten or Reshape so the branches have the same layout")
    d = check_dim("Concat", p["dim"], rank)
    for t in ts[1:]:
        if t.dtype != ts[0].dtype:
            raise ShapeError("Concat cannot join token ids with real numbers", "put an Embedding on the token branch")
        if t.shape[:d] + t.shape[d + 1:] != ts[0].shape[:d] + ts[0].shape[d + 1:]:
            raise ShapeError(
                f"Concat joins along dim {p['dim']}, so every other dimension must match, but receives "
                f"{' and '.join(fmt(x.shape) for x in ts)}",
                "make the other dimensions equal (e.g. with pooling or padding) or concatenate along another dim")
    total = sum(t.shape[d] for t in ts)
    out = ts[0].shape[:d] + (total,) + ts[0].shape[d + 1:]
    return Inferred({"out": TensorInfo(out, ts[0].dtype)}, (" + ".join(str(t.shape[d]) for t in ts) + f" = {total}",))


def _concat_forward(low, p, inputs, used, shapes):
    values = [inputs[k] for k in sorted(inputs, key=int)]
    return {"out": low.function("", "torch.cat", values, dim=p["dim"])}


SPECS = (
    LayerSpec(type="Add", category="merge", label="Add", keywords=("add", "sum", "residual", "skip", "shortcut", "resnet"),
              inputs=(), variadic=True, min_inputs=2, shape=_elementwise_shape("Add"), forward=_chain("+")),
    LayerSpec(type="Concat", category="merge", label="Concatenate",
              keywords=("concat", "concatenate", "join", "cat", "stack", "u-net", "densenet"),
              params=(Param("dim", "int", 1, "Dimension to join along (1 is channels or features; 0 is the batch)."),),
              inputs=(), variadic=True, min_inputs=2, shape=_concat_shape, forward=_concat_forward),
    LayerSpec(type="Multiply", category="merge", label="Multiply",
              keywords=("multiply", "product", "gate", "gating", "elementwise", "mul"),
              inputs=(), variadic=True, min_inputs=2, shape=_elementwise_shape("Multiply"), forward=_chain("*")),
)
