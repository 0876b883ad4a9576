"""`python -m tvx_automl --spec spec.json`: train an AutoML image classifier on the local CPU.

Spec (JSON):
  modelDir      folder for the artifact: model.pt (TorchScript: float32 N x C x H x W in [0, 1] -> logits
                N x K) and automl_image.json {labels, annotationSpecIds, imageSize [H, W], channels, multiLabel,
                modelType}
  outputDir     folder for evaluation.json (classification_metrics_1.0.0 on the test split),
                evaluation_slices.json (one per label) and training.json (costMilliNodeHours,
                successfulStopReason, counts, epochs, seconds)
  labels        [{"id": "<annotation spec id>", "displayName": "..."}] in output order
  examples      [{"path": "<local image>", "labels": [label index, ...], "split"?: "training|validation|test",
                  "uri"?: "gs://... (for messages)"}]; examples without a split are drawn at random
  fractions     optional {"training", "validation", "test"} for the random draw (default 0.8 / 0.1 / 0.1)
  multiLabel, modelType ("CLOUD" ...), budgetSeconds (wall-clock training budget), budgetMilliNodeHours,
  earlyStopping (default true), seed (default 0), threads (default 2), baseModel (optional model.pt to
  warm-start from)

Progress goes to stdout, one line per epoch. Exit statuses: 0 done; 2 invalid spec; 3 unusable data; 1 other
failures (one line on stderr: ``tvx_automl: <what went wrong>``).
"""

import argparse
import json
import math
import os
import sys
import time

EXIT_SPEC, EXIT_DATA = 2, 3


def log(line):
    print(line, flush=True)


def _write(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1)
    os.replace(tmp, path)


def run(spec):
    import numpy as np
    import torch

    from . import data, metrics, model as nets, train

    started = time.monotonic()
    seed = int(spec.get("seed") or 0)
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, int(spec.get("threads") or 2)))
    multi = bool(spec.get("multiLabel"))
    model_type = spec.get("modelType") or "CLOUD"
    labels = spec["labels"]
    splits = data.assign_splits(spec["examples"], spec.get("fractions"), seed)
    counts = data.counts(splits, multi)
    log("data: %d training, %d validation, %d test images; %d labels; %s" % (
        counts["trainingDataItemsCount"], counts["validationDataItemsCount"], counts["testDataItemsCount"],
        len(labels), "multi-label" if multi else "single-label"))
    size, channels = data.choose_geometry(splits["training"], model_type)
    arrays = {k: data.load_arrays(splits[k], size, channels, len(labels), multi) for k in data.SPLITS}
    train_images = arrays["training"][0].astype(np.float32) / 255.0
    mean = train_images.mean(axis=(0, 2, 3)).tolist()
    std = [max(s, 1e-3) for s in train_images.std(axis=(0, 2, 3)).tolist()]
    del train_images
    net = nets.build(channels, len(labels), model_type, mean, std)
    log("model: %s, input %dx%dx%d, %d parameters, loaded in %.1fs" % (
        model_type, channels, size[0], size[1], sum(p.numel() for p in net.parameters()),
        time.monotonic() - started))
    if spec.get("baseModel"):
        nets.warm_start(net, spec["baseModel"], log)
    budget = float(spec.get("budgetSeconds") or 60)
    summary = train.fit(net, arrays["training"], arrays["validation"], multi, budget,
                        spec.get("earlyStopping", True), seed, log)

    data.ensure_dirs(spec)
    nets.export(net, os.path.join(spec["modelDir"], "model.pt"))
    _write(os.path.join(spec["modelDir"], "automl_image.json"), {
        "labels": [label["displayName"] for label in labels],
        "annotationSpecIds": [label["id"] for label in labels],
        "imageSize": list(size), "channels": channels, "multiLabel": multi, "modelType": model_type,
    })
    test_images, test_targets = arrays["test"]
    scores = train.predict_scores(net, test_images, multi)
    evaluation, slices = metrics.evaluate(labels, test_targets, scores, multi)
    test_accuracy = metrics.accuracy(test_targets, scores, multi)
    _write(os.path.join(spec["outputDir"], "evaluation.json"), evaluation)
    _write(os.path.join(spec["outputDir"], "evaluation_slices.json"), slices)
    budget_mnh = int(spec.get("budgetMilliNodeHours") or 0)
    cost = min(budget_mnh, int(math.ceil(budget_mnh * summary["trainingSeconds"] / budget))) if budget_mnh else 0
    report = dict(counts, costMilliNodeHours=cost, budgetSeconds=budget, imageSize=list(size),
                  channels=channels, testAccuracy=round(test_accuracy, 6), **summary)
    _write(os.path.join(spec["outputDir"], "training.json"), report)
    log("test: accuracy %.4f auPrc %.4f logLoss %.4f on %d images; %s; cost %d milli node hours; total %.1fs" % (
        test_accuracy, evaluation.get("auPrc", 0.0), evaluation.get("logLoss", 0.0), len(test_targets),
        summary["successfulStopReason"], cost, time.monotonic() - started))
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tvx_automl", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--spec", required=True, help="the training spec (JSON)")
    args = parser.parse_args(argv)
    from .data import DataError, SpecError, load_spec

    try:
        run(load_spec(args.spec))
    except SpecError as error:
        print("tvx_automl: invalid spec: %s" % error, file=sys.stderr, flush=True)
        return EXIT_SPEC
    except DataError as error:
        print("tvx_automl: %s" % error, file=sys.stderr, flush=True)
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - one line for the pipeline's error, the traceback above it
        import traceback

        traceback.print_exc()
        print("tvx_automl: training failed: %s: %s" % (type(error).__name__, error), file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
