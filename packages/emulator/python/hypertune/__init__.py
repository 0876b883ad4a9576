"""cloudml-hypertune, as provided by the terra-vertex emulator's runtime.

Same API and file format as the PyPI package (`import hypertune`): every report rewrites
CLOUD_ML_HP_METRIC_FILE (default /tmp/hypertune/output.metrics) with the last 100 reports, one
`json.dumps(report, sort_keys=True)` per line. The emulator reads that file to record a trial's measurements.
"""
import collections
import json
import os
import time

_DEFAULT_HYPERPARAMETER_METRIC_TAG = "training/hptuning/metric"
_DEFAULT_METRIC_PATH = "/tmp/hypertune/output.metrics"
_MAX_NUM_METRIC_ENTRIES_TO_PRESERVE = 100


class HyperTune(object):
    """Reports hyperparameter-tuning metrics to the tuning service."""

    def __init__(self):
        self.metric_path = os.environ.get("CLOUD_ML_HP_METRIC_FILE", _DEFAULT_METRIC_PATH)
        if not os.path.exists(os.path.dirname(self.metric_path)):
            os.makedirs(os.path.dirname(self.metric_path))
        self.trial_id = os.environ.get("CLOUD_ML_TRIAL_ID", 0)
        self.metrics_queue = collections.deque(maxlen=_MAX_NUM_METRIC_ENTRIES_TO_PRESERVE)

    def _dump_metrics_to_file(self):
        with open(self.metric_path, "w") as metric_file:
            for metric in self.metrics_queue:
                metric_file.write(json.dumps(metric, sort_keys=True) + "\n")

    def report_hyperparameter_tuning_metric(self, hyperparameter_metric_tag, metric_value, global_step=None, checkpoint_path=""):
        """Reports one measurement of the metric `hyperparameter_metric_tag`."""
        metric_value = float(metric_value)
        metric_tag = _DEFAULT_HYPERPARAMETER_METRIC_TAG
        if hyperparameter_metric_tag:
            metric_tag = hyperparameter_metric_tag
        metric_body = {
            "timestamp": time.time(),
            "trial": str(self.trial_id),
            metric_tag: str(metric_value),
            "global_step": str(int(global_step) if global_step else 0),
            "checkpoint_path": checkpoint_path,
        }
        self.metrics_queue.append(metric_body)
        self._dump_metrics_to_file()
