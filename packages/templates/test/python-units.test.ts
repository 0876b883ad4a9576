import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generate, PYTHON, pythonEnv, tempDir } from './helpers.ts';

/** Checks of the shared runtime modules against scikit-learn and the documented contract. */
const CHECKS = String.raw`
import json, os, sys, types
import numpy as np
from sklearn import metrics as skm
from trainer import metrics, reporting, tb_events, vertex_env

rng = np.random.RandomState(0)
for k in (2, 4):
    y = rng.randint(0, k, size=300)
    p = rng.dirichlet(np.ones(k), size=300).round(2)  # rounding creates ties
    p = p / p.sum(axis=1, keepdims=True)
    m = metrics.classification_metrics(y, p)
    pred = p.argmax(axis=1)
    avg = "binary" if k == 2 else "macro"
    assert abs(m["accuracy"] - skm.accuracy_score(y, pred)) < 1e-12
    assert abs(m["log_loss"] - skm.log_loss(y, p, labels=list(range(k)))) < 1e-9, (m["log_loss"], skm.log_loss(y, p))
    assert abs(m["precision"] - skm.precision_score(y, pred, average=avg, zero_division=0)) < 1e-12
    assert abs(m["recall"] - skm.recall_score(y, pred, average=avg, zero_division=0)) < 1e-12
    assert abs(m["f1"] - skm.f1_score(y, pred, average=avg, zero_division=0)) < 1e-12
    auc = skm.roc_auc_score(y, p[:, 1]) if k == 2 else skm.roc_auc_score(y, p, multi_class="ovr", average="macro")
    assert abs(m["auc"] - auc) < 1e-12, (m["auc"], auc)
    assert m["confusion_matrix"] == skm.confusion_matrix(y, pred, labels=list(range(k))).tolist()
assert metrics.classification_metrics([1, 1], [[0.2, 0.8], [0.4, 0.6]])["auc"] is None

os.environ.pop("TVX_GCS_MOUNT", None)
assert vertex_env.local_path("gs://b/p/x.csv") == "/gcs/b/p/x.csv"
assert vertex_env.local_path("/data/x.csv") == "/data/x.csv"
os.environ["TVX_GCS_MOUNT"] = "/tmp/mnt"
assert vertex_env.local_path("gs://b/p/") == "/tmp/mnt/b/p/"

role = vertex_env.cluster_role
r = role({"RANK": "2", "WORLD_SIZE": "3"})
assert (r.rank, r.world_size, r.is_chief, r.worker_dir) == (2, 3, False, "worker-2"), r
assert role({"RANK": "0", "WORLD_SIZE": "3"}).is_chief
spec = {"cluster": {"workerpool0": ["a:1"], "workerpool1": ["b:1", "c:1"]}, "task": {"type": "workerpool1", "index": 1}}
r = role({"CLUSTER_SPEC": json.dumps(spec)})
assert (r.rank, r.world_size, r.is_chief) == (2, 3, False), r
spec["task"] = {"type": "workerpool0", "index": 0}
assert role({"CLUSTER_SPEC": json.dumps(spec)}).is_chief
tf = {"cluster": {"chief": ["a:1"], "worker": ["b:1", "c:1"], "evaluator": ["d:1"]}, "task": {"type": "worker", "index": 0}}
r = role({"TF_CONFIG": json.dumps(tf)})
assert (r.rank, r.world_size, r.is_chief, r.worker_dir) == (1, 4, False, "worker-1"), r
tf["task"] = {"type": "chief", "index": 0}
assert role({"TF_CONFIG": json.dumps(tf)}).is_chief
tf = {"cluster": {"worker": ["b:1", "c:1"]}, "task": {"type": "worker", "index": 0}}
assert role({"TF_CONFIG": json.dumps(tf)}).is_chief
assert role({}).is_chief and role({}).world_size == 1

args = types.SimpleNamespace(model_dir="AIP_MODEL_DIR", checkpoint_dir="AIP_CHECKPOINT_DIR", tensorboard_dir="gs://b/tb")
for name in ("AIP_MODEL_DIR", "AIP_CHECKPOINT_DIR", "CLOUD_ML_TRIAL_ID"):
    os.environ.pop(name, None)
o = vertex_env.resolve_outputs(args, vertex_env.Role())
assert (o.model_dir, o.checkpoint_dir, o.tensorboard_dir) == ("trainer-output/model", "trainer-output/checkpoints", "/tmp/mnt/b/tb"), o
os.environ.update({"AIP_MODEL_DIR": "gs://b/m/", "AIP_CHECKPOINT_DIR": "gs://b/c/", "CLOUD_ML_TRIAL_ID": "7"})
o = vertex_env.resolve_outputs(args, vertex_env.Role(1, 2, False))
assert (o.model_dir, o.checkpoint_dir) == ("/tmp/mnt/b/m/", "/tmp/mnt/b/c/7/worker-1"), o

assert tb_events.crc32c(b"123456789") == 0xE3069283
assert tb_events._varint(300) == b"\xac\x02"

os.environ["CLOUD_ML_HP_METRIC_FILE"] = sys.argv[1]
ht = reporting.FileHyperTune()
for step in range(1, 131):
    ht.report_hyperparameter_tuning_metric(hyperparameter_metric_tag="auc", metric_value=step / 1000, global_step=step)
lines = [json.loads(line) for line in open(sys.argv[1])]
assert len(lines) == 100 and lines[0]["global_step"] == "31" and lines[-1]["auc"] == "0.13", lines[-1]
assert open(sys.argv[1]).readline().startswith('{"auc": "0.031", "global_step": "31", "timestamp": ')
print("ok")
`;

describe('generated runtime modules', () => {
  it('metrics match scikit-learn; vertex_env, tb_events and the hypertune file follow the contract', async () => {
    const pkg = await generate({
      name: 'units',
      framework: 'sklearn',
      metric: { id: 'accuracy', goal: 'maximize' },
    });
    const metricsFile = `${tempDir('hypertune')}/out/output.metrics`;
    const out = spawnSync(PYTHON, ['-c', CHECKS, metricsFile], {
      cwd: tempDir('units'),
      env: pythonEnv(pkg, {}),
      encoding: 'utf8',
    });
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe('ok');
  });
});
