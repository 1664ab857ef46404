"""Building blocks for shape rules: input checks that explain themselves, and the
output-size arithmetic of convolutions and pools written the way the course writes it.

No Qt, no torch.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from .spec import Inferred, TensorInfo, ShapeError, describe, fmt

NAMES = {1: "features", 2: "length", 3: "height × width"}


def the_input(inputs: Mapping[str, TensorInfo]) -> TensorInfo:
    return inputs["in"]


def need_float(layer: str, t: TensorInfo) -> None:
    if t.dtype != "float32":
        raise ShapeError(
            f"{layer} needs real numbers but receives integer token ids ({t.dtype})",
            "put an Embedding before it to turn the ids into vectors",
        )


def need_rank(layer: str, t: TensorInfo, rank: int, what: str, example: str) -> None:
    """Insist on ``rank`` non-batch dimensions; explain with the expected layout ``what``."""
    need_float(layer, t)
    if t.rank == rank:
        return
    if t.rank == 1 and rank > 1:
        fix = f"add a Reshape to {example} before it" if example else "add a Reshape before it"
    elif t.rank > rank and rank == 1:
        fix = "add a Flatten before it"
    else:
        fix = f"reshape the data to {what} before it"
    raise ShapeError(f"{layer} expects {what} but receives {describe(t)}", fix)


def reshape_hint(n: int, rank: int) -> str:
    """A plausible target for ``n`` values in ``rank`` dims (1×8×8 for 64 in 3 dims)."""
    if rank == 3:
        side = int(round(n ** 0.5))
        if side * side == n:
            return f"1×{side}×{side}"
        return f"1×1×{n}"
    if rank == 2:
        return f"1×{n}"
    return str(n)


def same(t: TensorInfo) -> Inferred:
    return Inferred({"out": t})


def conv_size(n: int, k: int, s: int, p: int, d: int, axis: str) -> tuple[int, str]:
    """torch's convolution output size with the arithmetic a learner can follow."""
    span = d * (k - 1) + 1
    num = n + 2 * p - span
    out = num // s + 1 if num >= 0 else 0
    # The course's form for plain kernels; torch's own form once dilation spreads the kernel.
    inner = f"({n} − {k} + 2·{p})/{s}" if d == 1 else f"({n} + 2·{p} − {d}·({k} − 1) − 1)/{s}"
    text = f"{axis}: ⌊{inner}⌋ + 1 = {out}" if num >= 0 and num % s else f"{axis}: {inner} + 1 = {out}"
    return out, text


def pool_size(n: int, k: int, s: int, p: int, ceil_mode: bool, axis: str) -> tuple[int, str]:
    num = n + 2 * p - k
    if num < 0:
        return 0, f"{axis}: ({n} − {k} + 2·{p})/{s} + 1 < 1"
    if ceil_mode:
        out = -(-num // s) + 1
        text = f"{axis}: ⌈({n} − {k} + 2·{p})/{s}⌉ + 1"
        if (out - 1) * s >= n + p:  # torch drops a last window that would start in the padding
            out -= 1
            text += " − 1"
        return out, f"{text} = {out}"
    out = num // s + 1
    inner = f"({n} − {k} + 2·{p})/{s}"
    text = f"{axis}: ⌊{inner}⌋ + 1 = {out}" if num % s else f"{axis}: {inner} + 1 = {out}"
    return out, text


def conv_transpose_size(n: int, k: int, s: int, p: int, op: int, d: int, axis: str) -> tuple[int, str]:
    out = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    text = f"{axis}: ({n} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1 = {out}"
    return out, text


def check_dim(layer: str, dim: int, rank: int, param: str = "dim") -> int:
    """Normalise a torch ``dim`` (batch included) against a sample of ``rank`` dims.

    Returns the index into the sample shape (without batch).
    """
    full = rank + 1
    if not -full <= dim < full:
        raise ShapeError(
            f"{layer} {param}={dim} is out of range for a {fmt_full(rank)} input",
            f"use a {param} between 1 and {rank} (dimension 0 is the batch)" if rank else "this input has no dimension besides the batch",
        )
    d = dim % full
    if d == 0:
        raise ShapeError(
            f"{layer} {param}={dim} is the batch dimension",
            f"use {param}=1 … {rank} (or -1 for the last one)",
        )
    return d - 1


def fmt_full(rank: int) -> str:
    return f"{rank + 1}-dimensional (batch included)"


def broadcast(layer: str, shapes: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
    """torch's broadcasting over the sample dimensions. Ranks must agree: with a batch in
    front, a lower-rank input would line its batch up against a feature dimension."""
    rank = max(len(s) for s in shapes)
    if any(len(s) != rank for s in shapes):
        listed = " and ".join(fmt(s) for s in shapes)
        raise ShapeError(
            f"{layer} needs inputs with the same number of dimensions, but receives {listed}",
            "add a Reshape or Flatten so the branches have the same layout",
        )
    out = []
    for i in range(rank):
        sizes = {s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0}
        sizes.discard(1)
        if len(sizes) > 1:
            listed = " and ".join(fmt(s) for s in shapes)
            raise ShapeError(
                f"{layer} needs inputs of the same shape, but receives {listed}",
                "make the branches produce the same shape (for channels, change out_channels or add a 1×1 Conv2d)",
            )
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)
