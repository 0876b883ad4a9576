"""BOOSTED_TREE_CLASSIFIER / _REGRESSOR with XGBoost (which BigQuery ML's boosted trees are).

One boosting round is one BigQuery iteration; a TrainingCallback reports each round as it completes and stops
early when the loss (evaluation loss if there is an evaluation split) improves by less than MIN_REL_PROGRESS.
Explanations are XGBoost's TreeSHAP (`pred_contribs=True`, exact: approximation_error 0); ML.FEATURE_IMPORTANCE is
`Booster.get_score` with weight, gain and cover.
"""

import os
import time

import numpy as np
import xgboost as xgb


class _Progress(xgb.callback.TrainingCallback):
    def __init__(self, emit, metric, early_stop, min_rel):
        super().__init__()
        self.emit, self.metric = emit, metric
        self.early_stop, self.min_rel = early_stop, min_rel
        self.iterations, self.t = [], time.time()

    def after_iteration(self, model, epoch, evals_log):
        now = time.time()
        it = {"index": epoch, "durationMs": str(int((now - self.t) * 1000))}
        self.t = now
        # rmse -> mean squared error, BigQuery's regression loss
        power = 2 if self.metric == "rmse" else 1
        it["trainingLoss"] = float(evals_log["train"][self.metric][-1]) ** power
        if "eval" in evals_log:
            it["evalLoss"] = float(evals_log["eval"][self.metric][-1]) ** power
        it["learnRate"] = self.learn_rate
        self.iterations.append(it)
        self.emit(it)
        if self.early_stop and len(self.iterations) > 1:
            key = "evalLoss" if "evalLoss" in it else "trainingLoss"
            prev, cur = self.iterations[-2][key], it[key]
            if prev > 0 and (prev - cur) / prev < self.min_rel:
                return True
        return False


class Trees:
    def __init__(self, classifier):
        self.classifier = classifier

    def params(self, opts, k):
        p = {
            "booster": opts.get("booster_type", "GBTREE").lower(),
            "eta": opts.get("learn_rate", 0.3),
            "max_depth": int(opts.get("max_tree_depth", 6)),
            "lambda": opts.get("l2_reg", 1.0),
            "alpha": opts.get("l1_reg", 0.0),
            "subsample": opts.get("subsample", 1.0),
            "colsample_bytree": opts.get("colsample_bytree", 1.0),
            "colsample_bylevel": opts.get("colsample_bylevel", 1.0),
            "colsample_bynode": opts.get("colsample_bynode", 1.0),
            "min_child_weight": opts.get("min_tree_child_weight", 1.0),
            "gamma": opts.get("min_split_loss", 0.0),
            "num_parallel_tree": int(opts.get("num_parallel_tree", 1)),
            "tree_method": opts.get("tree_method", "AUTO").lower(),
            "nthread": os.cpu_count() or 1,
            "seed": 0,
        }
        if p["booster"] == "dart":
            p["rate_drop"] = opts.get("dropout", 0.0)
            p["normalize_type"] = opts.get("dart_normalize_type", "TREE").lower()
        if not self.classifier:
            p.update(objective="reg:squarederror", eval_metric="rmse")
        elif k == 2:
            p.update(objective="binary:logistic", eval_metric="logloss")
        else:
            p.update(objective="multi:softprob", num_class=k, eval_metric="mlogloss")
        return p

    def fit(self, X, y, Xe, ye, opts, sample_weight, emit, k=None):
        self.k = k
        params = self.params(opts, k)
        names = [f"f{j}" for j in range(X.shape[1])]
        dtrain = xgb.DMatrix(X, label=y, weight=sample_weight, feature_names=names)
        evals = [(dtrain, "train")]
        if Xe is not None and len(Xe):
            evals.append((xgb.DMatrix(Xe, label=ye, feature_names=names), "eval"))
        cb = _Progress(emit, params["eval_metric"], opts.get("early_stop", True), opts.get("min_rel_progress", 0.01))
        cb.learn_rate = params["eta"]
        self.booster = xgb.train(
            params, dtrain, num_boost_round=int(opts.get("max_iterations", 20)), evals=evals,
            callbacks=[cb], verbose_eval=False,
        )
        self.names = names
        return cb.iterations

    def _dm(self, X):
        return xgb.DMatrix(X, feature_names=self.names)

    def predict(self, X):
        out = self.booster.predict(self._dm(X))
        if self.classifier and out.ndim == 1:
            return np.column_stack([1 - out, out])
        return out

    def explain(self, X, cls):
        c = self.booster.predict(self._dm(X), pred_contribs=True)
        if c.ndim == 3:  # multiclass: (n, K, p+1) margins per class
            c = c[np.arange(len(X)), cls]
        elif self.classifier:  # binary margin is the positive class's log-odds; the negative class's is its negation
            c = np.where((np.asarray(cls) == 1)[:, None], c, -c)
        attr, base = c[:, :-1], c[:, -1]
        return attr, base, attr.sum(axis=1) + base, np.zeros(len(X))

    def importance(self):
        """Per matrix column: (split count, total gain, total cover)."""
        scores = {t: self.booster.get_score(importance_type=t) for t in ("weight", "total_gain", "total_cover")}
        return np.array(
            [[scores[t].get(n, 0.0) for t in ("weight", "total_gain", "total_cover")] for n in self.names]
        ).reshape(len(self.names), 3)
