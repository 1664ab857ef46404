"""Data spec strings (``digits``, ``moons?n=1000``, ``csv:data.csv?target=label``): parsed into a
``DataSpec`` and checked for unknown kinds, names and options before anything is read.

The grammar is documented in the package docstring and docs/data-specs.md. Reads no files and
uses no numpy itself; it imports the sources only for their option tables. No torch.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from urllib.parse import unquote

from . import arrays, images, tabular
from .builtin import BUILTINS
from .errors import DataError
from .options import COMMON_OPTIONS

# kind → its own options (besides COMMON_OPTIONS)
FILE_KINDS: dict[str, dict[str, str]] = {
    "csv": tabular.OPTIONS,
    "npz": arrays.OPTIONS,
    "images": images.OPTIONS,
}


@dataclass(frozen=True)
class DataSpec:
    kind: str  # "builtin", "csv", "npz" or "images"
    location: str  # the built-in's name, or the path of the file or folder
    options: dict[str, str] = field(default_factory=dict)


def parse_spec(spec: str) -> DataSpec:
    """``NAME[?opt=value&…]`` or ``KIND:PATH[?opt=value&…]``; raises ``DataError`` for a spec
    that cannot mean anything, naming the part and listing the valid choices."""
    if not isinstance(spec, str) or not spec.strip():
        raise DataError("no data was chosen — give a built-in name such as digits, or csv:PATH, "
                        "npz:PATH or images:FOLDER")
    head, _, query = spec.strip().partition("?")
    kind, colon, location = head.partition(":")
    if colon:
        kind = kind.strip().lower()
        if kind not in FILE_KINDS:
            raise DataError(f"'{kind}:' is not a kind of data — use csv:PATH, npz:PATH or images:FOLDER, "
                            "or a built-in name such as digits")
        if not location.strip():
            raise DataError(f"{kind}: needs a path after the colon, for example {kind}:{_EXAMPLE[kind]}")
        parsed = DataSpec(kind, location.strip(), _options(query, spec))
        _check_names(parsed.options, {**FILE_KINDS[kind], **COMMON_OPTIONS}, f"{kind}: data")
        return parsed

    name = head.strip()
    if name not in BUILTINS:
        raise DataError(_unknown_builtin(name))
    parsed = DataSpec("builtin", name, _options(query, spec))
    _check_names(parsed.options, {**BUILTINS[name].info.options, **COMMON_OPTIONS}, name)
    return parsed


_EXAMPLE = {"csv": "data.csv", "npz": "data.npz", "images": "photos/"}


def _options(query: str, spec: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for part in query.split("&"):
        if not part.strip():
            continue  # tolerate "digits?" and "a=1&&b=2"
        key, eq, value = part.partition("=")
        # %XX escapes let a column name hold & or = (they are decoded after splitting)
        key, value = unquote(key.strip()), unquote(value.strip())
        if not eq or not key:
            raise DataError(f"the option '{part}' in '{spec}' needs the form name=value, for example val=0.2")
        if key in options:
            raise DataError(f"the option {key} is given twice in '{spec}' — keep one")
        options[key] = value
    return options


def _check_names(options: dict[str, str], valid: dict[str, str], where: str) -> None:
    for key in options:
        if key not in valid:
            close = difflib.get_close_matches(key, list(valid), n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise DataError(f"{where} has no option '{key}' — {hint}its options are: {', '.join(valid)}")


def _unknown_builtin(name: str) -> str:
    lowered = name.lower()
    for kind in FILE_KINDS:
        if lowered.endswith(f".{kind}") or (kind == "images" and ("/" in name or "\\" in name)):
            return f"'{name}' looks like a file or folder — write {kind}:{name}"
    close = difflib.get_close_matches(lowered, list(BUILTINS), n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return (f"there is no built-in data set '{name}' — {hint}the built-ins are: {', '.join(BUILTINS)}; "
            "for your own files use csv:PATH, npz:PATH or images:FOLDER")
