/**
 * A job's progress for display: {@link ProgressLog} collects {@link ProgressEvent}s (state changes, log
 * lines, notices) and renders them as HTML (a live notebook display) or as text lines (an appended log).
 */

import { type CostEstimate, formatUsd } from '../cost/estimate.ts';
import type { ProgressEvent } from '../jobs/job-state.ts';
import { shortState } from '../jobs/job-state.ts';
import { escapeHtml } from './html.ts';

/** A state the job entered, and when. */
export interface StateChange {
  state: string;
  at: Date;
}

/** Everything a {@link ProgressLog} knows, for rendering. */
export interface ProgressSnapshot {
  title: string;
  resourceName?: string;
  /** The latest state, e.g. `JOB_STATE_RUNNING`. */
  state?: string;
  states: StateChange[];
  /** The last `maxLines` log lines. */
  lines: { task: string; line: string }[];
  /** How many log lines arrived in all. */
  lineCount: number;
  notices: string[];
}

const TERMINAL = /_STATE_(SUCCEEDED|FAILED|CANCELLED|PAUSED|EXPIRED|PARTIALLY_SUCCEEDED)$/;

/** Collects a job's progress events; pure bookkeeping, no output. */
export class ProgressLog {
  readonly title: string;
  private readonly maxLines: number;
  private readonly snap: ProgressSnapshot;

  /** `maxLines`: log lines kept for display (default 12). */
  constructor(options: { title?: string; maxLines?: number } = {}) {
    this.title = options.title ?? 'Job';
    this.maxLines = options.maxLines ?? 12;
    this.snap = { title: this.title, states: [], lines: [], lineCount: 0, notices: [] };
  }

  /** Records one event. */
  add(event: ProgressEvent): void {
    const s = this.snap;
    if (event.type === 'created') s.resourceName = event.resourceName;
    else if (event.type === 'state') {
      s.resourceName ??= event.resourceName;
      s.state = event.state;
      s.states.push({ state: event.state, at: event.at });
    } else if (event.type === 'log') {
      s.lineCount++;
      s.lines.push({ task: event.task, line: event.line });
      if (s.lines.length > this.maxLines) s.lines.shift();
    } else if (event.type === 'cost') s.notices.push(costNotice(event.estimate));
    else s.notices.push(event.message);
  }

  /** A copy of what was recorded so far. */
  get snapshot(): ProgressSnapshot {
    return structuredClone(this.snap);
  }

  /** Whether the job reached a final state. */
  get done(): boolean {
    return this.snap.state !== undefined && TERMINAL.test(this.snap.state);
  }
}

const COLOURS: Record<string, string> = {
  SUCCEEDED: '#2e7d32',
  FAILED: '#c62828',
  CANCELLED: '#616161',
  CANCELLING: '#616161',
  RUNNING: '#1565c0',
};

/** Seconds between the first and the last state change (or `now` while the job runs). */
export function elapsedSeconds(snapshot: ProgressSnapshot, now: Date = new Date()): number {
  const first = snapshot.states[0]?.at;
  if (!first) return 0;
  const last = TERMINAL.test(snapshot.state ?? '') ? snapshot.states.at(-1)!.at : now;
  return Math.max(0, (last.getTime() - first.getTime()) / 1000);
}

/** A badge with the state, the resource name, the states so far and the last log lines, as HTML. */
export function progressHtml(snapshot: ProgressSnapshot, now: Date = new Date()): string {
  const state = shortState(snapshot.state ?? 'PENDING');
  const colour = COLOURS[state] ?? '#ef6c00';
  const badge = `<span style="background:${colour};color:#fff;border-radius:3px;padding:1px 6px">${escapeHtml(state)}</span>`;
  const seconds = elapsedSeconds(snapshot, now).toFixed(1);
  const trail = snapshot.states.map((s) => shortState(s.state)).join(' → ');
  const name = snapshot.resourceName ? `<code>${escapeHtml(snapshot.resourceName)}</code>` : '';
  const lines = snapshot.lines.map((l) => `[${l.task}] ${l.line}`).join('\n');
  const more =
    snapshot.lineCount > snapshot.lines.length
      ? `<div style="color:#666">last ${snapshot.lines.length} of ${snapshot.lineCount} log lines</div>`
      : '';
  const notices = snapshot.notices.map((n) => `<div style="color:#ef6c00">${escapeHtml(n)}</div>`).join('');
  const log = lines
    ? `<pre style="margin:4px 0;max-height:16em;overflow:auto;font-size:12px">${escapeHtml(lines)}</pre>`
    : '';
  return (
    `<div style="font-size:13px"><b>${escapeHtml(snapshot.title)}</b> ${badge} ${seconds} s ${name}` +
    `<div style="color:#666">${escapeHtml(trail)}</div>${notices}${more}${log}</div>`
  );
}

/** One text line for an event (the appended-log form), e.g. `[iris] state → RUNNING`. */
export function progressLine(title: string, event: ProgressEvent): string {
  switch (event.type) {
    case 'created':
      return `[${title}] created ${event.resourceName}`;
    case 'state':
      return `[${title}] state → ${shortState(event.state)}`;
    case 'log':
      return `[${title}] [${event.task}] ${event.line}`;
    case 'notice':
      return `[${title}] note: ${event.message}`;
    case 'cost':
      return `[${title}] ${costNotice(event.estimate)}`;
  }
}

/** `estimated cost on Vertex AI: $0.22 per hour; $36.71 at Vertex's default timeout (7 days)`. */
function costNotice(e: CostEstimate): string {
  const total = `${formatUsd(e.totalUsd)} for ${e.basis}`;
  return `estimated cost on Vertex AI: ${e.hourlyUsd === undefined ? total : `${formatUsd(e.hourlyUsd)} per hour; ${total}`}`;
}
