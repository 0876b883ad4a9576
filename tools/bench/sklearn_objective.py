"""The scikit-learn tuning problem of tools/bench/search-bench.ts: a pipeline (scaler, then an RBF SVC) on the
digits dataset that ships with scikit-learn (1797 8x8 images, 10 classes), scored by 3-fold stratified
cross-validated accuracy (fixed split, fixed random_state), to MAXIMIZE. Parameters: the SVC's C and gamma
(log scale) and the scaler (categorical: none, standard, minmax), whose choice moves the best gamma.

Modes (one process each, so the imports are paid once):
  --serve        one JSON object of parameter values per stdin line -> {"value": accuracy, "seconds": s}
                 per stdout line (or {"error": ...}), until stdin closes;
  --tpe SPEC     Optuna's TPESampler(seed=s) for s in 0..--seeds-1, --trials trials each, on the same
                 objective() and on the space SPEC (Vertex ParameterSpec JSON, converted below); prints
                 {"best": [best accuracy per seed], "seconds": mean seconds per trial}, or null without optuna.
"""

import json
import os
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # one core per process; set before numpy loads

from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

X, Y = load_digits(return_X_y=True)
CV = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
SCALERS = {"none": lambda: "passthrough", "standard": StandardScaler, "minmax": MinMaxScaler}


def objective(params):
    """Mean 3-fold CV accuracy of scaler + SVC(C, gamma, kernel="rbf") on digits; deterministic."""
    svc = SVC(C=float(params["C"]), gamma=float(params["gamma"]), kernel="rbf", random_state=0)
    model = make_pipeline(SCALERS[params["scaler"]](), svc)
    return float(cross_val_score(model, X, Y, cv=CV).mean())


def optuna_params(trial, spec):
    """Samples a trial's parameters from Vertex ParameterSpecs (log=True for UNIT_LOG_SCALE)."""
    out = {}
    for p in spec:
        pid, log = p["parameterId"], p.get("scaleType") == "UNIT_LOG_SCALE"
        if "doubleValueSpec" in p:
            d = p["doubleValueSpec"]
            out[pid] = trial.suggest_float(pid, float(d["minValue"]), float(d["maxValue"]), log=log)
        elif "integerValueSpec" in p:
            d = p["integerValueSpec"]
            out[pid] = trial.suggest_int(pid, int(d["minValue"]), int(d["maxValue"]), log=log)
        elif "categoricalValueSpec" in p:
            out[pid] = trial.suggest_categorical(pid, p["categoricalValueSpec"]["values"])
        else:
            raise ValueError(f"unsupported parameter spec {p}")
    return out


def tpe(spec, seeds, trials):
    try:
        import optuna
    except ImportError:
        return None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    best, t = [], time.time()
    for seed in range(seeds):
        study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(lambda tr: objective(optuna_params(tr, spec)), n_trials=trials)
        best.append(study.best_value)
    return {"best": best, "seconds": (time.time() - t) / (seeds * trials)}


def serve():
    for line in sys.stdin:
        if not line.strip():
            continue
        t = time.time()
        try:
            res = {"value": objective(json.loads(line))}
        except Exception as e:  # noqa: BLE001 - reported to the caller
            res = {"error": repr(e)}
        res["seconds"] = time.time() - t
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    elif "--tpe" in sys.argv:
        spec = json.loads(sys.argv[sys.argv.index("--tpe") + 1])
        print(json.dumps(tpe(spec, arg("--seeds", 10), arg("--trials", 30))))
    else:
        sys.exit(__doc__)
