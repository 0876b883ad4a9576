"""CREATE MODEL: reads the training frame, splits, preprocesses, fits, evaluates and saves the model."""

import os
import pickle

import numpy as np

from . import metrics
from .frames import read_frame
from .glm import Glm
from .prep import NUMERIC, Preprocessor, UserError
from .split import split_rows

SUPERVISED = {
    "LINEAR_REG": "regressor",
    "LOGISTIC_REG": "classifier",
    "BOOSTED_TREE_CLASSIFIER": "classifier",
    "BOOSTED_TREE_REGRESSOR": "regressor",
    "DNN_CLASSIFIER": "classifier",
    "DNN_REGRESSOR": "regressor",
}
TREES = {"BOOSTED_TREE_CLASSIFIER", "BOOSTED_TREE_REGRESSOR"}


def family(model_type):
    if model_type in ("LINEAR_REG", "LOGISTIC_REG"):
        return Glm(model_type == "LOGISTIC_REG")
    if model_type in TREES:
        from .trees import Trees

        return Trees(model_type == "BOOSTED_TREE_CLASSIFIER")
    from .dnn import Dnn

    return Dnn({"DNN_CLASSIFIER": "classifier", "DNN_REGRESSOR": "regressor"}.get(model_type, "autoencoder"))


def preprocessor(model_type, features, opts):
    if model_type in TREES:
        return Preprocessor(features, opts.get("category_encoding_method", "LABEL_ENCODING"), scale=False, impute=False)
    scale = True
    if model_type == "KMEANS":
        scale = opts.get("standardize_features", True)
    if model_type == "PCA":
        scale = opts.get("scale_features", True)
    return Preprocessor(features, opts.get("category_encoding_method", "ONE_HOT_ENCODING"), scale=scale)


def class_value(v, label_type):
    """A class as JSON: numbers for numeric labels, strings otherwise (BOOL as 'true'/'false')."""
    if label_type == "INTEGER":
        return int(v)
    if label_type in NUMERIC:
        return float(v)
    return v


def encode_labels(values, classes, label_type):
    """Class indices of label values; unseen labels are an error."""
    keys = [class_value(c, label_type) for c in classes]
    uniq, inverse = np.unique(values, return_inverse=True)
    index = {k: i for i, k in enumerate(keys)}
    codes = []
    for u in uniq.tolist():
        key = class_value(u, label_type)
        if key not in index:
            raise UserError(f"Label value {key!r} was not seen when the model was trained (classes: {keys}).")
        codes.append(index[key])
    return np.asarray(codes, dtype=np.int64)[inverse] if len(values) else np.zeros(0, dtype=np.int64)


def label_rows(values):
    """Mask of rows whose label is not NULL."""
    if values.dtype == object:
        return np.array([v is not None for v in values], dtype=bool)
    return ~np.isnan(values)


def sample_weights(y, classes, opts, train_frame):
    w = None
    if opts.get("auto_class_weights"):
        counts = np.bincount(y, minlength=len(classes)).astype(np.float64)
        w = (len(y) / (counts * len(classes)))[y]
    elif opts.get("class_weights"):
        table = {str(k): float(v) for k, v in opts["class_weights"]}
        unknown = set(table) - {str(c) for c in classes}
        if unknown:
            raise UserError(f"CLASS_WEIGHTS names labels {sorted(unknown)} that are not in the training data {classes}.")
        w = np.array([table.get(str(classes[i]), 1.0) for i in y])
    col = opts.get("instance_weight_col")
    if col:
        iw = np.nan_to_num(np.asarray(train_frame.get(col), dtype=np.float64), nan=0.0)
        w = iw if w is None else w * iw
    return w


