"""The training loop: AdamW, light augmentation, the validation split for early stopping and the best epoch,
and a wall-clock budget checked after every batch."""

import copy
import math
import time

import numpy as np
import torch
from torch import nn

MAX_BATCH = 32  # small batches: more steps per second of CPU, which is what a time budget buys
MIN_STEPS = 20  # optimizer steps between validations: small datasets repeat epochs until they have this many
PATIENCE = 5  # validations without a better validation loss before training counts as converged
MIN_GAIN = 0.02  # a better validation loss is at least 2% lower than the best so far
MAX_SHIFT = 1 / 8  # random translation, as a fraction of the side


def _augment(x, rng):
    """Random translation (zero padding) and brightness/contrast jitter of a float batch in [0, 1]."""
    n, _, h, w = x.shape
    ph, pw = max(1, int(h * MAX_SHIFT)), max(1, int(w * MAX_SHIFT))
    padded = nn.functional.pad(x, (pw, pw, ph, ph))
    dy = rng.integers(0, 2 * ph + 1, n)
    dx = rng.integers(0, 2 * pw + 1, n)
    out = torch.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    contrast = torch.from_numpy(rng.uniform(0.9, 1.1, (n, 1, 1, 1)).astype(np.float32))
    brightness = torch.from_numpy(rng.uniform(-0.05, 0.05, (n, 1, 1, 1)).astype(np.float32))
    return ((out - 0.5) * contrast + 0.5 + brightness).clamp(0, 1)


def _float(images):
    return torch.from_numpy(images).float().div_(255.0)


def predict_scores(model, images, multi_label, batch=256):
    """Confidences N x K: softmax (single-label) or sigmoid (multi-label)."""
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(images), batch):
            logits = model(_float(images[start:start + batch]))
            out.append(torch.sigmoid(logits) if multi_label else torch.softmax(logits, dim=1))
    return torch.cat(out).numpy() if out else np.zeros((0, 0), dtype=np.float32)


def _validate(model, images, targets, loss_fn, multi_label):
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(_float(images[s:s + 256])) for s in range(0, len(images), 256)])
        t = torch.from_numpy(targets)
        loss = float(loss_fn(logits, t))
        if multi_label:
            predicted = logits > 0
            tp = float((predicted & (t > 0.5)).sum())
            quality = 2 * tp / max(1.0, float(predicted.sum()) + float((t > 0.5).sum()))
        else:
            quality = float((logits.argmax(1) == t).float().mean())
    return loss, quality


def fit(model, train, val, multi_label, budget_seconds, early_stopping, seed, log):
    """Trains ``model`` in place; returns a summary with the stop reason. ``train``/``val`` are
    ``(uint8 images, targets)``. Validation runs after every epoch (after every few epochs on a small dataset,
    so that at least MIN_STEPS steps come between); the weights with the lowest validation loss are restored."""
    started = time.monotonic()
    deadline = started + budget_seconds
    rng = np.random.default_rng(seed)
    loss_fn = nn.BCEWithLogitsLoss() if multi_label else nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.3, patience=2, min_lr=1e-5)
    images, targets = train
    batch = int(min(MAX_BATCH, max(8, len(images) // 16)))
    passes = max(1, math.ceil(MIN_STEPS / math.ceil(len(images) / batch)))
    quality_name = "val_f1" if multi_label else "val_accuracy"
    best = {"loss": math.inf, "epoch": 0, "state": copy.deepcopy(model.state_dict()), "quality": 0.0}
    epoch, stale, reason, reference = 0, 0, "BUDGET_REACHED", math.inf
    out_of_time = False
    while not out_of_time:
        model.train()
        total, seen = 0.0, 0
        for _ in range(passes):
            if out_of_time:
                break
            epoch += 1
            order = rng.permutation(len(images))
            for start in range(0, len(order), batch):
                index = order[start:start + batch]
                if len(index) < 2:  # BatchNorm needs two samples: the remainder waits for the next epoch
                    break
                x = _augment(_float(images[index]), rng)
                y = torch.from_numpy(targets[index])
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                total += float(loss) * len(index)
                seen += len(index)
                if time.monotonic() >= deadline:
                    out_of_time = True
                    break
        val_loss, quality = _validate(model, val[0], val[1], loss_fn, multi_label)
        scheduler.step(val_loss)
        stale = 0 if val_loss < reference * (1 - MIN_GAIN) else stale + 1
        reference = min(reference, val_loss) if stale else val_loss
        improved = val_loss < best["loss"]
        if improved:
            best.update(loss=val_loss, epoch=epoch, state=copy.deepcopy(model.state_dict()), quality=quality)
        log("epoch %d loss %.4f val_loss %.4f %s %.4f elapsed %.1fs%s%s" % (
            epoch, total / max(1, seen), val_loss, quality_name, quality, time.monotonic() - started,
            " (partial epoch: budget reached)" if out_of_time else "", " *" if improved else ""))
        if early_stopping and stale >= PATIENCE and not out_of_time:
            reason = "MODEL_CONVERGED"
            log("early stopping: the validation loss has not improved for %d validations" % PATIENCE)
            break
        if not out_of_time and time.monotonic() >= deadline:
            out_of_time = True
    model.load_state_dict(best["state"])
    seconds = time.monotonic() - started
    log("best epoch %d: val_loss %.4f %s %.4f; stopped: %s after %.1fs of a %.1fs budget" % (
        best["epoch"], best["loss"], quality_name, best["quality"], reason, seconds, budget_seconds))
    return {"epochs": epoch, "bestEpoch": best["epoch"], "successfulStopReason": reason,
            "trainingSeconds": round(seconds, 3), "bestValidationLoss": best["loss"],
            "bestValidationQuality": best["quality"]}
