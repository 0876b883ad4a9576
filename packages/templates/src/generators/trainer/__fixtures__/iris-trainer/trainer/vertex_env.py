"""The Vertex AI runtime contract, shared by every framework.

The same trainer runs unchanged on Vertex AI and on a laptop or the terra-vertex emulator:

- ``gs://bucket/path`` is read and written through a mount: Vertex mounts buckets at ``/gcs/``
  (Cloud Storage FUSE); the emulator names its bucket root in ``TVX_GCS_MOUNT``.
- Output directories come from ``AIP_MODEL_DIR``, ``AIP_CHECKPOINT_DIR`` and
  ``AIP_TENSORBOARD_LOG_DIR``. A flag whose value is the literal variable name (the default) means
  "use that variable"; when it is unset the trainer falls back to ``./trainer-output/``.
- ``CLOUD_ML_TRIAL_ID`` (hyperparameter tuning) puts checkpoints under ``<checkpoint dir>/<trial>/``.
- In multi-worker runs the chief is decided from ``RANK`` (PyTorch), ``CLUSTER_SPEC`` (Vertex) or
  ``TF_CONFIG`` (TensorFlow). Only the chief saves the model, writes ``metrics.json``, TensorBoard
  scalars and the tuning metric; other workers write their checkpoints under ``.../worker-N``.
"""

import argparse
import json
import os
import sys

GCS_PREFIX = "gs://"
LOCAL_OUTPUT = "trainer-output"
MODEL_DIR = "AIP_MODEL_DIR"
CHECKPOINT_DIR = "AIP_CHECKPOINT_DIR"
TENSORBOARD_DIR = "AIP_TENSORBOARD_LOG_DIR"


def local_path(uri):
    """Map ``gs://bucket/path`` to ``$TVX_GCS_MOUNT/bucket/path`` (or ``/gcs/bucket/path``)."""
    if not uri.startswith(GCS_PREFIX):
        return uri
    root = os.environ.get("TVX_GCS_MOUNT") or "/gcs"
    return os.path.join(root, uri[len(GCS_PREFIX):])


def integer(text):
    """argparse type for integers that also accepts ``3.0`` (tuning services send numbers)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected an integer, got %r" % text)
    if not value.is_integer():
        raise argparse.ArgumentTypeError("expected an integer, got %r" % text)
    return int(value)


def warn(message):
    print("[trainer] " + message, file=sys.stderr, flush=True)


class Role:
    """This process's place in the job: ``rank`` 0 of ``world_size`` is the chief."""

    def __init__(self, rank=0, world_size=1, is_chief=True, source="single process"):
        self.rank = rank
        self.world_size = world_size
        self.is_chief = is_chief
        self.source = source

    @property
    def worker_dir(self):
        """Sub-directory for a non-chief worker's outputs ("" for the chief)."""
        return "" if self.is_chief else "worker-%d" % self.rank

    def __repr__(self):
        return "Role(rank=%d, world_size=%d, chief=%s, from %s)" % (
            self.rank, self.world_size, self.is_chief, self.source)


def _flat_rank(cluster, task_type, index, order):
    rank = 0
    for name in order:
        if name == task_type:
            return rank + index
        rank += len(cluster.get(name) or [])
    return rank + index


def cluster_role(environ=None):
    """Decide rank, world size and chief from RANK, CLUSTER_SPEC or TF_CONFIG."""
    env = os.environ if environ is None else environ
    if env.get("RANK") not in (None, ""):
        rank = int(env["RANK"])
        world = int(env.get("WORLD_SIZE") or 1)
        return Role(rank, world, rank == 0, "RANK")
    for name in ("CLUSTER_SPEC", "TF_CONFIG"):
        if not env.get(name):
            continue
        spec = json.loads(env[name])
        cluster = {k: v for k, v in (spec.get("cluster") or {}).items() if isinstance(v, list)}
        task = spec.get("task") or {}
        task_type, index = task.get("type"), int(task.get("index") or 0)
        world = sum(len(v) for v in cluster.values()) or 1
        if not task_type:
            return Role(0, world, True, name)
        if name == "CLUSTER_SPEC":
            order = sorted(cluster)
        else:
            first = [t for t in ("chief", "master") if t in cluster]
            order = first + [t for t in ("worker",) if t in cluster]
            order += sorted(t for t in cluster if t not in order)
        rank = _flat_rank(cluster, task_type, index, order)
        chief = rank == 0 and task_type not in ("evaluator", "ps")
        return Role(rank, world, chief, name)
    return Role()


def resolve_dir(value, env_name, fallback):
    """A flag value equal to ``env_name`` means "use $env_name"; unset falls back to ``fallback``."""
    if value == env_name:
        value = os.environ.get(env_name) or ""
        if not value:
            value = fallback
    return local_path(value)


class Outputs:
    """Where this process writes: model (chief only), checkpoints, TensorBoard logs (chief only)."""

    def __init__(self, model_dir, checkpoint_dir, tensorboard_dir, trial_id, role):
        self.model_dir = model_dir
        self.checkpoint_dir = checkpoint_dir
        self.tensorboard_dir = tensorboard_dir
        self.trial_id = trial_id
        self.role = role

    def __repr__(self):
        return "Outputs(model=%r, checkpoints=%r, tensorboard=%r, trial=%r, %r)" % (
            self.model_dir, self.checkpoint_dir, self.tensorboard_dir, self.trial_id, self.role)


def resolve_outputs(args, role=None):
    """Resolve the output directories from ``--model-dir`` & co. and the Vertex environment."""
    role = role or cluster_role()
    trial = os.environ.get("CLOUD_ML_TRIAL_ID") or ""
    local_root = os.path.join(LOCAL_OUTPUT, trial) if trial else LOCAL_OUTPUT
    model_dir = resolve_dir(args.model_dir, MODEL_DIR, os.path.join(local_root, "model"))
    checkpoint_dir = resolve_dir(args.checkpoint_dir, CHECKPOINT_DIR,
                                 os.path.join(local_root, "checkpoints"))
    tensorboard_dir = resolve_dir(args.tensorboard_dir, TENSORBOARD_DIR,
                                  os.path.join(local_root, "logs"))
    if trial:
        checkpoint_dir = os.path.join(checkpoint_dir, trial)
    if not role.is_chief:
        checkpoint_dir = os.path.join(checkpoint_dir, role.worker_dir)
    return Outputs(model_dir, checkpoint_dir, tensorboard_dir, trial, role)
