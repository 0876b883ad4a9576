"""scikit-learn model: a ``HistGradientBoostingClassifier`` saved as ``model.joblib``, the artifact
Vertex AI's prebuilt scikit-learn prediction container loads (``predict`` returns class indices;
``metrics.json`` lists the class names in the same order).

Hyperparameters named like the estimator's parameters are passed to it (``learning_rate``,
``max_iter``, ``max_depth``, ``max_leaf_nodes``, ``min_samples_leaf``, ``l2_regularization`` …).
"""

import os

import joblib
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from trainer import data, metrics

KNOWN_HYPERPARAMETERS = frozenset(HistGradientBoostingClassifier().get_params())


def build(hparams, seed):
    params = {name: value for name, value in hparams.items() if name in KNOWN_HYPERPARAMETERS}
    params.setdefault("random_state", seed)
    return HistGradientBoostingClassifier(**params)


def train(args, hparams, outputs, reporter):
    """Fit, evaluate, report and save; returns metrics, classes and the global step."""
    table = data.load_table(data.resolve_data_uri(args.data), args.label_column)
    train_idx, eval_idx = data.split(len(table.labels), args.eval_fraction, args.seed)
    estimator = build(hparams, args.seed)
    estimator.fit(table.features[train_idx], table.labels[train_idx])
    step = int(estimator.n_iter_)
    if reporter.enabled:
        for i, score in enumerate(getattr(estimator, "train_score_", [])):
            reporter.scalars(i, {"train/score": float(score)})
    probabilities = np.zeros((len(eval_idx), len(table.classes)))
    probabilities[:, estimator.classes_] = estimator.predict_proba(table.features[eval_idx])
    result = metrics.classification_metrics(table.labels[eval_idx], probabilities)
    reporter.report(step, result)
    os.makedirs(outputs.checkpoint_dir, exist_ok=True)
    joblib.dump(estimator, os.path.join(outputs.checkpoint_dir, "model.joblib"))
    if outputs.role.is_chief:
        os.makedirs(outputs.model_dir, exist_ok=True)
        joblib.dump(estimator, os.path.join(outputs.model_dir, "model.joblib"))
    return {"metrics": result, "classes": table.classes, "step": step}
