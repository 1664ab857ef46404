"""Does this data fit this graph? The checks a run makes before it trains — one Input whose
shape takes the data's samples, an Output and a loss that suit the data's task and classes —
without torch, so the window can say what to change before anything starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..compile.shapes import Analysis
from ..graph.model import Graph
from .objective import Objective, ObjectiveError, choose_objective


class FitError(ValueError):
    """``code``: "graph" (change the network) or "data" (change the data, or the Input)."""

    def __init__(self, code: str, message: str, fix: str = "") -> None:
        super().__init__(message + (f" — {fix}" if fix else ""))
        self.code, self.message, self.fix = code, message, fix


@dataclass(frozen=True)
class Fit:
    splits: object  # DataSplits shaped for the graph's Input
    objective: Objective


def fit(graph: Graph, analysis: Analysis, splits, loss: str = "auto") -> Fit:
    """``splits`` shaped for ``graph``'s Input and the objective its Output trains for; raises
    ``FitError`` naming what to change."""
    from ..data import DataError

    if not analysis.ok:
        first = analysis.errors[0]
        raise FitError("graph", f"the graph has {len(analysis.errors)} error(s), first: {first}",
                       "fix them first (neurona check shows them all)")
    inputs = analysis.inputs()
    if len(inputs) != 1:
        raise FitError("graph", f"training needs a graph with exactly one Input, this one has {len(inputs)}",
                       "merge the inputs into one, or remove the extra Input nodes")
    info = analysis.nodes[inputs[0]]
    try:
        shaped = splits.adapt(tuple(info.params["shape"]), info.params["dtype"])
    except DataError as exc:
        raise FitError("data", str(exc)) from None
    try:
        objective = choose_objective(
            graph, analysis, task=shaped.task, num_classes=shaped.num_classes,
            target_shape=tuple(shaped.target_shape) or tuple(shaped.sample_shape), requested=loss)
    except ObjectiveError as exc:
        raise FitError("graph", exc.message, exc.fix) from None
    return Fit(shaped, objective)
