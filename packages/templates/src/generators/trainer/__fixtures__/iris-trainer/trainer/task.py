"""Train iris-trainer (scikit-learn): ``python -m trainer.task --data gs://bucket/train.csv [flags]``.

Hyperparameters arrive as flags, ``--name=value`` or ``--name value`` (Vertex AI tuning appends
them). The tuning metric is ``accuracy`` (maximize); see trainer/vertex_env.py for the
runtime contract and trainer/reporting.py for what is reported where.
"""

import argparse
import json
import sys

from trainer import data, model, reporting, vertex_env

FRAMEWORK = "sklearn"
METRIC = "accuracy"
GOAL = "maximize"


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m trainer.task", description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="gs:// URI or path of the training CSV (default: $AIP_TRAINING_DATA_URI)")
    parser.add_argument("--label-column", "--label_column", default=None, help="label column name (default: the last column)")
    parser.add_argument("--eval-fraction", "--eval_fraction", type=float, default=0.2, help="fraction of rows held out for evaluation")
    parser.add_argument("--seed", type=int, default=0, help="random seed (data split, initialization, shuffling)")
    parser.add_argument("--model-dir", "--model_dir", default="AIP_MODEL_DIR", help="output directory; the literal AIP_MODEL_DIR (default) means $AIP_MODEL_DIR")
    parser.add_argument("--checkpoint-dir", "--checkpoint_dir", default="AIP_CHECKPOINT_DIR", help="output directory; the literal AIP_CHECKPOINT_DIR (default) means $AIP_CHECKPOINT_DIR")
    parser.add_argument("--tensorboard-dir", "--tensorboard_dir", default="AIP_TENSORBOARD_LOG_DIR", help="output directory; the literal AIP_TENSORBOARD_LOG_DIR (default) means $AIP_TENSORBOARD_LOG_DIR")
    parser.add_argument("--learning_rate", "--learning-rate", type=float, default=0.1, help="hyperparameter: double in [0.01, 0.3], log scale (default 0.1)")
    parser.add_argument("--max_depth", "--max-depth", type=vertex_env.integer, default=5, help="hyperparameter: integer in [2, 8] (default 5)")
    return parser


def hyperparameters(args):
    """The tuned values of this run, by name."""
    return {
        "learning_rate": args.learning_rate,
        "max_depth": args.max_depth,
    }


def main(argv=None):
    args = build_parser().parse_args(argv)
    outputs = vertex_env.resolve_outputs(args)
    hparams = hyperparameters(args)
    for name in sorted(set(hparams) - set(model.KNOWN_HYPERPARAMETERS)):
        vertex_env.warn("hyperparameter %r is parsed but trainer/model.py does not use it "
                        "(it uses: %s)" % (name, ", ".join(sorted(model.KNOWN_HYPERPARAMETERS))))
    print("[trainer] %r hyperparameters=%s" % (outputs, json.dumps(hparams, sort_keys=True)), flush=True)
    reporter = reporting.Reporter(outputs, METRIC)
    try:
        result = model.train(args, hparams, outputs, reporter)
    except data.DataError as error:
        vertex_env.warn(str(error))
        return 2
    finally:
        reporter.close()
    summary = dict(result["metrics"])
    summary.update({
        "framework": FRAMEWORK,
        "metric": METRIC,
        "goal": GOAL,
        "metric_value": result["metrics"].get(METRIC),
        "global_step": result["step"],
        "classes": result["classes"],
        "hyperparameters": hparams,
        "trial_id": outputs.trial_id or None,
    })
    path = reporter.write_metrics(summary)
    if path:
        print("[trainer] %s=%s (%s) -> %s" % (METRIC, summary["metric_value"], GOAL, path), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
