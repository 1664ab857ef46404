"""Typed reading of a spec's ``opt=value`` options, with messages that name the option and
say what a good value looks like.

Imports only ``errors``; no numpy, no sklearn, no Pillow.
"""

from __future__ import annotations

import math
from typing import Mapping

from .errors import DataError

# The options every kind of data accepts (see the package docstring), with one-line help.
COMMON_OPTIONS: dict[str, str] = {
    "val": "fraction of the samples held out for validation (0 to <1; default 0.15)",
    "test": "fraction of the samples held out for the final test (0 to <1; default 0.15)",
    "seed": "whole number ≥ 0 that fixes the shuffling and any random generation",
    "target": "'input' trains to reproduce the input (autoencoders); CSV files also take a column name",
    "noise": "with target=input: std of the Gaussian noise added to inputs (denoising autoencoder)",
}

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class Options:
    """The options of one spec. Each getter returns the given value or the default, and raises
    ``DataError`` naming the option when the value is not usable."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def pop(self, name: str) -> str | None:
        return self.values.pop(name, None)

    def text(self, name: str, default: str | None = None) -> str | None:
        return self.values.get(name, default)

    def integer(self, name: str, default: int, *, min: int | None = None, max: int | None = None) -> int:
        raw = self.values.get(name)
        if raw is None:
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            raise DataError(f"option {name}={raw} must be a whole number, for example {name}={default}") from None
        _check_range(name, raw, value, min, max)
        return value

    def number(self, name: str, default: float, *, min: float | None = None, max: float | None = None,
              below: float | None = None) -> float:
        """``below`` is an exclusive upper bound (fractions must stay under 1)."""
        raw = self.values.get(name)
        if raw is None:
            return default
        try:
            value = float(raw.strip())
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise DataError(f"option {name}={raw} must be a number, for example {name}={default:g}")
        _check_range(name, raw, value, min, max)
        if below is not None and value >= below:
            raise DataError(f"option {name}={raw} must be less than {below:g}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.values.get(name)
        if raw is None:
            return default
        if raw.strip().lower() in _TRUE:
            return True
        if raw.strip().lower() in _FALSE:
            return False
        raise DataError(f"option {name}={raw} must be 1 or 0 (yes or no)")

    def choice(self, name: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
        raw = self.values.get(name)
        if raw is None:
            return default
        if raw not in choices:
            raise DataError(f"option {name}={raw} is not one of the choices — use {' or '.join(f'{name}={c}' for c in choices)}")
        return raw


def _check_range(name: str, raw: str, value: float, lo: float | None, hi: float | None) -> None:
    if lo is not None and value < lo:
        raise DataError(f"option {name}={raw} is too small — it must be at least {lo:g}")
    if hi is not None and value > hi:
        raise DataError(f"option {name}={raw} is too large — it must be at most {hi:g}")
