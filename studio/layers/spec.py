"""How a layer type is declared: parameters, ports, shape rule, parameter count, constructor,
forward lowering and teaching text — once, for every consumer (palette, inspector, shape
inference, compiler, code generation, docs).

No Qt. torch is imported only inside ``Ctor.build`` (the window must paint before torch loads).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol, Sequence

from ..graph.model import show_value as _show

# --------------------------------------------------------------------------------------------
# Tensors as shape inference sees them: the shape without the (symbolic) batch dimension.


@dataclass(frozen=True)
class TensorInfo:
    shape: tuple[int, ...]
    dtype: str = "float32"

    @property
    def rank(self) -> int:
        return len(self.shape)

    def numel(self) -> int:
        return math.prod(self.shape)


def fmt(shape: Sequence[int]) -> str:
    """``(16, 8, 8)`` → ``16×8×8``; a scalar per sample reads ``a single value``."""
    return "×".join(str(d) for d in shape) if shape else "a single value"


def fmt_batch(shape: Sequence[int]) -> str:
    return "B×" + fmt(shape) if shape else "B"


def describe(t: TensorInfo) -> str:
    """A learner's description of a tensor: 'a flat vector of 64', 'a 16×8×8 tensor'."""
    if t.rank == 0:
        return "a single value per sample"
    if t.rank == 1:
        return f"a flat vector of {t.shape[0]}"
    return f"a {fmt(t.shape)} tensor"


