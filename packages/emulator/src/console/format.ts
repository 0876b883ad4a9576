/** Pure formatting helpers of the console: durations, times, states, numbers. */

/** A duration as people read it: `850 ms`, `12 s`, `3 min 5 s`, `2 h 4 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
  if (s < 3600) return pair(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86_400) return pair(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  return pair(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
}

/** How long something ran: start to end, or start to `now` while it runs; `—` before it started. */
export function runDuration(start: unknown, end: unknown, now = Date.now()): string {
  const from = typeof start === 'string' ? Date.parse(start) : Number.NaN;
  if (Number.isNaN(from)) return '—';
  const to = typeof end === 'string' ? Date.parse(end) : now;
  return formatDuration(to - from);
}

/** An RFC 3339 timestamp as `2024-05-01 12:00:03 UTC`; `—` when absent or unreadable. */
export function formatTime(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return '—';
  return `${new Date(value).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** How long ago: `12 s ago`, `3 min ago`. */
export function formatAgo(value: unknown, now = Date.now()): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return '';
  const ms = now - Date.parse(value);
  return ms < 1000 ? 'just now' : `${formatDuration(ms).replace(/ \d+ (s|min|h)$/, '')} ago`;
}

/** The tone a state is shown in. */
export type Tone = 'ok' | 'bad' | 'run' | 'wait' | 'off';

const PREFIX = /^(JOB_STATE_|PIPELINE_STATE_|STATE_)/;

/** `JOB_STATE_SUCCEEDED` → `Succeeded`, `PIPELINE_STATE_RUNNING` → `Running`, `ACTIVE` → `Active`. */
export function stateLabel(state: unknown): string {
  if (typeof state !== 'string' || !state) return 'Unknown';
  const word = state.replace(PREFIX, '').replace(/_/g, ' ').toLowerCase();
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The colour family of a job, pipeline, trial or run state. */
export function stateTone(state: unknown): Tone {
  const s = typeof state === 'string' ? state.replace(PREFIX, '') : '';
  if (/^(SUCCEEDED|COMPLETE|READY|ACTIVE_READY)$/.test(s)) return 'ok';
  if (/^(FAILED|INFEASIBLE|EXPIRED|PARTIALLY_SUCCEEDED)$/.test(s)) return 'bad';
  if (/^(RUNNING|ACTIVE|STOPPING|UPDATING|CANCELLING|STARTING)$/.test(s)) return 'run';
  if (/^(CANCELLED|PAUSED|STOPPED)$/.test(s)) return 'off';
  return 'wait';
}

/** Whether a job or pipeline state is final (its logs will not grow). */
export function isTerminal(state: unknown): boolean {
  return (
    typeof state === 'string' &&
    /(SUCCEEDED|FAILED|CANCELLED|EXPIRED|PARTIALLY_SUCCEEDED|COMPLETE)$/.test(state)
  );
}

/** A metric or parameter value with up to 4 significant digits (integers as they are). */
export function formatNumber(value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return formatNumber(Number(value));
  if (typeof value !== 'number') return value === undefined || value === null ? '—' : String(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** The last segment of a resource name (its id). */
export function lastSegment(name: unknown): string {
  return typeof name === 'string' ? (name.split('/').pop() ?? '') : '';
}

/** `projects/p/locations/l/…` → `p / l`. */
export function projectLocation(name: unknown): string {
  const m = typeof name === 'string' ? /^projects\/([^/]+)\/locations\/([^/]+)/.exec(name) : null;
  return m ? `${m[1]} / ${m[2]}` : '';
}
