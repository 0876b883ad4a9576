"""DNN_CLASSIFIER / DNN_REGRESSOR and AUTOENCODER as PyTorch MLPs.

One epoch is one BigQuery iteration (reported as it ends); early stop when the loss (evaluation loss if there is
an evaluation split) improves by less than MIN_REL_PROGRESS. Explanations are integrated gradients from the
training-mean baseline with Gauss-Legendre quadrature over `integrated_gradients_num_steps` points;
approximation_error = |f(x) - f(x') - Σ attributions| / |f(x) - f(x')|, as BigQuery ML defines it.
"""

import time

import numpy as np
import torch
from torch import nn

from .prep import UserError

torch.set_num_threads(max(1, min(2, torch.get_num_threads())))

ACTIVATIONS = {
    "RELU": nn.ReLU, "RELU6": nn.ReLU6, "ELU": nn.ELU, "SELU": nn.SELU, "SIGMOID": nn.Sigmoid, "TANH": nn.Tanh,
}
OPTIMIZERS = {
    "ADAM": torch.optim.Adam, "ADAGRAD": torch.optim.Adagrad, "RMSPROP": torch.optim.RMSprop, "SGD": torch.optim.SGD,
}


def default_units(n, inputs, outputs):
    """min(128, N / (10 × (inputs + outputs))), at least one unit."""
    return [int(max(1, min(128, n // (10 * (inputs + outputs)))))]


def mlp(sizes, activation, dropout, last_linear=True):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2 or not last_linear:
            layers.append(ACTIVATIONS[activation]())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class Dnn:
    """`kind`: 'classifier', 'regressor' or 'autoencoder'."""

    def __init__(self, kind):
        self.kind = kind

    def fit(self, X, y, Xe, ye, opts, sample_weight, emit, k=None):
        torch.manual_seed(0)
        n, p = X.shape
        act = opts.get("activation_fn", "RELU")
        if act == "CRELU":
            raise UserError("ACTIVATION_FN CRELU is not supported by the local BigQuery; use RELU, RELU6, ELU, SELU, SIGMOID or TANH.")
        if opts.get("optimizer", "ADAM") not in OPTIMIZERS:
            raise UserError(f"OPTIMIZER {opts['optimizer']} is not supported by the local BigQuery; use ADAM, ADAGRAD, RMSPROP or SGD.")
        out = k if self.kind == "classifier" else (1 if self.kind == "regressor" else p)
        units = opts.get("hidden_units") or default_units(n, p, out)
        if self.kind == "autoencoder":
            if len(units) % 2 == 0:
                raise UserError(f"HIDDEN_UNITS of an AUTOENCODER must have odd length (the middle is the latent layer); got {units}.")
            mid = len(units) // 2
            self.encoder = mlp([p] + list(units[: mid + 1]), act, 0.0, last_linear=True)
            self.net = nn.Sequential(self.encoder, ACTIVATIONS[act](), mlp(list(units[mid:]) + [p], act, opts.get("dropout", 0.0)))
            self.latent = int(units[mid])
        else:
            self.net = mlp([p] + list(units) + [out], act, opts.get("dropout", 0.0))
        default_batch = 32 if self.kind == "autoencoder" else 1024
        batch = int(opts.get("batch_size") or min(default_batch, n))
        optim = OPTIMIZERS[opts.get("optimizer", "ADAM")](self.net.parameters(), lr=opts.get("learn_rate", 0.001))
        l1, l2 = opts.get("l1_reg", 0.0), opts.get("l2_reg", 0.0)
        Xt = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))
        yt = self._target(X, y)
        wt = None if sample_weight is None else torch.from_numpy(np.asarray(sample_weight, dtype=np.float32))
        Xev = None if Xe is None or not len(Xe) else torch.from_numpy(np.ascontiguousarray(Xe, dtype=np.float32))
        yev = None if Xev is None else self._target(Xe, ye)
        gen = torch.Generator().manual_seed(0)
        iterations = []
        for epoch in range(int(opts.get("max_iterations", 20))):
            t0 = time.time()
            self.net.train()
            for idx in torch.randperm(n, generator=gen).split(batch):
                optim.zero_grad()
                loss = self._loss(self.net(Xt[idx]), yt[idx], None if wt is None else wt[idx])
                if l1 or l2:
                    for w in self.net.parameters():
                        if w.dim() > 1:
                            loss = loss + l1 * w.abs().sum() / n + l2 * (w**2).sum() / n
                loss.backward()
                optim.step()
            self.net.eval()
            with torch.no_grad():
                it = {"index": epoch, "durationMs": str(int((time.time() - t0) * 1000))}
                it["trainingLoss"] = float(self._loss(self.net(Xt), yt, None))
                if Xev is not None:
                    it["evalLoss"] = float(self._loss(self.net(Xev), yev, None))
                it["learnRate"] = float(opts.get("learn_rate", 0.001))
            iterations.append(it)
            emit(it)
            if opts.get("early_stop", True) and len(iterations) > 1:
                key = "evalLoss" if "evalLoss" in it else "trainingLoss"
                prev, cur = iterations[-2][key], it[key]
                if prev > 0 and (prev - cur) / prev < opts.get("min_rel_progress", 0.01):
                    break
        self.baseline = np.asarray(X.mean(axis=0), dtype=np.float32) if n else np.zeros(p, np.float32)
        return iterations

    def _target(self, X, y):
        if self.kind == "classifier":
            return torch.from_numpy(np.asarray(y, dtype=np.int64))
        if self.kind == "regressor":
            return torch.from_numpy(np.asarray(y, dtype=np.float32)).reshape(-1, 1)
        return torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))

    def _loss(self, out, target, weight):
        if self.kind == "classifier":
            per = nn.functional.cross_entropy(out, target, reduction="none")
        else:
            per = ((out - target) ** 2).mean(dim=1)
        return per.mean() if weight is None else (per * weight).sum() / weight.sum()

    def _forward(self, X):
        with torch.no_grad():
            return self.net(torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))).numpy().astype(np.float64)

    def predict(self, X):
        out = self._forward(X)
        if self.kind == "classifier":
            e = np.exp(out - out.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        return out[:, 0] if self.kind == "regressor" else out

    def encode(self, X):
        with torch.no_grad():
            return self.encoder(torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))).numpy().astype(np.float64)

    def explain(self, X, cls, steps=15):
        """Integrated gradients of the predicted class's logit (classifier) or the prediction (regressor)."""
        nodes, weights = np.polynomial.legendre.leggauss(int(steps))
        alphas, weights = (nodes + 1) / 2, weights / 2
        base = torch.from_numpy(self.baseline)
        x = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))
        cls_t = torch.as_tensor(np.asarray(cls, dtype=np.int64)) if self.kind == "classifier" else None
        grads = torch.zeros_like(x)
        for a, w in zip(alphas, weights):
            point = (base + float(a) * (x - base)).requires_grad_(True)
            out = self.net(point)
            sel = out.gather(1, cls_t.view(-1, 1)) if cls_t is not None else out[:, :1]
            (g,) = torch.autograd.grad(sel.sum(), point)
            grads += float(w) * g
        attr = ((x - base) * grads).numpy().astype(np.float64)
        with torch.no_grad():
            fx = self.net(x)
            fb = self.net(base.unsqueeze(0)).expand(len(x), -1)
            if cls_t is not None:
                fx, fb = fx.gather(1, cls_t.view(-1, 1))[:, 0], fb.gather(1, cls_t.view(-1, 1))[:, 0]
            else:
                fx, fb = fx[:, 0], fb[:, 0]
        fx, fb = fx.numpy().astype(np.float64), fb.numpy().astype(np.float64)
        diff = fx - fb
        err = np.abs(diff - attr.sum(axis=1)) / np.maximum(np.abs(diff), 1e-12)
        return attr, fb, fx, err
