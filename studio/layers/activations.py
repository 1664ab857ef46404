"""Activation functions. Each keeps the shape of its input."""

from __future__ import annotations

from .rules import check_dim, need_float, same, the_input
from .spec import Ctor, LayerSpec, Param


def _elementwise(layer):
    def shape(p, inputs):
        t = the_input(inputs)
        need_float(layer, t)
        return same(t)

    return shape


def _along_dim(layer):
    def shape(p, inputs):
        t = the_input(inputs)
        need_float(layer, t)
        check_dim(layer, p["dim"], t.rank)
        return same(t)

    return shape


def activation(type_, label, keywords, params=()):
    return LayerSpec(
        type=type_, category="activation", label=label, keywords=("activation",) + keywords,
        params=params,
        shape=_along_dim(type_) if any(p.name == "dim" for p in params) else _elementwise(type_),
        ctor=lambda p, i: Ctor(f"nn.{type_}", dict(p)),
    )


_DIM = Param("dim", "int", -1, "Dimension that sums to 1 (-1 is the last; 1 is channels or features).")

SPECS = (
    activation("ReLU", "ReLU", ("relu", "rectifier", "rectified linear")),
    activation("LeakyReLU", "Leaky ReLU", ("leaky", "leakyrelu", "relu"), (
        Param("negative_slope", "float", 0.01, "Slope for negative inputs.", min=0.0),)),
    activation("ELU", "ELU", ("elu", "exponential linear"), (
        Param("alpha", "float", 1.0, "Value the output approaches for very negative inputs.", min=0.0),)),
    activation("GELU", "GELU", ("gelu", "gaussian", "transformer"), (
        Param("approximate", "choice", "none", "'tanh' uses the faster tanh approximation.", choices=("none", "tanh")),)),
    activation("SiLU", "SiLU (Swish)", ("silu", "swish")),
    activation("Sigmoid", "Sigmoid", ("sigmoid", "logistic", "probability", "binary")),
    activation("Tanh", "Tanh", ("tanh", "hyperbolic tangent")),
    activation("Softmax", "Softmax", ("softmax", "probabilities", "multiclass", "classification"), (_DIM,)),
    activation("LogSoftmax", "LogSoftmax", ("log softmax", "logsoftmax", "nll"), (_DIM,)),
    activation("Softplus", "Softplus", ("softplus", "smooth relu"), (
        Param("beta", "float", 1.0, "Sharpness: larger values approach ReLU.", min=1e-6),
        Param("threshold", "float", 20.0, "Above beta·x > threshold the output is x itself.", min=0.0))),
)
