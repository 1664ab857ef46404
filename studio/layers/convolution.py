"""Convolution, pooling, upsampling and normalisation layers."""

from __future__ import annotations

import math

from .rules import conv_size, conv_transpose_size, need_float, need_rank, pool_size, reshape_hint, same, the_input
from .spec import Ctor, Inferred, LayerSpec, Param, ParamCount, ShapeError, TensorInfo, describe, fmt, pair

_AXES2 = ("H", "W")


def _spatial_input(layer: str, t: TensorInfo, dims: int) -> None:
    what = "channels × length" if dims == 1 else "channels × height × width"
    need_rank(layer, t, dims + 1, what, reshape_hint(t.numel(), dims + 1) if t.rank == 1 else "")


def _too_small(layer, t, sizes, fix):
    raise ShapeError(f"{layer} makes the {fmt(t.shape[1:])} input {fmt(sizes)}: the window does not fit", fix)


def _conv_common_params(default_channels=16, dims=2):
    kind = "int" if dims == 1 else "int2"
    return (
        Param("out_channels", "int", default_channels, "Number of filters (feature maps) to learn.", min=1, max=65536),
        Param("kernel_size", kind, 3, "Size of each filter.", min=1, max=1024),
        Param("stride", kind, 1, "Step between filter positions; 2 halves the size.", min=1, max=1024),
        Param("padding", "padding", 0, "Zeros added on each side; 'same' keeps the size (stride 1 only).", min=0, max=1024),
        Param("dilation", kind, 1, "Spacing between filter taps.", min=1, max=1024),
        Param("groups", "int", 1, "Split channels into groups (in_channels for a depthwise convolution).", min=1, max=65536),
        Param("bias", "bool", True, "Learn a bias per filter."),
    )


def _conv_shape(dims):
    layer = f"Conv{dims}d"

    def shape(p, inputs):
        t = the_input(inputs)
        _spatial_input(layer, t, dims)
        c_in, spatial = t.shape[0], t.shape[1:]
        if c_in % p["groups"] or p["out_channels"] % p["groups"]:
            raise ShapeError(f"{layer} groups={p['groups']} must divide both the {c_in} input channels and "
                             f"out_channels={p['out_channels']}", "choose groups that divides both (1 is the usual)")
        axes = ("L",) if dims == 1 else _AXES2
        k, s, d = (pair(p[n]) for n in ("kernel_size", "stride", "dilation"))
        pad = p["padding"]
        if pad == "same":
            if any(x != 1 for x in s[:dims]):
                raise ShapeError(f"{layer} padding='same' only works with stride 1", "set stride to 1 or give padding as a number")
            return Inferred({"out": TensorInfo((p["out_channels"],) + spatial)},
                            tuple(f"{a}: 'same' keeps {n}" for a, n in zip(axes, spatial)))
        pd = (0, 0) if pad == "valid" else pair(pad)
        sizes, arith = [], []
        for i, n in enumerate(spatial):
            out, text = conv_size(n, k[i], s[i], pd[i], d[i], axes[i])
            sizes.append(out)
            arith.append(text)
        if min(sizes) < 1:
            _too_small(layer, t, sizes, "use a smaller kernel_size, add padding, or remove a pooling layer before it")
        return Inferred({"out": TensorInfo((p["out_channels"],) + tuple(sizes))}, tuple(arith))

    return shape


def _conv_count(dims):
    def count(p, inputs):
        c_in = the_input(inputs).shape[0]
        k = pair(p["kernel_size"])[:dims]
        per = c_in // p["groups"] * math.prod(k)
        w = p["out_channels"] * per
        b = p["out_channels"] if p["bias"] else 0
        kk = "·".join(map(str, k))
        formula = f"{p['out_channels']}·{c_in // p['groups']}·{kk}" + (f" + {b}" if b else "") + f" = {w + b:,}"
        return ParamCount(w + b, w + b, formula)

    return count


def _conv_ctor(dims):
    def ctor(p, inputs):
        kw = {"in_channels": the_input(inputs).shape[0]}
        kw.update(p)
        return Ctor(f"nn.Conv{dims}d", kw)

    return ctor


def _conv1d_check(p):
    return [("padding", "padding must be a whole number, 'same' or 'valid' for Conv1d")] if isinstance(p["padding"], list) else []


