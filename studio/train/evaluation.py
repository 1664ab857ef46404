"""Loss and metrics of a module on one split, reduced on the device it runs on.

Predictions never leave the device: a classifier's predictions and targets become a confusion
matrix with one ``bincount``, a regressor's errors become two sums, and those numbers come to
the host together with the loss in one transfer (one synchronisation per evaluation). The host
finishes the arithmetic on the counts or sums with ``metrics``, so the figures are the ones
``metrics.classification_metrics`` / ``regression_metrics`` give for the same predictions.
No Qt; torch only inside the function.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .metrics import metrics_from_confusion, regression_from_sums, scores_from_counts
from .objective import Objective, predictions


def evaluate_tensors(module, forward, objective: Objective, loss_fn, x, y, class_names: Sequence[str] | None, *,
                     batch_size: int = 1024, detail: bool = True, restore_mode: bool = True) -> dict[str, Any]:
    """Mean loss and metrics of ``forward`` (``module`` in eval mode, no gradients) on ``x``/``y``.

    ``detail``: a classifier also gets per-class figures, the confusion matrix and the class
    names; without it only the float metrics come back (what an epoch's validation reports).
    ``restore_mode``: put ``module`` back in the mode it was in (the training loop, which sets
    train mode itself at the start of every epoch, passes False).
    """
    import torch

    n = x.shape[0]
    if n == 0:
        return {}
    was_training = module.training
    module.eval()
    classifier = objective.classifier
    k = len(class_names or ()) if classifier else 0
    losses, rows = [], []  # mean loss and size of each chunk
    counts = squared = absolute = None
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            out = forward(x[start:start + batch_size]).float()
            yb = y[start:start + batch_size]
            losses.append(loss_fn(out, yb))
            rows.append(out.shape[0])
            pred = predictions(objective, out)
            if classifier:
                cell = yb.reshape(-1).long() * k + pred.reshape(-1)  # row = true class, column = predicted
                c = torch.bincount(cell, minlength=k * k)
                counts = c if counts is None else counts + c
            else:
                err = pred.double().reshape(out.shape[0], -1) - yb.double().reshape(out.shape[0], -1)
                sq, ab = (err * err).sum(), err.abs().sum()
                squared, absolute = (sq, ab) if squared is None else (squared + sq, absolute + ab)
        if classifier:
            cm = counts.reshape(k, k)
            stats = cm.reshape(-1) if detail else torch.cat([cm.diagonal(), cm.sum(0), cm.sum(1)])
        else:
            t = y.double().reshape(n, -1)
            stats = torch.stack([squared, absolute, ((t - t.mean(0)) ** 2).sum()])
        loss_part = torch.stack(losses) if len(losses) > 1 else losses[0].reshape(1)
        host = torch.cat([loss_part.double(), stats.double()]).tolist()  # the one synchronisation
    if restore_mode:
        module.train(was_training)
    m = len(rows)
    result: dict[str, Any] = {"loss": math.fsum(v * r for v, r in zip(host[:m], rows)) / n}
    values = host[m:]
    if not classifier:
        result.update(regression_from_sums(values[0], values[1], values[2], y.numel()))
    elif detail:
        result.update(metrics_from_confusion(np.array(values, dtype=np.int64).reshape(k, k), class_names))
    else:
        result.update(scores_from_counts(values[:k], values[k:2 * k], values[2 * k:]))
    return result
