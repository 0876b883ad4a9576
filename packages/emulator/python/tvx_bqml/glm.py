"""LINEAR_REG and LOGISTIC_REG with scikit-learn (LinearRegression/Ridge/Lasso/ElasticNet, LogisticRegression).

Regularisation is read as BigQuery writes the objective: sum of losses + L1_REG·|w|₁ + L2_REG·|w|²₂, so
Ridge(alpha=L2_REG); Lasso/ElasticNet (which average the squared error over 2n) take alpha scaled by 1/(2n);
LogisticRegression(C) minimises C·Σloss + penalty, so C = 1/(2·L2_REG) for L2, 1/L1_REG for L1, and the
elastic net mixes them. The fit runs to convergence in one library call (L-BFGS for logistic without L1, SAGA
with L1), so ML.TRAINING_INFO reports it as one iteration.
"""

import time

import numpy as np
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge


def fit_linear(X, y, opts, sample_weight=None):
    l1, l2 = opts.get("l1_reg", 0.0), opts.get("l2_reg", 0.0)
    fi = opts.get("fit_intercept", True)
    n = max(len(y), 1)
    if l1 > 0:
        alpha = l1 / (2 * n) + l2 / n
        if l2 > 0:
            est = ElasticNet(alpha=alpha, l1_ratio=(l1 / (2 * n)) / alpha, fit_intercept=fi, max_iter=10_000)
        else:
            est = Lasso(alpha=l1 / (2 * n), fit_intercept=fi, max_iter=10_000)
    elif l2 > 0:
        est = Ridge(alpha=l2, fit_intercept=fi)
    else:
        est = LinearRegression(fit_intercept=fi)
    est.fit(X, y, sample_weight=sample_weight)
    return est


def logistic(opts, classes_count):
    l1, l2 = opts.get("l1_reg", 0.0), opts.get("l2_reg", 0.0)
    fi = opts.get("fit_intercept", True)
    max_iter = max(100, 5 * int(opts.get("max_iterations", 20)))
    if l1 > 0 and l2 > 0:
        return LogisticRegression(
            penalty="elasticnet", C=1 / (l1 + 2 * l2), l1_ratio=l1 / (l1 + 2 * l2), solver="saga",
            fit_intercept=fi, max_iter=max_iter * 10,
        )
    if l1 > 0:
        return LogisticRegression(penalty="l1", C=1 / l1, solver="saga", fit_intercept=fi, max_iter=max_iter * 10)
    if l2 > 0:
        return LogisticRegression(penalty="l2", C=1 / (2 * l2), solver="lbfgs", fit_intercept=fi, max_iter=max_iter)
    return LogisticRegression(penalty=None, solver="lbfgs", fit_intercept=fi, max_iter=max_iter)


class Glm:
    """A fitted GLM: `classifier` True for LOGISTIC_REG."""

    def __init__(self, classifier):
        self.classifier = classifier

    def fit(self, X, y, Xe, ye, opts, sample_weight, emit):
        t0 = time.time()
        if self.classifier:
            self.est = logistic(opts, None)
            self.est.fit(X, y, sample_weight=sample_weight)
        else:
            self.est = fit_linear(X, y, opts, sample_weight)
        ms = int((time.time() - t0) * 1000)
        it = {"index": 0, "durationMs": str(ms)}
        self.train_out = self.predict(X)
        it["trainingLoss"] = self.loss(y, self.train_out)
        if Xe is not None and len(Xe):
            it["evalLoss"] = self.loss(ye, self.predict(Xe))
        emit(it)
        return [it]

    def loss(self, y, out):
        if self.classifier:
            p = np.clip(out[np.arange(len(y)), y], 1e-15, 1 - 1e-15)
            return float(-np.mean(np.log(p)))
        return float(np.mean((out - y) ** 2))

    def predict(self, X):
        if self.classifier:
            return self.est.predict_proba(X)
        return self.est.predict(X)

    def logits(self, X):
        """Per-class logits (n, K) of a classifier; binary as (-z, z)."""
        z = X @ self.est.coef_.T + self.est.intercept_
        return np.column_stack([-z[:, 0], z[:, 0]]) if z.shape[1] == 1 else z

    def explain(self, X, cls):
        """Exact attributions: w_j·x_j per matrix column against the all-zero (training-mean) input."""
        if not self.classifier:
            w = np.asarray(self.est.coef_, dtype=np.float64).ravel()
            b = float(np.ravel(self.est.intercept_)[0]) if np.ndim(self.est.intercept_) else float(self.est.intercept_)
            attr = X * w
            return attr, np.full(len(X), b), attr.sum(axis=1) + b, np.zeros(len(X))
        coef = np.asarray(self.est.coef_)
        icpt = np.asarray(self.est.intercept_)
        if coef.shape[0] == 1:
            coef = np.vstack([-coef[0], coef[0]])
            icpt = np.array([-icpt[0], icpt[0]])
        w = coef[cls]
        attr = X * w
        base = icpt[cls]
        return attr, base, attr.sum(axis=1) + base, np.zeros(len(X))
