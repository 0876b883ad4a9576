import { writeFileSync } from 'node:fs';
import { Experiment, experimentColumns, experimentTableHtml } from '@terra-vertex/core';
import type { Command } from 'commander';
import { ExitCode, type GlobalOptions, print, table } from '../output.ts';

type Globals = () => GlobalOptions;

const cell = (v: unknown) =>
  v === undefined || v === null
    ? ''
    : typeof v === 'number'
      ? Number(v.toPrecision(5)).toString()
      : String(v);

/** `tvx experiments list|runs`: Vertex AI Experiments and their runs side by side. */
export function registerExperiments(program: Command, globals: Globals): void {
  const experiments = program
    .command('experiments')
    .description('Vertex AI Experiments: list them, compare their runs');
  const where = () => ({ project: globals().project, location: globals().location });

  experiments
    .command('list')
    .description('list the experiments of the project and location')
    .action(async () => {
      const all = (await Experiment.list(where())).map((e) => ({
        name: e.name,
        resourceName: e.resourceName,
        backingTensorboard: e.backingTensorboardResourceName,
      }));
      print(globals(), all, () =>
        all.length
          ? table([['NAME', 'BACKING TENSORBOARD'], ...all.map((e) => [e.name, e.backingTensorboard ?? ''])])
          : "No experiments. Start one from code: init({ experiment: 'name' }); await startRun('run-1').",
      );
    });

  experiments
    .command('runs')
    .description('compare the runs of an experiment: state, parameters and metrics side by side')
    .argument('<experiment>', 'experiment name')
    .option('--html <file>', 'write the comparison as an HTML table')
    .action(async (name: string, o: { html?: string }) => {
      const experiment = await Experiment.get(name, where());
      if (!experiment) {
        process.stderr.write(`error: experiment ${name} not found; \`tvx experiments list\` shows them.\n`);
        process.exit(ExitCode.API);
      }
      const rows = await experiment.getDataFrame();
      if (o.html)
        writeFileSync(
          o.html,
          `<!doctype html><meta charset="utf-8">\n${experimentTableHtml(rows, { caption: name })}\n`,
        );
      const columns = experimentColumns(rows).filter((c) => c !== 'experiment_name' && c !== 'run_type');
      print(globals(), { experiment: experiment.resourceName, runs: rows, html: o.html }, () =>
        rows.length
          ? table([columns, ...rows.map((r) => columns.map((c) => cell(r[c])))])
          : `Experiment ${name} has no runs yet.`,
      );
    });
}