CONV1D = LayerSpec(
    type="Conv1d", category="convolution", label="Conv1D",
    keywords=("conv1d", "convolution", "filter", "temporal", "signal", "convolución"),
    params=_conv_common_params(16, 1), shape=_conv_shape(1), count=_conv_count(1), ctor=_conv_ctor(1),
    check=_conv1d_check,
)

CONV2D = LayerSpec(
    type="Conv2d", category="convolution", label="Conv2D",
    keywords=("conv2d", "convolution", "filter", "kernel", "cnn", "image", "convolución"),
    params=_conv_common_params(16, 2), shape=_conv_shape(2), count=_conv_count(2), ctor=_conv_ctor(2),
)


def _convt_shape(p, inputs):
    t = the_input(inputs)
    _spatial_input("ConvTranspose2d", t, 2)
    k, s, pd, op, d = (pair(p[n]) for n in ("kernel_size", "stride", "padding", "output_padding", "dilation"))
    for i in range(2):
        if op[i] >= max(s[i], d[i]):
            raise ShapeError("ConvTranspose2d output_padding must be smaller than stride or dilation",
                             "lower output_padding (it only resolves the size ambiguity of a strided convolution)")
    sizes, arith = [], []
    for i, n in enumerate(t.shape[1:]):
        out, text = conv_transpose_size(n, k[i], s[i], pd[i], op[i], d[i], _AXES2[i])
        sizes.append(out)
        arith.append(text)
    if min(sizes) < 1:
        _too_small("ConvTranspose2d", t, sizes, "reduce padding")
    return Inferred({"out": TensorInfo((p["out_channels"],) + tuple(sizes))}, tuple(arith))


def _convt_count(p, inputs):
    c_in = the_input(inputs).shape[0]
    kh, kw = pair(p["kernel_size"])
    w = c_in * p["out_channels"] * kh * kw
    b = p["out_channels"] if p["bias"] else 0
    return ParamCount(w + b, w + b, f"{c_in}·{p['out_channels']}·{kh}·{kw}" + (f" + {b}" if b else "") + f" = {w + b:,}")


CONV_TRANSPOSE2D = LayerSpec(
    type="ConvTranspose2d", category="convolution", label="ConvTranspose2D",
    keywords=("conv2dtranspose", "transposed convolution", "deconvolution", "upsample", "decoder", "generator"),
    params=(
        Param("out_channels", "int", 16, "Number of filters (feature maps).", min=1, max=65536),
        Param("kernel_size", "int2", 2, "Size of each filter.", min=1, max=1024),
        Param("stride", "int2", 2, "Upsampling factor; 2 doubles the size.", min=1, max=1024),
        Param("padding", "int2", 0, "Removes this many rows/columns from each side of the output.", min=0, max=1024),
        Param("output_padding", "int2", 0, "Extra rows/columns on one side, to hit an exact size.", min=0, max=1024),
        Param("dilation", "int2", 1, "Spacing between filter taps.", min=1, max=1024),
        Param("bias", "bool", True, "Learn a bias per filter."),
    ),
    shape=_convt_shape, count=_convt_count,
    ctor=lambda p, i: Ctor("nn.ConvTranspose2d", {"in_channels": the_input(i).shape[0], **p}),
)


def _pool_shape(layer, dims):
    def shape(p, inputs):
        t = the_input(inputs)
        _spatial_input(layer, t, dims)
        k = pair(p["kernel_size"])
        s = pair(p["stride"]) if p["stride"] is not None else k
        pd = pair(p["padding"])
        axes = ("L",) if dims == 1 else _AXES2
        sizes, arith = [], []
        for i, n in enumerate(t.shape[1:]):
            if pd[i] * 2 > k[i]:
                raise ShapeError(f"{layer} padding={pd[i]} is more than half the kernel_size {k[i]}",
                                 "use padding at most kernel_size // 2")
            out, text = pool_size(n, k[i], s[i], pd[i], p["ceil_mode"], axes[i])
            sizes.append(out)
            arith.append(text)
        if min(sizes) < 1:
            _too_small(layer, t, sizes, "use a smaller kernel_size, or remove a pooling layer before it")
        return Inferred({"out": TensorInfo((t.shape[0],) + tuple(sizes))}, tuple(arith))

    return shape


