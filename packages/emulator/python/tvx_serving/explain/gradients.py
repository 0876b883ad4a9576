"""Integrated gradients (Sundararajan, Taly, Yan 2017) with torch autograd, and its SmoothGrad and blurred-
baseline variants as Vertex AI offers them.

IG_i(x) = (x_i - x'_i) * integral over a in [0, 1] of dF(x' + a (x - x'))/dx_i. The integral is a
``stepCount``-point Gauss-Legendre quadrature on [0, 1] (Vertex: "the Gaussian quadrature rule", more
accurate than a Riemann sum for the same number of model calls). The approximation error is the relative
sum-to-diff gap |sum(IG) - (F(x) - F(x'))| / |F(x) - F(x')| (Vertex's "improving explanations" page and
BigQuery ML's formula), averaged over baselines.
"""

import numpy as np

BATCH = 64


def quadrature(steps):
    """Gauss-Legendre nodes and weights on [0, 1]."""
    nodes, weights = np.polynomial.legendre.leggauss(steps)
    return (nodes + 1) / 2, weights / 2


def path_gradients(target, points, index):
    """Gradients of output ``index`` at each of ``points`` (S x shape), in batches."""
    torch = target.torch
    grads = []
    for start in range(0, len(points), BATCH):
        chunk = points[start:start + BATCH].clone().requires_grad_(True)
        score = target.forward(chunk)[:, index].sum()
        (grad,) = torch.autograd.grad(score, chunk)
        grads.append(grad.detach())
    return torch.cat(grads)


def integrated_gradients(target, x, baseline, index, steps):
    """IG attributions (same shape as ``x``) of output ``index`` from one baseline."""
    torch = target.torch
    xt = torch.as_tensor(x, dtype=torch.float32)
    bt = torch.as_tensor(np.broadcast_to(baseline, x.shape).copy(), dtype=torch.float32)
    nodes, weights = quadrature(steps)
    alphas = torch.as_tensor(nodes, dtype=torch.float32).reshape((-1,) + (1,) * x.ndim)
    grads = path_gradients(target, bt + alphas * (xt - bt), index)
    w = torch.as_tensor(weights, dtype=torch.float32).reshape(alphas.shape)
    return ((xt - bt) * (w * grads).sum(0)).double().numpy()


def blurred(x, sigma):
    """``x`` (C x H x W or H x W) blurred over its spatial axes: Vertex's blurBaselineConfig baseline."""
    from scipy.ndimage import gaussian_filter

    return gaussian_filter(x, sigma=(0,) * (x.ndim - 2) + (sigma, sigma), mode="nearest").astype(np.float32)


def noise_scale(x, spec, feature_names):
    """SmoothGrad's noise sigma per element of ``x``: ``featureNoiseSigma`` per named feature, else ``noiseSigma``."""
    sigma = np.full(x.shape, spec.noise_sigma if spec.noise_sigma is not None else 0.1, dtype=np.float32)
    if spec.feature_sigmas and feature_names and x.ndim == 1 and len(feature_names) == x.size:
        for i, name in enumerate(feature_names):
            if name in spec.feature_sigmas:
                sigma[i] = spec.feature_sigmas[name]
    return sigma


def attribute(target, x, baselines, index, spec, feature_names=None, rng=None):
    """IG (with SmoothGrad when configured) of output ``index``, averaged over ``baselines``.

    Returns ``(attributions, instance_output, baseline_output, approximation_error)``; with SmoothGrad the
    instance output is the mean over the noisy inputs, which is what the attributions add up to.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    inputs = [x]
    if spec.smooth:
        sigma = noise_scale(x, spec, feature_names)
        inputs = [(x + rng.normal(size=x.shape) * sigma).astype(np.float32) for _ in range(spec.noisy_samples)]
    total = np.zeros(x.shape)
    for point in inputs:
        for baseline in baselines:
            total += integrated_gradients(target, point, baseline, index, spec.steps)
    attributions = total / (len(inputs) * len(baselines))
    scores = target.scores(np.stack(inputs + [np.broadcast_to(b, x.shape) for b in baselines]))
    instance_output = float(scores[:len(inputs), index].mean())
    baseline_output = float(scores[len(inputs):, index].mean())
    return attributions, instance_output, baseline_output, error(attributions, instance_output, baseline_output)


def error(attributions, instance_output, baseline_output):
    """The relative sum-to-diff gap; the absolute gap when the outputs hardly differ."""
    diff = instance_output - baseline_output
    gap = abs(float(np.sum(attributions)) - diff)
    return gap / abs(diff) if abs(diff) > 1e-6 else gap
