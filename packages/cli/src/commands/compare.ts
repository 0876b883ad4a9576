import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  compareModels,
  comparisonReportHtml,
  customModelClasses,
  formatMetric,
  type HeldOutSet,
  imageArrayInstances,
  imageContentInstances,
  leaderboardRows,
  type ModelPredictions,
  predictionsFromBqml,
  predictionsFromEndpoint,
  readHeldOut,
} from '@terra-vertex/automl-bqml';
import { ValidationError } from '@terra-vertex/core';
import type { Command } from 'commander';
import ora from 'ora';
import { type GlobalOptions, print, table } from '../output.ts';
import { collect, keyValues } from './options.ts';

type Globals = () => GlobalOptions;

/** The flags of `tvx compare`. */
interface CompareFlags {
  heldout: string;
  custom?: string;
  customOutput: string;
  customClasses?: string;
  customImageSize?: number;
  customName: string;
  automl?: string;
  automlName: string;
  bqml?: string;
  bqTable?: string;
  bqWhere?: string[];
  bqIdColumn: string;
  bqLabelColumn: string;
  bqmlName: string;
  batchSize: number;
  out: string;
  title?: string;
}

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new ValidationError(
      flag,
      `${JSON.stringify(v)} is not a positive integer`,
      `Write e.g. ${flag} 16.`,
    );
  return n;
};

function checkFlags(o: CompareFlags): void {
  const given = [o.custom && '--custom', o.automl && '--automl', o.bqml && '--bqml'].filter(Boolean);
  if (given.length < 2)
    throw new ValidationError(
      '--custom/--automl/--bqml',
      `${given.length ? `only ${given[0]} was given` : 'no model was given'}; a comparison needs two or more`,
      'Give at least two of --custom <endpoint>, --automl <endpoint>, --bqml <dataset.model> (with --bq-table).',
    );
  if (o.bqml && !o.bqTable)
    throw new ValidationError(
      '--bq-table',
      'is required with --bqml',
      'Name the table with the held-out rows, e.g. --bq-table samples.digits (rows with split = TEST are used).',
    );
  if (!['probabilities', 'logits'].includes(o.customOutput))
    throw new ValidationError(
      '--custom-output',
      `${JSON.stringify(o.customOutput)} is not probabilities or logits`,
      'Say what the custom model returns: --custom-output probabilities (softmax applied) or logits.',
    );
}

/** A spinner per model on a terminal, a line per model otherwise, NDJSON on stderr with --json. */
function modelProgress(json: boolean | undefined, label: string) {
  if (json) {
    const event = (state: string, extra: object = {}) =>
      process.stderr.write(`${JSON.stringify({ type: 'compare', model: label, state, ...extra })}\n`);
    event('predicting');
    return {
      update: (done: number, total: number) => event('predicting', { done, total }),
      done: (text: string) => event('done', { text }),
      fail: () => event('failed'),
    };
  }
  const spinner = process.stderr.isTTY
    ? ora({ stream: process.stderr }).start(`${label}: predicting…`)
    : undefined;
  if (!spinner) process.stderr.write(`${label}: predicting…\n`);
  return {
    update: (done: number, total: number) => {
      if (spinner) spinner.text = `${label}: ${done}/${total} predicted`;
    },
    done: (text: string) => (spinner ? spinner.succeed(text) : process.stderr.write(`${text}\n`)),
    fail: () => spinner?.fail(`${label}: failed`),
  };
}

async function withProgress(
  json: boolean | undefined,
  label: string,
  f: (onProgress: (done: number, total: number) => void) => Promise<ModelPredictions>,
): Promise<ModelPredictions> {
  const progress = modelProgress(json, label);
  try {
    const p = await f(progress.update);
    progress.done(`${label}: ${p.probabilities.length} examples predicted`);
    return p;
  } catch (err) {
    progress.fail();
    throw err;
  }
}

