/** Tables of what `findBillableResources` found: rows for the CLI, HTML and a tslab display for notebooks. */
import { formatUsd } from '../cost/estimate.ts';
import { formatBytes } from '../cost/estimators.ts';
import { escapeHtml, htmlTable } from '../display/html.ts';
import { showHtml } from '../display/notebook.ts';
import type { BillableEndpoint, BillableResources } from './types.ts';

/** One line of the table: a deployed model, an empty endpoint, a TensorBoard or a running job. */
export interface BillableRow {
  kind:
    | 'deployed model'
    | 'endpoint'
    | 'tensorboard'
    | 'custom job'
    | 'training pipeline'
    | 'tuning job'
    | 'batch prediction';
  /** Full resource name (the endpoint's for a deployed model). */
  resourceName: string;
  /** Display name and id, e.g. `iris (123)`; for a deployed model `endpoint / deployed model`. */
  name: string;
  /** Machines, replicas, size … */
  detail: string;
  /** `idle`, `serving`, `empty, free`, a job state … */
  status: string;
  costPerDayUsd: number;
  /** `$2.28`. */
  costPerDay: string;
  /** Which rate times which quantity. */
  explanation: string;
}

/** `3 h`, `25 min`, `40 s`: a short duration for idle times. */
export function formatSeconds(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds >= 3600) return `${Number((seconds / 3600).toFixed(1))} h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds)} s`;
}

function endpointStatus(e: BillableEndpoint, found: BillableResources): string {
  const last = e.lastPredictionTime
    ? `last prediction ${formatSeconds((found.checkedAt.getTime() - e.lastPredictionTime.getTime()) / 1000)} ago`
    : 'no predictions seen';
  return e.idle ? `IDLE (${last})` : `serving (${last})`;
}

const named = (displayName: string, resourceName: string) =>
  `${displayName || '(no name)'} (${resourceName.split('/').pop() ?? ''})`;

/** The rows of {@link billableResourcesHtml} and of `tvx cleanup`, most expensive kind of thing first. */
export function billableResourcesRows(found: BillableResources): BillableRow[] {
  const rows: BillableRow[] = [];
  for (const e of found.endpoints) {
    const endpointName = named(e.endpoint.displayName, e.endpoint.resourceName);
    if (e.deployedModels.length === 0)
      rows.push({
        kind: 'endpoint',
        resourceName: e.endpoint.resourceName,
        name: endpointName,
        detail: 'nothing deployed',
        status: 'empty, free',
        costPerDayUsd: 0,
        costPerDay: formatUsd(0),
        explanation: 'An endpoint without deployed models is not billed.',
      });
    for (const d of e.deployedModels) {
      const replicas =
        d.minReplicaCount === d.maxReplicaCount
          ? `${d.minReplicaCount}`
          : `${d.minReplicaCount}-${d.maxReplicaCount}`;
      const accelerators = d.acceleratorType ? ` + ${d.acceleratorCount} × ${d.acceleratorType}` : '';
      rows.push({
        kind: 'deployed model',
        resourceName: e.endpoint.resourceName,
        name: `${endpointName} / ${named(d.displayName, d.id)}`,
        detail: `${replicas} × ${d.machineType}${accelerators}`,
        status: endpointStatus(e, found),
        costPerDayUsd: d.costPerDayUsd,
        costPerDay: formatUsd(d.costPerDayUsd),
        explanation: d.explanation,
      });
    }
  }
  for (const t of found.tensorboards)
    rows.push({
      kind: 'tensorboard',
      resourceName: t.tensorboard.resourceName,
      name: named(t.tensorboard.displayName, t.tensorboard.resourceName),
      detail: `${formatBytes(t.bytes)} stored`,
      status: 'stored',
      costPerDayUsd: t.costPerDayUsd,
      costPerDay: formatUsd(t.costPerDayUsd),
      explanation: t.explanation,
    });
  for (const j of found.runningJobs)
    rows.push({
      kind: j.kind,
      resourceName: j.resourceName,
      name: named(j.displayName, j.resourceName),
      detail: '',
      status: j.state.replace(/^(JOB|PIPELINE)_STATE_/, ''),
      costPerDayUsd: j.costPerDayUsd,
      costPerDay: formatUsd(j.costPerDayUsd),
      explanation: j.explanation,
    });
  return rows;
}

/** The endpoints idle for `found.idleAfter` seconds or more. */
export function idleEndpoints(found: BillableResources): BillableEndpoint[] {
  return found.endpoints.filter((e) => e.idle);
}

/** An HTML table of {@link billableResourcesRows} with the total per day, idle endpoints and notes. */
export function billableResourcesHtml(found: BillableResources): string {
  const rows = billableResourcesRows(found);
  const caption = `What keeps costing money in ${found.project} / ${found.location}: ${formatUsd(found.totalPerDayUsd)} per day`;
  const table = rows.length
    ? htmlTable(
        rows.map((r) => ({ ...r, cost: r.costPerDay })),
        {
          columns: ['kind', 'name', 'detail', 'status', 'cost', 'explanation'],
          headers: { cost: 'cost per day' },
          caption,
        },
      )
    : `<p><b>${escapeHtml(caption)}</b>: nothing found.</p>`;
  const idle = idleEndpoints(found).map(
    (e) =>
      `<li>Endpoint ${escapeHtml(named(e.endpoint.displayName, e.endpoint.resourceName))} has been idle for over ${escapeHtml(formatSeconds(found.idleAfter))} and costs ${escapeHtml(formatUsd(e.costPerDayUsd))} per day: undeploy its models with <code>cleanUp(found, { undeploy: true })</code>.</li>`,
  );
  const notes = found.notes.map((n) => `<li>${escapeHtml(n)}</li>`);
  const list = [...idle, ...notes];
  return `<div>${table}${list.length ? `<ul>${list.join('')}</ul>` : ''}</div>`;
}

/** Shows {@link billableResourcesHtml} in a notebook (a no-op outside tslab); returns false outside tslab. */
export function showBillableResources(found: BillableResources): boolean {
  return showHtml(billableResourcesHtml(found));
}
