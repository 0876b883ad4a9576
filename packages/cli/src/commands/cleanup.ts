import confirm from '@inquirer/confirm';
import {
  type BillableEndpoint,
  type BillableResources,
  billableResourcesRows,
  type CleanUpOptions,
  type CleanUpResult,
  cleanUp,
  type Endpoint,
  endpointsActivity,
  findBillableResources,
  formatSeconds,
  formatUsd,
  ValidationError,
} from '@terra-vertex/core';
import type { Command } from 'commander';
import ora from 'ora';
import { ExitCode, type GlobalOptions, print, table } from '../output.ts';
import { duration } from './options.ts';

type Globals = () => GlobalOptions;

/** `90s`, `30m`, `2h`, `1d` or plain seconds (zero allowed) → seconds, naming `flag` when it is none of those. */
export function parseIdleAfter(text: string, flag = '--idle-after'): number {
  return duration(text, flag, { allowZero: true });
}

/** The idle threshold: `--idle-after`, else `TVX_IDLE_AFTER`, else one hour. */
export function idleAfterSeconds(flag?: string): number {
  if (flag !== undefined) return parseIdleAfter(flag);
  const env = process.env.TVX_IDLE_AFTER;
  return env ? parseIdleAfter(env, 'TVX_IDLE_AFTER') : 3600;
}

function idleWarning(e: BillableEndpoint, idleAfter: number): string {
  const name = `${e.endpoint.displayName || '(no name)'} (${e.endpoint.id})`;
  const last = e.lastPredictionTime
    ? `last prediction ${e.lastPredictionTime.toISOString()}`
    : 'no predictions seen';
  return (
    `warning: endpoint ${name} has been idle for over ${formatSeconds(idleAfter)} (${last}) and costs ` +
    `${formatUsd(e.costPerDayUsd)} per day: \`tvx endpoints undeploy\` its models or \`tvx cleanup --undeploy\`.\n`
  );
}

/**
 * Warns on stderr about each endpoint of `endpoints` idle longer than `TVX_IDLE_AFTER` (default 1h), from
 * Cloud Monitoring's prediction count. For `tvx endpoints list`; silent with `--json` and never fails the
 * listing (a Monitoring error becomes one warning line).
 */
export async function warnIdleEndpoints(
  endpoints: readonly Endpoint[],
  globals: GlobalOptions,
): Promise<void> {
  if (globals.json || !endpoints.some((e) => e.deployedModels.length)) return;
  try {
    const idleAfter = idleAfterSeconds();
    const activity = await endpointsActivity(endpoints, {
      project: globals.project,
      location: globals.location,
      idleAfter,
    });
    for (const e of activity) if (e.idle) process.stderr.write(idleWarning(e, idleAfter));
  } catch (err) {
    process.stderr.write(`warning: could not check endpoints for idleness: ${(err as Error).message}\n`);
  }
}

/** Plain data of a search for `--json` (resources as names, costs in USD). */
function foundJson(found: BillableResources) {
  return {
    project: found.project,
    location: found.location,
    idleAfterSeconds: found.idleAfter,
    checkedAt: found.checkedAt.toISOString(),
    totalPerDayUsd: found.totalPerDayUsd,
    endpoints: found.endpoints.map((e) => ({
      resourceName: e.endpoint.resourceName,
      displayName: e.endpoint.displayName,
      costPerDayUsd: e.costPerDayUsd,
      idle: e.idle,
      lastPredictionTime: e.lastPredictionTime?.toISOString(),
      deployedModels: e.deployedModels.map((d) => ({ ...d, deployTime: d.deployTime?.toISOString() })),
    })),
    tensorboards: found.tensorboards.map((t) => ({
      resourceName: t.tensorboard.resourceName,
      displayName: t.tensorboard.displayName,
      bytes: t.bytes,
      costPerDayUsd: t.costPerDayUsd,
      explanation: t.explanation,
    })),
    runningJobs: found.runningJobs,
    notes: found.notes,
  };
}

