"""Reporting: the tuning metric (cloudml-hypertune's file format), TensorBoard scalars, metrics.json.

``import hypertune`` is used when it works (``pip install iris-trainer[hypertune]``). Otherwise the same
file is written here: ``$CLOUD_ML_HP_METRIC_FILE`` (default ``/tmp/hypertune/output.metrics``), the
last 100 reports of this process, one ``json.dumps(body, sort_keys=True)`` per line with
``timestamp``, ``trial``, ``<metric tag>`` (``str(float)``) and ``global_step`` (``str(int)``).
"""

import collections
import json
import os
import time

from trainer import tb_events

DEFAULT_METRIC_FILE = "/tmp/hypertune/output.metrics"
MAX_ENTRIES = 100


class FileHyperTune:
    """Drop-in for ``hypertune.HyperTune`` writing the same metrics file."""

    def __init__(self):
        self.metric_path = os.environ.get("CLOUD_ML_HP_METRIC_FILE", DEFAULT_METRIC_FILE)
        directory = os.path.dirname(self.metric_path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        self.trial_id = os.environ.get("CLOUD_ML_TRIAL_ID", 0)
        self.metrics_queue = collections.deque(maxlen=MAX_ENTRIES)

    def report_hyperparameter_tuning_metric(self, hyperparameter_metric_tag, metric_value,
                                            global_step=None):
        body = {
            "timestamp": time.time(),
            "trial": str(self.trial_id),
            hyperparameter_metric_tag: str(float(metric_value)),
            "global_step": str(int(global_step) if global_step else 0),
        }
        self.metrics_queue.append(body)
        with open(self.metric_path, "w") as out:
            for entry in self.metrics_queue:
                out.write(json.dumps(entry, sort_keys=True) + "\n")


def hypertune_client():
    """``hypertune.HyperTune()`` if cloudml-hypertune is installed, else ``FileHyperTune()``."""
    try:
        import hypertune
    except ImportError:
        return FileHyperTune()
    return hypertune.HyperTune()


class Reporter:
    """Per-process reporting; everything is a no-op on non-chief workers."""

    def __init__(self, outputs, metric_id):
        self.outputs = outputs
        self.metric_id = metric_id
        self.enabled = outputs.role.is_chief
        self.tags = [metric_id]
        extra = os.environ.get("CLOUD_ML_HP_METRIC_TAG") or ""
        if extra and extra != metric_id:
            self.tags.append(extra)  # the study asked for another metric: report it too when known
        self._hypertune = hypertune_client() if self.enabled else None
        self._writer = None

    @property
    def writer(self):
        if self._writer is None:
            logdir = self.outputs.tensorboard_dir if self.enabled else None
            self._writer = tb_events.open_writer(logdir)
        return self._writer

    def scalars(self, step, values, prefix=""):
        """Write numeric ``values`` as TensorBoard scalars at ``step``."""
        for tag in sorted(values):
            value = values[tag]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.writer.scalar(prefix + tag, value, step)

    def report(self, step, metrics):
        """Report the tuning metric (and TensorBoard scalars) for ``step``."""
        if not self.enabled:
            return
        self.scalars(step, metrics, prefix="eval/")
        for tag in self.tags:
            if metrics.get(tag) is not None:
                self._hypertune.report_hyperparameter_tuning_metric(
                    hyperparameter_metric_tag=tag, metric_value=metrics[tag], global_step=step)

    def write_metrics(self, metrics):
        """Write ``metrics.json`` beside the model (chief only); returns its path."""
        if not self.enabled:
            return None
        os.makedirs(self.outputs.model_dir, exist_ok=True)
        path = os.path.join(self.outputs.model_dir, "metrics.json")
        with open(path, "w") as out:
            json.dump(metrics, out, indent=2, sort_keys=True)
            out.write("\n")
        return path

    def close(self):
        if self._writer is not None:
            self._writer.close()
