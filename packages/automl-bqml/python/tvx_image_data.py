"""Labelled image datasets for tests and demos, written without any download.

    python3 tvx_image_data.py shapes '{"dir": "...", "perClass": 30, "size": 24, "seed": 0, "classes": [...]}'
    python3 tvx_image_data.py digits '{"dir": "...", "limit": null, "size": 32, "seed": 0}'

Each command writes PNG images under `dir/<label>/` and `dir/index.csv`, one line per image in Vertex AI's
import column order without a header: `ML_USE,relative/path.png,label`. The split is stratified per label:
80 % training, 10 % validation, 10 % test. It prints a JSON summary on stdout. Same arguments, same bytes.
"""

import json
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

SHAPES = ("circle", "square", "triangle", "stripes", "cross")
DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
SUPERSAMPLE = 4


def split_of(n, seed_parts):
    """ML_USE for n images of one label: a seeded permutation, cut 80/10/10."""
    order = np.random.RandomState(seed_parts).permutation(n)
    n_val = int(round(n * 0.1))
    n_test = int(round(n * 0.1))
    n_train = n - n_val - n_test
    uses = [""] * n
    for rank, index in enumerate(order):
        uses[index] = "training" if rank < n_train else "validation" if rank < n_train + n_val else "test"
    return uses


def rotated(points, cx, cy, angle):
    c, s = np.cos(angle), np.sin(angle)
    return [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c) for x, y in points]


def draw_shape(kind, rng, size):
    """One image: a shape of random colour, size, position and angle on a random background, plus noise."""
    big = size * SUPERSAMPLE
    background = tuple(int(v) for v in rng.randint(0, 90, 3))
    foreground = tuple(int(v) for v in rng.randint(150, 256, 3))
    image = Image.new("RGB", (big, big), background)
    draw = ImageDraw.Draw(image)
    r = big * rng.uniform(0.22, 0.34)
    cx = big / 2 + rng.uniform(-1, 1) * big * 0.12
    cy = big / 2 + rng.uniform(-1, 1) * big * 0.12
    angle = rng.uniform(-0.35, 0.35)
    if kind == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=foreground)
    elif kind == "square":
        square = [(cx - r, cy - r), (cx + r, cy - r), (cx + r, cy + r), (cx - r, cy + r)]
        draw.polygon(rotated(square, cx, cy, angle), fill=foreground)
    elif kind == "triangle":
        corners = [(cx + r * np.sin(a), cy - r * np.cos(a)) for a in (0, 2 * np.pi / 3, 4 * np.pi / 3)]
        draw.polygon(rotated(corners, cx, cy, angle), fill=foreground)
    elif kind == "stripes":
        bar = big / 8
        for k in range(-6, 7, 2):
            y = cy + k * bar
            stripe = [(-big, y), (2 * big, y), (2 * big, y + bar), (-big, y + bar)]
            draw.polygon(rotated(stripe, cx, cy, angle), fill=foreground)
    elif kind == "cross":
        w = r / 3
        for arm in ([(cx - r, cy - w), (cx + r, cy - w), (cx + r, cy + w), (cx - r, cy + w)],
                    [(cx - w, cy - r), (cx + w, cy - r), (cx + w, cy + r), (cx - w, cy + r)]):
            draw.polygon(rotated(arm, cx, cy, angle), fill=foreground)
    else:
        raise ValueError(f"unknown shape {kind!r}: use one of {', '.join(SHAPES)}")
    small = np.asarray(image.resize((size, size), Image.LANCZOS), dtype=np.float64)
    noisy = small + rng.normal(0, 8, small.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


def write_index(out_dir, rows):
    with open(os.path.join(out_dir, "index.csv"), "w", encoding="utf-8", newline="\n") as f:
        for use, path, label in rows:
            f.write(f"{use},{path},{label}\n")


def save(image, out_dir, rel):
    path = os.path.join(out_dir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image.save(path, format="PNG")


def shapes(args):
    out_dir, per_class = args["dir"], int(args["perClass"])
    size, seed = int(args.get("size", 24)), int(args.get("seed", 0))
    classes = list(args.get("classes") or SHAPES[:3])
    rows = []
    for ci, kind in enumerate(classes):
        if kind not in SHAPES:
            raise ValueError(f"unknown shape {kind!r}: use one of {', '.join(SHAPES)}")
        uses = split_of(per_class, [seed, ci, 1])
        for i in range(per_class):
            # One generator per image: image i of a class is the same whatever perClass is.
            image = draw_shape(kind, np.random.RandomState([seed, ci, i]), size)
            rel = f"{kind}/{kind}_{i:04d}.png"
            save(image, out_dir, rel)
            rows.append((uses[i], rel, kind))
    write_index(out_dir, rows)
    return {"count": len(rows), "classes": classes}


def digits(args):
    from sklearn.datasets import load_digits  # the 8x8 digits ship inside scikit-learn itself

    out_dir, size, seed = args["dir"], int(args.get("size", 32)), int(args.get("seed", 0))
    data = load_digits()
    limit = args.get("limit")
    n = len(data.images) if limit is None else min(int(limit), len(data.images))
    by_label = {}
    for index in range(n):
        by_label.setdefault(int(data.target[index]), []).append(index)
    uses = {}
    for label, indices in by_label.items():
        for index, use in zip(indices, split_of(len(indices), [seed, label, 2])):
            uses[index] = use
    rows = []
    for index in range(n):
        label = DIGIT_NAMES[int(data.target[index])]
        pixels = (data.images[index] * (255.0 / 16.0)).round().astype(np.uint8)
        image = Image.fromarray(pixels, "L").resize((size, size), Image.BILINEAR)
        rel = f"{label}/digit_{index:04d}.png"
        save(image, out_dir, rel)
        rows.append((uses[index], rel, label))
    write_index(out_dir, rows)
    return {"count": len(rows), "classes": [DIGIT_NAMES[k] for k in sorted(by_label)]}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("shapes", "digits"):
        sys.exit("usage: tvx_image_data.py shapes|digits '<json arguments>'")
    args = json.loads(sys.argv[2])
    os.makedirs(args["dir"], exist_ok=True)
    result = shapes(args) if sys.argv[1] == "shapes" else digits(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
