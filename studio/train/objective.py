"""What the network is trained to do: the loss that fits the graph's output and the data's
task, how targets are shaped for that loss, and how outputs become predictions.

The choice speaks to a learner: a mismatch names the fix ("the graph outputs 1 value per
sample but the data has 10 classes — set the last Linear's out_features to 10"), and a final
Softmax before CrossEntropy gets a note. No Qt; torch only inside functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..compile.shapes import Analysis
from ..graph.model import Graph
from ..layers import fmt

CLASSIFICATION_LOSSES = ("cross_entropy", "nll", "bce", "bce_with_logits")
REGRESSION_LOSSES = ("mse", "l1", "smooth_l1", "huber")


class ObjectiveError(ValueError):
    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message + (f" — {fix}" if fix else ""))
        self.message, self.fix = message, fix


@dataclass(frozen=True)
class Objective:
    loss: str
    task: str  # classification, regression, reconstruction
    output_id: str  # the Output node whose value is trained
    output_shape: tuple[int, ...]
    num_classes: int | None
    binary: bool  # one logit (or probability) per sample for two classes
    notes: tuple[str, ...] = ()

    @property
    def classifier(self) -> bool:
        return self.task == "classification"


def _last_layer(graph: Graph, analysis: Analysis, output_id: str) -> str | None:
    feeds = analysis.wiring.get(output_id, {})
    edge = feeds.get("in")
    return graph.nodes[edge.src].type if edge else None


def choose_objective(graph: Graph, analysis: Analysis, *, task: str, num_classes: int | None,
                     target_shape: tuple[int, ...], requested: str = "auto") -> Objective:
    outputs = analysis.outputs()
    if not outputs:
        raise ObjectiveError("the graph has no Output", "add an Output node after the last layer")
    output_id = outputs[0]
    out_shape = analysis.nodes[output_id].outputs["out"].shape
    last = _last_layer(graph, analysis, output_id)
    notes: list[str] = []
    if len(outputs) > 1:
        notes.append(f"the graph has {len(outputs)} Outputs; training uses the first, {output_id!r}")

    if task == "classification":
        k = int(num_classes or 0)
        binary = out_shape == (1,) and k == 2
        if not binary and out_shape != (k,):
            want = "1 (one logit for two classes) or 2" if k == 2 else str(k)
            raise ObjectiveError(
                f"the graph outputs {_per_sample(out_shape)} per sample but the data has {k} classes",
                f"set the last layer's size (e.g. a Linear's out_features) to {want}")
        if requested == "auto":
            if binary:
                loss = "bce" if last == "Sigmoid" else "bce_with_logits"
            else:
                loss = "nll" if last == "LogSoftmax" else "cross_entropy"
        else:
            loss = requested
        if loss not in CLASSIFICATION_LOSSES:
            raise ObjectiveError(f"{loss} is a regression loss but the data is classification",
                                 "use cross_entropy (or bce_with_logits for one output)")
        if binary and loss in ("cross_entropy", "nll"):
            raise ObjectiveError(f"{loss} needs one output per class, but the graph has a single output",
                                 "use bce_with_logits, or set the last layer's size to 2")
        if not binary and loss in ("bce", "bce_with_logits") and k != 2:
            raise ObjectiveError(f"{loss} is for two classes, but the data has {k}", "use cross_entropy")
        if loss in ("bce", "bce_with_logits") and out_shape == (2,):
            raise ObjectiveError(f"{loss} with two outputs per sample is not how two classes are usually "
                                 "trained", "use cross_entropy, or set the last layer's size to 1")
        if loss == "cross_entropy" and last == "Softmax":
            notes.append("the final Softmax duplicates what CrossEntropy already does (it applies log-softmax "
                         "itself), which slows learning — remove the Softmax; predictions still report probabilities")
        if loss == "bce" and last != "Sigmoid":
            notes.append("BCE expects probabilities but the last layer is not a Sigmoid — use bce_with_logits")
        if loss == "nll" and last != "LogSoftmax":
            notes.append("NLL expects log-probabilities but the last layer is not a LogSoftmax — use cross_entropy")
        return Objective(loss, task, output_id, out_shape, k, binary, tuple(notes))

    # regression and reconstruction: the output must hold the target
    if math.prod(out_shape) != math.prod(target_shape) or not target_shape:
        what = "reconstructions" if task == "reconstruction" else "targets"
        raise ObjectiveError(
            f"the graph outputs {fmt(out_shape)} per sample but the {what} are {fmt(target_shape)}",
            f"make the last layer produce {fmt(target_shape)}")
    loss = "mse" if requested == "auto" else requested
    if loss not in REGRESSION_LOSSES + (("bce",) if task == "reconstruction" else ()):
        raise ObjectiveError(f"{loss} is a classification loss but the data is {task}", "use mse")
    return Objective(loss, task, output_id, out_shape, None, False, tuple(notes))


def _per_sample(shape: tuple[int, ...]) -> str:
    if len(shape) == 1:
        return f"{shape[0]} value{'s' if shape[0] != 1 else ''}"
    return f"a {fmt(shape)} tensor"


def build_loss(name: str):
    import torch.nn as nn

    return {
        "mse": nn.MSELoss, "l1": nn.L1Loss, "smooth_l1": nn.SmoothL1Loss, "huber": nn.HuberLoss,
        "bce": nn.BCELoss, "bce_with_logits": nn.BCEWithLogitsLoss, "cross_entropy": nn.CrossEntropyLoss,
        "nll": nn.NLLLoss,
    }[name]()


def prepare_targets(objective: Objective, y):
    """numpy targets → the tensor the loss wants (indices, or float shaped like the output)."""
    import numpy as np
    import torch

    if objective.classifier:
        if objective.binary:
            return torch.as_tensor(np.asarray(y, dtype=np.float32).reshape(-1, 1))
        return torch.as_tensor(np.asarray(y, dtype=np.int64).reshape(-1))
    return torch.as_tensor(np.asarray(y, dtype=np.float32).reshape((len(y),) + objective.output_shape))


def predictions(objective: Objective, output):
    """Model outputs (a tensor) → class indices, or values for regression."""
    if objective.classifier:
        if objective.binary:
            threshold = 0.5 if objective.loss == "bce" else 0.0  # probability or logit
            return (output.reshape(-1) > threshold).long()
        return output.argmax(dim=1)
    return output
