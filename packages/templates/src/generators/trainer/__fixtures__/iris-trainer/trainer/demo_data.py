"""Write a deterministic demo dataset (generated, never downloaded).

    python -m trainer.demo_data --out gs://my-bucket/demo/ [--rows 1000] [--seed 0]

Tabular: ``<out>/train.csv`` (or ``--out`` itself when it ends in ``.csv``) with numeric columns
``f0..fN`` and an integer ``label`` that depends on them linearly, plus noise. The same arguments
always give the same bytes.
"""

import argparse
import os
import sys

import numpy as np

from trainer.vertex_env import local_path


def tabular(rows, features, classes, seed):
    """Features (rows, features) and labels (rows,) of a noisy linear problem."""
    rng = np.random.RandomState(seed)
    weights = rng.normal(size=(features, classes))
    x = rng.normal(size=(rows, features))
    logits = x @ weights + 0.5 * rng.normal(size=(rows, classes))
    return x, logits.argmax(axis=1)


def write_tabular(out, rows, features, classes, seed):
    path = out if out.endswith(".csv") else os.path.join(out, "train.csv")
    target = local_path(path)
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    x, y = tabular(rows, features, classes, seed)
    with open(target, "w") as handle:
        handle.write(",".join(["f%d" % i for i in range(features)] + ["label"]) + "\n")
        for values, label in zip(x, y):
            handle.write(",".join("%.6f" % v for v in values) + ",%d\n" % label)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="gs:// URI or local path (directory or .csv)")
    parser.add_argument("--rows", type=int, default=1000, help="number of examples")
    parser.add_argument("--features", type=int, default=8, help="tabular: number of feature columns")
    parser.add_argument("--classes", type=int, default=2, help="number of classes (>= 2)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.classes < 2 or args.rows < args.classes:
        parser.error("need --classes >= 2 and --rows >= --classes")
    path = write_tabular(args.out, args.rows, args.features, args.classes, args.seed)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