class ShapeError(Exception):
    """The node cannot accept its input. ``message`` says what is wrong, ``fix`` what to do."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message + (f" — {fix}" if fix else ""))
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Inferred:
    """What a shape rule returns: output tensors per port, the arithmetic behind them, and
    warnings for graphs that are valid but probably not what the learner meant."""

    outputs: Mapping[str, TensorInfo]
    arithmetic: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParamCount:
    total: int = 0
    trainable: int = 0
    formula: str = ""


NO_PARAMS = ParamCount()

# --------------------------------------------------------------------------------------------
# Parameters

KINDS = ("int", "float", "bool", "choice", "int2", "ints", "padding")


@dataclass(frozen=True)
class Param:
    """One constructor keyword. ``kind`` is one of:

    int, float, bool, choice (a string from ``choices``), int2 (an int or a pair of ints, as
    torch's ``kernel_size``), ints (a list of ints, e.g. a shape; ``-1`` allowed where
    ``allow_infer``), padding (int2, or "same" / "valid").
    ``optional`` means ``None`` is allowed (and means what the help says).
    """

    name: str
    kind: str
    default: Any
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False
    min_len: int = 1
    max_len: int = 6
    allow_infer: bool = False  # ints: one entry may be -1 (inferred)

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind
        if self.default is not None or not self.optional:
            problem = self.problem(self.default)
            assert problem is None, f"{self.name}: default {self.default!r}: {problem}"

    def _range(self, v: float) -> str | None:
        if self.min is not None and v < self.min:
            return f"must be at least {_num(self.min)}"
        if self.max is not None and v > self.max:
            return f"must be at most {_num(self.max)}"
        return None

    def problem(self, v: Any) -> str | None:
        """Why ``v`` is not a valid value, or None."""
        if v is None:
            return None if self.optional else "must have a value"
        k = self.kind
        if k == "int":
            if not _is_int(v):
                return f"must be a whole number, not {_show(v)}"
            return self._range(v)
        if k == "float":
            if not _is_num(v):
                return f"must be a number, not {_show(v)}"
            try:
                finite = math.isfinite(float(v))
            except OverflowError:  # a whole number too large for a float
                finite = False
            if not finite:
                return "must be a finite number"
            return self._range(v)
        if k == "bool":
            return None if isinstance(v, bool) else f"must be true or false, not {_show(v)}"
        if k == "choice":
            if v in self.choices:
                return None
            return f"must be one of {', '.join(map(repr, self.choices))}, not {_show(v)}"
        if k == "padding" and isinstance(v, str):
            return None if v in ("same", "valid") else f"must be a number, a pair, 'same' or 'valid', not {_show(v)}"
        if k in ("int2", "padding"):
            items = [v] if _is_int(v) else v if isinstance(v, list) and len(v) == 2 else None
            if items is None or not all(_is_int(x) for x in items):
                return f"must be a whole number or a pair of whole numbers, not {_show(v)}"
            for x in items:
                r = self._range(x)
                if r:
                    return r
            return None
        if k == "ints":
            if not isinstance(v, list) or not all(_is_int(x) for x in v):
                return f"must be a list of whole numbers, not {_show(v)}"
            if not self.min_len <= len(v) <= self.max_len:
                return f"must have {self.min_len} to {self.max_len} entries, not {len(v)}"
            inferred = [x for x in v if x == -1]
            if inferred and not self.allow_infer:
                return "cannot contain -1 here"
            if len(inferred) > 1:
                return "can contain -1 (\"work it out\") at most once"
            for x in v:
                if x != -1:
                    r = self._range(x)
                    if r:
                        return r
            return None
        raise AssertionError(k)  # pragma: no cover

    def json_type(self) -> str:
        return {"int": "integer", "float": "number", "bool": "boolean", "choice": "string",
                "int2": "integer or [integer, integer]", "ints": "list of integers",
                "padding": "integer, [integer, integer], \"same\" or \"valid\""}[self.kind]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def pair(v: int | list[int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


# --------------------------------------------------------------------------------------------
# Ports


@dataclass(frozen=True)
class Port:
    name: str
    label: str = ""
    optional: bool = False  # an input that may stay unconnected


IN = (Port("in"),)
OUT = (Port("out"),)

# --------------------------------------------------------------------------------------------
# Compilation: what module to construct, and how the forward pass uses it.


@dataclass(frozen=True)
class Ctor:
    """A module constructor call: ``cls`` is ``nn.<Name>`` or ``studio.<Name>`` (a module
    defined in ``studio.compile.modules`` whose source code generation embeds)."""

    cls: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def resolve_class(self) -> type:
        ns, name = self.cls.split(".", 1)
        if ns == "nn":
            import torch.nn as nn

            return getattr(nn, name)
        if ns == "studio":
            # Studio modules are torch code, so they live in the compiler; a declaration names them.
            import importlib

            return getattr(importlib.import_module("studio.compile.modules"), name)
        raise ValueError(f"unknown constructor namespace in {self.cls!r}")

    def build(self):
        kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in self.kwargs.items()}
        return self.resolve_class()(**kwargs)

    def source(self) -> str:
        args = ", ".join(f"{k}={_py(v)}" for k, v in self.kwargs.items())
        name = self.cls if self.cls.startswith("nn.") else self.cls.split(".", 1)[1]
        return f"{name}({args})"


def _py(v: Any) -> str:
    if isinstance(v, list):
        return "(" + ", ".join(_py(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return repr(v)


class Value(Protocol):
    """An opaque handle to a tensor (or tuple) in the forward pass being built."""


class Lowering(Protocol):
    """What a layer's ``forward`` rule may do. Two implementations exist: one builds a
    ``torch.fx`` graph, the other writes Python source; both read the same rule.

    Every call names its result: ``name=""`` is the node id itself, any other name becomes
    ``<id>_<name>``.
    """

    def module(self, name: str, *args: Value | Any, **kwargs: Any) -> Value:
        """Call this node's own submodule."""

    def function(self, name: str, qualname: str, *args: Any, **kwargs: Any) -> Value:
        """Call a torch function, e.g. ``torch.cat``."""

    def operator(self, name: str, symbol: str, a: Value, b: Value) -> Value:
        """A binary operator: ``+`` or ``*``."""

    def method(self, name: str, value: Value, method: str, *args: Any) -> Value:
        """A tensor method, e.g. ``x.reshape(-1, 8)``."""

    def item(self, name: str, value: Value, index: int) -> Value:
        """``value[index]`` for a tuple result."""


# forward(lowering, params, input values by port, output ports in use, input tensors by port)
ForwardRule = Callable[
    [Lowering, Mapping[str, Any], Mapping[str, Value], frozenset, Mapping[str, TensorInfo]],
    Mapping[str, Value],
]


def call_module(low, params, inputs, used, shapes) -> dict[str, Value]:
    """The usual forward: ``out = self.<id>(in)``."""
    return {"out": low.module("", inputs["in"])}


