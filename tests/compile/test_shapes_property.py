"""Shape inference against torch, on random valid graphs.

A generator builds graphs that are valid by construction: it picks an Input (a flat vector, an
image, a sequence or token ids) and appends layers whose requirements the current tensor meets,
with random non-default parameters (strides, ceil_mode, dilation, groups, bidirectional,
stacked layers, output "last", the hidden and cell ports wired onward, branches merged with
Add, Multiply or Concat). For each graph:

* ``analyze`` must accept it (a rejection is a generator bug or a studio bug, never filtered),
* the compiled module runs a batch of 2 in eval mode, and every fx node annotated with
  ``meta["sample_shape"]`` really produces ``(2, *sample_shape)``,
* the parameter count per node and in total equals what torch allocates.

The generator keeps its own shape bookkeeping with torch's documented formulas, so it never
asks studio which layers would fit.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import fx

from studio.compile import analyze, build_module
from studio.graph import Edge, Graph, Node, node_id_problem
from studio.layers import CATALOGUE, dump_graph

# torch's own notes on what it is asked to build, not problems with it.
pytestmark = [pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning"),
              pytest.mark.filterwarnings("ignore:dropout option adds dropout after all but last:UserWarning")]

BATCH = 2
MAX_NUMEL = 3000
MAX_SIDE = 40


@dataclass(frozen=True)
class Val:
    """A tensor in the graph being built: which node port produces it, and its sample shape."""

    node: str
    port: str
    shape: tuple[int, ...]
    dtype: str = "float32"

    @property
    def rank(self) -> int:
        return len(self.shape)


def _conv_out(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _pool_out(n, k, s, p, ceil):
    num = n + 2 * p - k
    if ceil:
        out = -(-num // s) + 1
        if (out - 1) * s >= n + p:
            out -= 1
        return out
    return num // s + 1


def _convt_out(n, k, s, p, op, d):
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


def _divisors(n, limit=8):
    return [d for d in range(1, min(n, limit) + 1) if n % d == 0]


def _dim(rng, rank, index):
    """``index`` (1-based, batch excluded) written the way torch accepts it: positive or negative."""
    return index if rng.random() < 0.5 else index - (rank + 1)


def _int_or_pair(rng, values):
    a, b = values
    return a if a == b and rng.random() < 0.7 else [a, b]


class Builder:
    """Grows one random valid graph. Each ``make_<Type>`` returns the new main value, or None
    when the type does not fit the current value."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.g = Graph("random net")
        self.side: list[Val] = []  # extra values (hidden/cell states) that also need an Output
        self.vocab = 1000

    # -- plumbing -----------------------------------------------------------------------------
    def node(self, type_: str, params: dict | None = None, inputs: dict[str, Val] | None = None) -> str:
        node_id = self.g.new_id(type_)
        pos = (self.rng.uniform(-500, 500), self.rng.uniform(-500, 500)) if self.rng.random() < 0.5 else None
        self.g.add_node(Node(node_id, type_, dict(params or {}), pos))
        for port, v in (inputs or {}).items():
            self.g.add_edge(Edge(v.node, node_id, v.port, port))
        return node_id

    def layer(self, type_: str, params: dict, x: Val, shape: tuple[int, ...], dtype: str | None = None) -> Val | None:
        if math.prod(shape) > MAX_NUMEL or any(d > MAX_SIDE * 4 for d in shape) or min(shape, default=1) < 1:
            return None
        return Val(self.node(type_, params, {"in": x}), "out", tuple(shape), dtype or x.dtype)

    def maybe(self, params: dict, key: str, value, p: float = 0.5) -> None:
        """Set ``key`` only sometimes, so defaults get exercised too."""
        if self.rng.random() < p:
            params[key] = value

    # -- inputs -------------------------------------------------------------------------------
    def make_input(self, kind: str) -> Val:
        r = self.rng
        if kind == "flat":
            shape, dtype = (r.randint(1, 16),), "float32"
        elif kind == "image":
            shape, dtype = (r.randint(1, 4), r.randint(4, 16), r.randint(4, 16)), "float32"
        elif kind == "sequence":
            shape, dtype = (r.randint(1, 8), r.choice([1, 2, 3, 4, 6, 8, 12, 16])), "float32"
        else:
            shape = (r.randint(1, 10),) if r.random() < 0.8 else (r.randint(1, 4), r.randint(1, 5))
            dtype = "int64"
            self.vocab = min(self.vocab, r.randint(5, 40))
        params = {"shape": list(shape)}
        if dtype != "float32" or r.random() < 0.3:
            params["dtype"] = dtype
        return Val(self.node("Input", params), "out", shape, dtype)

    # -- core ---------------------------------------------------------------------------------
    def make_Linear(self, x):
        if x.dtype != "float32" or x.rank == 0:
            return None
        m = self.rng.randint(1, 12)
        p = {"out_features": m}
        self.maybe(p, "bias", self.rng.random() < 0.5)
        return self.layer("Linear", p, x, x.shape[:-1] + (m,))

    def make_Dropout(self, x):
        if x.dtype != "float32":  # token ids: see test_dropout_on_token_ids_also_runs_in_training_mode
            return None
        p = {}
        self.maybe(p, "p", self.rng.choice([0.0, 0.1, 0.5, 1, 1.0]))
        return self.layer("Dropout", p, x, x.shape)

    def make_Identity(self, x):
        return self.layer("Identity", {}, x, x.shape)

    def make_Flatten(self, x):
        r = x.rank
        if r == 0:
            return None
        s = self.rng.randint(1, r)
        e = self.rng.randint(s, r)
        p = {}
        if s != 1 or self.rng.random() < 0.3:
            p["start_dim"] = _dim(self.rng, r, s)
        if e != r or self.rng.random() < 0.3:
            p["end_dim"] = _dim(self.rng, r, e)
        shape = x.shape[: s - 1] + (math.prod(x.shape[s - 1: e]),) + x.shape[e:]
        return self.layer("Flatten", p, x, shape)

    def make_Unflatten(self, x):
        if x.rank == 0 or x.rank >= 4:
            return None
        d = self.rng.randint(1, x.rank)
        n = x.shape[d - 1]
        a = self.rng.choice(_divisors(n, 64))
        b = n // a
        sizes = self.rng.choice([[a, b], [a, -1], [-1, b], [n], [1, n], [a, b, 1]] if x.rank < 3 else [[a, b], [a, -1]])
        shape = tuple(n // math.prod(s for s in sizes if s != -1) if s == -1 else s for s in sizes)
        return self.layer("Unflatten", {"dim": _dim(self.rng, x.rank, d), "unflattened_size": sizes}, x,
                          x.shape[: d - 1] + shape + x.shape[d:])

    def make_Reshape(self, x):
        n = math.prod(x.shape)
        dims = []
        rest = n
        for _ in range(self.rng.randint(1, 3)):
            f = self.rng.choice(_divisors(rest, 64))
            dims.append(f)
            rest //= f
        dims[-1] *= rest
        self.rng.shuffle(dims)
        target = list(dims)
        if self.rng.random() < 0.5:
            target[self.rng.randrange(len(target))] = -1
        return self.layer("Reshape", {"shape": target}, x, tuple(dims))

    # -- activations --------------------------------------------------------------------------
    def _activation(self, type_, x, params=None):
        if x.dtype != "float32":
            return None
        return self.layer(type_, params or {}, x, x.shape)

    def make_ReLU(self, x):
        return self._activation("ReLU", x)

    def make_LeakyReLU(self, x):
        return self._activation("LeakyReLU", x, {"negative_slope": self.rng.choice([0.0, 0.2, 3])})

    def make_ELU(self, x):
        return self._activation("ELU", x, {"alpha": self.rng.choice([0.0, 0.5, 2])})

    def make_GELU(self, x):
        return self._activation("GELU", x, {"approximate": self.rng.choice(["none", "tanh"])})

    def make_SiLU(self, x):
        return self._activation("SiLU", x)

    def make_Sigmoid(self, x):
        return self._activation("Sigmoid", x)

    def make_Tanh(self, x):
        return self._activation("Tanh", x)

    def make_Softmax(self, x):
        if x.rank == 0:
            return None
        return self._activation("Softmax", x, {"dim": _dim(self.rng, x.rank, self.rng.randint(1, x.rank))})

    def make_LogSoftmax(self, x):
        if x.rank == 0:
            return None
        return self._activation("LogSoftmax", x, {"dim": _dim(self.rng, x.rank, self.rng.randint(1, x.rank))})

    def make_Softplus(self, x):
        return self._activation("Softplus", x, {"beta": self.rng.choice([0.5, 1, 3.0]), "threshold": self.rng.choice([0, 5.5, 20])})

    # -- convolution ----------------------------------------------------------------------------
    def _spatial_conv(self, x, dims):
        """Kernel, stride, padding, dilation per axis, drawn so that the output stays >= 1."""
        r = self.rng
        d = [r.choice([1, 1, 2]) for _ in range(dims)]
        use_same = r.random() < 0.2
        s = [1] * dims if use_same else [r.choice([1, 1, 2, 3]) for _ in range(dims)]
        pad = [0] * dims if use_same else [r.choice([0, 0, 1, 2]) for _ in range(dims)]
        k = []
        for i, n in enumerate(x.shape[1:]):
            kmax = (n + 2 * pad[i] - 1) // d[i] + 1 if not use_same else 5
            k.append(r.randint(1, max(1, min(5, kmax))))
        if use_same:
            padding = "same"
            out = list(x.shape[1:])
        else:
            out = [_conv_out(n, k[i], s[i], pad[i], d[i]) for i, n in enumerate(x.shape[1:])]
            padding = "valid" if pad == [0] * dims and r.random() < 0.3 else (pad[0] if dims == 1 else _int_or_pair(r, pad))
        if dims == 1:
            return k[0], s[0], padding, d[0], out
        return _int_or_pair(r, k), _int_or_pair(r, s), padding, _int_or_pair(r, d), out

    def _conv(self, type_, x, dims, out_channels=None, same=False):
        if x.dtype != "float32" or x.rank != dims + 1:
            return None
        c = x.shape[0]
        groups = self.rng.choice(_divisors(c, 4))
        out_c = out_channels or groups * self.rng.randint(1, max(1, 8 // groups))
        if out_c % groups:
            groups = 1
        k, s, padding, dil, out = self._spatial_conv(x, dims)
        if same:
            k, s, padding, dil, out = self.rng.choice([1, 3]), 1, "same", 1, list(x.shape[1:])
        p = {"out_channels": out_c, "kernel_size": k}
        if s != 1 or self.rng.random() < 0.2:
            p["stride"] = s
        if padding != 0 or self.rng.random() < 0.2:
            p["padding"] = padding
        if dil != 1 or self.rng.random() < 0.2:
            p["dilation"] = dil
        if groups != 1:
            p["groups"] = groups
        self.maybe(p, "bias", self.rng.random() < 0.5, 0.3)
        return self.layer(type_, p, x, (out_c,) + tuple(out))

    def make_Conv1d(self, x):
        return self._conv("Conv1d", x, 1)

    def make_Conv2d(self, x):
        return self._conv("Conv2d", x, 2)

    def make_ConvTranspose2d(self, x):
        if x.dtype != "float32" or x.rank != 3:
            return None
        r = self.rng
        k = [r.randint(1, 4) for _ in range(2)]
        s = [r.choice([1, 2, 2, 3]) for _ in range(2)]
        d = [r.choice([1, 1, 2]) for _ in range(2)]
        op = [r.randrange(max(s[i], d[i])) for i in range(2)]
        pad = []
        for i, n in enumerate(x.shape[1:]):
            full = _convt_out(n, k[i], s[i], 0, op[i], d[i])
            pad.append(r.randint(0, max(0, min(2, (full - 1) // 2))))
        out = tuple(_convt_out(n, k[i], s[i], pad[i], op[i], d[i]) for i, n in enumerate(x.shape[1:]))
        if max(out) > MAX_SIDE:
            return None
        c = r.randint(1, 6)
        p = {"out_channels": c, "kernel_size": _int_or_pair(r, k), "stride": _int_or_pair(r, s)}
        if pad != [0, 0]:
            p["padding"] = _int_or_pair(r, pad)
        if op != [0, 0]:
            p["output_padding"] = _int_or_pair(r, op)
        if d != [1, 1]:
            p["dilation"] = _int_or_pair(r, d)
        self.maybe(p, "bias", r.random() < 0.5, 0.3)
        return self.layer("ConvTranspose2d", p, x, (c,) + out)

    def _pool(self, type_, x, dims):
        if x.dtype != "float32" or x.rank != dims + 1:
            return None
        r = self.rng
        ceil = r.random() < 0.4
        k, s, pad = [], [], []
        for n in x.shape[1:]:
            ki = r.randint(1, min(4, n + 2))
            pi = r.randint(0, ki // 2)
            if n + 2 * pi < ki:
                ki = n + 2 * pi
            k.append(ki)
            pad.append(pi)
            s.append(r.randint(1, 3))
        stride_given = r.random() < 0.7
        if not stride_given:
            s = list(k)
        out = tuple(_pool_out(n, k[i], s[i], pad[i], ceil) for i, n in enumerate(x.shape[1:]))
        if min(out) < 1:
            return None
        pick = (lambda v: v[0]) if dims == 1 else (lambda v: _int_or_pair(r, v))
        p = {"kernel_size": pick(k)}
        if stride_given:
            p["stride"] = pick(s)
        elif r.random() < 0.3:
            p["stride"] = None
        if pad != [0] * dims:
            p["padding"] = pick(pad)
        if ceil or r.random() < 0.2:
            p["ceil_mode"] = ceil
        if type_ == "AvgPool2d":
            self.maybe(p, "count_include_pad", r.random() < 0.5)
        return self.layer(type_, p, x, (x.shape[0],) + out)

    def make_MaxPool1d(self, x):
        return self._pool("MaxPool1d", x, 1)

    def make_MaxPool2d(self, x):
        return self._pool("MaxPool2d", x, 2)

    def make_AvgPool2d(self, x):
        return self._pool("AvgPool2d", x, 2)

    def make_AdaptiveAvgPool2d(self, x):
        if x.dtype != "float32" or x.rank != 3:
            return None
        size = [self.rng.randint(1, 5), self.rng.randint(1, 5)]
        p = {} if size == [1, 1] and self.rng.random() < 0.5 else {"output_size": _int_or_pair(self.rng, size)}
        return self.layer("AdaptiveAvgPool2d", p, x, (x.shape[0], *size))

    def make_Upsample(self, x):
        if x.dtype != "float32" or x.rank not in (2, 3):
            return None
        r = self.rng
        mode = r.choice(["nearest", "linear"] if x.rank == 2 else ["nearest", "bilinear", "bicubic"])
        p = {} if mode == "nearest" and r.random() < 0.3 else {"mode": mode}
        spatial = x.shape[1:]
        if r.random() < 0.6:
            f = r.choice([0.5, 0.7, 1.0, 1.1, 1.5, 2, 2.3, 3])
            out = tuple(int(math.floor(n * float(f))) for n in spatial)
            if f != 2.0 or r.random() < 0.5:
                p["scale_factor"] = f
        else:
            out = tuple(r.randint(1, 20) for _ in spatial)
            p["scale_factor"] = None
            p["size"] = out[0] if x.rank == 2 else _int_or_pair(r, list(out))
        if min(out) < 1 or max(out) > MAX_SIDE:
            return None
        return self.layer("Upsample", p, x, (x.shape[0],) + out)

    def _norm_params(self):
        p = {}
        self.maybe(p, "eps", self.rng.choice([1e-3, 1e-5, 0.1]), 0.3)
        self.maybe(p, "momentum", self.rng.choice([None, 0.0, 0.5]), 0.3)
        self.maybe(p, "affine", self.rng.random() < 0.5, 0.4)
        self.maybe(p, "track_running_stats", self.rng.random() < 0.5, 0.3)
        return p

    def make_BatchNorm1d(self, x):
        if x.dtype != "float32" or x.rank not in (1, 2):
            return None
        return self.layer("BatchNorm1d", self._norm_params(), x, x.shape)

    def make_BatchNorm2d(self, x):
        if x.dtype != "float32" or x.rank != 3:
            return None
        return self.layer("BatchNorm2d", self._norm_params(), x, x.shape)

    def make_LayerNorm(self, x):
        if x.dtype != "float32" or x.rank == 0:
            return None
        p = {}
        self.maybe(p, "elementwise_affine", self.rng.random() < 0.6, 0.4)
        self.maybe(p, "bias", self.rng.random() < 0.5, 0.4)
        self.maybe(p, "eps", 1e-3, 0.2)
        return self.layer("LayerNorm", p, x, x.shape)

    # -- sequences ------------------------------------------------------------------------------
    def make_Embedding(self, x):
        if x.dtype != "int64":
            return None
        n = self.rng.randint(self.vocab, self.vocab + 20)
        e = self.rng.randint(1, 16)
        p = {"num_embeddings": n, "embedding_dim": e}
        if self.rng.random() < 0.3:
            p["padding_idx"] = self.rng.randint(-n, n - 1)
        return self.layer("Embedding", p, x, x.shape + (e,), "float32")

    def _recurrent(self, type_, x):
        if x.dtype != "float32" or x.rank != 2:
            return None
        r = self.rng
        h = r.randint(1, 8)
        p = {"hidden_size": h}
        layers = r.choice([1, 1, 2])
        if layers != 1:
            p["num_layers"] = layers
        both = r.random() < 0.4
        self.maybe(p, "bidirectional", both, 1.0 if both else 0.2)
        output = r.choice(["sequence", "last"])
        self.maybe(p, "output", output, 1.0 if output == "last" else 0.3)
        if layers > 1:
            self.maybe(p, "dropout", 0.25, 0.5)
        self.maybe(p, "bias", r.random() < 0.5, 0.3)
        if type_ == "RNN":
            self.maybe(p, "nonlinearity", r.choice(["tanh", "relu"]), 0.5)
        width = h * (2 if both else 1)
        node_id = self.node(type_, p, {"in": x})
        out = Val(node_id, "out", (x.shape[0], width) if output == "sequence" else (width,))
        states = [Val(node_id, "hidden", (width,))]
        if type_ == "LSTM":
            states.append(Val(node_id, "cell", (width,)))
        roll = r.random()
        if roll < 0.2:  # go on from a state port, leaving "out" unused
            self.side.extend(s for s in states if r.random() < 0.5)
            return r.choice(states)
        if roll < 0.5:
            self.side.extend(s for s in states if r.random() < 0.7)
        return out

    def make_RNN(self, x):
        return self._recurrent("RNN", x)

    def make_LSTM(self, x):
        return self._recurrent("LSTM", x)

    def make_GRU(self, x):
        return self._recurrent("GRU", x)

    # -- attention ------------------------------------------------------------------------------
    def make_MultiheadAttention(self, x):
        if x.dtype != "float32" or x.rank != 2:
            return None
        p = {"num_heads": self.rng.choice(_divisors(x.shape[1]))}
        self.maybe(p, "dropout", 0.1, 0.3)
        self.maybe(p, "bias", self.rng.random() < 0.5, 0.4)
        return self.layer("MultiheadAttention", p, x, x.shape)

    def make_TransformerEncoderLayer(self, x):
        if x.dtype != "float32" or x.rank != 2:
            return None
        r = self.rng
        p = {"nhead": r.choice(_divisors(x.shape[1])), "dim_feedforward": r.randint(1, 32)}
        self.maybe(p, "dropout", r.choice([0.0, 0.1]), 0.4)
        self.maybe(p, "activation", r.choice(["relu", "gelu"]), 0.5)
        self.maybe(p, "norm_first", r.random() < 0.5, 0.5)
        self.maybe(p, "bias", r.random() < 0.5, 0.4)
        self.maybe(p, "layer_norm_eps", 1e-6, 0.2)
        return self.layer("TransformerEncoderLayer", p, x, x.shape)

    def make_PositionalEncoding(self, x):
        if x.dtype != "float32" or x.rank != 2:
            return None
        p = {"max_len": self.rng.randint(x.shape[0], x.shape[0] + 8)}
        self.maybe(p, "kind", self.rng.choice(["sinusoidal", "learned"]), 0.7)
        self.maybe(p, "dropout", 0.1, 0.3)
        return self.layer("PositionalEncoding", p, x, x.shape)

    # -- merges -----------------------------------------------------------------------------------
    PRESERVING = ("ReLU", "Tanh", "Sigmoid", "GELU", "Dropout", "Identity", "LayerNorm", "BatchNorm1d",
                  "BatchNorm2d", "Softmax", "same_Linear", "same_Conv2d")

    def _preserving(self, x: Val) -> Val:
        """A layer that keeps the shape (or ``x`` itself if none fits)."""
        for _ in range(6):
            kind = self.rng.choice(self.PRESERVING)
            if kind == "same_Linear":
                v = None if x.dtype != "float32" else self.layer("Linear", {"out_features": x.shape[-1]}, x, x.shape)
            elif kind == "same_Conv2d":
                v = self._conv("Conv2d", x, 2, out_channels=x.shape[0], same=True) if x.rank == 3 else None
            else:
                v = getattr(self, f"make_{kind}")(x)
            if v is not None:
                return v
        return x

    def _branches(self, x: Val, k: int, second: Val | None) -> list[Val]:
        ends = []
        for i in range(k):
            v = second if (i == 0 and second is not None) else x
            for _ in range(self.rng.choice([0, 0, 1, 1, 2])):
                v = self._preserving(v)
            ends.append(v)
        return ends

    def _merge_node(self, type_, params, ends):
        order = list(range(len(ends)))
        self.rng.shuffle(order)  # wire the ports out of order; port numbers, not wire order, count
        node_id = self.g.new_id(type_)
        self.g.add_node(Node(node_id, type_, params))
        for i in order:
            self.g.add_edge(Edge(ends[i].node, node_id, ends[i].port, str(i)))
        return node_id

    def make_Add(self, x, type_="Add", second=None):
        if x.dtype != "float32":
            return None
        ends = self._branches(x, self.rng.choice([2, 2, 3]), second)
        last, roll = ends[-1], self.rng.random()
        if roll < 0.2 and last.rank == 3:  # broadcast C×1×1 over C×H×W (squeeze-and-excitation style)
            ends[-1] = self.layer("AdaptiveAvgPool2d", {"output_size": 1}, last, (last.shape[0], 1, 1))
        elif roll < 0.4:  # broadcast a size-1 last dim
            ends[-1] = self.layer("Linear", {"out_features": 1}, last, last.shape[:-1] + (1,)) or last
        return Val(self._merge_node(type_, {}, ends), "out", x.shape)

    def make_Multiply(self, x, second=None):
        return self.make_Add(x, "Multiply", second)

    def make_Concat(self, x, second=None):
        if x.rank == 0:
            return None
        r = self.rng
        d = r.randint(1, x.rank)
        ends = []
        for i in range(r.choice([2, 2, 3])):
            v = second if (i == 0 and second is not None) else x
            if d == x.rank and v.dtype == "float32" and r.random() < 0.6:
                m = r.randint(1, 6)
                v = self.layer("Linear", {"out_features": m}, v, v.shape[:-1] + (m,)) or v
            elif d == 1 and v.rank == 3 and v.dtype == "float32" and r.random() < 0.6:
                v = self._conv("Conv2d", v, 2, out_channels=r.randint(1, 5), same=True) or v
            elif r.random() < 0.4:
                v = self._preserving(v)
            ends.append(v)
        p = {"dim": _dim(r, x.rank, d)} if (d != 1 or r.random() < 0.5) else {}
        total = sum(v.shape[d - 1] for v in ends)
        return Val(self._merge_node("Concat", p, ends), "out", x.shape[: d - 1] + (total,) + x.shape[d:], x.dtype)

    # -- the whole graph --------------------------------------------------------------------------
    INPUT_KINDS = ("flat", "image", "sequence", "tokens")
    LAYERS = tuple(t for t in CATALOGUE if CATALOGUE[t].role == "layer")
    MERGES = ("Add", "Multiply", "Concat")
    WEIGHTS = {t: 4 for t in ("Conv1d", "Conv2d", "ConvTranspose2d", "MaxPool1d", "MaxPool2d", "AvgPool2d",
                              "AdaptiveAvgPool2d", "Upsample", "BatchNorm2d", "Embedding", "RNN", "LSTM", "GRU",
                              "MultiheadAttention", "TransformerEncoderLayer", "PositionalEncoding")}

    def step(self, x: Val, type_: str, second: Val | None = None) -> Val | None:
        if type_ in self.MERGES:
            return getattr(self, f"make_{type_}")(x, second=second)
        return getattr(self, f"make_{type_}")(x)

    def build(self, force: str | None = None) -> Graph:
        r = self.rng
        kinds = list(self.INPUT_KINDS)
        r.shuffle(kinds)
        x = None
        if force in (None, "Input", "Output"):
            x = self.make_input(kinds[0])
        else:
            # Find an input the forced layer accepts; keep the first trial that fits.
            for kind in kinds * 5:
                trial = Builder(r)
                x0 = trial.make_input(kind)
                x = trial.step(x0, force)
                if x is not None:
                    self.g, self.side, self.vocab = trial.g, trial.side, trial.vocab
                    break
            assert x is not None, f"no input kind fits {force}"
        second = None
        if r.random() < 0.15:  # a second Input of the same kind, merged into the first
            second = Val(self.node("Input", {"shape": list(x.shape), "dtype": x.dtype}), "out", x.shape, x.dtype)
        for _ in range(r.randint(1 if force is None else 0, 6)):
            # A weighted shuffle: layers that need a particular layout (an image, a sequence,
            # token ids) come up more often, or chains would drift to flat vectors too soon.
            options = sorted(self.LAYERS, key=lambda t: -r.random() ** (1 / self.WEIGHTS.get(t, 1)))
            if second is not None and second.shape == x.shape and second.dtype == x.dtype:
                options = [m for m in self.MERGES if m != "Add" or x.dtype == "float32"] + options
            for type_ in options:
                nxt = self.step(x, type_, second if type_ in self.MERGES else None)
                if nxt is not None:
                    if type_ in self.MERGES:
                        second = None
                    x = nxt
                    break
        if second is not None:  # it never merged: give it an Output of its own
            self.side.append(second)
        self.node("Output", {}, {"in": x})
        for v in self.side:
            if r.random() < 0.3 and v.dtype == "float32":
                v = self.make_Linear(v) or v
            self.node("Output", {}, {"in": v})
        return self.g


# -- the oracle ---------------------------------------------------------------------------------


class Recorder(fx.Interpreter):
    """Runs a GraphModule node by node, keeping every node's real result."""

    def __init__(self, module):
        super().__init__(module)
        self.values = {}

    def run_node(self, n):
        result = super().run_node(n)
        self.values[n] = result
        return result


def _vocab(graph: Graph) -> int:
    sizes = [n.params.get("num_embeddings", 1000) for n in graph.nodes.values() if n.type == "Embedding"]
    return min(sizes, default=10)


def check_against_torch(graph: Graph) -> None:
    text = dump_graph(graph)
    analysis = analyze(graph)
    assert analysis.ok, "analyze rejected a valid graph:\n" + "\n".join(map(str, analysis.errors)) + "\n" + text
    module = build_module(graph, analysis).eval()
    torch.manual_seed(0)
    args = []
    for node_id in analysis.inputs():
        t = analysis.nodes[node_id].outputs["out"]
        if t.dtype == "int64":
            args.append(torch.randint(0, _vocab(graph), (BATCH, *t.shape)))
        else:
            args.append(torch.randn(BATCH, *t.shape))
    recorder = Recorder(module)
    try:
        with torch.no_grad():
            result = recorder.run(*args)
    except Exception as exc:  # torch refused what shape inference accepted
        raise AssertionError(f"torch cannot run a graph analyze accepted: {exc}\n{module.code}\n{text}") from exc
    values = recorder.values

    # Every annotated fx node really has the shape inference said.
    annotated = [n for n in module.graph.nodes if "sample_shape" in n.meta]
    mismatches = []
    for n in annotated:
        v = values[n]
        assert isinstance(v, torch.Tensor), f"{n.name} is annotated but produced {type(v).__name__}\n{text}"
        if tuple(v.shape) != (BATCH, *n.meta["sample_shape"]):
            mismatches.append(f"{n.name}: inferred {(BATCH, *n.meta['sample_shape'])}, torch {tuple(v.shape)}")
    assert not mismatches, "\n".join(mismatches) + "\n" + text

    # Each layer's main output is the fx node named after it, with the inferred shape and dtype.
    by_name = {n.name: n for n in module.graph.nodes}
    used_out = {e.src for e in graph.edges if e.src_port == "out"}
    for node_id, info in analysis.nodes.items():
        if info.spec.role != "layer" or node_id not in used_out:
            continue
        n = by_name.get(node_id)
        if n is None and info.params.get("output") == "last" and info.params.get("bidirectional"):
            n = by_name.get(f"{node_id}_hidden")  # "last" of both directions is the final hidden state
        assert n is not None and "sample_shape" in n.meta, f"no annotated fx node named {node_id!r}\n{module.code}"
        expected = info.outputs["out"]
        assert n.meta["sample_shape"] == expected.shape
        assert str(values[n].dtype) == f"torch.{expected.dtype}", f"{node_id}: dtype {values[n].dtype}\n{text}"

    # The module's results: one per Output, in order, with the shapes analysis gave the Outputs.
    outs = analysis.outputs()
    results = result if len(outs) > 1 else (result,)
    assert len(results) == len(outs)
    for out_id, tensor in zip(outs, results):
        expected = analysis.nodes[out_id].outputs["out"]
        assert tuple(tensor.shape) == (BATCH, *expected.shape), f"{out_id}: {tuple(tensor.shape)}\n{text}"
        assert str(tensor.dtype) == f"torch.{expected.dtype}"

    # Parameter counts, per node and in total.
    children = dict(module.named_children())
    for node_id, info in analysis.nodes.items():
        counted = info.count.total if info.count else 0
        real = sum(p.numel() for p in children[node_id].parameters()) if node_id in children else 0
        if node_id in children:
            assert module.get_submodule(node_id) is children[node_id]
        assert counted == real, f"{node_id} ({graph.nodes[node_id].type}): counted {counted}, torch has {real}\n{text}"
    assert analysis.total_params == sum(p.numel() for p in module.parameters())

    # The arithmetic behind convolution and pooling sizes ends with the size inferred.
    for node_id, info in analysis.nodes.items():
        if info.spec.type not in ("Conv2d", "MaxPool2d", "AvgPool2d", "Conv1d", "MaxPool1d", "ConvTranspose2d"):
            continue
        sizes = info.outputs["out"].shape[1:]
        assert len(info.arithmetic) == len(sizes), f"{node_id}: {info.arithmetic}"
        for line, size in zip(info.arithmetic, sizes):
            if info.params.get("padding") == "same":
                assert line.endswith(f"keeps {size}"), line
            else:
                assert line.endswith(f"= {size}"), f"{node_id}: {line!r} does not end with '= {size}'"


# -- tests ----------------------------------------------------------------------------------------

ALL_TYPES = sorted(CATALOGUE)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rng=st.randoms(use_true_random=False), force=st.none() | st.sampled_from(ALL_TYPES))
def test_inferred_shapes_and_counts_match_torch(rng, force):
    graph = Builder(rng).build(force)
    check_against_torch(graph)


def test_a_seeded_sweep_covers_every_layer_type():
    seen = Counter()
    for seed in range(300):
        for node in Builder(random.Random(seed)).build().nodes.values():
            seen[node.type] += 1
    missing = set(CATALOGUE) - set(seen)
    assert not missing, f"the generator never produced {sorted(missing)}"


@pytest.mark.parametrize("type_", ALL_TYPES)
def test_every_type_in_a_graph_checked_against_torch(type_):
    for seed in range(3):
        graph = Builder(random.Random(f"{type_}-{seed}")).build(force=type_)
        assert type_ in {n.type for n in graph.nodes.values()}
        check_against_torch(graph)


def test_recurrent_state_ports_wired_onward():
    g = Graph("states")
    g.add_node(Node("x", "Input", {"shape": [5, 3]}))
    g.add_node(Node("lstm", "LSTM", {"hidden_size": 4, "num_layers": 2, "bidirectional": True, "output": "last"}))
    g.add_node(Node("gru", "GRU", {"hidden_size": 8}))
    g.add_node(Node("both", "Add"))
    g.add_node(Node("cat", "Concat", {"dim": -1}))
    g.add_node(Node("y", "Output"))
    g.add_node(Node("y2", "Output"))
    g.add_edge(Edge("x", "lstm"))
    g.add_edge(Edge("x", "gru"))
    g.add_edge(Edge("lstm", "both", "hidden", "0"))
    g.add_edge(Edge("lstm", "both", "cell", "1"))
    g.add_edge(Edge("both", "cat", "out", "0"))
    g.add_edge(Edge("lstm", "cat", "out", "1"))
    g.add_edge(Edge("gru", "cat", "hidden", "2"))
    g.add_edge(Edge("cat", "y"))
    g.add_edge(Edge("gru", "y2"))
    check_against_torch(g)
    assert analyze(g).nodes["cat"].outputs["out"].shape == (24,)


# -- the arithmetic a learner reads --------------------------------------------------------------


def _single(type_, shape, params):
    g = Graph()
    g.add_node(Node("x", "Input", {"shape": list(shape)}))
    g.add_node(Node("l", type_, params))
    g.add_node(Node("y", "Output"))
    g.add_edge(Edge("x", "l"))
    g.add_edge(Edge("l", "y"))
    return g


def _evaluate(expression: str) -> float:
    """Evaluate the arithmetic as printed: ⌊…⌋, ⌈…⌉, −, · and /."""
    py = expression.replace("−", "-").replace("·", "*").replace("⌊", "floor(").replace("⌋", ")")
    py = py.replace("⌈", "ceil(").replace("⌉", ")")
    assert re.fullmatch(r"[0-9+\-*/() a-z]*", py), py
    return eval(py, {"__builtins__": {}}, {"floor": math.floor, "ceil": math.ceil})  # our own digits only


def _check_arithmetic(type_, shape, params, failures):
    analysis = analyze(_single(type_, shape, params))
    if not analysis.ok:
        return
    info = analysis.nodes["l"]
    for line, size in zip(info.arithmetic, info.outputs["out"].shape[1:]):
        if "same" in line:
            continue
        axis, _, rest = line.partition(": ")
        lhs, _, rhs = rest.rpartition(" = ")
        assert int(rhs) == size, line
        value = _evaluate(lhs)
        if value != size:
            failures.append(f"{type_} {params} on {shape}: {line!r} evaluates to {value}, not {size}")


def test_conv_and_pool_arithmetic_adds_up():
    """The printed arithmetic is what the course teaches: evaluated as written, it must give
    the size it claims (and the size torch computes, checked by the property test)."""
    failures: list[str] = []
    for n in (4, 5, 7, 8):
        for k in (1, 2, 3):
            for s in (1, 2, 3):
                for p in (0, 1):
                    for d in (1, 2):
                        _check_arithmetic("Conv2d", (1, n, n), {"kernel_size": k, "stride": s, "padding": p,
                                                               "dilation": d}, failures)
                    for ceil in (False, True):
                        _check_arithmetic("MaxPool2d", (1, n, n), {"kernel_size": k, "stride": s, "padding": p if 2 * p <= k else 0,
                                                                  "ceil_mode": ceil}, failures)
    assert not failures, f"{len(failures)} wrong: " + "\n".join(failures[:12])


def test_dropout_on_token_ids_also_runs_in_training_mode():
    # Shape inference accepts a Dropout on int64 token ids (its rule is "same shape, same
    # dtype"); torch's dropout only passes integers through in eval mode. What torch rejects
    # should be an error before training starts, not a crash in the first batch.
    g = Graph()
    g.add_node(Node("ids", "Input", {"shape": [6], "dtype": "int64"}))
    g.add_node(Node("drop", "Dropout", {"p": 0.1}))
    g.add_node(Node("emb", "Embedding", {"num_embeddings": 10, "embedding_dim": 4}))
    g.add_node(Node("y", "Output"))
    for a, b in (("ids", "drop"), ("drop", "emb"), ("emb", "y")):
        g.add_edge(Edge(a, b))
    analysis = analyze(g)
    if not analysis.ok:
        return  # refusing it is a fine answer
    module = build_module(g, analysis).train()
    assert module(torch.randint(0, 10, (2, 6))).shape == (2, 6, 4)


def test_fx_nodes_are_named_after_node_ids_even_when_the_id_is_a_python_builtin():
    # "input", "max", "sum", "id" are valid node ids (not reserved), so the compiled forward
    # should read `max = self.max(input)`, as for any other id.
    # (Reserving such names, so that node_id_problem refuses them, would be a fix too.)
    ids = [i for i in ("input", "max", "sum", "id", "list") if node_id_problem(i) is None]
    if len(ids) < 2:
        return
    g = Graph()
    g.add_node(Node(ids[0], "Input", {"shape": [3]}))
    for a, b in zip(ids, ids[1:]):
        g.add_node(Node(b, "ReLU"))
        g.add_edge(Edge(a, b))
    g.add_node(Node("y", "Output"))
    g.add_edge(Edge(ids[-1], "y"))
    module = build_module(g)
    names = [n.name for n in module.graph.nodes if n.op != "output"]
    assert names == ids, module.code
