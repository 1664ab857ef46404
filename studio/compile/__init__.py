"""From a graph document to something that runs: shape inference (``shapes``), summary,
torch.fx compilation (``build``, imports torch) and PyTorch source generation (``codegen``).

No Qt. ``shapes`` and ``summary`` do not import torch; ``build`` is imported on demand.
"""

from .lowering import CompileError
from .shapes import ERROR, WARNING, Analysis, NodeInfo, Problem, analyze


def build_module(graph, analysis=None):
    """Compile ``graph`` to a ``torch.fx.GraphModule`` (imports torch on first use)."""
    from .build import build_module as build

    return build(graph, analysis)


__all__ = ["Analysis", "CompileError", "ERROR", "NodeInfo", "Problem", "WARNING", "analyze", "build_module"]