# --------------------------------------------------------------------------------------------
# The declaration

CATEGORIES = ("core", "activation", "convolution", "normalization", "sequence", "attention", "merge")


@dataclass(frozen=True)
class LayerSpec:
    type: str
    category: str
    label: str
    shape: Callable[[Mapping[str, Any], Mapping[str, TensorInfo]], Inferred]
    params: tuple[Param, ...] = ()
    keywords: tuple[str, ...] = ()
    inputs: tuple[Port, ...] = IN
    outputs: tuple[Port, ...] = OUT
    variadic: bool = False  # inputs are ports "0", "1", … ; at least ``min_inputs`` of them
    min_inputs: int = 1
    count: Callable[[Mapping[str, Any], Mapping[str, TensorInfo]], ParamCount] | None = None
    ctor: Callable[[Mapping[str, Any], Mapping[str, TensorInfo]], Ctor | None] | None = None
    forward: ForwardRule = call_module
    check: Callable[[Mapping[str, Any]], list[tuple[str, str]]] | None = None  # cross-param rules
    role: str = "layer"  # "input", "output" or "layer"

    def __post_init__(self) -> None:
        assert self.category in CATEGORIES, self.category
        names = [p.name for p in self.params]
        assert len(names) == len(set(names)), self.type

    # -- params ------------------------------------------------------------------------------
    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def param_problems(self, params: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(param name, message) for every unknown or invalid parameter."""
        out: list[tuple[str, str]] = []
        known = {p.name: p for p in self.params}
        for key, value in params.items():
            p = known.get(key)
            if p is None:
                out.append((key, self.unknown_param_message(key)))
                continue
            problem = p.problem(value)
            if problem:
                out.append((key, f"{key} {problem}"))
        if not out and self.check:
            out.extend(self.check(self.resolve(params)))
        return out

    def unknown_param_message(self, key: str) -> str:
        names = [p.name for p in self.params]
        import difflib  # here, not at the top: the window starts without it
        close = difflib.get_close_matches(str(key), names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else (
            f"; {self.type} takes {', '.join(names)}" if names else f"; {self.type} takes no parameters")
        if key in INFERRED_PARAMS:
            hint = f"; it is worked out from the incoming shape, so leave it out"
        return f"{self.type} has no parameter {key!r}{hint}"

    def resolve(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Parameters with defaults filled in, in declaration order."""
        return {p.name: params.get(p.name, p.default) for p in self.params}

    # -- ports -------------------------------------------------------------------------------
    def input_names(self, connected: int = 0) -> list[str]:
        if self.variadic:
            return [str(i) for i in range(max(connected, self.min_inputs))]
        return [p.name for p in self.inputs]

    def has_input(self, name: str) -> bool:
        if self.variadic:
            return name.isascii() and name.isdigit() and len(name) < 4 and (name == "0" or not name.startswith("0"))
        return any(p.name == name for p in self.inputs)

    def has_output(self, name: str) -> bool:
        return any(p.name == name for p in self.outputs)

    @property
    def default_input(self) -> str | None:
        if self.variadic:
            return None
        return self.inputs[0].name if self.inputs else None

    @property
    def default_output(self) -> str | None:
        return self.outputs[0].name if self.outputs else None

    # -- teaching ----------------------------------------------------------------------------
    def teaching(self, lang: str = "en") -> dict[str, str]:
        """{"summary", "when", "formula"} in ``lang`` (falls back to English)."""
        texts = _teaching(lang) or {}
        entry = texts.get(self.type) or _teaching("en").get(self.type) or {}
        return {k: entry.get(k) or "" for k in ("summary", "when", "formula")}


INFERRED_PARAMS = frozenset(
    {"in_features", "in_channels", "input_size", "num_features", "embed_dim", "d_model", "normalized_shape"}
)


@lru_cache(maxsize=None)
def resources_dir() -> Path:
    """The resources folder: beside the package in a checkout, inside it when installed."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"


@lru_cache(maxsize=None)
def _teaching(lang: str) -> dict[str, dict[str, str]]:
    path = resources_dir() / "teaching" / f"{lang}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
