"""BigQuery ML's data split (reference §3.3): which training rows are held out for evaluation."""

import numpy as np

from .prep import UserError


def auto_eval_count(n):
    """AUTO_SPLIT: < 500 rows -> none; up to 50,000 -> 20%; more -> 10,000 rows."""
    if n < 500:
        return 0
    if n <= 50_000:
        return int(round(0.2 * n))
    return 10_000


def split_rows(frame, options):
    """Returns a boolean mask: True where the row is evaluation data."""
    n = frame.rows
    method = options.get("data_split_method", "AUTO_SPLIT")
    fraction = options.get("data_split_eval_fraction")
    if method == "NO_SPLIT" or n == 0:
        return np.zeros(n, dtype=bool)
    if method in ("AUTO_SPLIT", "RANDOM"):
        count = auto_eval_count(n) if method == "AUTO_SPLIT" or fraction is None else int(round(fraction * n))
        mask = np.zeros(n, dtype=bool)
        if count > 0:
            # Deterministic: the rows with the smallest hash of their values (DuckDB's hash of the row).
            order = np.argsort(frame.get("__tvx_hash"), kind="stable")
            mask[order[:count]] = True
        return mask
    col = options.get("data_split_col")
    if not col or not frame.has(col):
        raise UserError(f"DATA_SPLIT_METHOD {method} needs DATA_SPLIT_COL naming a column of the query; got {col!r}.")
    values = frame.get(col)
    if method == "CUSTOM":
        if frame.types[col] not in ("BOOLEAN", "BOOL"):
            raise UserError(f"DATA_SPLIT_COL {col} must be BOOL for DATA_SPLIT_METHOD CUSTOM (TRUE or NULL = evaluation).")
        return np.array([v is None or v == "true" for v in values], dtype=bool)
    # SEQ: ascending by the column; the last rows (largest values, then NULLs) are evaluation data.
    count = auto_eval_count(n) if fraction is None else int(round(fraction * n))
    if values.dtype == object:
        keys = [(v is None, "" if v is None else v) for v in values]
        order = sorted(range(n), key=lambda i: keys[i])
    else:
        order = np.argsort(np.where(np.isnan(values), np.inf, values), kind="stable")
    mask = np.zeros(n, dtype=bool)
    if count > 0:
        mask[np.asarray(order)[n - count :]] = True
    return mask
