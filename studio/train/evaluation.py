"""Loss and metrics of a module on one split, reduced on the device it runs on.

Predictions never leave the device: a classifier's predictions and targets become a confusion
matrix with one ``bincount``, a regressor's errors become two sums, and only those numbers and
the loss come to the host, read right after each other once the pass is done (the second read
finds the device idle). The host finishes the arithmetic on the counts or sums with ``metrics``,
so the figures are the ones ``metrics.classification_metrics`` / ``regression_metrics`` give for
the same predictions. ``SplitEvaluation`` prepares once what does not change from one epoch to
the next (the chunks, each sample's confusion-matrix row, the class counts, a regressor's targets
in float64), so a training run's per-epoch validation does only the pass itself.
No Qt; torch only inside functions.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .metrics import metrics_from_confusion, regression_from_sums, scores_from_counts
from .objective import Objective, predictions

# Up to this many confusion-matrix cells (64 classes) an epoch's validation reads the whole
# matrix and sums its columns on the host; beyond, the device reduces it to 2 × classes numbers.
HOST_CELLS = 4096


class SplitEvaluation:
    """Mean loss and metrics of a module on the fixed tensors ``x`` / ``y`` of one split."""

    def __init__(self, objective: Objective, loss_fn, x, y, class_names: Sequence[str] | None, *,
                 batch_size: int = 1024) -> None:
        import torch

        self.objective, self.loss_fn = objective, loss_fn
        self.n = n = x.shape[0]
        self.class_names = list(class_names or ())
        self.classifier = objective.classifier
        self.k = k = len(self.class_names) if self.classifier else 0
        starts = range(0, n, batch_size)
        self.rows = [min(batch_size, n - s) for s in starts]
        if self.classifier:
            truth = y.reshape(-1).long()
            first_cell = truth * k  # (n,) where each sample's row of the confusion matrix starts
            self.actual = torch.bincount(truth, minlength=k).tolist() if n else [0] * k  # samples per class
            extra = [first_cell[s:s + batch_size] for s in starts]
        else:
            t = y.double().reshape(n, -1)  # the targets as the errors are computed, per output
            self.count = y.numel()
            self.total_squares = float(((t - t.mean(0)) ** 2).sum()) if n else 0.0
            extra = [t[s:s + batch_size] for s in starts]
        self.chunks = [(x[s:s + batch_size], y[s:s + batch_size], e) for s, e in zip(starts, extra)]

    def __call__(self, module, forward, *, detail: bool = True, restore_mode: bool = True) -> dict[str, Any]:
        """``forward`` (``module`` in eval mode, no gradients) over the split.

        ``detail``: a classifier also gets per-class figures, the confusion matrix and the class
        names; without it only the float metrics come back (what an epoch's validation reports).
        ``restore_mode``: put ``module`` back in the mode it was in (the training loop, which sets
        train mode itself at the start of every epoch, passes False).
        """
        import torch

        if self.n == 0:
            return {}
        was_training = module.training
        module.eval()
        objective, loss_fn, k = self.objective, self.loss_fn, self.k
        losses = []
        counts = squared = absolute = None
        with torch.inference_mode():
            for xb, yb, extra in self.chunks:
                out = forward(xb)
                if out.dtype != torch.float32:
                    out = out.float()
                losses.append(loss_fn(out, yb))
                pred = predictions(objective, out)
                if self.classifier:
                    c = torch.bincount(extra + pred, minlength=k * k)  # cell = true class * k + predicted
                    counts = c if counts is None else counts + c
                else:
                    err = pred.double().reshape(extra.shape) - extra
                    sq, ab = (err * err).sum(), err.abs().sum()
                    squared, absolute = (sq, ab) if squared is None else (squared + sq, absolute + ab)
            loss_values = (torch.stack(losses) if len(losses) > 1 else losses[0].reshape(1)).tolist()
            if not self.classifier:
                stats = torch.stack([squared, absolute]).tolist()
            elif detail or k * k <= HOST_CELLS:
                stats = counts.tolist()
            else:
                cm = counts.reshape(k, k)
                stats = torch.cat([cm.diagonal(), cm.sum(0)]).tolist()
        if restore_mode:
            module.train(was_training)
        result: dict[str, Any] = {"loss": math.fsum(v * r for v, r in zip(loss_values, self.rows)) / self.n}
        if not self.classifier:
            result.update(regression_from_sums(stats[0], stats[1], self.total_squares, self.count))
        elif detail:
            result.update(metrics_from_confusion(np.array(stats, dtype=np.int64).reshape(k, k), self.class_names))
        elif len(stats) == k * k:  # the whole matrix, rows = true class
            result.update(scores_from_counts(stats[::k + 1], [sum(stats[i::k]) for i in range(k)], self.actual))
        else:
            result.update(scores_from_counts(stats[:k], stats[k:], self.actual))
        return result


def evaluate_tensors(module, forward, objective: Objective, loss_fn, x, y, class_names: Sequence[str] | None, *,
                     batch_size: int = 1024, detail: bool = True, restore_mode: bool = True) -> dict[str, Any]:
    """Mean loss and metrics of ``forward`` (``module`` in eval mode, no gradients) on ``x``/``y``,
    once (``SplitEvaluation`` for the same split again and again)."""
    return SplitEvaluation(objective, loss_fn, x, y, class_names, batch_size=batch_size)(
        module, forward, detail=detail, restore_mode=restore_mode)
