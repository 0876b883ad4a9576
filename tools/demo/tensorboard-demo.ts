/**
 * The demo's TensorBoard, Experiments and console part: a TensorBoard instance, two runs of a generated
 * PyTorch trainer linked to it (scalars read live while they train), both logged to a Vertex AI Experiment and
 * compared side by side, and the local console's pages captured in headless Chromium when it is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CustomJob,
  Experiment,
  endRun,
  experimentTableHtml,
  getExperimentDf,
  init,
  localPython,
  logMetrics,
  logParams,
  logTimeSeriesMetrics,
  resolveConfig,
  scalarsHtml,
  stagePythonPackage,
  startRun,
  Tensorboard,
  tensorboardExperimentForJob,
  watchScalars,
} from '@terra-vertex/core';
import { writeTrainer } from '@terra-vertex/templates';

const PYTORCH = 'us-docker.pkg.dev/vertex-ai/training/pytorch-cpu.2-1.py310:latest';
const CHROMIUM = process.env.TVX_CHROMIUM ?? '/usr/bin/chromium';
const step = (title: string) => console.log(`\n== ${title}`);

/** Runs the TensorBoard and Experiments steps; the charts, the comparison and console screenshots go to `outDir`. */
export async function tensorboardDemo(outDir: string, consoleUrl: string): Promise<void> {
  step('TensorBoard: an instance, and a generated PyTorch trainer linked to it');
  const tensorboard = await Tensorboard.create({ displayName: 'demo-tensorboard' });
  console.log(`  ${tensorboard.resourceName}`);
  const work = mkdtempSync(join(tmpdir(), 'tvx-demo-tb-'));
  const config = await resolveConfig();
  try {
    const pkg = join(work, 'tb-trainer');
    await writeTrainer(pkg, {
      name: 'tb-trainer',
      framework: 'pytorch',
      metric: { id: 'accuracy', goal: 'maximize' },
      hyperparameters: [{ name: 'learning_rate', type: 'double', min: 0.0003, max: 0.3, scale: 'log' }],
    });
    execFileSync(localPython(), ['-m', 'trainer.demo_data', '--out', join(work, 'data'), '--rows', '400'], {
      cwd: pkg,
    });
    const packageUri = await stagePythonPackage(config, pkg);

    step(
      'Vertex AI Experiments: two learning rates, each a run with its parameters, metrics and live scalars',
    );
    const experiment = `demo-lr-${Date.now().toString(36)}`;
    init({ experiment, experimentTensorboard: tensorboard.resourceName });
    const jobs: CustomJob[] = [];
    for (const [run, lr] of [
      ['lr-0-003', 0.003],
      ['lr-0-03', 0.03],
    ] as const) {
      await startRun(run);
      await logParams({ learning_rate: lr, epochs: 6 });
      const job = new CustomJob({
        displayName: `demo-${run}`,
        workerPoolSpecs: [
          {
            machineSpec: { machineType: 'n1-standard-4' },
            pythonPackageSpec: {
              executorImageUri: PYTORCH,
              packageUris: [packageUri],
              pythonModule: 'trainer.task',
              args: ['--data', join(work, 'data'), '--epochs', '6', `--learning_rate=${lr}`],
            },
          },
        ],
      });
      await job.run({
        sync: false,
        tensorboard: tensorboard.resourceName,
        serviceAccount: `trainer@${config.project}.iam.gserviceaccount.com`,
      });
      let reads = 0;
      const watch = watchScalars(job, {
        intervalMs: 1000,
        onUpdate: (series) => {
          const points = series.reduce((n, s) => n + s.points.length, 0);
          if (reads++ % 2 === 0) console.log(`  ${run}: ${points} scalar points so far (${job.state})`);
        },
      });
      await job.wait();
      const series = await watch.done;
      const last = (tag: string) => series.find((s) => s.tag === tag)?.points.at(-1)?.value ?? Number.NaN;
      await logMetrics({ accuracy: last('eval/accuracy'), loss: last('train/loss') });
      for (const p of series.find((s) => s.tag === 'eval/accuracy')?.points ?? [])
        await logTimeSeriesMetrics({ eval_accuracy: p.value }, p.step);
      await endRun();
      console.log(`  ${run}: ${job.state}; eval/accuracy ${last('eval/accuracy').toFixed(3)}`);
      jobs.push(job);
    }
    const rows = await getExperimentDf();
    console.table(
      rows.map((r) => ({
        run: r.run_name,
        state: r.state,
        lr: r['param.learning_rate'],
        accuracy: Number(Number(r['metric.accuracy']).toFixed(4)),
      })),
    );
    writeFileSync(
      join(outDir, 'experiment-runs.html'),
      `<!doctype html><meta charset="utf-8">${experimentTableHtml(rows, { best: { 'metric.accuracy': 'max' } })}`,
    );
    const curves = [];
    for (const job of jobs) curves.push(...(await (await tensorboardExperimentForJob(job)).readScalars()));
    writeFileSync(
      join(outDir, 'tensorboard-scalars.html'),
      `<!doctype html><meta charset="utf-8">${scalarsHtml(curves, { title: 'Both runs' })}`,
    );
    console.log(
      `  the comparison and the learning curves: ${outDir}/experiment-runs.html, tensorboard-scalars.html`,
    );

    step('The local console: jobs with logs, experiments side by side, TensorBoard charts');
    const tbId = tensorboard.resourceName.split('/').pop()!;
    const jobId = jobs[0]!.resourceName.split('/').pop()!;
    const pages = {
      'console-job': `${consoleUrl}/jobs/${jobId}`,
      'console-experiment': `${consoleUrl}/experiments/${experiment}`,
      'console-tensorboard': `${consoleUrl}/tensorboards/${tbId}/experiments/${jobId}`,
    };
    await capturePages(pages, outDir);
    await (await Experiment.get(experiment))?.delete({ deleteBackingTensorboardRuns: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Loads each page in headless Chromium and saves a PNG; without Chromium, checks that each page answers. */
async function capturePages(pages: Record<string, string>, outDir: string): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    for (const [name, url] of Object.entries(pages)) {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      console.log(`  ${name}: ${url} (no Chromium at ${CHROMIUM}, so no screenshot)`);
    }
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const [name, url] of Object.entries(pages)) {
      const res = await page.goto(url, { waitUntil: 'networkidle' });
      if (!res?.ok()) throw new Error(`${url} answered ${res?.status()}`);
      await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
      console.log(`  ${url} → ${outDir}/${name}.png`);
    }
  } finally {
    await browser.close();
  }
}
