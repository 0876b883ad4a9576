"""Small image classification datasets as PNG files plus a Vertex import CSV, for AutoML tests and benchmarks.

  python3 automl_images.py digits OUT --gcs-prefix gs://bucket/digits [--side 32] [--per-class N] [--ml-use]
  python3 automl_images.py shapes OUT --gcs-prefix gs://bucket/shapes [--side 32] [--per-class 20] [--ml-use]
                                       [--multi-label]

digits: scikit-learn's bundled 8x8 digits (1,797 images, 16 grey levels), upscaled bilinearly to SIDE x SIDE,
labels digit_0 .. digit_9. shapes: coloured circles, squares and triangles of random size, position and
colour on a random grey background (multi-label: one to three different shapes per image).

Writes OUT/img/NNNN.png, OUT/import.csv (``[ml_use,]gs://…/img/NNNN.png,label[,label…]``; with --ml-use every
tenth image is validation and the next test) and OUT/examples.json ``[{"file", "uri", "labels", "mlUse"?}]``.
"""

import argparse
import json
import os

import numpy as np
from PIL import Image, ImageDraw

SHAPES = ("circle", "square", "triangle")


def digits(side, per_class):
    from sklearn.datasets import load_digits

    data = load_digits()
    seen = {}
    for image, target in zip(data.images, data.target):
        seen[target] = seen.get(target, 0) + 1
        if per_class and seen[target] > per_class:
            continue
        grey = Image.fromarray((image / 16.0 * 255).astype(np.uint8), mode="L")
        yield grey.resize((side, side), Image.BILINEAR), ["digit_%d" % target]


def _draw(draw, shape, box, colour):
    x0, y0, x1, y1 = box
    if shape == "circle":
        draw.ellipse(box, fill=colour)
    elif shape == "square":
        draw.rectangle(box, fill=colour)
    else:
        draw.polygon([((x0 + x1) / 2, y0), (x1, y1), (x0, y1)], fill=colour)


def shapes(side, per_class, multi_label, seed=0):
    rng = np.random.default_rng(seed)
    for i in range(per_class * len(SHAPES)):
        if multi_label:
            count = int(rng.integers(1, 4))
            present = sorted(rng.choice(len(SHAPES), count, replace=False).tolist())
        else:
            present = [i % len(SHAPES)]
        background = int(rng.integers(0, 80))
        image = Image.new("RGB", (side, side), (background,) * 3)
        draw = ImageDraw.Draw(image)
        cells = len(present)
        for j, k in enumerate(present):
            width = side // cells
            size = int(rng.integers(width // 2, width - 2))
            x = j * width + int(rng.integers(0, width - size))
            y = int(rng.integers(0, side - size))
            colour = tuple(int(c) for c in rng.integers(120, 256, 3))
            _draw(draw, SHAPES[k], (x, y, x + size, y + size), colour)
        yield image, [SHAPES[k] for k in present]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("digits", "shapes"))
    parser.add_argument("out")
    parser.add_argument("--gcs-prefix", required=True)
    parser.add_argument("--side", type=int, default=32)
    parser.add_argument("--per-class", type=int, default=0)
    parser.add_argument("--ml-use", action="store_true")
    parser.add_argument("--multi-label", action="store_true")
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "img"), exist_ok=True)
    images = digits(args.side, args.per_class) if args.kind == "digits" else \
        shapes(args.side, args.per_class or 20, args.multi_label)
    rows, examples = [], []
    for i, (image, labels) in enumerate(images):
        name = "img/%04d.png" % i
        image.save(os.path.join(args.out, name))
        uri = "%s/%s" % (args.gcs_prefix.rstrip("/"), name)
        example = {"file": name, "uri": uri, "labels": labels}
        fields = [uri] + labels
        if args.ml_use:
            example["mlUse"] = {8: "validation", 9: "test"}.get(i % 10, "training")
            fields.insert(0, example["mlUse"])
        rows.append(",".join(fields))
        examples.append(example)
    with open(os.path.join(args.out, "import.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(args.out, "examples.json"), "w") as f:
        json.dump(examples, f)
    print("%d images in %s" % (len(examples), args.out))


if __name__ == "__main__":
    main()
