/**
 * The end-to-end demo on the embedded emulator: everything terra-vertex can do so far, for real.
 *   1. start the local Vertex AI + Cloud Storage emulator in this process
 *   2. build the example scikit-learn trainer, upload it, and run it as a CustomJob, streaming its logs
 *   3. read the model and metrics the trainer wrote under AIP_MODEL_DIR
 *   4. watch a crashing trainer fail with its error, and cancel a long one
 *   5. reattach to a job by resource name, as a restarted notebook would, and list jobs
 *   6. train with training pipelines that register the model, with versions and aliases
 *   7. serve both versions behind an endpoint: predictions, a traffic split, a promotion
 *   8. tune: a grid study with parallel trials (HTML report, PNG chart), median early stopping, a Vizier loop
 *   9. AutoML Vision on the digits (dataset import, budgeted training, evaluation) and XRAI explanations
 *  10. BigQuery and BigQuery ML: a load job, queries with parameters, two SQL baselines, ROC curves, explanations
 *  11. TensorBoard and Experiments: two runs linked to a TensorBoard, scalars read live, compared side by side;
 *      the local console's pages captured in headless Chromium
 *  12. cost control: a run priced line by line and refused by maxCost; a PyTorch CNN, AutoML Vision and BigQuery ML
 *      compared on the same held-out digits (leaderboard, HTML report); what keeps costing money, cleaned up
 *  13. the same through the `tvx` CLI against a separately started emulator
 *  14. the ready-to-run notebooks, executed headless as a Terra user would run them
 *  15. the packages as another repository gets them: what a release would publish, the API reference, and the
 *      tarballs installed into a fresh project (a custom job on the emulator) and a fresh Nx workspace
 * Run it with `npm run demo` (after tools/setup/install.sh).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CustomJob,
  CustomPythonPackageTrainingJob,
  CustomTrainingJob,
  closeClients,
  downloadBytes,
  EMULATOR_DEFAULT_PROJECT,
  init,
  JobFailedError,
  listObjects,
  type ProgressEvent,
  resolveConfig,
  shortState,
  stagePythonPackage,
  storageClient,
} from '@terra-vertex/core';
import { startEmulator } from '@terra-vertex/emulator';
import { automlDemo } from './automl-demo.ts';
import { bqmlDemo } from './bqml-demo.ts';
import { compareDemo } from './compare-demo.ts';
import { packagesDemo } from './packages-demo.ts';
import { servingDemo } from './serving-demo.ts';
import { tensorboardDemo } from './tensorboard-demo.ts';
import { tuningDemo } from './tuning-demo.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const trainerDir = join(root, 'examples/sklearn-iris-trainer');
/** Reports and charts the demo writes (git-ignored). */
const OUT_DIR = join(root, 'test-results/demo');
const SKLEARN = 'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest';
const SKLEARN_SERVING = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (s: string) => console.log(`\n${bold(`▶ ${s}`)}`);
const show = (e: ProgressEvent) => {
  if (e.type === 'state') console.log(`  state → ${shortState(e.state)}`);
  if (e.type === 'log') console.log(`  [${e.task}] ${e.line}`);
};

step(
  'Starting the embedded emulator (Vertex AI gRPC + Cloud Storage + BigQuery + Cloud Logging on loopback)',
);
const emu = await startEmulator();
console.log(`  Vertex AI: ${emu.vertexAddress}   HTTP: ${emu.httpAddress}   data: ${emu.dataDir}`);
init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
const config = await resolveConfig();
console.log(
  `  project ${config.project} (${config.projectSource}), ${config.location}, staging ${config.stagingBucket}`,
);

