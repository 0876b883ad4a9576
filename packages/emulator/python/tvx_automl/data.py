"""The training spec: examples, their splits, and the images as arrays."""

import json
import os
import statistics

import numpy as np

from .images import is_grey, open_image, pixels

SPLITS = ("training", "validation", "test")
DEFAULT_FRACTIONS = {"training": 0.8, "validation": 0.1, "test": 0.1}
# Model types that favour latency get the smallest input; the others grow with the images.
SMALL_INPUT_TYPES = ("MOBILE_TF_LOW_LATENCY_1",)


class SpecError(Exception):
    """The spec is not valid: exit status 2."""


class DataError(Exception):
    """The data cannot be used (unreadable image, empty split, one class): exit status 3."""


def load_spec(path):
    try:
        with open(path) as f:
            spec = json.load(f)
    except (OSError, ValueError) as error:
        raise SpecError("cannot read the spec %s: %s" % (path, error)) from None
    for key in ("modelDir", "outputDir", "labels", "examples"):
        if key not in spec:
            raise SpecError("the spec has no %r" % key)
    if len(spec["labels"]) < 2:
        raise DataError("the dataset has %d label(s) with images; image classification needs at least 2"
                        % len(spec["labels"]))
    count = len(spec["labels"])
    for i, example in enumerate(spec["examples"]):
        bad = [k for k in example.get("labels", []) if not isinstance(k, int) or not 0 <= k < count]
        if not example.get("labels") or bad:
            raise SpecError("examples[%d] has labels %r: give label indices 0..%d" % (i, example.get("labels"), count - 1))
        if example.get("split") not in (None,) + SPLITS:
            raise SpecError("examples[%d].split is %r: use one of %s" % (i, example["split"], ", ".join(SPLITS)))
    return spec


def assign_splits(examples, fractions, seed):
    """``{split: [example, ...]}``: examples with a split keep it, the others are drawn at random (seeded) with
    ``fractions`` (default 80/10/10). An empty validation split takes 10% of training (at least one image)."""
    fractions = {k: float((fractions or {}).get(k, DEFAULT_FRACTIONS[k])) for k in SPLITS}
    total = sum(fractions.values())
    if total <= 0:
        raise SpecError("the split fractions sum to 0")
    out = {k: [e for e in examples if e.get("split") == k] for k in SPLITS}
    free = [e for e in examples if not e.get("split")]
    order = np.random.default_rng(seed).permutation(len(free))
    n_train = int(round(fractions["training"] / total * len(free)))
    n_val = int(round(fractions["validation"] / total * len(free)))
    for rank, index in enumerate(order):
        split = "training" if rank < n_train else "validation" if rank < n_train + n_val else "test"
        out[split].append(free[index])
    if not out["validation"] and len(out["training"]) >= 2:
        moved = max(1, len(out["training"]) // 10)
        out["validation"], out["training"] = out["training"][-moved:], out["training"][:-moved]
    for split in SPLITS:
        if not out[split]:
            raise DataError("the %s split has no images: give every split some images (default 80/10/10 "
                            "random split, or ml_use labels / fractionSplit / filterSplit)" % split)
    return out


def _open(example):
    try:
        return open_image(example["path"])
    except Exception as error:  # noqa: BLE001 - names the file that cannot be read
        raise DataError("cannot read image %s: %s: %s" % (
            example.get("uri") or example["path"], type(error).__name__, error)) from None


def choose_geometry(examples, model_type, sample=256):
    """``((H, W), channels)``: 32 x 32 for small images (up to 64 px), 64 x 64 for larger ones; one channel
    when every sampled image is grey."""
    sides, grey = [], True
    step = max(1, len(examples) // sample)
    for example in examples[::step][:sample]:
        image = _open(example)
        sides.append(max(image.size))
        grey = grey and is_grey(image)
    side = 32 if model_type in SMALL_INPUT_TYPES or statistics.median(sides) <= 64 else 64
    return (side, side), 1 if grey else 3


def load_arrays(examples, size, channels, label_count, multi_label):
    """``(uint8 N x C x H x W, targets)``; targets are class indices, or N x K multi-hot floats."""
    images = np.zeros((len(examples), channels) + tuple(size), dtype=np.uint8)
    for i, example in enumerate(examples):
        image = _open(example)
        try:
            images[i] = pixels(image, size, channels)
        except Exception as error:  # noqa: BLE001 - names the file that cannot be converted
            raise DataError("cannot convert image %s: %s: %s" % (
                example.get("uri") or example["path"], type(error).__name__, error)) from None
    if multi_label:
        targets = np.zeros((len(examples), label_count), dtype=np.float32)
        for i, example in enumerate(examples):
            targets[i, example["labels"]] = 1.0
    else:
        targets = np.array([example["labels"][0] for example in examples], dtype=np.int64)
    return images, targets


def counts(splits, multi_label):
    """Vertex's data-item and annotation counts per split (ints; the emulator writes them as int64 strings)."""
    out = {}
    for split in SPLITS:
        items = splits[split]
        out["%sDataItemsCount" % split] = len(items)
        out["%sAnnotationsCount" % split] = sum(len(e["labels"]) if multi_label else 1 for e in items)
    return out


def ensure_dirs(spec):
    for key in ("modelDir", "outputDir"):
        os.makedirs(spec[key], exist_ok=True)
