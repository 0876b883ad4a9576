import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  AutoMLImageTrainingJob,
  confusionMatrixHtml,
  IMAGE_SCHEMA,
  ImageDataset,
  Model,
  prCurveSvg,
  ValidationError,
} from '@terra-vertex/core';
import type { Command } from 'commander';
import { type GlobalOptions, print, table } from '../output.ts';
import { progressDisplay } from '../progress.ts';
import { asFlagError, dryRunEstimate, usd } from './options.ts';

type Globals = () => GlobalOptions;

/** The evaluation's headline figures (auPrc, auRoc, logLoss; precision/recall at 0.5). */
function headline(metrics: Record<string, unknown>) {
  const points = (metrics.confidenceMetrics as Record<string, number>[] | undefined) ?? [];
  const at = points.find((p) => (p.confidenceThreshold ?? 0) >= 0.5) ?? {};
  return {
    auPrc: metrics.auPrc as number | undefined,
    auRoc: metrics.auRoc as number | undefined,
    logLoss: metrics.logLoss as number | undefined,
    precisionAt05: at.precision,
    recallAt05: at.recall,
  };
}

/** `tvx automl image create-dataset|train|evaluate`. */
export function registerAutoml(program: Command, globals: Globals): void {
  const automl = program.command('automl').description('AutoML baselines');
  const image = automl.command('image').description('AutoML Vision image classification');
  const where = () => ({ project: globals().project, location: globals().location });

  image
    .command('create-dataset')
    .description('create an image dataset from a CSV of [ML_USE,]gs://…,LABEL rows, checking every row')
    .requiredOption('--display-name <name>', 'dataset display name')
    .requiredOption('--source <gs-uri>', 'the import CSV or JSON Lines file (repeat with commas)')
    .option('--multi-label', 'rows may carry several labels')
    .action(async (o: { displayName: string; source: string; multiLabel?: boolean }) => {
      const g = globals();
      const display = progressDisplay({ json: g.json, logs: false });
      let dataset: ImageDataset;
      try {
        dataset = await ImageDataset.create({
          ...where(),
          displayName: o.displayName,
          gcsSource: o.source.split(','),
          importSchemaUri: o.multiLabel ? IMAGE_SCHEMA.multiLabelImport : IMAGE_SCHEMA.singleLabelImport,
          onProgress: display.listener,
        });
      } finally {
        display.stop();
      }
      const result = dataset.lastImport;
      const stats = await dataset.stats();
      print(g, { name: dataset.resourceName, import: result, stats }, () =>
        [
          `Created ${dataset.resourceName}: ${result?.imported ?? 0} imported, ${result?.duplicates ?? 0} duplicates, ${result?.failed ?? 0} rows refused`,
          ...(result?.errors ?? []).map((e) => `  ${e.message}`),
          table([
            ['LABEL', 'TRAINING', 'VALIDATION', 'TEST', 'UNASSIGNED', 'TOTAL'],
            ...stats.labels.map((l) => [
              l.label,
              ...[l.training, l.validation, l.test, l.unassigned, l.total].map(String),
            ]),
          ]),
          ...stats.warnings.map((w) => `warning: ${w}`),
        ].join('\n'),
      );
    });

  image
    .command('train')
    .description('train an AutoML image classifier on a dataset; prints the model and its evaluation')
    .requiredOption('--dataset <dataset>', 'dataset id or resource name')
    .option('--display-name <name>', 'training job display name', 'tvx-automl-image')
    .option('--budget <milli-node-hours>', 'training budget (1,000 = one node hour)', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--model-type <type>', 'CLOUD (default), CLOUD_1, MOBILE_TF_LOW_LATENCY_1 …')
    .option('--multi-label', 'several labels per image')
    .option('--disable-early-stopping', 'use the whole budget')
    .option('--max-cost <usd>', 'refuse to train when the budget costs more than this (USD)', (v: string) =>
      usd(v),
    )
    .option('--dry-run', 'print the CreateTrainingPipeline request and its estimated cost without sending it')
    .action(
      async (o: {
        dataset: string;
        displayName: string;
        budget?: number;
        modelType?: string;
        multiLabel?: boolean;
        disableEarlyStopping?: boolean;
        maxCost?: number;
        dryRun?: boolean;
      }) => {
        const g = globals();
        const job = new AutoMLImageTrainingJob({
          ...where(),
          displayName: o.displayName,
          modelType: o.modelType,
          multiLabel: o.multiLabel,
        });
        const run = {
          dataset: o.dataset,
          budgetMilliNodeHours: o.budget,
          disableEarlyStopping: o.disableEarlyStopping,
        };
        if (o.dryRun) {
          const request = await job.buildRequest(run);
          print(g, request, () => JSON.stringify(request, null, 2));
          dryRunEstimate(await job.estimateCost(run), o, g);
          return;
        }
        const display = progressDisplay({ json: g.json, logs: true });
        let model: Model | undefined;
        try {
          model = await job.run({
            ...run,
            maxCost: o.maxCost,
            onProgress: display.listener,
          });
        } catch (err) {
          throw asFlagError(err);
        } finally {
          display.stop();
        }
        const [evaluation] = model ? await model.evaluations() : [];
        const summary = evaluation
          ? headline(evaluation.metrics as unknown as Record<string, unknown>)
          : undefined;
        print(
          g,
          {
            pipeline: job.resourceName,
            model: model?.versionedResourceName,
            costMilliNodeHours: job.costMilliNodeHours,
            stopReason: job.successfulStopReason,
            evaluation: summary,
          },
          () =>
            [
              `${job.resourceName} ${job.state}`,
              `Model: ${model?.versionedResourceName ?? '-'} (${job.costMilliNodeHours ?? '?'} milli node hours, ${job.successfulStopReason ?? '-'})`,
              summary
                ? `Evaluation: auPrc ${summary.auPrc} · auRoc ${summary.auRoc} · logLoss ${summary.logLoss}`
                : '',
            ]
              .join('\n')
              .trim(),
        );
      },
    );

  image
    .command('evaluate')
    .description("show a model's evaluation; --report writes the PR curve and the confusion matrix as HTML")
    .argument('<model>', 'model id, id@version or resource name')
    .option('--report <file.html>', 'write the evaluation report')
    .action(async (id: string, o: { report?: string }) => {
      const model = await Model.get(id, where());
      const [evaluation] = await model.evaluations();
      if (!evaluation)
        throw new ValidationError(
          'model',
          `${model.versionedResourceName} has no evaluation`,
          'Evaluate an AutoML model (custom models have none).',
        );
      const summary = headline(evaluation.metrics as unknown as Record<string, unknown>);
      let file: string | undefined;
      if (o.report) {
        file = resolve(o.report);
        const title = `Evaluation of ${model.displayName}`;
        writeFileSync(
          file,
          `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${prCurveSvg(evaluation)}${confusionMatrixHtml(evaluation)}</body></html>`,
        );
      }
      print(
        globals(),
        { model: model.versionedResourceName, evaluation: evaluation.resourceName, ...summary, report: file },
        () =>
          [
            `${model.versionedResourceName}  ${evaluation.resourceName}`,
            table([
              ['AU-PRC', 'AU-ROC', 'LOG LOSS', 'PRECISION@0.5', 'RECALL@0.5'],
              [summary.auPrc, summary.auRoc, summary.logLoss, summary.precisionAt05, summary.recallAt05].map(
                (v) => (v === undefined ? '-' : String(Number(v.toPrecision(4)))),
              ),
            ]),
            file ? `Report: ${file}` : '',
          ]
            .join('\n')
            .trim(),
      );
    });
}
