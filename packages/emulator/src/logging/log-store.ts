import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** A Cloud Logging `LogEntry` as the emulator stores and serves it. */
export interface LogEntry {
  logName: string;
  resource: { type: string; labels: Record<string, string> };
  timestamp: string;
  receiveTimestamp: string;
  severity: string;
  insertId: string;
  textPayload: string;
}

const SEVERITIES = [
  'DEFAULT',
  'DEBUG',
  'INFO',
  'NOTICE',
  'WARNING',
  'ERROR',
  'CRITICAL',
  'ALERT',
  'EMERGENCY',
];

/**
 * Job logs the way Vertex AI writes them to Cloud Logging (resource type `ml_job`, labels `job_id` and
 * `task_name`), one JSONL file per job under `<dataDir>/logs/`, appended live while replicas run.
 */
export class LogStore {
  private readonly dir: string;
  private readonly cache = new Map<string, LogEntry[]>();
  private seq = 0;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'logs');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Appends one line written by `task` (e.g. `workerpool0-0`, or `service` for the emulator's own lines). */
  append(project: string, jobId: string, task: string, severity: string, text: string): void {
    const now = new Date().toISOString();
    const entry: LogEntry = {
      logName: `projects/${project}/logs/${encodeURIComponent(task)}`,
      resource: { type: 'ml_job', labels: { job_id: jobId, task_name: task, project_id: project } },
      timestamp: now,
      receiveTimestamp: now,
      severity,
      insertId: `${Date.now().toString(36)}-${(++this.seq).toString(36)}`,
      textPayload: text,
    };
    this.entries(jobId).push(entry);
    appendFileSync(this.file(jobId), `${JSON.stringify(entry)}\n`);
  }

  /** Every entry of a job, oldest first. */
  entries(jobId: string): LogEntry[] {
    let list = this.cache.get(jobId);
    if (!list) {
      const file = this.file(jobId);
      list = existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as LogEntry)
        : [];
      this.cache.set(jobId, list);
    }
    return list;
  }

  /** Entries matching a parsed Cloud Logging filter. */
  query(filter: LogFilter): LogEntry[] {
    if (!filter.jobId) {
      throw new Error(
        'the filter must name a job: add resource.labels.job_id="<id>" (the emulator keeps logs per job)',
      );
    }
    const minSeverity = filter.minSeverity ? SEVERITIES.indexOf(filter.minSeverity) : 0;
    return this.entries(filter.jobId).filter(
      (e) =>
        (!filter.taskName || e.resource.labels.task_name === filter.taskName) &&
        (!filter.after ||
          (filter.afterInclusive ? e.timestamp >= filter.after : e.timestamp > filter.after)) &&
        SEVERITIES.indexOf(e.severity) >= minSeverity,
    );
  }

  /** Forgets every job's logs. */
  clear(): void {
    this.cache.clear();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  delete(jobId: string): void {
    this.cache.delete(jobId);
    rmSync(this.file(jobId), { force: true });
  }

  private file(jobId: string): string {
    return join(this.dir, `${jobId.replace(/[^\w-]/g, '_')}.jsonl`);
  }
}

/** The subset of the Cloud Logging filter language the emulator understands. */
export interface LogFilter {
  jobId?: string;
  taskName?: string;
  after?: string;
  afterInclusive?: boolean;
  minSeverity?: string;
}

const CLAUSE = /^([\w.]+)\s*(=|>=|>|:)\s*"?([^"]*)"?$/;

/** Parses `resource.type="ml_job" AND resource.labels.job_id="1" AND timestamp>="…"`; throws on anything else. */
export function parseLogFilter(filter: string): LogFilter {
  const out: LogFilter = {};
  for (const raw of filter
    .split(/\s+AND\s+|\n/)
    .map((c) => c.trim())
    .filter(Boolean)) {
    const m = CLAUSE.exec(raw);
    if (!m) throw new Error(`unsupported filter clause ${JSON.stringify(raw)}`);
    const [, key, op, value] = m as unknown as [string, string, string, string];
    if (key === 'resource.type' && value === 'ml_job') continue;
    if (key === 'resource.labels.job_id' && op === '=') out.jobId = value;
    else if (key === 'resource.labels.task_name' && op === '=') out.taskName = value;
    else if (key === 'timestamp' && (op === '>' || op === '>=')) {
      out.after = value;
      out.afterInclusive = op === '>=';
    } else if (key === 'severity' && op === '>=' && SEVERITIES.includes(value)) out.minSeverity = value;
    else {
      throw new Error(
        `unsupported filter clause ${JSON.stringify(raw)}: the emulator understands resource.type="ml_job", ` +
          'resource.labels.job_id=, resource.labels.task_name=, timestamp>= / > and severity>=',
      );
    }
  }
  return out;
}
