import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomJob, closeClients, init, resolveConfig, stagePythonPackage } from '@terra-vertex/core';
import { startEmulator } from '@terra-vertex/emulator';

// A small Python trainer package: Vertex AI runs it as `python -m trainer.task <args>`.
const dir = mkdtempSync(join(tmpdir(), 'iris-trainer-'));
mkdirSync(join(dir, 'trainer'));
writeFileSync(join(dir, 'trainer', '__init__.py'), '');
writeFileSync(
  join(dir, 'setup.py'),
  "from setuptools import setup\nsetup(name='iris-trainer', version='0.1', packages=['trainer'], install_requires=['scikit-learn'])\n",
);
writeFileSync(
  join(dir, 'trainer', 'task.py'),
  `import argparse, os
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

parser = argparse.ArgumentParser()
parser.add_argument("--C", type=float, default=1.0)
args = parser.parse_args()
x, y = load_iris(return_X_y=True)
model = LogisticRegression(C=args.C, max_iter=500).fit(x, y)
print(f"accuracy={model.score(x, y):.3f}, model dir {os.environ['AIP_MODEL_DIR']}")
`,
);

const emu = await startEmulator(); // or, on Vertex AI: init({ project: 'my-lab', stagingBucket: 'gs://…' })
init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });

const packageUri = await stagePythonPackage(await resolveConfig(), dir); // setup.py sdist, uploaded to staging
const job = new CustomJob({
  displayName: 'iris',
  workerPoolSpecs: [
    {
      pythonPackageSpec: {
        executorImageUri: 'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest',
        packageUris: [packageUri],
        pythonModule: 'trainer.task',
        args: ['--C', '0.5'],
      },
    },
  ],
});
await job.run({ sync: false }); // returns once the job is created
await job.wait({
  onProgress: (e) => {
    if (e.type === 'state') console.log(e.state); // JOB_STATE_PENDING … JOB_STATE_SUCCEEDED
    if (e.type === 'log') console.log(`[${e.task}] ${e.line}`); // live log lines
  },
});

const again = await CustomJob.get(job.resourceName); // reattach, e.g. after a kernel restart
const lines = (await again.logs()).map((l) => l.text); // […, 'accuracy=0.967, model dir gs://…/model/', …]
console.log(again.state, lines); // JOB_STATE_SUCCEEDED
await closeClients();
await emu.stop();
rmSync(dir, { recursive: true, force: true });
