"""ALGORITHM_UNSPECIFIED: a Gaussian-process bandit after Vizier's published default.

* Inputs: the unit cube of `space.Space` (scales applied, integers/discrete snapped, categoricals one-hot).
* Seeding: trial 0 is the centre of the space (as in OSS Vizier), then scrambled Sobol points (seeded)
  until `n_init` trials exist.
* Model: scikit-learn GaussianProcessRegressor, ConstantKernel x Matern(nu=2.5, one length scale per
  dimension) + WhiteKernel, hyperparameters by marginal likelihood (ML-II) with 4 random restarts; the
  objective is turned into "larger is better" and standardised (`normalize_y`). Vizier's output warping
  (half-rank + log) is not used: a version of it made Hartmann-6 regret ~50x worse in our measurement.
* Acquisition: expected improvement (log-EI for stability; `acquisition: "UCB"` gives UCB with 1.8),
  maximised over the whole space: random + Sobol candidates and local perturbations of the best trials,
  all snapped to feasible points, then L-BFGS-B (scipy) from the best few, snapped again.
* Batches and pending trials: kriging believer, i.e. each pending/chosen point is added with the GP's mean
  as its value and the GP refitted with fixed hyperparameters before the next choice.
"""

import warnings

import numpy as np
from scipy import optimize, special, stats

from . import random_search

SQRT2 = np.sqrt(2.0)
HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def n_init(space):
    return max(4, min(10, space.dim + 1))


def initial_point(space, seed, index):
    """Centre first, then a seeded scrambled Sobol sequence."""
    if index == 0:
        return space.decode(np.full(space.dim, 0.5))
    m = max(1, int(np.ceil(np.log2(index + 1))))
    pts = stats.qmc.Sobol(d=space.dim, scramble=True, seed=seed).random_base2(m)
    return space.decode(pts[index - 1])


def log_ei(mu, sigma, best):
    """log expected improvement over `best` (maximisation), finite even far from the incumbent."""
    sigma = np.maximum(sigma, 1e-12)
    z = np.atleast_1d((mu - best) / sigma)
    out = np.empty_like(z)
    hi = z >= -1
    zh = z[hi]
    out[hi] = np.log(zh * special.ndtr(zh) + np.exp(-0.5 * zh * zh - HALF_LOG_2PI))
    zl = z[~hi]  # z Phi(z) + phi(z) = phi(z) (1 + z sqrt(pi/2) erfcx(-z/sqrt2)), about phi(z)/z^2 for z << 0
    h = 1 + zl * np.sqrt(np.pi / 2) * special.erfcx(-zl / SQRT2)
    logh = np.where(zl < -25, -2 * np.log(np.abs(zl)), np.log(np.maximum(h, 1e-300)))
    out[~hi] = -0.5 * zl * zl - HALF_LOG_2PI + logh
    return np.log(sigma) + out


class Model:
    def __init__(self, X, y, seed):
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

        d = X.shape[1]
        kernel = ConstantKernel(1.0, (1e-2, 1e2)) * Matern(
            length_scale=np.full(d, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5
        ) + WhiteKernel(1e-4, (1e-9, 1e-1))
        self.gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=4, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", UserWarning)
            self.gp.fit(X, y)
        self.X, self.y = X, y

    def add(self, x, y_believed):
        """Kriging believer: refit with the same hyperparameters and one more (believed) observation."""
        from sklearn.gaussian_process import GaussianProcessRegressor

        self.X, self.y = np.vstack([self.X, x]), np.append(self.y, y_believed)
        gp = GaussianProcessRegressor(self.gp.kernel_, normalize_y=True, optimizer=None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gp.fit(self.X, self.y)
        self.gp = gp

    def predict(self, X):
        mu, sd = self.gp.predict(np.atleast_2d(X), return_std=True)
        return mu, sd


def _acq(model, best, kind):
    if kind == "UCB":
        return lambda X: (lambda m, s: m + 1.8 * s)(*model.predict(X))
    return lambda X: log_ei(*model.predict(X), best)


def choose(space, model, best, rng, avoid, kind, n_random=2000, n_local=1000, n_refine=4):
    """Maximises the acquisition over the space; returns (params, unit point)."""
    acq = _acq(model, best, kind)
    d = space.dim
    top = model.X[np.argsort(-model.y)[: max(1, min(5, len(model.y)))]]
    local = top[rng.integers(len(top), size=n_local)] + rng.normal(size=(n_local, d)) * rng.choice(
        [0.2, 0.05, 0.01], size=(n_local, 1)
    )
    cand = np.clip(np.vstack([rng.random((n_random, d)), local]), 0, 1)
    cand = space.snap_many(cand)
    scores = np.nan_to_num(acq(cand), nan=-np.inf)
    order = np.argsort(-scores)
    results = []
    for i in order[:n_refine]:
        res = optimize.minimize(lambda x: -acq(x)[0], cand[i], method="L-BFGS-B", bounds=[(0, 1)] * d,
                                options={"maxiter": 60})
        if np.all(np.isfinite(res.x)):
            x = space.snap(res.x)
            results.append((acq(x)[0], x))
    results += [(scores[i], cand[i]) for i in order[:200]]
    results.sort(key=lambda r: -r[0] if np.isfinite(r[0]) else np.inf)
    for _, x in results:
        if not any(np.allclose(x, a, atol=1e-9) for a in avoid):
            return space.decode(x), x
    return None, None


def suggest(space, completed, pending, count, seed, maximize, kind="EI"):
    """`completed`: list of (params, value); `pending`: list of params. Returns a list of params."""
    start = len(completed) + len(pending)
    ninit = n_init(space)
    out = []
    model = None
    rng = np.random.default_rng([seed, start, 7])
    avoid = [space.encode(p) for p, _ in completed] + [space.encode(p) for p in pending]
    for j in range(count):
        index = start + j
        if index < ninit or len(completed) < 2:
            p = initial_point(space, seed, index) if index < 1024 else random_search.point(space, seed, index)
            for k in range(1, 64):  # small discrete spaces: do not repeat a point already tried
                if not any(np.allclose(space.encode(p), a, atol=1e-9) for a in avoid):
                    break
                p = random_search.point(space, seed, index + 100_003 * k)
            out.append(p)
            avoid.append(space.encode(p))
            continue
        if model is None:
            X = np.array([space.encode(p) for p, _ in completed])
            y = np.array([v if maximize else -v for _, v in completed])
            model = Model(X, y, seed)
            for p in pending + out:
                x = space.encode(p)
                model.add(x, model.predict(x)[0][0])
        best = model.y[: len(completed)].max()
        p, x = choose(space, model, best, rng, avoid, kind)
        if p is None:  # every candidate already tried: fall back to an unseen random point
            p = random_search.point(space, seed, index)
            x = space.encode(p)
        out.append(p)
        avoid.append(x)
        model.add(x, model.predict(x)[0][0])
    return out
