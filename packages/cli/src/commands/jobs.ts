import { CustomJob, type LogLine, shortState } from '@terra-vertex/core';
import type { Command } from 'commander';
import { ExitCode, type GlobalOptions, print, table } from '../output.ts';
import { progressDisplay } from '../progress.ts';

type Globals = () => GlobalOptions;

interface JobSummary {
  name: string;
  displayName: string;
  state: string;
  createTime?: string;
  startTime?: string;
  endTime?: string;
  error?: { code?: number; message?: string };
}

function summary(job: CustomJob): JobSummary {
  const r = job.toJSON() as Partial<JobSummary>;
  return {
    name: job.resourceName,
    displayName: job.displayName,
    state: job.state,
    createTime: r.createTime,
    startTime: r.startTime,
    endTime: r.endTime,
    error: r.error,
  };
}

function formatLine(l: LogLine): string {
  return `${l.timestamp} [${l.task}] ${l.text}`;
}

/** `tvx jobs list|describe|logs|wait|cancel`. */
export function registerJobs(program: Command, globals: Globals): void {
  const jobs = program.command('jobs').description('custom jobs: list, inspect, follow and cancel');

  jobs
    .command('list')
    .description('list custom jobs, newest first')
    .option('--filter <filter>', 'Vertex list filter, e.g. state="JOB_STATE_RUNNING"')
    .action(async (o: { filter?: string }) => {
      const g = globals();
      const list = await CustomJob.list({ project: g.project, location: g.location, filter: o.filter });
      const rows = list.map(summary);
      print(g, rows, () =>
        rows.length === 0
          ? 'No custom jobs.'
          : table([
              ['ID', 'STATE', 'DISPLAY NAME', 'CREATED'],
              ...rows.map((r) => [
                r.name.split('/').pop()!,
                shortState(r.state),
                r.displayName,
                r.createTime ?? '',
              ]),
            ]),
      );
    });

  jobs
    .command('describe <job>')
    .description('show one job (resource name or id)')
    .action(async (name: string) => {
      const g = globals();
      const job = await CustomJob.get(name, { project: g.project, location: g.location });
      print(g, job.toJSON(), () => {
        const s = summary(job);
        const pools = job.gcaResource?.jobSpec?.workerPoolSpecs ?? [];
        return [
          `Name:         ${s.name}`,
          `Display name: ${s.displayName}`,
          `State:        ${shortState(s.state)}`,
          `Created:      ${s.createTime ?? '-'}`,
          `Started:      ${s.startTime ?? '-'}`,
          `Ended:        ${s.endTime ?? '-'}`,
          ...pools.map(
            (p, i) =>
              `Pool ${i}:       ${p.replicaCount ?? 1} × ${p.machineSpec?.machineType ?? '?'} ${p.pythonPackageSpec ? `python -m ${p.pythonPackageSpec.pythonModule}` : (p.containerSpec?.imageUri ?? '')}`,
          ),
          `Output:       ${job.gcaResource?.jobSpec?.baseOutputDirectory?.outputUriPrefix ?? '-'}`,
          ...(s.error ? [`Error:        ${s.error.message}`] : []),
        ].join('\n');
      });
    });

  jobs
    .command('logs <job>')
    .description("print a job's log lines (all replicas)")
    .option('-f, --follow', 'keep printing new lines until the job ends')
    .option('--tail <n>', 'only the last n lines', (v) => Number.parseInt(v, 10))
    .action(async (name: string, o: { follow?: boolean; tail?: number }) => {
      const g = globals();
      const job = await CustomJob.get(name, { project: g.project, location: g.location });
      if (!o.follow) {
        const lines = await job.logs({ tail: o.tail });
        print(g, lines, () => lines.map(formatLine).join('\n'));
        return;
      }
      await job.wait({
        followLogs: true,
        throwOnFailure: false,
        onProgress: (e) => {
          if (e.type === 'log')
            process.stdout.write(
              g.json ? `${JSON.stringify(e)}\n` : `${e.timestamp} [${e.task}] ${e.line}\n`,
            );
        },
      });
    });

  jobs
    .command('wait <job>')
    .description('wait until a job ends; exit code 1 if it failed or was cancelled')
    .option('--no-logs', 'do not print log lines while waiting')
    .action(async (name: string, o: { logs: boolean }) => {
      const g = globals();
      const job = await CustomJob.get(name, { project: g.project, location: g.location });
      const display = progressDisplay({ json: g.json, logs: o.logs });
      try {
        await job.wait({ onProgress: display.listener, followLogs: o.logs });
      } finally {
        display.stop();
      }
      print(g, summary(job), () => `${job.resourceName} ${shortState(job.state)}`);
    });

  jobs
    .command('cancel <job>')
    .description('cancel a running job')
    .option('--wait', 'wait until it has stopped')
    .action(async (name: string, o: { wait?: boolean }) => {
      const g = globals();
      const job = await CustomJob.get(name, { project: g.project, location: g.location });
      await job.cancel();
      if (o.wait) await job.wait({ throwOnFailure: false, followLogs: false });
      print(
        g,
        summary(job),
        () => `Cancel requested for ${job.resourceName}${o.wait ? ` (now ${shortState(job.state)})` : ''}`,
      );
      if (o.wait && job.state !== 'JOB_STATE_CANCELLED') process.exitCode = ExitCode.JOB_FAILED;
    });
}
