/**
 * The demo's hyperparameter tuning part: a grid study with parallel trials and median early stopping over
 * the example trainer, its HTML report and a PNG chart, then a Vizier study driven from TypeScript.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CustomJob,
  categoricalParameter,
  discreteParameter,
  doubleParameter,
  HyperparameterTuningJob,
  Study,
  shortState,
  studyChartsSvg,
  studyReportHtml,
  svgToPng,
  trialArgs,
  type WorkerPoolSpec,
} from '@terra-vertex/core';

const step = (title: string) => console.log(`\n== ${title}`);

function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI ** 2);
  return (x2 - b * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}

/** Runs the tuning steps; `pool(args)` is the example trainer's worker pool; files go to `outDir`. */
export async function tuningDemo(pool: (args: string[]) => WorkerPoolSpec[], outDir: string): Promise<void> {
  step('Hyperparameter tuning: a grid study with parallel trials, then the best configuration');
  const study = new HyperparameterTuningJob({
    displayName: 'iris-grid',
    customJob: new CustomJob({ displayName: 'iris-trial', workerPoolSpecs: pool([]) }),
    metricSpec: { accuracy: 'maximize' },
    parameterSpec: { C: discreteParameter([0.01, 0.1, 1], 'log'), 'max-iter': discreteParameter([20, 200]) },
    maxTrialCount: 10,
    parallelTrialCount: 2,
    searchAlgorithm: 'grid',
  });
  await study.run({ onProgress: (e) => e.type === 'notice' && console.log(`  ${e.message}`) });
  const best = study.bestTrial()!;
  console.log(
    `  ${shortState(study.state)}: ${study.trials().length} trials; best ${trialArgs(best).join(' ')} → accuracy ${best.finalMeasurement!.metrics.accuracy}`,
  );
  mkdirSync(outDir, { recursive: true });
  const report = study.reportInput();
  writeFileSync(join(outDir, 'iris-grid.html'), studyReportHtml(report));
  const charts = studyChartsSvg(report.trials, report.metric, { scales: report.scales });
  writeFileSync(join(outDir, 'iris-grid-by-C.png'), svgToPng(charts.byParameter.C!));
  console.log(`  report: ${join(outDir, 'iris-grid.html')}, chart: ${join(outDir, 'iris-grid-by-C.png')}`);

  step('Median early stopping: a trial far behind the finished ones is stopped after two epochs');
  const stopping = new HyperparameterTuningJob({
    displayName: 'iris-median',
    customJob: new CustomJob({
      displayName: 'iris-epochs',
      workerPoolSpecs: pool(['--epochs', '8', '--epoch-seconds', '0.3']),
    }),
    metricSpec: { accuracy: 'maximize' },
    parameterSpec: { C: categoricalParameter(['1', '10', '100', '0.0001']) },
    maxTrialCount: 4,
    parallelTrialCount: 1,
    searchAlgorithm: 'grid',
    measurementSelection: 'last',
    earlyStopping: 'median',
  });
  await stopping.run();
  for (const t of stopping.trials())
    console.log(
      `  trial ${t.id} C=${t.parameters.C}: ${t.measurements.length} epochs measured, accuracy ${t.finalMeasurement?.metrics.accuracy}`,
    );

  step('Vizier from TypeScript: a suggest/evaluate/complete loop on Branin (minimum 0.397887)');
  const vizier = await Study.createOrLoad({
    displayName: 'demo-branin',
    metricSpec: { y: 'minimize' },
    parameterSpec: { x1: doubleParameter(-5, 10), x2: doubleParameter(0, 15) },
  });
  for (let i = 0; i < 25; i++) {
    const [trial] = await vizier.suggest({ clientId: 'demo' });
    await trial!.complete({ y: branin(trial!.parameters.x1 as number, trial!.parameters.x2 as number) });
  }
  const [optimal] = await vizier.optimalTrials();
  console.log(
    `  after 25 trials: y = ${optimal!.finalMeasurement!.metrics.y!.toFixed(5)} at ${JSON.stringify(optimal!.parameters)}`,
  );
}