function listing(found: BillableResources): string {
  const rows = billableResourcesRows(found);
  if (rows.length === 0) return `Nothing billable in ${found.project} / ${found.location}.`;
  return [
    table([
      ['KIND', 'NAME', 'DETAIL', 'STATUS', 'COST/DAY'],
      ...rows.map((r) => [r.kind, r.name, r.detail, r.status, r.costPerDay]),
      ['', '', '', 'total', formatUsd(found.totalPerDayUsd)],
    ]),
    ...found.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

/** What the acting flags would do to `found`, e.g. `undeploy 1 model, cancel 1 job`; empty when nothing. */
function plan(found: BillableResources, o: CleanUpOptions): string[] {
  const models = found.endpoints.reduce((n, e) => n + e.deployedModels.length, 0);
  const parts: string[] = [];
  if ((o.undeploy || o.deleteEndpoints) && models) parts.push(`undeploy ${models} model(s)`);
  if (o.deleteEndpoints && found.endpoints.length) parts.push(`delete ${found.endpoints.length} endpoint(s)`);
  if (o.deleteTensorboards && found.tensorboards.length)
    parts.push(`delete ${found.tensorboards.length} TensorBoard(s) with their data`);
  if (o.cancelJobs && found.runningJobs.length) parts.push(`cancel ${found.runningJobs.length} job(s)`);
  return parts;
}

function resultText(result: CleanUpResult): string {
  const lines = result.actions.map(
    (a) =>
      `${a.error ? 'FAILED ' : ''}${a.action} ${a.resourceName}${a.detail ? ` (${a.detail})` : ''}${a.error ? `: ${a.error}` : ''}`,
  );
  lines.push(`${formatUsd(result.savedPerDayUsd)} per day no longer billed.`);
  return lines.join('\n');
}

interface CleanupFlags {
  idleAfter?: string;
  undeploy?: boolean;
  deleteEndpoints?: boolean;
  deleteTensorboards?: boolean;
  cancelJobs?: boolean;
  all?: boolean;
  yes?: boolean;
}

/** `tvx cleanup`: what keeps costing money, idle endpoints, and removing it on request. */
export function registerCleanup(program: Command, globals: Globals): void {
  program
    .command('cleanup')
    .description(
      'list what keeps costing money (endpoints, TensorBoards, running jobs) and remove it on request',
    )
    .option(
      '--idle-after <duration>',
      'warn about endpoints without predictions this long (default TVX_IDLE_AFTER, else 1h)',
    )
    .option('--undeploy', 'undeploy every deployed model (endpoints stay, free)')
    .option('--delete-endpoints', 'delete the endpoints (undeploying first)')
    .option('--delete-tensorboards', 'delete the TensorBoard instances and their data')
    .option('--cancel-jobs', 'cancel queued and running jobs')
    .option('--all', 'all four of the above')
    .option('--yes', 'act without asking (required without a terminal)')
    .action(async (o: CleanupFlags) => {
      const g = globals();
      const idleAfter = idleAfterSeconds(o.idleAfter);
      const act: CleanUpOptions = {
        undeploy: o.undeploy || o.all,
        deleteEndpoints: o.deleteEndpoints || o.all,
        deleteTensorboards: o.deleteTensorboards || o.all,
        cancelJobs: o.cancelJobs || o.all,
      };
      const acting = Object.values(act).some(Boolean);
      const found = await findBillableResources({ project: g.project, location: g.location, idleAfter });
      if (!g.json) {
        process.stdout.write(`${listing(found)}\n`);
        for (const e of found.endpoints) if (e.idle) process.stderr.write(idleWarning(e, idleAfter));
      }
      const todo = plan(found, act);
      if (!acting || todo.length === 0) {
        if (g.json) print(g, foundJson(found), () => '');
        else if (acting) process.stdout.write('Nothing to clean up.\n');
        return;
      }
      if (!o.yes) {
        if (!process.stdin.isTTY || !process.stderr.isTTY)
          throw new ValidationError(
            '--yes',
            `is required to ${todo.join(', ')} without a terminal to confirm on`,
            'Check the list above, then run the same command with --yes.',
          );
        const ok = await confirm(
          { message: `${todo.join(', ')}?`, default: false },
          { output: process.stderr },
        );
        if (!ok) {
          process.stderr.write('Nothing done.\n');
          return;
        }
      }
      const spinner =
        process.stderr.isTTY && !g.json
          ? ora({ text: 'Cleaning up…', stream: process.stderr }).start()
          : undefined;
      const result = await cleanUp(found, {
        ...act,
        onProgress: (e) => {
          if (spinner && e.type === 'notice') spinner.text = `${e.message} ${e.resourceName}`;
        },
      });
      if (result.failed) spinner?.fail(`${result.failed} action(s) failed`);
      else spinner?.succeed(`Cleaned up: ${todo.join(', ')}`);
      print(g, { ...foundJson(found), cleanUp: result }, () => resultText(result));
      if (result.failed) process.exitCode = ExitCode.API;
    });
}
