"""Tabular data: a CSV with a header row (a file, a directory of ``*.csv`` or a glob; gs:// or local).

Features must be numeric. The label is the last column, or the one ``--label-column`` names; labels
may be any text and become class indices in sorted order (numerically when they are all integers).
"""

import csv
import glob
import os

import numpy as np

from trainer.vertex_env import local_path


class DataError(ValueError):
    """The data does not have the expected shape; the message says what to change."""


class Table:
    def __init__(self, features, labels, classes, feature_names):
        self.features = features
        self.labels = labels
        self.classes = classes
        self.feature_names = feature_names


def resolve_data_uri(uri):
    """``--data``, else Vertex's ``AIP_TRAINING_DATA_URI`` (managed datasets)."""
    uri = uri or os.environ.get("AIP_TRAINING_DATA_URI") or ""
    if not uri:
        raise DataError("no training data: pass --data gs://bucket/train.csv (or a local path); "
                        "create a demo file with: python -m trainer.demo_data --out data/")
    return uri


def csv_files(uri):
    path = local_path(uri)
    if os.path.isdir(path):
        files = sorted(glob.glob(os.path.join(path, "*.csv")))
    elif any(ch in path for ch in "*?["):
        files = sorted(glob.glob(path))
    else:
        files = [path] if os.path.exists(path) else []
    if not files:
        raise DataError("--data %s: no CSV file at %s (mounted from %s)" % (uri, path, uri))
    return files


def _sort_key(label):
    try:
        return (0, int(label), "")
    except ValueError:
        return (1, 0, label)


def load_table(uri, label_column=None):
    """Read every CSV of ``uri`` into a ``Table`` (float32 features, int64 class indices)."""
    header, rows = None, []
    for path in csv_files(uri):
        with open(path, newline="") as handle:
            reader = csv.reader(handle)
            file_header = next(reader, None)
            if header is None:
                header = file_header
            elif file_header != header:
                raise DataError("%s: header %s differs from the first file's %s" % (path, file_header, header))
            rows.extend(row for row in reader if row)
    if not header or len(header) < 2 or not rows:
        raise DataError("--data %s: need a header row, at least one feature column and one row" % uri)
    if label_column:
        if label_column not in header:
            raise DataError("--label-column %s is not a column of %s; columns: %s"
                            % (label_column, uri, ", ".join(header)))
        label_index = header.index(label_column)
    else:
        label_index = len(header) - 1
    names = [name for i, name in enumerate(header) if i != label_index]
    raw_labels = [row[label_index].strip() for row in rows]
    classes = sorted(set(raw_labels), key=_sort_key)
    if len(classes) < 2:
        raise DataError("--data %s: the label column %s has a single class %s"
                        % (uri, header[label_index], classes))
    index = {label: i for i, label in enumerate(classes)}
    features = np.empty((len(rows), len(names)), dtype=np.float32)
    for r, row in enumerate(rows):
        if len(row) != len(header):
            raise DataError("--data %s: row %d has %d values, the header has %d"
                            % (uri, r + 2, len(row), len(header)))
        values = [v for i, v in enumerate(row) if i != label_index]
        try:
            features[r] = [float(v) for v in values]
        except ValueError:
            raise DataError("--data %s: row %d has a non-numeric feature (%s); encode it as numbers"
                            % (uri, r + 2, values))
    labels = np.array([index[label] for label in raw_labels], dtype=np.int64)
    return Table(features, labels, classes, names)


def split(n, eval_fraction, seed):
    """Deterministic train/eval index split (at least one example on each side)."""
    if not 0.0 < eval_fraction < 1.0:
        raise DataError("--eval-fraction must be between 0 and 1, got %s" % eval_fraction)
    order = np.random.RandomState(seed).permutation(n)
    n_eval = min(max(1, int(round(n * eval_fraction))), n - 1)
    return np.sort(order[n_eval:]), np.sort(order[:n_eval])