def _pool_params(dims, extra=()):
    kind = "int" if dims == 1 else "int2"
    return (
        Param("kernel_size", kind, 2, "Size of the pooling window.", min=1, max=1024),
        Param("stride", kind, None, "Step between windows; empty means the kernel size.", min=1, max=1024, optional=True),
        Param("padding", kind, 0, "Padding on each side (at most half the kernel).", min=0, max=512),
        Param("ceil_mode", "bool", False, "Round the output size up instead of down."),
    ) + extra


def _pool_spec(type_, label, keywords, dims, extra=()):
    return LayerSpec(
        type=type_, category="convolution", label=label, keywords=keywords,
        params=_pool_params(dims, extra), shape=_pool_shape(type_, dims),
        ctor=lambda p, i: Ctor(f"nn.{type_}", dict(p)),
    )


MAXPOOL1D = _pool_spec("MaxPool1d", "MaxPool1D", ("maxpooling1d", "pooling", "max pool", "downsample"), 1)
MAXPOOL2D = _pool_spec("MaxPool2d", "MaxPool2D", ("maxpooling2d", "pooling", "max pool", "downsample", "subsampling"), 2)
AVGPOOL2D = _pool_spec("AvgPool2d", "AvgPool2D", ("averagepooling2d", "pooling", "average pool", "mean", "downsample"), 2, (
    Param("count_include_pad", "bool", True, "Count padding zeros in the average."),))


def _adaptive_shape(p, inputs):
    t = the_input(inputs)
    _spatial_input("AdaptiveAvgPool2d", t, 2)
    oh, ow = pair(p["output_size"])
    return Inferred({"out": TensorInfo((t.shape[0], oh, ow))}, (f"{fmt(t.shape[1:])} → {oh}×{ow} (fixed)",))


ADAPTIVE_AVGPOOL2D = LayerSpec(
    type="AdaptiveAvgPool2d", category="convolution", label="AdaptiveAvgPool2D (global pooling)",
    keywords=("globalaveragepooling2d", "global average pooling", "gap", "adaptive", "pooling"),
    params=(Param("output_size", "int2", 1, "Output height × width; 1 gives global average pooling.", min=1, max=4096),),
    shape=_adaptive_shape,
    ctor=lambda p, i: Ctor("nn.AdaptiveAvgPool2d", dict(p)),
)

_MODE_RANK = {"nearest": (2, 3), "linear": (2,), "bilinear": (3,), "bicubic": (3,)}


def _upsample_check(p):
    if (p["size"] is None) == (p["scale_factor"] is None):
        return [("scale_factor", "Upsample needs exactly one of scale_factor and size (clear the other)")]
    return []


def _upsample_shape(p, inputs):
    t = the_input(inputs)
    need_float("Upsample", t)
    ranks = _MODE_RANK[p["mode"]]
    if t.rank not in ranks:
        layout = " or ".join({2: "channels × length", 3: "channels × height × width"}[r] for r in ranks)
        raise ShapeError(f"Upsample with mode '{p['mode']}' expects {layout} but receives {describe(t)}",
                         "pick a mode that fits (linear for sequences, bilinear for images) or reshape the input")
    spatial = t.shape[1:]
    axes = ("L",) if t.rank == 2 else _AXES2
    if p["size"] is not None:
        size = p["size"]
        if t.rank == 2 and isinstance(size, list):
            raise ShapeError("Upsample size must be one number for a channels × length input", "give size as a single number")
        sizes = (size,) if t.rank == 2 else pair(size)
        arith = tuple(f"{a}: {n} → {m} (fixed)" for a, n, m in zip(axes, spatial, sizes))
    else:
        f = float(p["scale_factor"])
        sizes = tuple(int(math.floor(n * f)) for n in spatial)
        arith = tuple(f"{a}: ⌊{n}·{p['scale_factor']}⌋ = {m}" for a, n, m in zip(axes, spatial, sizes))
    if min(sizes) < 1:
        raise ShapeError(f"Upsample makes the {fmt(spatial)} input {fmt(sizes)}", "use a larger scale_factor")
    return Inferred({"out": TensorInfo((t.shape[0],) + tuple(sizes))}, arith)


def _upsample_ctor(p, inputs):
    kw = {"size": p["size"]} if p["size"] is not None else {"scale_factor": float(p["scale_factor"])}
    kw["mode"] = p["mode"]
    return Ctor("nn.Upsample", kw)


