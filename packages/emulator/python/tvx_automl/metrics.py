"""Vertex AI's ``classification_metrics_1.0.0`` evaluation, computed on the test split.

Micro-averaged over every (image, label) pair, as Vertex documents it: ``auPrc`` (average precision),
``auRoc``, ``logLoss``, one ``confidenceMetrics`` entry per threshold 0.00, 0.05, ..., 0.95, 0.96, ..., 0.99
(every label whose confidence reaches the threshold counts as predicted; the ``...At1`` fields count only
each image's top label), and for single-label models the ``confusionMatrix`` (rows = ground truth, columns =
prediction; at most 10 labels: those with the most confusion). Values are written as proto3 JSON writes a
message: int64 counts as strings, and fields equal to their default (0, "0") left out. Precision with
nothing predicted is 1.
"""

import numpy as np
from sklearn.metrics import average_precision_score, confusion_matrix, log_loss, roc_auc_score

THRESHOLDS = [round(i * 0.05, 2) for i in range(20)] + [0.96, 0.97, 0.98, 0.99]
MAX_MATRIX_LABELS = 10


def _ratio(num, den, empty=0.0):
    return float(num) / float(den) if den else empty


def _f1(precision, recall):
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _num(value):
    return round(float(value), 8)


def _pruned(entry):
    """proto3 JSON leaves out fields equal to their default."""
    return {k: v for k, v in entry.items() if v not in (0, 0.0, "0", None)}


def confidence_entry(truth, scores, top1, threshold):
    """One ConfidenceMetrics entry; ``truth``/``top1`` are boolean N x k, ``scores`` float N x k."""
    predicted = scores >= threshold
    tp = int((predicted & truth).sum())
    fp = int((predicted & ~truth).sum())
    fn = int((~predicted & truth).sum())
    tn = int((~predicted & ~truth).sum())
    precision, recall = _ratio(tp, tp + fp, 1.0), _ratio(tp, tp + fn)
    per_label = [_f1(_ratio((predicted[:, k] & truth[:, k]).sum(), predicted[:, k].sum(), 1.0),
                     _ratio((predicted[:, k] & truth[:, k]).sum(), truth[:, k].sum()))
                 for k in range(truth.shape[1])]
    chosen = top1 & predicted
    tp1, fp1 = int((chosen & truth).sum()), int((chosen & ~truth).sum())
    precision1, recall1 = _ratio(tp1, tp1 + fp1, 1.0), _ratio(tp1, truth.sum())
    return _pruned({
        "confidenceThreshold": threshold,
        "recall": _num(recall),
        "precision": _num(precision),
        "falsePositiveRate": _num(_ratio(fp, fp + tn)),
        "f1Score": _num(_f1(precision, recall)),
        "f1ScoreMicro": _num(_f1(precision, recall)),
        "f1ScoreMacro": _num(np.mean(per_label)),
        "recallAt1": _num(recall1),
        "precisionAt1": _num(precision1),
        "falsePositiveRateAt1": _num(_ratio(fp1, (~truth).sum())),
        "f1ScoreAt1": _num(_f1(precision1, recall1)),
        "truePositiveCount": str(tp),
        "falsePositiveCount": str(fp),
        "falseNegativeCount": str(fn),
        "trueNegativeCount": str(tn),
    })


def _curves(truth, scores):
    """auPrc, auRoc and logLoss of binary ``truth`` vs ``scores`` (flattened: micro-averaging)."""
    y, p = truth.ravel().astype(int), scores.ravel().astype(np.float64)
    out = {"auPrc": _num(average_precision_score(y, p)) if y.any() else 0.0}
    if 0 < y.sum() < len(y):
        out["auRoc"] = _num(roc_auc_score(y, p))
    out["logLoss"] = _num(log_loss(y, np.clip(p, 1e-7, 1 - 1e-7), labels=[0, 1]))
    return out


def _confusion(labels, truth_index, predicted_index):
    matrix = confusion_matrix(truth_index, predicted_index, labels=list(range(len(labels))))
    keep = list(range(len(labels)))
    if len(labels) > MAX_MATRIX_LABELS:
        off = matrix - np.diag(np.diag(matrix))
        confusion = off.sum(0) + off.sum(1)
        keep = sorted(np.argsort(-confusion, kind="stable")[:MAX_MATRIX_LABELS].tolist())
    return {
        "annotationSpecs": [{"id": labels[k]["id"], "displayName": labels[k]["displayName"]} for k in keep],
        "rows": [[int(matrix[i, j]) for j in keep] for i in keep],
    }


def _top1(scores):
    top = np.zeros(scores.shape, dtype=bool)
    if len(scores):
        top[np.arange(len(scores)), scores.argmax(1)] = True
    return top


def evaluate(labels, targets, scores, multi_label):
    """``(metrics, slices)``: the ModelEvaluation ``metrics`` and one slice per label
    ``{"annotationSpecId", "displayName", "metrics"}``. ``targets`` are class indices (single-label) or an
    N x K multi-hot array."""
    k = len(labels)
    if multi_label:
        truth = np.asarray(targets) > 0.5
    else:
        truth = np.zeros((len(targets), k), dtype=bool)
        truth[np.arange(len(targets)), targets] = True
    top1 = _top1(scores)
    metrics = _curves(truth, scores)
    if not multi_label:
        metrics["logLoss"] = _num(log_loss(targets, np.clip(scores, 1e-7, 1.0), labels=list(range(k))))
    metrics["confidenceMetrics"] = [confidence_entry(truth, scores, top1, t) for t in THRESHOLDS]
    if not multi_label:
        metrics["confusionMatrix"] = _confusion(labels, targets, scores.argmax(1))
    metrics = {key: value for key, value in metrics.items() if value not in (0, 0.0)}
    slices = []
    for j, label in enumerate(labels):
        column = (truth[:, j:j + 1], scores[:, j:j + 1], top1[:, j:j + 1])
        sliced = _curves(column[0], column[1])
        sliced["confidenceMetrics"] = [confidence_entry(*column, t) for t in THRESHOLDS]
        slices.append({"annotationSpecId": label["id"], "displayName": label["displayName"],
                       "metrics": {key: value for key, value in sliced.items() if value not in (0, 0.0)}})
    return metrics, slices


def accuracy(targets, scores, multi_label):
    """Top-1 accuracy (single-label) or exact-match accuracy at 0.5 (multi-label)."""
    if multi_label:
        return float(np.mean(np.all((scores >= 0.5) == (np.asarray(targets) > 0.5), axis=1)))
    return float(np.mean(scores.argmax(1) == targets))
