"""Evaluation metrics as plain data: accuracy, precision / recall / F1 (macro and per class),
the confusion matrix (rows = true class), and MSE / RMSE / MAE / R² for regression.

NumPy and plain Python only (no torch, no Qt), so the CLI, the window and tests read the same
numbers. The ``*_from_*`` functions start from the counts and sums a device has already reduced
the predictions to (``evaluation`` does that with torch); the others from arrays of predictions.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    index = y_true.astype(np.int64) * num_classes + y_pred.astype(np.int64)
    return np.bincount(index, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def _per_class(tp: Sequence[float], predicted: Sequence[float], actual: Sequence[float]):
    """Per-class precision, recall and F1 (0 where undefined), as lists. Plain Python: for the
    class counts of one evaluation it is several times quicker than NumPy's per-call overhead."""
    precision = [t / p if p > 0 else 0.0 for t, p in zip(tp, predicted)]
    recall = [t / a if a > 0 else 0.0 for t, a in zip(tp, actual)]
    f1 = [2 * p * r / (p + r) if p + r > 0 else 0.0 for p, r in zip(precision, recall)]
    return precision, recall, f1


def scores_from_counts(tp: Sequence[float], predicted: Sequence[float], actual: Sequence[float]) -> dict[str, float]:
    """Accuracy and macro precision / recall / F1 from per-class counts: true positives,
    predictions of the class (confusion-matrix column sums), samples of the class (row sums).
    Macro averages cover the classes that occur in the split."""
    precision, recall, f1 = _per_class(tp, predicted, actual)
    present = [i for i, a in enumerate(actual) if a > 0]
    total = math.fsum(actual)

    def macro(values: list[float]) -> float:
        return math.fsum(values[i] for i in present) / len(present) if present else 0.0

    return {"accuracy": math.fsum(tp) / total if total else 0.0,
            "precision": macro(precision), "recall": macro(recall), "f1": macro(f1)}


def metrics_from_confusion(cm: np.ndarray, class_names: Sequence[str]) -> dict[str, Any]:
    """Everything ``classification_metrics`` reports, from a confusion matrix (rows = true class)."""
    cm = np.asarray(cm, dtype=np.int64)
    tp = np.diag(cm).tolist()
    predicted = cm.sum(axis=0).tolist()
    actual = cm.sum(axis=1).tolist()
    precision, recall, f1 = _per_class(tp, predicted, actual)
    return {
        **scores_from_counts(tp, predicted, actual),
        "per_class": {name: {"precision": precision[i], "recall": recall[i], "f1": f1[i], "support": actual[i]}
                      for i, name in enumerate(class_names)},
        "confusion_matrix": cm.tolist(),
        "class_names": list(class_names),
    }


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, class_names: Sequence[str]) -> dict[str, Any]:
    k = len(class_names)
    cm = confusion_matrix(np.asarray(y_true).reshape(-1), np.asarray(y_pred).reshape(-1), k)
    return metrics_from_confusion(cm, class_names)


def regression_from_sums(squared_error: float, absolute_error: float, total_squares: float,
                         count: int) -> dict[str, float]:
    """MSE / RMSE / MAE / R² from the sums of squared and absolute errors over ``count`` values
    and the targets' total sum of squares about their per-output means."""
    mse = squared_error / count if count else 0.0
    r2 = 1.0 - squared_error / total_squares if total_squares > 0 else 0.0
    return {"mse": mse, "rmse": mse ** 0.5, "mae": absolute_error / count if count else 0.0, "r2": r2}


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    t = np.asarray(y_true, dtype=np.float64).reshape(len(y_true), -1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(len(y_pred), -1)
    err = p - t
    return regression_from_sums(float(np.sum(err ** 2)), float(np.sum(np.abs(err))),
                                float(np.sum((t - t.mean(axis=0)) ** 2)), err.size)