async function predictAll(
  o: CompareFlags,
  g: GlobalOptions,
  heldOut: HeldOutSet,
): Promise<ModelPredictions[]> {
  const where = { project: g.project, location: g.location };
  const out: ModelPredictions[] = [];
  if (o.custom) {
    const endpoint = o.custom;
    out.push(
      await withProgress(g.json, o.customName, async (onProgress) =>
        predictionsFromEndpoint(
          endpoint,
          await imageArrayInstances(heldOut, o.customImageSize ? { size: o.customImageSize } : {}),
          {
            ...where,
            name: o.customName,
            kind: 'custom',
            output: o.customOutput as 'probabilities' | 'logits',
            classes: o.customClasses
              ? o.customClasses.split(',').map((c) => c.trim())
              : await customModelClasses(endpoint, where),
            ids: heldOut.ids,
            batchSize: o.batchSize,
            onProgress,
          },
        ),
      ),
    );
  }
  if (o.automl) {
    const endpoint = o.automl;
    out.push(
      await withProgress(g.json, o.automlName, async (onProgress) =>
        predictionsFromEndpoint(endpoint, await imageContentInstances(heldOut), {
          ...where,
          name: o.automlName,
          kind: 'automl',
          output: 'automl-image',
          classes: heldOut.classes,
          ids: heldOut.ids,
          batchSize: o.batchSize,
          onProgress,
        }),
      ),
    );
  }
  if (o.bqml) {
    const model = o.bqml;
    const bqWhere = keyValues(o.bqWhere ?? ['split=TEST'], '--bq-where');
    out.push(
      await withProgress(g.json, o.bqmlName, () =>
        predictionsFromBqml({
          ...(g.project ? { config: { project: g.project } } : {}),
          model,
          table: o.bqTable!,
          ...(Object.keys(bqWhere).length ? { where: bqWhere } : {}),
          idColumn: o.bqIdColumn,
          labelColumn: o.bqLabelColumn,
          name: o.bqmlName,
        }),
      ),
    );
  }
  return out;
}

/** `tvx compare`: a custom, an AutoML and a BigQuery ML model on the same held-out data. */
export function registerCompare(program: Command, globals: Globals): void {
  program
    .command('compare')
    .description(
      'evaluate two or more of a custom model, an AutoML model and a BigQuery ML model on the same held-out ' +
        'images; prints the leaderboard and writes an HTML report',
    )
    .requiredOption('--heldout <dir>', 'image dataset folder (writeDigitsDataset): its TEST rows are used')
    .option('--custom <endpoint>', 'endpoint of the custom model (images as [height][width][3] in [0, 1])')
    .option(
      '--custom-output <kind>',
      'what the custom model returns: probabilities or logits',
      'probabilities',
    )
    .option('--custom-classes <a,b,…>', "its classes in output order (default: the trainer's metrics.json)")
    .option(
      '--custom-image-size <px>',
      'resize images to this size (default: as stored)',
      positiveInt('--custom-image-size'),
    )
    .option('--custom-name <name>', 'leaderboard name of the custom model', 'custom model')
    .option('--automl <endpoint>', 'endpoint of the AutoML image model')
    .option('--automl-name <name>', 'leaderboard name of the AutoML model', 'AutoML Vision')
    .option('--bqml <dataset.model>', 'the BigQuery ML classifier (project.dataset.model or dataset.model)')
    .option('--bq-table <dataset.table>', 'table with the held-out rows for --bqml (loadDigitsTable)')
    .option('--bq-where <column=value>', 'which rows of --bq-table (repeatable; default split=TEST)', collect)
    .option('--bq-id-column <column>', 'column with the image file stems', 'id')
    .option('--bq-label-column <column>', 'the label column the model was trained on', 'label')
    .option('--bqml-name <name>', 'leaderboard name of the BigQuery ML model', 'BigQuery ML')
    .option('--batch-size <n>', 'instances per prediction request', positiveInt('--batch-size'), 32)
    .option('--out <file>', 'the HTML report', 'comparison-report.html')
    .option('--title <text>', 'title of the report')
    .action(async (o: CompareFlags) => {
      const g = globals();
      checkFlags(o);
      const heldOut = await readHeldOut(o.heldout);
      const predictions = await predictAll(o, g, heldOut);
      const board = compareModels({ truth: heldOut, predictions });
      const out = resolve(o.out);
      const subtitle = `${heldOut.ids.length} held-out examples (${heldOut.mlUse} rows of ${heldOut.dir})`;
      writeFileSync(
        out,
        await comparisonReportHtml(board, { ...(o.title ? { title: o.title } : {}), subtitle }),
      );
      const rows = leaderboardRows(board);
      print(
        g,
        { report: out, examples: heldOut.ids.length, leaderboard: rows, models: board.models.map(summary) },
        () =>
          [
            table([
              ['RANK', 'MODEL', 'KIND', 'EXAMPLES', 'ACCURACY', 'AUC-PR', 'AUC-ROC', 'LOG LOSS'],
              ...rows.map((r) => [
                String(r.rank),
                r.model,
                r.kind,
                String(r.examples),
                ...[r.accuracy, r.aucPr, r.aucRoc, r.logLoss].map(formatMetric),
              ]),
            ]),
            `Report: ${out}`,
          ].join('\n'),
      );
    });
}

/** A model's metrics for --json, without the curves (they are in the report). */
function summary(m: ReturnType<typeof compareModels>['models'][number]) {
  const { roc: _roc, pr: _pr, ...rest } = m;
  return rest;
}
