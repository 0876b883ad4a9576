"""Evaluation metrics (reference §3.5): ML.EVALUATE rows and the REST `evaluationMetrics` shapes."""

import math

import numpy as np
from sklearn import metrics as skm


def _f(v):
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else v


def regression(y, pred):
    row = {
        "mean_absolute_error": skm.mean_absolute_error(y, pred),
        "mean_squared_error": skm.mean_squared_error(y, pred),
        # Undefined for values below -1 (log(1 + v)): NULL then, as a NaN would be.
        "mean_squared_log_error": float(np.mean((np.log1p(y) - np.log1p(pred)) ** 2))
        if len(y) and (y > -1).all() and (pred > -1).all()
        else None,
        "median_absolute_error": skm.median_absolute_error(y, pred),
        "r2_score": skm.r2_score(y, pred) if len(y) > 1 else None,
        "explained_variance": skm.explained_variance_score(y, pred) if len(y) > 1 else None,
    }
    return {k: None if v is None else _f(v) for k, v in row.items()}


def regression_rest(row):
    return {
        "regressionMetrics": {
            "meanAbsoluteError": row["mean_absolute_error"],
            "meanSquaredError": row["mean_squared_error"],
            "meanSquaredLogError": row["mean_squared_log_error"],
            "medianAbsoluteError": row["median_absolute_error"],
            "rSquared": row["r2_score"],
        }
    }


def predicted_classes(probs, threshold):
    """Binary: the positive (higher) class when its probability >= threshold; multiclass: argmax."""
    if probs.shape[1] == 2:
        return (probs[:, 1] >= threshold).astype(int)
    return np.argmax(probs, axis=1)


def _ratio(a, b):
    return a / b if b else float("nan")


class Scores:
    """Positive-class scores of a binary model split by true class and sorted, for counts at any threshold."""

    def __init__(self, y, score):
        self.pos = np.sort(score[y == 1])
        self.neg = np.sort(score[y != 1])

    def counts(self, threshold):
        """(tp, fp, tn, fn) when score >= threshold predicts the positive class."""
        fn = int(np.searchsorted(self.pos, threshold, "left"))
        tn = int(np.searchsorted(self.neg, threshold, "left"))
        return len(self.pos) - fn, len(self.neg) - tn, tn, fn

    def auc(self):
        """ROC AUC as the Mann-Whitney statistic (ties count one half): equal to sklearn's roc_auc_score."""
        if not len(self.pos) or not len(self.neg):
            return float("nan")
        below = np.searchsorted(self.neg, self.pos, "left")
        ties = np.searchsorted(self.neg, self.pos, "right") - below
        return float((below.sum() + 0.5 * ties.sum()) / (len(self.pos) * len(self.neg)))


def binary_counts(y, score, threshold):
    return Scores(y, score).counts(threshold)


def classification(y, probs, threshold=0.5):
    """`y`: class indices; `probs`: (n, K) probabilities in class order."""
    k = probs.shape[1]
    # Cross-entropy as sklearn.metrics.log_loss computes it (probabilities clipped to [1e-15, 1 - 1e-15]).
    picked = np.clip(probs[np.arange(len(y)), y], 1e-15, 1 - 1e-15)
    log_loss = float(-np.mean(np.log(picked))) if len(y) else float("nan")
    if k == 2:
        scores = Scores(y, probs[:, 1])
        tp, fp, tn, fn = scores.counts(threshold)
        precision = _ratio(tp, tp + fp)
        recall = _ratio(tp, tp + fn)
        f1 = _ratio(2 * tp, 2 * tp + fp + fn)
        accuracy = _ratio(tp + tn, len(y))
        auc = scores.auc()
    else:
        pred = np.argmax(probs, axis=1)
        p, r, f, _ = skm.precision_recall_fscore_support(y, pred, labels=list(range(k)), zero_division=0)
        precision, recall, f1 = float(np.mean(p)), float(np.mean(r)), float(np.mean(f))
        accuracy = float(np.mean(pred == y)) if len(y) else float("nan")
        try:
            present = sorted(set(y.tolist()))
            auc = skm.roc_auc_score(y, probs, multi_class="ovr", average="macro", labels=list(range(k)))
            if len(present) < k:
                auc = float("nan")
        except ValueError:
            auc = float("nan")
    row = {
        "precision": precision,
        "recall": recall,
        "accuracy": accuracy,
        "f1_score": f1,
        "log_loss": log_loss,
        "roc_auc": auc,
    }
    return {k2: _f(v) for k2, v in row.items()}


def default_thresholds(score):
    """ROC_CURVE's default thresholds: the percentiles of the positive-class scores."""
    if len(score) == 0:
        return []
    return sorted(set(np.percentile(score, np.arange(0, 101)).tolist()))


def roc_rows(y, score, thresholds):
    rows, scores = [], Scores(y, score)
    for t in thresholds:
        tp, fp, tn, fn = scores.counts(t)
        rows.append(
            {
                "threshold": float(t),
                "recall": _f(_ratio(tp, tp + fn)),
                "false_positive_rate": _f(_ratio(fp, fp + tn)),
                "true_positives": tp,
                "false_positives": fp,
                "true_negatives": tn,
                "false_negatives": fn,
            }
        )
    return rows


def confusion(y, pred, k):
    return skm.confusion_matrix(y, pred, labels=list(range(k))) if len(y) else np.zeros((k, k), dtype=int)


def classification_rest(row, y, probs, classes, threshold=0.5):
    agg = {
        "precision": row["precision"],
        "recall": row["recall"],
        "accuracy": row["accuracy"],
        "threshold": threshold,
        "f1Score": row["f1_score"],
        "logLoss": row["log_loss"],
        "rocAuc": row["roc_auc"],
    }
    if len(classes) == 2:
        cm, scores = [], Scores(y, probs[:, 1])
        for t in np.round(np.linspace(0, 1, 21), 4)[:-1]:
            tp, fp, tn, fn = scores.counts(t)
            cm.append(
                {
                    "positiveClassThreshold": float(t),
                    "truePositives": str(tp),
                    "falsePositives": str(fp),
                    "trueNegatives": str(tn),
                    "falseNegatives": str(fn),
                    "precision": _f(_ratio(tp, tp + fp)),
                    "recall": _f(_ratio(tp, tp + fn)),
                    "f1Score": _f(_ratio(2 * tp, 2 * tp + fp + fn)),
                    "accuracy": _f(_ratio(tp + tn, len(y))),
                }
            )
        return {
            "binaryClassificationMetrics": {
                "aggregateClassificationMetrics": agg,
                "binaryConfusionMatrixList": cm,
                "positiveLabel": str(classes[1]),
                "negativeLabel": str(classes[0]),
            }
        }
    matrix = confusion(y, np.argmax(probs, axis=1), len(classes))
    rows = [
        {
            "actualLabel": str(classes[i]),
            "entries": [{"predictedLabel": str(classes[j]), "itemCount": str(int(matrix[i, j]))} for j in range(len(classes))],
        }
        for i in range(len(classes))
    ]
    return {
        "multiClassClassificationMetrics": {
            "aggregateClassificationMetrics": agg,
            "confusionMatrixList": [{"confidenceThreshold": 0.0, "rows": rows}],
        }
    }