def train(req, emit):
    frame = read_frame(req["frame"])
    opts, model_type = req["options"], req["modelType"]
    kind = SUPERVISED.get(model_type)
    label = None
    exclude = {"__tvx_hash"} | {opts[k] for k in ("data_split_col", "kmeans_init_col", "instance_weight_col") if opts.get(k)}
    if kind:
        label = (opts.get("input_label_cols") or ["label"])[0]
        if not frame.has(label):
            raise UserError(
                f"Label column {label} is not in the query's columns ({', '.join(c for c in frame.columns if c != '__tvx_hash')}); "
                "set INPUT_LABEL_COLS to the label column or select a column named label."
            )
        exclude.add(label)
        frame = frame.take(np.nonzero(label_rows(frame.get(label)))[0])
    features = [{"name": n, "type": frame.types[n]} for n in frame.columns if n not in exclude]
    if not features:
        raise UserError("The query has no feature columns: select at least one column besides the label and split columns.")
    if frame.rows == 0:
        raise UserError("The training query returned no rows (with a non-NULL label).")
    label_type = frame.types.get(label) if label else None
    classes = codes = None
    if kind == "classifier":
        uniq, codes = np.unique(frame.get(label), return_inverse=True)
        classes = uniq.tolist()
        if len(classes) < 2:
            raise UserError(f"Label column {label} has only one distinct value; a classifier needs at least two.")
        if model_type == "LOGISTIC_REG" and len(classes) > 50:
            raise UserError(f"Label column {label} has {len(classes)} distinct values; LOGISTIC_REG allows at most 50.")
        classes = [class_value(c, label_type) for c in classes]
    elif kind == "regressor" and label_type not in NUMERIC:
        raise UserError(f"Label column {label} is {label_type}; {model_type} needs a numeric label (INT64, NUMERIC or FLOAT64).")

    split = model_type not in ("KMEANS", "PCA")
    is_eval = split_rows(frame, opts) if split else np.zeros(frame.rows, dtype=bool)
    train_idx, eval_idx = np.nonzero(~is_eval)[0], np.nonzero(is_eval)[0]
    train_f, eval_f = frame.take(train_idx), frame.take(eval_idx)
    if train_f.rows == 0:
        raise UserError("The data split leaves no training rows; lower DATA_SPLIT_EVAL_FRACTION or change DATA_SPLIT_COL.")
    prep = preprocessor(model_type, features, opts).fit(train_f)
    X, Xe = prep.transform(train_f), (prep.transform(eval_f) if eval_f.rows else None)
    state = {"modelType": model_type, "prep": prep, "features": features, "label": label, "labelType": label_type,
             "classes": classes, "options": opts}
    resp = {"featureColumns": features, "classes": classes, "trainingRows": train_f.rows, "evalRows": eval_f.rows}
    if label:
        resp["labelColumns"] = [{"name": label, "type": label_type}]

    if model_type == "KMEANS":
        from .unsupervised import Kmeans

        est = Kmeans()
        init = opts.get("kmeans_init_col")
        rows = np.array([v == "true" for v in train_f.get(init)]) if init and train_f.has(init) else None
        iterations = est.fit(X, opts, rows, emit)
        row = est.evaluate(X)
        resp["numClusters"] = est.k
        resp["evaluationMetrics"] = {"clusteringMetrics": {"daviesBouldinIndex": row["davies_bouldin_index"],
                                                           "meanSquaredDistance": row["mean_squared_distance"]}}
    elif model_type == "PCA":
        from .unsupervised import Pca

        est = Pca()
        iterations = est.fit(X, opts, emit)
        row = est.evaluate()
        resp["numComponents"] = int(est.est.n_components_)
        resp["evaluationMetrics"] = {"dimensionalityReductionMetrics": {"totalExplainedVarianceRatio": row["total_explained_variance_ratio"]}}
    else:
        est = family(model_type)
        y = ye = None
        weights = None
        if kind == "classifier":
            y, ye = codes[train_idx], codes[eval_idx]
            weights = sample_weights(y, classes, opts, train_f)
        elif kind == "regressor":
            y, ye = np.asarray(train_f.get(label), dtype=np.float64), np.asarray(eval_f.get(label), dtype=np.float64)
            weights = sample_weights(None, [], {"instance_weight_col": opts.get("instance_weight_col")}, train_f)
        extra = {"k": len(classes)} if model_type in TREES or model_type == "DNN_CLASSIFIER" else {}
        iterations = est.fit(X, y, Xe, ye, opts, weights, emit, **extra)
        Xm, ym = (Xe, ye) if Xe is not None else (X, y)
        out = est.predict(Xm) if Xe is not None or not hasattr(est, "train_out") else est.train_out
        if hasattr(est, "train_out"):
            del est.train_out
        state["evalCache"] = {"y": ym, "out": out, "X": Xm if model_type == "AUTOENCODER" else None}
        if kind == "classifier":
            row = metrics.classification(ym, out, 0.5)
            resp["evaluationMetrics"] = metrics.classification_rest(row, ym, out, classes, 0.5)
        elif kind == "regressor":
            row = metrics.regression(ym, out)
            resp["evaluationMetrics"] = metrics.regression_rest(row)
        else:
            from .functions import reconstruction

            row = reconstruction(Xm, out)
            resp["latentUnits"] = est.latent
            resp["evaluationMetrics"] = {"regressionMetrics": {"meanAbsoluteError": row["mean_absolute_error"],
                                                               "meanSquaredError": row["mean_squared_error"],
                                                               "meanSquaredLogError": row["mean_squared_log_error"]}}
        if opts.get("enable_global_explain") and kind:
            from .functions import global_attributions

            state["global"] = global_attributions(est, prep, X, classes)
    state["est"], state["evaluation"] = est, row
    resp["iterations"], resp["evaluation"] = iterations, row
    os.makedirs(req["modelDir"], exist_ok=True)
    tmp = os.path.join(req["modelDir"], "engine.pkl.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, os.path.join(req["modelDir"], "engine.pkl"))
    return resp
