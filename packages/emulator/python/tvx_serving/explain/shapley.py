"""Sampled Shapley (Maleki et al. 2013, arXiv:1306.4265; Vertex's ``sampledShapleyAttribution``): for each of
``pathCount`` random feature orderings, features are switched from the baseline to the instance one at a
time and each gets the change of the model's score it caused; a feature's attribution is the mean over
orderings. Model-agnostic: it only calls the model's scores, all orderings in a few batches.

Every ordering's contributions add up to F(x) - F(baseline) exactly, so the sum-to-diff gap is zero by
construction; the approximation error reported is the sampling error instead (emulator-defined, Vertex
does not document its formula): the mean over features of the standard error of the per-ordering
contributions, relative to |F(x) - F(baseline)|. With one path the spread cannot be estimated and the
error is reported as 1.
"""

import numpy as np

from ..errors import RequestError

MAX_ROWS = 200_000
BATCH_ROWS = 4096


def _scores(target, rows, shape):
    out = [target.scores(rows[i:i + BATCH_ROWS].reshape((-1,) + shape)) for i in range(0, len(rows), BATCH_ROWS)]
    return np.concatenate(out)


def sampled_shapley(target, x, baselines, indices, paths, rng=None):
    """Per output index: ``(attributions, instance_output, baseline_output, approximation_error)``."""
    rng = rng if rng is not None else np.random.default_rng(0)
    flat = x.reshape(-1).astype(np.float64)
    count = flat.size
    if paths * (count + 1) > MAX_ROWS:
        raise RequestError("sampled Shapley over %d features with pathCount %d needs %d model calls, over the "
                           "emulator's %d: use integrated gradients or XRAI for images, or fewer paths"
                           % (count, paths, paths * (count + 1), MAX_ROWS))
    orders = [rng.permutation(count) for _ in range(paths)]
    rows = np.empty((paths, count + 1, count))
    for m, order in enumerate(orders):
        point = np.broadcast_to(baselines[m % len(baselines)], x.shape).reshape(-1).astype(np.float64).copy()
        rows[m, 0] = point
        for j, feature in enumerate(order):
            point[feature] = flat[feature]
            rows[m, j + 1] = point
    scores = _scores(target, rows.reshape(-1, count).astype(np.float32), x.shape).reshape(paths, count + 1, -1)
    results = []
    for index in indices:
        k = 0 if index is None else index
        steps = np.diff(scores[:, :, k], axis=1)
        contributions = np.empty((paths, count))
        for m, order in enumerate(orders):
            contributions[m, order] = steps[m]
        attributions = contributions.mean(axis=0)
        instance_output = float(scores[0, -1, k])
        baseline_output = float(scores[:, 0, k].mean())
        diff = abs(instance_output - baseline_output)
        if paths < 2:
            error = 1.0
        else:
            spread = float((contributions.std(axis=0, ddof=1) / np.sqrt(paths)).mean())
            error = spread / diff if diff > 1e-6 else spread
        results.append((attributions.reshape(x.shape), instance_output, baseline_output, error))
    return results
