"""A small Vertex AI trainer: the same code runs on Vertex and on the terra-vertex emulator.

Hyperparameters arrive as flags, the model is saved under AIP_MODEL_DIR (a gs:// URI, written through
the /gcs/ mount on Vertex or the folder TVX_GCS_MOUNT names on the emulator).
"""
import argparse
import json
import os
import sys

import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def local_path(uri: str) -> str:
    """gs://bucket/path -> /gcs/bucket/path (Vertex) or <TVX_GCS_MOUNT>/bucket/path (emulator)."""
    if uri.startswith("gs://"):
        return os.path.join(os.environ.get("TVX_GCS_MOUNT", "/gcs"), uri[len("gs://"):])
    return uri


_hypertune = None


def report_to_tuning_service(accuracy: float, step: int) -> None:
    """Reports the metric for hyperparameter tuning (cloudml-hypertune: on Vertex and the emulator).

    One HyperTune instance for the whole run: each one rewrites the metrics file with its own reports.
    """
    global _hypertune
    if _hypertune is None:
        try:
            import hypertune
        except ImportError:  # outside a tuning service there is nobody to report to
            return
        _hypertune = hypertune.HyperTune()
    _hypertune.report_hyperparameter_tuning_metric(
        hyperparameter_metric_tag="accuracy", metric_value=accuracy, global_step=step
    )


def train_by_epoch(args, x_train, y_train, x_test, y_test):
    """One warm-started solver iteration per epoch, reporting test accuracy at each epoch as its step."""
    import time
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # one iteration never converges
    model = LogisticRegression(C=args.C, max_iter=1, warm_start=True)
    for epoch in range(1, args.epochs + 1):
        model.fit(x_train, y_train)
        accuracy = float(model.score(x_test, y_test))
        print(f"epoch {epoch}: accuracy={accuracy:.4f}", flush=True)
        report_to_tuning_service(accuracy, epoch)
        time.sleep(args.epoch_seconds)
    return model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--max-iter", type=int, default=200)
    parser.add_argument("--fail-with", default="", help="raise this error instead of training (tests)")
    parser.add_argument("--sleep", type=float, default=0.0, help="seconds to run before training (tests)")
    parser.add_argument("--epochs", type=int, default=0,
                        help="train one solver iteration per epoch, reporting accuracy after each (early stopping)")
    parser.add_argument("--epoch-seconds", type=float, default=0.0, help="pause after each epoch (tests)")
    args = parser.parse_args()
    print(f"job {os.environ.get('CLOUD_ML_JOB_ID')} starting with C={args.C} max_iter={args.max_iter}", flush=True)
    if args.sleep:
        import time

        deadline = time.time() + args.sleep
        while time.time() < deadline:
            print("working...", flush=True)
            time.sleep(0.2)
    if args.fail_with:
        raise ValueError(args.fail_with)
    if args.C <= 0:
        print("C must be positive", file=sys.stderr)
        sys.exit(2)

    x, y = load_iris(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, random_state=0, stratify=y)
    if args.epochs > 0:
        model = train_by_epoch(args, x_train, y_train, x_test, y_test)
    else:
        model = LogisticRegression(C=args.C, max_iter=args.max_iter).fit(x_train, y_train)
    accuracy = float(model.score(x_test, y_test))
    print(f"accuracy={accuracy:.4f}", flush=True)
    if args.epochs <= 0:
        report_to_tuning_service(accuracy, args.max_iter)

    model_dir = local_path(os.environ["AIP_MODEL_DIR"])
    os.makedirs(model_dir, exist_ok=True)
    joblib.dump(model, os.path.join(model_dir, "model.joblib"))
    with open(os.path.join(model_dir, "metrics.json"), "w") as f:
        json.dump({"accuracy": accuracy}, f)
    cluster = json.loads(os.environ.get("CLUSTER_SPEC", "{}"))
    print(f"saved model to {os.environ['AIP_MODEL_DIR']} as {cluster.get('task', {}).get('type')}", flush=True)


if __name__ == "__main__":
    main()
