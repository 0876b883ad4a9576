import { writeFileSync } from 'node:fs';
import {
  lastScalars,
  type ScalarSeries,
  scalarsHtml,
  Tensorboard,
  TensorboardExperiment,
  tensorboardExperimentForJob,
  uploadTbLog,
  ValidationError,
} from '@terra-vertex/core';
import type { Command } from 'commander';
import ora from 'ora';
import { type GlobalOptions, print, table } from '../output.ts';
import { collect, keyValues } from './options.ts';

type Globals = () => GlobalOptions;

function summary(tb: Tensorboard) {
  return {
    name: tb.resourceName,
    displayName: tb.displayName,
    isDefault: tb.isDefault,
    runCount: tb.runCount,
    createTime: tb.gcaResource.createTime,
  };
}

/** Where the scalars of `tvx tensorboard scalars` come from: a job's experiment, or one named. */
async function experimentOf(
  o: { job?: string; experiment?: string; tensorboard?: string },
  where: { project?: string; location?: string },
): Promise<TensorboardExperiment> {
  if (Boolean(o.job) === Boolean(o.experiment))
    throw new ValidationError(
      '--job/--experiment',
      'give exactly one of --job and --experiment',
      'Use --job <custom job, tuning job or training pipeline> for a job run with --tensorboard, or --experiment <name|id> --tensorboard <id> for an uploaded folder.',
    );
  if (o.job) return tensorboardExperimentForJob(o.job, where);
  return TensorboardExperiment.get(o.experiment!, { ...where, tensorboardId: o.tensorboard });
}

/** Prints a tag's last value per run; writes the charts as an HTML page with `--html`. */
function reportScalars(g: GlobalOptions, series: ScalarSeries[], o: { tag?: string[]; html?: string }): void {
  const chosen = o.tag?.length ? series.filter((s) => o.tag!.includes(s.tag)) : series;
  const rows = lastScalars(chosen);
  if (o.html) writeFileSync(o.html, `<!doctype html><meta charset="utf-8">\n${scalarsHtml(chosen)}\n`);
  print(g, { scalars: rows, html: o.html }, () => {
    if (!rows.length) return 'No scalars yet: the job writes them to AIP_TENSORBOARD_LOG_DIR as it trains.';
    const fmt = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(5)).toString() : String(v));
    const lines = table([
      ['RUN', 'TAG', 'STEP', 'LAST', 'MIN', 'MAX'],
      ...rows.map((r) => [r.run, r.tag, r.step, r.value, r.min, r.max].map(fmt)),
    ]);
    return o.html ? `${lines}\nCharts: ${o.html}` : lines;
  });
}

/** `tvx tensorboard create|list|delete|upload|scalars`: Vertex AI TensorBoard instances and their data. */
export function registerTensorboard(program: Command, globals: Globals): void {
  const tb = program
    .command('tensorboard')
    .description('TensorBoard instances: create, list, delete, upload a log folder, read scalars');
  const where = () => ({ project: globals().project, location: globals().location });

  tb.command('create')
    .description('create a TensorBoard instance (link jobs to it with --tensorboard and --service-account)')
    .option('--display-name <name>', 'display name (default: "Tensorboard <time>")')
    .option('--description <text>', 'description')
    .option('--label <key=value>', 'label (repeatable)', collect)
    .option('--default', 'make it the location default (experiments without one use it)')
    .action(
      async (o: { displayName?: string; description?: string; label?: string[]; default?: boolean }) => {
        const created = await Tensorboard.create({
          ...where(),
          displayName: o.displayName,
          description: o.description,
          labels: o.label ? keyValues(o.label, '--label') : undefined,
          isDefault: o.default,
        });
        print(globals(), summary(created), () => `Created ${created.resourceName}`);
      },
    );

  tb.command('list')
    .description('list the TensorBoard instances of the project and location')
    .option('--filter <filter>', 'Vertex list filter, e.g. is_default=true')
    .action(async (o: { filter?: string }) => {
      const all = (await Tensorboard.list({ ...where(), filter: o.filter })).map(summary);
      print(globals(), all, () =>
        all.length
          ? table([
              ['NAME', 'DISPLAY NAME', 'DEFAULT', 'RUNS'],
              ...all.map((t) => [t.name, t.displayName, t.isDefault ? 'yes' : '', String(t.runCount)]),
            ])
          : 'No TensorBoard instances. Create one with `tvx tensorboard create --display-name <name>`.',
      );
    });

  tb.command('delete')
    .description('delete a TensorBoard instance with its experiments, runs and data')
    .argument('<tensorboard>', 'resource name or id')
    .action(async (name: string) => {
      const found = await Tensorboard.get(name, where());
      await found.delete();
      print(globals(), { deleted: found.resourceName }, () => `Deleted ${found.resourceName}`);
    });

  tb.command('upload')
    .description('upload the scalars of a local TensorBoard log folder into an experiment (a run per folder)')
    .requiredOption('--tensorboard <id>', 'TensorBoard instance: resource name or id')
    .requiredOption('--experiment <id>', 'experiment id, created if missing')
    .requiredOption('--logdir <dir>', 'local folder with events.out.tfevents.* files')
    .option('--run-name-prefix <prefix>', 'prefix of every run name')
    .option('--display-name <name>', 'experiment display name (when created)')
    .option('--description <text>', 'experiment description (when created)')
    .action(
      async (o: {
        tensorboard: string;
        experiment: string;
        logdir: string;
        runNamePrefix?: string;
        displayName?: string;
        description?: string;
      }) => {
        const g = globals();
        const spinner = process.stderr.isTTY && !g.json ? ora({ stream: process.stderr }) : undefined;
        spinner?.start(`Reading ${o.logdir}…`);
        const result = await uploadTbLog({
          ...where(),
          tensorboardId: o.tensorboard,
          tensorboardExperimentName: o.experiment,
          logdir: o.logdir,
          runNamePrefix: o.runNamePrefix,
          experimentDisplayName: o.displayName,
          description: o.description,
          onProgress: (e) => {
            if (e.type === 'write' && spinner) spinner.text = `Uploading ${e.written}/${e.total} points`;
            if (e.type === 'warning') {
              spinner?.clear();
              process.stderr.write(`warning: ${e.message}\n`);
              spinner?.render();
            }
          },
        }).finally(() => spinner?.stop());
        const out = {
          experiment: result.experiment.resourceName,
          runs: result.runs.map((r) => ({ run: r.run, tags: r.tags, points: r.points })),
          points: result.points,
          warnings: result.warnings,
        };
        print(g, out, () =>
          [
            `Uploaded ${result.points} points in ${result.runs.length} run(s) to ${out.experiment}`,
            ...out.runs.map((r) => `  ${r.run}: ${r.points} points (${r.tags.join(', ')})`),
          ].join('\n'),
        );
      },
    );

  tb.command('scalars')
    .description("print each run's last value per tag (and write the charts with --html)")
    .option('--job <name>', 'a job run with --tensorboard: custom job, tuning job or training pipeline')
    .option('--experiment <name|id>', 'a TensorBoard experiment (with --tensorboard when an id)')
    .option('--tensorboard <id>', 'TensorBoard instance of --experiment')
    .option('--tag <tag>', 'only this tag (repeatable)', collect)
    .option('--html <file>', 'write the charts and the table as an HTML page')
    .action(
      async (o: {
        job?: string;
        experiment?: string;
        tensorboard?: string;
        tag?: string[];
        html?: string;
      }) => {
        const experiment = await experimentOf(o, where());
        reportScalars(globals(), await experiment.readScalars(), o);
      },
    );
}
