"""Statistics the benchmarks share: a distribution-free confidence interval of the median and
linear-interpolation quantiles, for summarising paired per-round ratios. Standard library only."""

from __future__ import annotations

import math


def median_ci(values: list[float], z: float = 1.96) -> tuple[float, float]:
    """Distribution-free ~95% confidence interval of the median (binomial order statistics)."""
    v = sorted(values)
    n = len(v)
    half = z * math.sqrt(n) / 2
    lo = max(0, int(math.floor(n / 2 - half)))
    hi = min(n - 1, int(math.ceil(n / 2 + half)) - 1)
    return v[lo], v[hi]


def quantile(values: list[float], q: float) -> float:
    v = sorted(values)
    if len(v) == 1:
        return v[0]
    pos = q * (len(v) - 1)
    i = int(pos)
    j = min(i + 1, len(v) - 1)
    return v[i] + (v[j] - v[i]) * (pos - i)