UPSAMPLE = LayerSpec(
    type="Upsample", category="convolution", label="Upsample",
    keywords=("upsampling2d", "upsample", "resize", "interpolate", "decoder"),
    params=(
        Param("scale_factor", "float", 2.0, "Multiply height and width by this factor.", min=1e-3, max=1024, optional=True),
        Param("size", "int2", None, "Or: an exact output size (leave scale_factor empty).", min=1, max=65536, optional=True),
        Param("mode", "choice", "nearest", "Interpolation: nearest, linear (sequences), bilinear or bicubic (images).",
              choices=("nearest", "linear", "bilinear", "bicubic")),
    ),
    shape=_upsample_shape, ctor=_upsample_ctor, check=_upsample_check,
)

_NORM_PARAMS = (
    Param("eps", "float", 1e-5, "Added to the variance for numerical stability.", min=1e-12, max=1.0),
    Param("momentum", "float", 0.1, "Weight of the current batch in the running statistics; empty means a "
          "cumulative average.", min=0.0, max=1.0, optional=True),
    Param("affine", "bool", True, "Learn a scale (gamma) and shift (beta) per channel."),
    Param("track_running_stats", "bool", True, "Keep running statistics for evaluation."),
)


def _bn_shape(layer, ranks, what):
    def shape(p, inputs):
        t = the_input(inputs)
        need_float(layer, t)
        if t.rank not in ranks:
            fix = "add a Flatten before it, or use BatchNorm2d for images" if layer == "BatchNorm1d" else (
                f"add a Reshape to {reshape_hint(t.numel(), 3)} before it" if t.rank == 1 else "use BatchNorm1d for this input")
            raise ShapeError(f"{layer} expects {what} but receives {describe(t)}", fix)
        return same(t)

    return shape


def _bn_count(p, inputs):
    c = the_input(inputs).shape[0]
    n = 2 * c if p["affine"] else 0
    return ParamCount(n, n, f"2·{c} = {n}" if n else "no learnable parameters (affine is off)")


def _bn_spec(type_, label, keywords, ranks, what):
    return LayerSpec(
        type=type_, category="normalization", label=label, keywords=("batch normalization", "batchnorm", "normalize") + keywords,
        params=_NORM_PARAMS, shape=_bn_shape(type_, ranks, what), count=_bn_count,
        ctor=lambda p, i: Ctor(f"nn.{type_}", {"num_features": the_input(i).shape[0], **p}),
    )


BATCHNORM1D = _bn_spec("BatchNorm1d", "BatchNorm1D", ("batchnormalization", "dense", "features"), (1, 2),
                       "features or channels × length")
BATCHNORM2D = _bn_spec("BatchNorm2d", "BatchNorm2D", ("batchnormalization", "cnn", "image"), (3,),
                       "channels × height × width")


def _ln_shape(p, inputs):
    t = the_input(inputs)
    need_float("LayerNorm", t)
    if t.rank == 0:
        raise ShapeError("LayerNorm needs at least one feature dimension", "remove the layer that reduced the input to a scalar")
    return same(t)


def _ln_count(p, inputs):
    e = the_input(inputs).shape[-1]
    if not p["elementwise_affine"]:
        return ParamCount(0, 0, "no learnable parameters (elementwise_affine is off)")
    n = 2 * e if p["bias"] else e
    return ParamCount(n, n, f"{'2·' if p['bias'] else ''}{e} = {n}")


LAYERNORM = LayerSpec(
    type="LayerNorm", category="normalization", label="LayerNorm",
    keywords=("layer normalization", "layernormalization", "normalize", "transformer"),
    params=(
        Param("eps", "float", 1e-5, "Added to the variance for numerical stability.", min=1e-12, max=1.0),
        Param("elementwise_affine", "bool", True, "Learn a scale per feature."),
        Param("bias", "bool", True, "Also learn a shift per feature (with elementwise_affine)."),
    ),
    shape=_ln_shape, count=_ln_count,
    ctor=lambda p, i: Ctor("nn.LayerNorm", {"normalized_shape": the_input(i).shape[-1], **p}),
)

SPECS = (CONV1D, CONV2D, CONV_TRANSPOSE2D, MAXPOOL1D, MAXPOOL2D, AVGPOOL2D, ADAPTIVE_AVGPOOL2D, UPSAMPLE,
         BATCHNORM1D, BATCHNORM2D, LAYERNORM)
