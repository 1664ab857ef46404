"""Attention layers: self-attention, the Transformer encoder block, positional encodings."""

from __future__ import annotations

from .rules import need_float, the_input
from .spec import Ctor, Inferred, LayerSpec, Param, ParamCount, ShapeError, describe


def _sequence(layer, t):
    need_float(layer, t)
    if t.rank != 2:
        fix = ("add an Embedding (for token ids) or a Reshape to time steps × features before it" if t.rank == 1
               else "reshape it to time steps × features first")
        raise ShapeError(f"{layer} expects a sequence (time steps × features) but receives {describe(t)}", fix)
    return t.shape


def _heads_divide(layer, e, heads, param):
    if e % heads:
        divisors = [d for d in range(1, min(e, 16) + 1) if e % d == 0]
        raise ShapeError(f"{layer} splits the {e} features into {param}={heads} heads, but {e} is not a multiple of {heads}",
                         f"use {param} in {divisors} or change the feature size")


def _heads_shape(layer, param):
    """Self-attention keeps the T×E shape; the E features are split evenly across heads."""

    def shape(p, inputs):
        t = the_input(inputs)
        steps, e = _sequence(layer, t)
        _heads_divide(layer, e, p[param], param)
        return Inferred({"out": t}, (f"{p[param]} heads × {e // p[param]} features = {e}",))

    return shape


def _mha_count(p, inputs):
    e = the_input(inputs).shape[-1]
    n = 4 * e * e + (4 * e if p["bias"] else 0)
    return ParamCount(n, n, f"4·{e}² + 4·{e} = {n:,}" if p["bias"] else f"4·{e}² = {n:,}")


def _mha_forward(low, p, inputs, used, shapes):
    x = inputs["in"]
    result = low.module("result", x, x, x, need_weights=False)  # self-attention: query = key = value
    return {"out": low.item("", result, 0)}


MULTIHEAD_ATTENTION = LayerSpec(
    type="MultiheadAttention", category="attention", label="MultiHeadAttention (self)",
    keywords=("multiheadattention", "attention", "self-attention", "transformer", "heads"),
    params=(
        Param("num_heads", "int", 4, "Parallel attention heads; must divide the feature size.", min=1, max=1024),
        Param("dropout", "float", 0.0, "Dropout on the attention weights.", min=0.0, max=1.0),
        Param("bias", "bool", True, "Learn biases in the projections."),
    ),
    shape=_heads_shape("MultiheadAttention", "num_heads"), count=_mha_count, forward=_mha_forward,
    ctor=lambda p, i: Ctor("nn.MultiheadAttention", {"embed_dim": the_input(i).shape[-1], **p, "batch_first": True}),
)


def _encoder_count(p, inputs):
    e, f = the_input(inputs).shape[-1], p["dim_feedforward"]
    if p["bias"]:
        n = 4 * e * e + 4 * e + 2 * e * f + f + e + 4 * e
        formula = f"attention 4·{e}² + 4·{e} + feed-forward 2·{e}·{f} + {f} + {e} + norms 4·{e} = {n:,}"
    else:
        n = 4 * e * e + 2 * e * f + 2 * e
        formula = f"attention 4·{e}² + feed-forward 2·{e}·{f} + norms 2·{e} = {n:,}"
    return ParamCount(n, n, formula)


TRANSFORMER_ENCODER_LAYER = LayerSpec(
    type="TransformerEncoderLayer", category="attention", label="Transformer encoder block",
    keywords=("transformer", "encoder", "attention", "bert", "self-attention"),
    params=(
        Param("nhead", "int", 4, "Attention heads; must divide the feature size.", min=1, max=1024),
        Param("dim_feedforward", "int", 2048, "Width of the feed-forward network inside the block.", min=1, max=1_000_000),
        Param("dropout", "float", 0.1, "Dropout inside the block.", min=0.0, max=1.0),
        Param("activation", "choice", "relu", "Activation of the feed-forward network.", choices=("relu", "gelu")),
        Param("layer_norm_eps", "float", 1e-5, "Added to the variance in the layer norms.", min=1e-12, max=1.0),
        Param("norm_first", "bool", False, "Normalise before attention and feed-forward (pre-LN, trains more stably)."),
        Param("bias", "bool", True, "Learn biases in the linear layers and norms."),
    ),
    shape=_heads_shape("TransformerEncoderLayer", "nhead"), count=_encoder_count,
    ctor=lambda p, i: Ctor("nn.TransformerEncoderLayer", {"d_model": the_input(i).shape[-1], **p, "batch_first": True}),
)


def _posenc_shape(p, inputs):
    t = the_input(inputs)
    steps, e = _sequence("PositionalEncoding", t)
    if steps > p["max_len"]:
        raise ShapeError(f"PositionalEncoding max_len={p['max_len']} is shorter than the {steps} time steps",
                         f"raise max_len to at least {steps}")
    return Inferred({"out": t})


def _posenc_count(p, inputs):
    if p["kind"] != "learned":
        return ParamCount(0, 0, "no learnable parameters (fixed sinusoids)")
    e = the_input(inputs).shape[-1]
    n = p["max_len"] * e
    return ParamCount(n, n, f"{p['max_len']}·{e} = {n:,}")


POSITIONAL_ENCODING = LayerSpec(
    type="PositionalEncoding", category="attention", label="Positional encoding",
    keywords=("positional encoding", "position", "sinusoidal", "transformer", "embedding"),
    params=(
        Param("kind", "choice", "sinusoidal", "'sinusoidal': fixed sines and cosines; 'learned': a trainable table.",
              choices=("sinusoidal", "learned")),
        Param("max_len", "int", 512, "Longest sequence it can encode.", min=1, max=1_000_000),
        Param("dropout", "float", 0.0, "Dropout after adding the positions.", min=0.0, max=1.0),
    ),
    shape=_posenc_shape, count=_posenc_count,
    ctor=lambda p, i: Ctor("studio.PositionalEncoding", {"d_model": the_input(i).shape[-1], **p}),
)

SPECS = (MULTIHEAD_ATTENTION, TRANSFORMER_ENCODER_LAYER, POSITIONAL_ENCODING)