try {
  step('Building and uploading the scikit-learn trainer package');
  const packageUri = await stagePythonPackage(config, trainerDir);
  console.log(`  ${packageUri}`);
  const pool = (args: string[]) => [
    {
      pythonPackageSpec: {
        executorImageUri: SKLEARN,
        packageUris: [packageUri],
        pythonModule: 'trainer.task',
        args,
      },
    },
  ];

  step('Running it as a CustomJob (sync: false, then wait() with live logs)');
  const job = new CustomJob({
    displayName: 'iris-logreg',
    workerPoolSpecs: pool(['--C', '0.5']),
    labels: { demo: 'quickstart' },
  });
  await job.run({ sync: false });
  console.log(`  created ${job.resourceName}`);
  await job.wait({ onProgress: show });

  step('Reading what the trainer wrote under AIP_MODEL_DIR');
  const base = job.gcaResource?.jobSpec?.baseOutputDirectory?.outputUriPrefix;
  const storage = await storageClient(config);
  const { objects } = await listObjects(storage, `${base}/model/`);
  for (const o of objects) console.log(`  ${o.uri}  (${o.size} bytes)`);
  const metrics = JSON.parse((await downloadBytes(storage, `${base}/model/metrics.json`)).toString()) as {
    accuracy: number;
  };
  console.log(`  test accuracy: ${metrics.accuracy.toFixed(3)}`);

  step('A trainer that crashes ends FAILED with its error');
  const crash = new CustomJob({
    displayName: 'iris-crash',
    workerPoolSpecs: pool(['--fail-with', 'column "label" not found']),
  });
  try {
    await crash.run();
  } catch (err) {
    if (!(err instanceof JobFailedError)) throw err;
    console.log(`  ${shortState(crash.state)}: ${crash.error?.message.split('\n').slice(0, 1).join('')}`);
    console.log(`  last line: ${crash.error?.message.split('\n').at(-1)}`);
  }

  step('Cancelling a long job kills its processes');
  const slow = new CustomJob({ displayName: 'iris-slow', workerPoolSpecs: pool(['--sleep', '60']) });
  await slow.run({ sync: false });
  while ((await slow.refresh()).state !== 'JOB_STATE_RUNNING') await new Promise((r) => setTimeout(r, 200));
  await slow.cancel();
  await slow.wait({ throwOnFailure: false });
  console.log(`  ${slow.displayName}: ${shortState(slow.state)}`);

  step('Reattaching by resource name (as after a kernel restart) and listing jobs');
  const again = await CustomJob.get(job.resourceName);
  console.log(`  ${again.displayName}: ${shortState(again.state)}, ${(await again.logs()).length} log lines`);
  for (const j of await CustomJob.list())
    console.log(`  ${j.id}  ${shortState(j.state).padEnd(10)} ${j.displayName}`);

  step('Training pipelines: CustomPythonPackageTrainingJob trains and registers the model');
  const pipeline = new CustomPythonPackageTrainingJob({
    displayName: 'iris-pipeline',
    pythonPackageGcsUri: packageUri,
    pythonModuleName: 'trainer.task',
    containerUri: SKLEARN,
    modelServingContainerImageUri: SKLEARN_SERVING,
  });
  const model = await pipeline.run({ args: ['--C', '1'], onProgress: show });
  console.log(`  registered ${model!.versionedResourceName} (aliases: ${model!.versionAliases.join(', ')})`);
  console.log(`  artifacts: ${model!.artifactUri}`);

  step('A second version from a script (CustomTrainingJob), with an alias');
  const scripted = new CustomTrainingJob({
    displayName: 'iris-tree',
    scriptPath: join(root, 'examples/iris-script/train.py'),
    containerUri: SKLEARN,
    requirements: ['scikit-learn'],
    modelServingContainerImageUri: SKLEARN_SERVING,
  });
  const v2 = await scripted.run({
    parentModel: model!.resourceName,
    modelVersionAliases: ['challenger'],
    args: ['--max-depth', '3'],
  });
  for (const v of await v2!.versions())
    console.log(`  version ${v.versionId}: ${v.versionAliases.join(', ') || '-'}`);

  await servingDemo(model!, v2!);
  await tuningDemo(pool, OUT_DIR);
  await automlDemo(OUT_DIR);
  await bqmlDemo(OUT_DIR);
  await tensorboardDemo(OUT_DIR, `${emu.httpAddress}/console`);
  await compareDemo(OUT_DIR, packageUri, SKLEARN);
} finally {
  await closeClients();
  await emu.stop();
}

