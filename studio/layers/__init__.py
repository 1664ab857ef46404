"""The layer catalogue: every layer type, declared once (see ``spec.py``).

No Qt; torch only inside constructors. Palette, inspector, shape inference, compiler, code
generation and docs all read ``CATALOGUE``.
"""

from __future__ import annotations

from . import activations, attention, convolution, core, merge, sequences
from .spec import (
    CATEGORIES, Ctor, Inferred, LayerSpec, Param, ParamCount, Port, ShapeError, TensorInfo, describe, fmt, fmt_batch,
)

CATALOGUE: dict[str, LayerSpec] = {
    spec.type: spec
    for module in (core, activations, convolution, sequences, attention, merge)
    for spec in module.SPECS
}


def get(type_name: str) -> LayerSpec | None:
    return CATALOGUE.get(type_name)


def by_category() -> dict[str, list[LayerSpec]]:
    out: dict[str, list[LayerSpec]] = {c: [] for c in CATEGORIES}
    for spec in CATALOGUE.values():
        out[spec.category].append(spec)
    return out


def search(text: str) -> list[LayerSpec]:
    """Layer types whose name, label or keywords contain ``text`` (case-insensitive), so
    "dense" finds Linear and "pooling" finds the pools."""
    q = text.strip().lower()
    if not q:
        return list(CATALOGUE.values())
    return [s for s in CATALOGUE.values()
            if q in s.type.lower() or q in s.label.lower() or any(q in k for k in s.keywords)]


__all__ = [
    "dump_graph", "graph_from_data", "load_graph", "read_graph", "save_graph",
    "CATALOGUE", "CATEGORIES", "Ctor", "Inferred", "LayerSpec", "Param", "ParamCount", "Port", "ShapeError",
    "TensorInfo", "by_category", "describe", "fmt", "fmt_batch", "get", "search",
]


def load_graph(path):
    """Read and fully validate a ``.neurona`` file against this catalogue."""
    from ..graph import fileformat

    return fileformat.load(path, CATALOGUE)


def read_graph(text, source=""):
    from ..graph import fileformat

    return fileformat.loads(text, CATALOGUE, source=source)


def graph_from_data(data, source=""):
    from ..graph import fileformat

    return fileformat.from_data(data, CATALOGUE, source=source)


def save_graph(graph, path):
    from ..graph import fileformat

    fileformat.save(graph, path, CATALOGUE)


def dump_graph(graph):
    from ..graph import fileformat

    return fileformat.dumps(graph, CATALOGUE)
