"""BigQuery ML's automatic preprocessing (reference §3.4) with scikit-learn transformers.

Numeric columns (INT64, NUMERIC, BIGNUMERIC, FLOAT64): NULL -> training mean, then standardised
(StandardScaler) unless the model keeps raw values (boosted trees; k-means with STANDARDIZE_FEATURES=FALSE).
Other scalar columns (STRING, BOOL, BYTES, DATE, ...; they arrive as strings): one-hot with NULL as its own
category and unseen values encoded as all zeros (OneHotEncoder), or for trees label-encoded with an alphabetical
vocabulary where NULL/unseen -> 0 (OrdinalEncoder + 1).
"""

import numpy as np
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

NUMERIC = {"INTEGER", "INT64", "FLOAT", "FLOAT64", "NUMERIC", "BIGNUMERIC"}
NULL = "\u0000NULL"


class Preprocessor:
    """Turns frame columns into a float matrix; `groups[j]` is the input feature of matrix column j."""

    def __init__(self, features, encoding="ONE_HOT_ENCODING", scale=True, impute=True):
        self.features = features  # [{"name", "type"}]
        self.encoding = encoding
        self.scale = scale
        self.impute = impute
        self.num = [f["name"] for f in features if f["type"] in NUMERIC]
        self.cat = [f["name"] for f in features if f["type"] not in NUMERIC]

    def _num_block(self, frame):
        """Numeric inputs as a C-order matrix (a fresh copy, safe to change in place)."""
        return np.array(frame.matrix(self.num), dtype=np.float64, order="C")

    def _cat_block(self, frame):
        block = np.empty((frame.rows, len(self.cat)), dtype=object)
        for j, n in enumerate(self.cat):
            col = frame.get(n)
            block[:, j] = np.where(col == None, NULL, col)  # noqa: E711 - elementwise
        return block

    def fit(self, frame):
        if self.num:
            block = frame.matrix(self.num)
            # StandardScaler ignores NaN (NULL) when fitting, so its mean_ is the imputation mean too.
            self.scaler = StandardScaler().fit(block) if self.scale else None
            if self.scaler is not None:
                self.means = np.nan_to_num(self.scaler.mean_, nan=0.0)
            elif self.impute:
                with np.errstate(all="ignore"):
                    self.means = np.nan_to_num(np.nanmean(block, axis=0), nan=0.0)
        self.cat_tf = None
        if self.cat:
            block = self._cat_block(frame)
            if self.encoding == "LABEL_ENCODING":
                cats = [sorted(set(block[:, j]) - {NULL}) for j in range(block.shape[1])]
                self.cat_tf = OrdinalEncoder(
                    categories=cats, handle_unknown="use_encoded_value", unknown_value=-1, dtype=np.float64
                )
            elif self.encoding == "DUMMY_ENCODING":
                drop = []
                for j in range(block.shape[1]):
                    values, counts = np.unique(block[:, j].astype(str), return_counts=True)
                    drop.append(values[np.argmax(counts)])
                self.cat_tf = OneHotEncoder(drop=drop, handle_unknown="ignore", sparse_output=False)
            else:
                self.cat_tf = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
            self.cat_tf.fit(block.astype(str))
        self._names()
        return self

    def _names(self):
        names, groups = [], []
        index = {f["name"]: i for i, f in enumerate(self.features)}
        for n in self.num:
            names.append(n)
            groups.append(index[n])
        for j, n in enumerate(self.cat):
            if self.encoding == "LABEL_ENCODING":
                names.append(n)
                groups.append(index[n])
            else:
                cats = list(self.cat_tf.categories_[j])
                dropped = self.cat_tf.drop_idx_[j] if getattr(self.cat_tf, "drop_idx_", None) is not None else None
                for k, c in enumerate(cats):
                    if dropped is not None and k == dropped:
                        continue
                    names.append(f"{n}_{'NULL' if c == NULL else c}")
                    groups.append(index[n])
        self.names = names
        self.groups = np.array(groups, dtype=int)
        self.num_index = {n: i for i, n in enumerate(self.num)}

    def transform(self, frame):
        missing = [f["name"] for f in self.features if not frame.has(f["name"])]
        if missing:
            raise UserError(
                f"The input is missing the model's feature column(s) {', '.join(missing)}; select them in the input query."
            )
        if frame.rows == 0:
            # scikit-learn refuses empty arrays; BigQuery answers no rows. Callers get one all-zero row to
            # compute on and cut their outputs back to frame.rows.
            return np.zeros((1, len(self.names)))
        parts = []
        if self.num:
            block = self._num_block(frame)
            nan = np.isnan(block)
            has_nan = self.impute and nan.any()
            if self.scaler is not None:
                block = self.scaler.transform(block, copy=False)
                if has_nan:  # NULL -> training mean, which is 0 once standardised
                    block[nan] = 0.0
            elif has_nan:
                block = np.where(nan, self.means, block)
            parts.append(block)
        if self.cat:
            block = self._cat_block(frame)
            encoded = self.cat_tf.transform(block.astype(str))
            # Label encoding: vocabulary 1..n, NULL and unseen values (encoded -1 by OrdinalEncoder) -> 0.
            parts.append(encoded + 1.0 if self.encoding == "LABEL_ENCODING" else encoded)
        if not parts:
            return np.zeros((frame.rows, 0))
        return np.hstack(parts) if len(parts) > 1 else parts[0]



class UserError(Exception):
    """A problem with the request or the data, reported to the user as is."""