step('The same through the tvx CLI');
const tvx = join(root, 'packages/cli/bin/tvx.js');
const dataDir = mkdtempSync(join(tmpdir(), 'tvx-demo-'));
const env = { ...process.env, TVX_EMULATOR_STATE: join(dataDir, 'emulator.json') };
delete env.VERTEX_AI_EMULATOR_HOST;
const cli = (args: string[], extraEnv: Record<string, string> = {}) => {
  console.log(`  $ tvx ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [tvx, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`.trim();
  if (out) console.log(out.replace(/^/gm, '    '));
  if (r.status !== 0) throw new Error(`tvx ${args[0]} exited with ${r.status}`);
  return r.stdout;
};
try {
  cli(['emulator', 'start', '--data-dir', join(dataDir, 'data'), '--grpc-port', '0', '--http-port', '0']);
  const emuEnv = JSON.parse(cli(['emulator', 'env', '--json'])) as Record<string, string>;
  const trained = cli(
    [
      'train',
      'custom-job',
      '--package-dir',
      trainerDir,
      '--module',
      'trainer.task',
      '--display-name',
      'cli-iris',
      '--',
      '--C',
      '2',
    ],
    emuEnv,
  );
  cli(['jobs', 'list'], emuEnv);
  const outputs = /Outputs: (\S+)/.exec(trained)![1]!;
  const model = JSON.parse(
    cli(
      [
        '--json',
        'models',
        'upload',
        '--display-name',
        'cli-iris-model',
        '--artifact-uri',
        `${outputs}/model`,
        '--serving-image',
        SKLEARN_SERVING,
      ],
      emuEnv,
    ),
  ) as { name: string };
  const endpoint = JSON.parse(
    cli(['--json', 'endpoints', 'create', '--display-name', 'cli-endpoint'], emuEnv),
  ) as {
    name: string;
  };
  const endpointId = endpoint.name.split('/').pop()!;
  cli(['endpoints', 'deploy', endpointId, model.name.split('/').pop()!.split('@')[0]!], emuEnv);
  cli(['endpoints', 'predict', endpointId, '--instances', '[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]'], emuEnv);
  cli(
    [
      'hptune',
      'run',
      '--package-dir',
      trainerDir,
      '--module',
      'trainer.task',
      '--display-name',
      'cli-study',
      '--metric',
      'accuracy=maximize',
      '--param',
      'C=double:0.001:100:log',
      '--max-trials',
      '4',
      '--parallel-trials',
      '2',
      '--report',
      join(OUT_DIR, 'cli-study.html'),
    ],
    emuEnv,
  );
  cli(
    [
      'train',
      'script',
      '--script',
      join(root, 'examples/iris-script/train.py'),
      '--serving-image',
      SKLEARN_SERVING,
      '--display-name',
      'cli-tree',
      '--no-logs',
    ],
    emuEnv,
  );
  cli(['tensorboard', 'create', '--display-name', 'cli-tensorboard'], emuEnv);
  cli(['tensorboard', 'list'], emuEnv);
  cli(
    [
      'train',
      'custom-job',
      '--package-dir',
      trainerDir,
      '--module',
      'trainer.task',
      '--machine-type',
      'n1-standard-8',
      '--replica-count',
      '4',
      '--expected-duration',
      '2h',
      '--dry-run',
    ],
    emuEnv,
  );
  const refused = spawnSync(
    process.execPath,
    [
      tvx,
      'train',
      'custom-job',
      '--package-dir',
      trainerDir,
      '--module',
      'trainer.task',
      '--expected-duration',
      '2h',
      '--max-cost',
      '0.01',
    ],
    { env: { ...env, ...emuEnv }, encoding: 'utf8' },
  );
  console.log(
    `  $ tvx train custom-job … --expected-duration 2h --max-cost 0.01\n${`${refused.stdout}${refused.stderr}`.trim().replace(/^/gm, '    ')}`,
  );
  if (refused.status !== 2) throw new Error(`--max-cost should refuse with exit 2, got ${refused.status}`);
  cli(['cleanup', '--idle-after', '0s'], emuEnv);
  cli(['cleanup', '--all', '--yes'], emuEnv);
  cli(['cleanup'], emuEnv);
  cli(['console'], emuEnv);
  cli(['bq', 'load-sample', 'breast-cancer', '--dataset', 'cli_samples'], emuEnv);
  const table = `${EMULATOR_DEFAULT_PROJECT}.cli_samples.breast_cancer`;
  cli(['bq', 'query', `SELECT diagnosis, COUNT(*) AS n FROM \`${table}\` GROUP BY diagnosis`], emuEnv);
  cli(
    [
      'bqml',
      'baseline',
      '--table',
      table,
      '--label',
      'diagnosis',
      '--model-type',
      'LOGISTIC_REG',
      '--option',
      'l2_reg=0.1',
    ],
    emuEnv,
  );
} finally {
  cli(['emulator', 'stop']);
  rmSync(dataDir, { recursive: true, force: true });
}
step('The ready-to-run notebooks, executed headless in fresh tslab kernels');
const notebooks = spawnSync(process.execPath, [join(root, 'tools/notebooks/run-notebooks.ts')], {
  stdio: 'inherit',
});
if (notebooks.status !== 0) throw new Error(`the notebooks failed (exit ${notebooks.status})`);
console.log('  executed copies: packages/notebooks/test-results/executed/');
packagesDemo(step);
console.log(`\n${bold('Demo complete.')}`);
