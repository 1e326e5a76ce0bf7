"""Golden values for AverLab.Training.Metrics from scikit-learn (Debian python3-sklearn).

Command (from the repository root):  /usr/bin/python3 tests/golden/make_metrics_golden.py
Writes tests/golden/metrics.safetensors with, for each case NAME: NAME.y_true, NAME.y_pred (int64), NAME.proba
(float64, rows sum to 1) and the expected values: accuracy, balanced_accuracy, precision/recall/f1 per class
(zero_division=0), macro and weighted F1, confusion matrix, roc_auc_score(multi_class='ovr', average='macro')
and the 15-bin expected calibration error (numpy, bins (i/15, (i+1)/15], confidence = max probability).
Tolerance in the C# test: 1e-12 absolute.
"""
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn import metrics
import torch

from safetensors_io import save


def ece(y, p, bins=15):
    conf = p.max(1)
    pred = p.argmax(1)
    idx = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += abs((pred[m] == y[m]).mean() - conf[m].mean()) * m.sum() / len(y)
    return total


def case(rng, n, k, accuracy, never_predicted=None):
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), y] += accuracy
    if never_predicted is not None:
        logits[:, never_predicted] -= 100
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    p = np.round(p, 3)  # creates ties, which ROC AUC must handle like sklearn
    p /= p.sum(1, keepdims=True)
    return y.astype(np.int64), p.argmax(1).astype(np.int64), p


def main(out):
    rng = np.random.default_rng(20261122)
    arrays = {}
    specs = {"five_class": (200, 5, 1.5, None), "eight_class_hard": (300, 8, 0.7, None),
             "never_predicted": (120, 4, 1.0, 2)}
    for name, (n, k, acc, never) in specs.items():
        y, yp, p = case(rng, n, k, acc, never)
        labels = list(range(k))
        pr, rc, f1, sup = metrics.precision_recall_fscore_support(y, yp, labels=labels, zero_division=0)
        arrays.update({
            f"{name}.y_true": y, f"{name}.y_pred": yp, f"{name}.proba": p,
            f"{name}.accuracy": np.array([metrics.accuracy_score(y, yp)]),
            f"{name}.balanced_accuracy": np.array([metrics.balanced_accuracy_score(y, yp)]),
            f"{name}.precision": pr.astype(np.float64), f"{name}.recall": rc.astype(np.float64),
            f"{name}.f1": f1.astype(np.float64), f"{name}.support": sup.astype(np.int64),
            f"{name}.macro_f1": np.array([metrics.f1_score(y, yp, average="macro", zero_division=0)]),
            f"{name}.weighted_f1": np.array([metrics.f1_score(y, yp, average="weighted", zero_division=0)]),
            f"{name}.confusion": metrics.confusion_matrix(y, yp, labels=labels).astype(np.int64),
            f"{name}.roc_auc": np.array([metrics.roc_auc_score(y, p, multi_class="ovr", average="macro")]),
            f"{name}.ece": np.array([ece(y, p)]),
        })
    save(out, {k: torch.from_numpy(v) for k, v in arrays.items()},
         {"producer": "tests/golden/make_metrics_golden.py", "sklearn": sklearn.__version__})
    print(f"wrote {len(specs)} cases to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("metrics.safetensors"))
