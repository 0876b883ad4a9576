"""The ML.* table functions on a saved model; row-wise outputs go to a frame file, small ones into the answer."""

import os
import pickle

import numpy as np

from . import metrics
from .engine import SUPERVISED, TREES, encode_labels, label_rows
from .frames import read_frame, write_frame
from .prep import UserError

_cache = {}


def load(model_dir):
    path = os.path.join(model_dir, "engine.pkl")
    try:
        mtime = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        raise UserError(f"The model's files are missing from {model_dir}; create the model again.") from None
    hit = _cache.get(model_dir)
    if hit and hit[0] == mtime:
        return hit[1]
    with open(path, "rb") as f:
        state = pickle.load(f)
    _cache[model_dir] = (mtime, state)
    return state


def reconstruction(X, out):
    err = out - X
    msle = None
    if (X > -1).all() and (out > -1).all():
        msle = float(np.mean((np.log1p(out) - np.log1p(X)) ** 2))
    return {
        "mean_absolute_error": float(np.mean(np.abs(err))),
        "mean_squared_error": float(np.mean(err**2)),
        "mean_squared_log_error": msle,
    }


def grouped(attr, prep):
    """Attributions per input feature: the sum over each feature's matrix columns."""
    out = np.zeros((attr.shape[0], len(prep.features)))
    np.add.at(out.T, prep.groups, attr.T)
    return out


def global_attributions(est, prep, X, classes, limit=2000):
    """Mean |attribution| per feature over (a deterministic sample of) the training rows; per class too."""
    if len(X) > limit:
        X = X[np.random.default_rng(0).permutation(len(X))[:limit]]
    names = [f["name"] for f in prep.features]
    out = est.predict(X)
    cls = metrics.predicted_classes(out, 0.5) if classes else None
    attr = grouped(est.explain(X, cls)[0], prep)
    result = {"all": sorted(zip(names, np.abs(attr).mean(axis=0).tolist()), key=lambda t: -t[1])}
    if classes:
        per = {}
        for c in range(len(classes)):
            a = grouped(est.explain(X, np.full(len(X), c))[0], prep)
            per[str(classes[c])] = sorted(zip(names, np.abs(a).mean(axis=0).tolist()), key=lambda t: -t[1])[:10]
        result["classes"] = per
    return result


def _inputs(state, req, need_label=False):
    frame = read_frame(req["frame"])
    y = None
    if need_label:
        label = state["label"]
        if not frame.has(label):
            raise UserError(f"The input has no label column {label}; select it so the model can be evaluated.")
        frame = frame.take(np.nonzero(label_rows(frame.get(label)))[0])
        raw = frame.get(label)
        y = encode_labels(raw, state["classes"], state["labelType"]) if state["classes"] else np.asarray(raw, np.float64)
    return frame, state["prep"].transform(frame), y


def _threshold(req):
    return float(req.get("settings", {}).get("threshold", 0.5))


def predict(req):
    state = load(req["modelDir"])
    mt, est = state["modelType"], state["est"]
    frame, X, _ = _inputs(state, req)
    if mt == "KMEANS":
        dist = est.distances(X)
        order = np.argsort(dist, axis=1, kind="stable")
        cols = [("cid", order[:, 0] + 1.0)]
        for j in range(min(est.k, 5)):
            cols += [(f"n{j}_id", order[:, j] + 1.0), (f"n{j}_d", dist[np.arange(len(X)), order[:, j]])]
    elif mt == "PCA":
        pcs = est.est.transform(X)
        cols = [(f"pc{i}", pcs[:, i]) for i in range(pcs.shape[1])]
    elif mt == "AUTOENCODER":
        lat = est.encode(X)
        cols = [(f"l{i}", lat[:, i]) for i in range(lat.shape[1])]
    elif state["classes"]:
        probs = est.predict(X)
        cols = [("idx", metrics.predicted_classes(probs, _threshold(req)).astype(np.float64))]
        cols += [(f"p{i}", probs[:, i]) for i in range(probs.shape[1])]
    else:
        cols = [("v", est.predict(X))]
    write_frame(req["out"], frame.rows, [(name, values[: frame.rows]) for name, values in cols])
    return {"rows": frame.rows, "columns": [c[0] for c in cols]}


