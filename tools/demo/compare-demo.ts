/**
 * The demo's baseline comparison and cost-control part: what a run would cost (explained line by line) and a
 * run refused by `maxCost`; a PyTorch CNN from the trainer template, AutoML Vision and a BigQuery ML logistic
 * regression trained on the same digits and compared on the same held-out images (leaderboard, HTML report with
 * the curves and confusion matrices); then what keeps costing money, found and cleaned up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareModels, comparisonReportHtml } from '@terra-vertex/automl-bqml';
import {
  CostLimitError,
  CustomJob,
  cleanUp,
  costEstimateText,
  findBillableResources,
  formatUsd,
} from '@terra-vertex/core';
import {
  heldOutPredictions,
  trainComparisonModels,
} from '../../packages/automl-bqml/test/compare-fixture.ts';

const step = (title: string) => console.log(`\n== ${title}`);
const indent = (text: string) => text.replace(/^/gm, '  ');

/** Runs the cost, comparison and cleanup steps; the comparison report goes to `outDir`. */
export async function compareDemo(outDir: string, packageUri: string, image: string): Promise<void> {
  step(
    'Cost: a 4-replica job on n1-standard-8 with T4 GPUs priced before it is sent, and refused above maxCost',
  );
  const task = { executorImageUri: image, packageUris: [packageUri], pythonModule: 'trainer.task' };
  const machineSpec = {
    machineType: 'n1-standard-8',
    acceleratorType: 'NVIDIA_TESLA_T4',
    acceleratorCount: 1,
  };
  const big = new CustomJob({
    displayName: 'big-training',
    workerPoolSpecs: [
      { machineSpec, replicaCount: 1, pythonPackageSpec: task },
      { machineSpec, replicaCount: 3, pythonPackageSpec: task },
    ],
  });
  console.log(indent(costEstimateText(await big.estimateCost({ expectedDuration: 2 * 3600 }))));
  try {
    await big.run({ expectedDuration: 2 * 3600, maxCost: 5 });
    throw new Error('maxCost did not refuse');
  } catch (err) {
    if (!(err instanceof CostLimitError)) throw err;
    console.log(`  refused, nothing created: ${err.message.split('. ')[0]}`);
  }

  step('Baselines: a CNN from the PyTorch template, AutoML Vision and BigQuery ML on the same digits');
  const work = mkdtempSync(join(tmpdir(), 'tvx-demo-compare-'));
  try {
    const models = await trainComparisonModels(work);
    console.log(
      `  trained in ${Object.entries(models.seconds)
        .map(([k, s]) => `${k} ${s!.toFixed(0)} s`)
        .join(', ')}`,
    );
    const { heldOut } = models;
    const predictions = await heldOutPredictions(models);
    const board = compareModels({ truth: heldOut, predictions });
    console.log(`  ${heldOut.ids.length} held-out images, the same for all three:`);
    for (const [i, m] of board.models.entries())
      console.log(
        `  ${i + 1}. ${m.name.padEnd(32)} accuracy ${m.accuracy.toFixed(3)}  AUC-PR ${m.aucPr.toFixed(3)}  AUC-ROC ${m.aucRoc.toFixed(3)}  log loss ${m.logLoss.toFixed(3)}`,
      );
    const report = join(outDir, 'compare-report.html');
    writeFileSync(
      report,
      await comparisonReportHtml(board, { title: 'Digits: custom CNN against the baselines' }),
    );
    console.log(`  report with curves and confusion matrices: ${report}`);

    step('Guard rails: what keeps costing money, per day, and cleaning it up');
    const found = await findBillableResources({ idleAfter: 0 });
    for (const e of found.endpoints.filter((x) => x.deployedModels.length))
      console.log(
        `  endpoint ${e.endpoint.displayName}: ${formatUsd(e.costPerDayUsd)} per day${e.idle ? ' (idle)' : ''} — ${e.deployedModels[0]!.explanation}`,
      );
    for (const t of found.tensorboards)
      console.log(`  TensorBoard ${t.tensorboard.displayName}: ${formatUsd(t.costPerDayUsd)} per day`);
    console.log(`  total ${formatUsd(found.totalPerDayUsd)} per day`);
    const done = await cleanUp(found, { undeploy: true, deleteEndpoints: true, cancelJobs: true });
    if (done.failed)
      throw new Error(`cleanup failed: ${JSON.stringify(done.actions.filter((a) => a.error))}`);
    const after = await findBillableResources();
    console.log(
      `  ${done.actions.length} actions, ${formatUsd(done.savedPerDayUsd)} per day saved; endpoints left billing: ${after.endpoints.filter((e) => e.deployedModels.length).length}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
