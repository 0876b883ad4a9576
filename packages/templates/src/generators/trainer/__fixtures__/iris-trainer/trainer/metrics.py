"""Classification metrics in plain NumPy (no scikit-learn needed), matching scikit-learn's definitions:

- ``accuracy``: fraction of correct argmax predictions;
- ``log_loss`` (also ``loss``): mean cross-entropy, probabilities clipped to [eps, 1 - eps] (float64
  machine epsilon, as scikit-learn does) and renormalized;
- ``precision``, ``recall``, ``f1``: of class 1 for two classes, else the unweighted (macro) mean over
  classes; 0 where undefined;
- ``auc``: ROC AUC of class 1's probability for two classes, else the macro mean of one-vs-rest AUCs
  (ties count one half); None when the evaluation set has a single class.
"""

import numpy as np


def _rank_average(values):
    """Ranks 1..n, ties sharing their average rank."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    first = np.concatenate(([True], sorted_values[1:] != sorted_values[:-1]))
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], len(values)) - 1
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = ((starts + ends) / 2.0 + 1.0)[np.cumsum(first) - 1]
    return ranks


def roc_auc(positive, scores):
    """ROC AUC by the Mann-Whitney statistic; None when only one class is present."""
    positive = np.asarray(positive, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = _rank_average(np.asarray(scores, dtype=np.float64))
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def _safe_div(num, den):
    return float(num) / float(den) if den else 0.0


def classification_metrics(labels, probabilities):
    """Metrics for integer ``labels`` (n,) and class ``probabilities`` (n, k)."""
    labels = np.asarray(labels, dtype=np.int64)
    proba = np.asarray(probabilities, dtype=np.float64)
    n, k = proba.shape
    predicted = proba.argmax(axis=1)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    eps = np.finfo(np.float64).eps
    clipped = np.clip(proba, eps, 1 - eps)
    clipped = clipped / clipped.sum(axis=1, keepdims=True)
    log_loss = float(-np.mean(np.log(clipped[np.arange(n), labels])))
    tp = np.diag(confusion).astype(np.float64)
    precision = [_safe_div(tp[c], confusion[:, c].sum()) for c in range(k)]
    recall = [_safe_div(tp[c], confusion[c, :].sum()) for c in range(k)]
    f1 = [_safe_div(2 * p * r, p + r) for p, r in zip(precision, recall)]
    if k == 2:
        picked = (precision[1], recall[1], f1[1])
        auc = roc_auc(labels == 1, proba[:, 1])
    else:
        picked = (float(np.mean(precision)), float(np.mean(recall)), float(np.mean(f1)))
        aucs = [roc_auc(labels == c, proba[:, c]) for c in range(k)]
        aucs = [a for a in aucs if a is not None]
        auc = float(np.mean(aucs)) if aucs else None
    return {
        "accuracy": float(np.mean(predicted == labels)),
        "log_loss": log_loss,
        "loss": log_loss,
        "precision": picked[0],
        "recall": picked[1],
        "f1": picked[2],
        "auc": auc,
        "num_classes": int(k),
        "num_examples": int(n),
        "confusion_matrix": confusion.tolist(),
    }