def explain_predict(req):
    state = load(req["modelDir"])
    mt, est, settings = state["modelType"], state["est"], req.get("settings", {})
    if mt not in SUPERVISED:
        raise UserError(f"ML.EXPLAIN_PREDICT does not support {mt} models; it explains supervised models only.")
    frame, X, _ = _inputs(state, req)
    out = est.predict(X)
    if state["classes"]:
        cls = metrics.predicted_classes(out, _threshold(req))
        cols = [("idx", cls.astype(np.float64)), ("prob", out[np.arange(len(X)), cls])]
    else:
        cls = None
        cols = [("v", out)]
    kwargs = {"steps": settings.get("integrated_gradients_num_steps", 15)} if mt.startswith("DNN") else {}
    attr, base, value, err = est.explain(X, cls, **kwargs)
    attr = grouped(attr, state["prep"])
    k = max(0, min(int(settings.get("top_k_features", 5)), attr.shape[1]))
    order = np.argsort(-np.abs(attr), axis=1, kind="stable")[:, :k]
    for j in range(k):
        cols += [(f"f{j}", order[:, j].astype(np.float64)), (f"a{j}", attr[np.arange(len(X)), order[:, j]])]
    cols += [("base", np.asarray(base, np.float64)), ("pv", np.asarray(value, np.float64)), ("err", err)]
    write_frame(req["out"], frame.rows, [(name, values[: frame.rows]) for name, values in cols])
    return {"rows": frame.rows, "columns": [c[0] for c in cols], "topK": k}


def _scored(state, req):
    """(y, model output) from the input data, or from the evaluation split kept at training time."""
    if req.get("frame"):
        _, X, y = _inputs(state, req, need_label=True)
        return y, state["est"].predict(X)
    cache = state["evalCache"]
    return cache["y"], cache["out"]


def evaluate(req):
    state = load(req["modelDir"])
    mt, est = state["modelType"], state["est"]
    if mt == "PCA":
        return {"rows": [est.evaluate()]}
    if mt == "KMEANS":
        return {"rows": [est.evaluate(_inputs(state, req)[1]) if req.get("frame") else state["evaluation"]]}
    if mt == "AUTOENCODER":
        if not req.get("frame"):
            return {"rows": [state["evaluation"]]}
        X = _inputs(state, req)[1]
        return {"rows": [reconstruction(X, est.predict(X))]}
    y, out = _scored(state, req)
    if state["classes"]:
        return {"rows": [metrics.classification(y, out, _threshold(req))]}
    return {"rows": [metrics.regression(y, out)]}


def _classifier(state, name):
    if not state["classes"]:
        raise UserError(f"{name} needs a classification model; {state['modelType']} is not one.")


def confusion_matrix(req):
    state = load(req["modelDir"])
    _classifier(state, "ML.CONFUSION_MATRIX")
    y, out = _scored(state, req)
    pred = metrics.predicted_classes(out, _threshold(req))
    k = len(state["classes"])
    return {"classes": state["classes"], "matrix": metrics.confusion(y, pred, k).tolist()}


def roc_curve(req):
    state = load(req["modelDir"])
    _classifier(state, "ML.ROC_CURVE")
    if len(state["classes"]) != 2:
        raise UserError(f"ML.ROC_CURVE needs a binary classification model; this one has {len(state['classes'])} classes.")
    y, out = _scored(state, req)
    thresholds = req.get("thresholds") or metrics.default_thresholds(out[:, 1])
    return {"rows": metrics.roc_rows(y, out[:, 1], thresholds)}


def global_explain(req):
    state = load(req["modelDir"])
    if "global" not in state:
        raise UserError(
            "ML.GLOBAL_EXPLAIN needs a model created with ENABLE_GLOBAL_EXPLAIN = TRUE; create the model again with that option."
        )
    if req.get("settings", {}).get("class_level_explain"):
        if not state["classes"]:
            raise UserError("class_level_explain = TRUE needs a classification model.")
        return {"rows": [[c, f, a] for c, rows in state["global"]["classes"].items() for f, a in rows]}
    return {"rows": [[f, a] for f, a in state["global"]["all"]]}


def feature_importance(req):
    state = load(req["modelDir"])
    if state["modelType"] not in TREES:
        raise UserError(
            f"ML.FEATURE_IMPORTANCE supports boosted tree models only; {state['modelType']} has no feature importance "
            "(use ML.GLOBAL_EXPLAIN with ENABLE_GLOBAL_EXPLAIN = TRUE instead)."
        )
    prep = state["prep"]
    per = state["est"].importance()
    agg = np.zeros((len(prep.features), 3))
    np.add.at(agg, prep.groups, per)
    rows = []
    for i, f in enumerate(prep.features):
        w = agg[i, 0]
        rows.append([f["name"], int(w), float(agg[i, 1] / w) if w else 0.0, float(agg[i, 2] / w) if w else 0.0])
    return {"rows": rows}
