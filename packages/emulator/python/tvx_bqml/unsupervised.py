"""KMEANS and PCA with scikit-learn.

KMEANS: sklearn KMeans (one initialisation, RANDOM or KMEANS++ or the rows of KMEANS_INIT_COL), MAX_ITERATIONS
Lloyd iterations; COSINE distance runs spherical k-means (rows scaled to unit length), and distances are
√(1 − cos) as BigQuery defines them. PCA: sklearn PCA on the centred (and, with SCALE_FEATURES, standardised)
matrix.
"""

import math
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import davies_bouldin_score

from .prep import UserError


def _unit(X):
    norm = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norm == 0, 1, norm)


class Kmeans:
    def fit(self, X, opts, init_rows, emit):
        n = len(X)
        self.cosine = opts.get("distance_type", "EUCLIDEAN") == "COSINE"
        Z = _unit(X) if self.cosine else X
        k = opts.get("num_clusters")
        if k is None:
            k = max(2, int(round(math.log10(max(n, 1)))))
        k = int(k)
        if n < k:
            raise UserError(f"NUM_CLUSTERS {k} is more than the {n} training rows; lower NUM_CLUSTERS.")
        method = opts.get("kmeans_init_method", "RANDOM")
        if method == "CUSTOM":
            if init_rows is None or int(init_rows.sum()) != k:
                got = 0 if init_rows is None else int(init_rows.sum())
                raise UserError(f"KMEANS_INIT_COL must be TRUE on exactly NUM_CLUSTERS ({k}) rows; it is TRUE on {got}.")
            init = Z[init_rows]
        else:
            init = "k-means++" if method == "KMEANS++" else "random"
        tol = 1e-4 if opts.get("early_stop", True) else 0.0
        t0 = time.time()
        self.est = KMeans(
            n_clusters=k, init=init, n_init=1, max_iter=int(opts.get("max_iterations", 20)), tol=tol, random_state=0
        ).fit(Z)
        self.k = k
        dist = self.distances(X)
        label = np.argmin(dist, axis=1)
        sq = dist[np.arange(n), label] ** 2
        infos = []
        for c in range(k):
            members = label == c
            infos.append(
                {
                    "centroidId": str(c + 1),
                    "clusterRadius": float(np.sqrt(sq[members].mean())) if members.any() else 0.0,
                    "clusterSize": str(int(members.sum())),
                }
            )
        it = {
            "index": 0,
            "durationMs": str(int((time.time() - t0) * 1000)),
            "trainingLoss": float(sq.mean()),
            "clusterInfos": infos,
        }
        emit(it)
        return [it]

    def distances(self, X):
        """(n, k) distances to every centroid in the model's space."""
        if self.cosine:
            c = _unit(self.est.cluster_centers_)
            cos = np.clip(_unit(X) @ c.T, -1.0, 1.0)
            return np.sqrt(np.maximum(0.0, 1.0 - cos))
        d2 = (X**2).sum(axis=1)[:, None] - 2 * X @ self.est.cluster_centers_.T + (self.est.cluster_centers_**2).sum(axis=1)
        return np.sqrt(np.maximum(d2, 0.0))

    def evaluate(self, X):
        dist = self.distances(X)
        label = np.argmin(dist, axis=1)
        msd = float((dist[np.arange(len(X)), label] ** 2).mean()) if len(X) else None
        dbi = float(davies_bouldin_score(X, label)) if len(set(label.tolist())) > 1 else None
        return {"davies_bouldin_index": dbi, "mean_squared_distance": msd}


class Pca:
    def fit(self, X, opts, emit):
        n, p = X.shape
        count, ratio = opts.get("num_principal_components"), opts.get("pca_explained_variance_ratio")
        if (count is None) == (ratio is None):
            raise UserError("PCA needs exactly one of NUM_PRINCIPAL_COMPONENTS or PCA_EXPLAINED_VARIANCE_RATIO.")
        if count is not None and count > min(n, p):
            raise UserError(
                f"NUM_PRINCIPAL_COMPONENTS {count} exceeds min(rows, feature cardinality) = {min(n, p)}; lower it."
            )
        solver = {"AUTO": "auto", "FULL": "full", "RANDOMIZED": "randomized"}[opts.get("pca_solver", "AUTO")]
        if ratio is not None and solver == "randomized":
            solver = "full"
        t0 = time.time()
        self.est = PCA(n_components=int(count) if count is not None else float(ratio), svd_solver=solver, random_state=0)
        self.est.fit(X)
        cum = np.cumsum(self.est.explained_variance_ratio_)
        it = {
            "index": 0,
            "durationMs": str(int((time.time() - t0) * 1000)),
            "principalComponentInfos": [
                {
                    "principalComponentId": str(i + 1),
                    "explainedVariance": float(v),
                    "explainedVarianceRatio": float(r),
                    "cumulativeExplainedVarianceRatio": float(c),
                }
                for i, (v, r, c) in enumerate(zip(self.est.explained_variance_, self.est.explained_variance_ratio_, cum))
            ],
        }
        emit(it)
        return [it]

    def evaluate(self):
        return {"total_explained_variance_ratio": float(np.sum(self.est.explained_variance_ratio_))}
