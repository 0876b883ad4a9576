import type { ResolvedConfig } from './config.ts';
import { postGoogleJson } from './connection.ts';
import { toApiError } from './errors.ts';

/** One line a job wrote, as Cloud Logging stores it. */
export interface LogLine {
  timestamp: string;
  /** The replica that wrote it, e.g. `workerpool0-0`. */
  task: string;
  severity: string;
  text: string;
  insertId: string;
}

interface LogEntry {
  insertId?: string;
  timestamp?: string;
  severity?: string;
  textPayload?: string;
  jsonPayload?: { message?: string } & Record<string, unknown>;
  resource?: { labels?: Record<string, string> };
  labels?: Record<string, string>;
}

const LOGGING_API = 'https://logging.googleapis.com';

/**
 * Reads a Vertex AI job's log lines through the Cloud Logging API (`entries.list`, the same call against
 * the cloud and the emulator). `after` returns only lines newer than that timestamp.
 */
export async function readJobLogs(
  config: ResolvedConfig,
  project: string,
  jobId: string,
  options: { after?: string; pageSize?: number; maxLines?: number } = {},
): Promise<LogLine[]> {
  const clauses = [`resource.type="ml_job"`, `resource.labels.job_id="${jobId}"`];
  if (options.after) clauses.push(`timestamp>="${options.after}"`);
  const lines: LogLine[] = [];
  let pageToken: string | undefined;
  do {
    const body: Record<string, unknown> = {
      resourceNames: [`projects/${project}`],
      filter: clauses.join(' AND '),
      orderBy: 'timestamp asc',
      pageSize: options.pageSize ?? 1000,
    };
    if (pageToken) body.pageToken = pageToken;
    let page: { entries?: LogEntry[]; nextPageToken?: string };
    try {
      page = await postGoogleJson(config, LOGGING_API, '/v2/entries:list', body);
    } catch (err) {
      throw toApiError(err, `Reading the logs of job ${jobId}`);
    }
    for (const e of page.entries ?? []) lines.push(toLine(e));
    pageToken = page.nextPageToken || undefined;
  } while (pageToken && (options.maxLines === undefined || lines.length < options.maxLines));
  return options.maxLines === undefined ? lines : lines.slice(-options.maxLines);
}

function toLine(e: LogEntry): LogLine {
  return {
    timestamp: e.timestamp ?? '',
    task: e.resource?.labels?.task_name ?? e.labels?.task_name ?? '',
    severity: e.severity ?? 'DEFAULT',
    text: e.textPayload ?? e.jsonPayload?.message ?? JSON.stringify(e.jsonPayload ?? {}),
    insertId: e.insertId ?? '',
  };
}

/** Remembers which lines were seen so that tailing with `timestamp>=` never repeats one. */
export class LogCursor {
  private last?: string;
  private seenAtLast = new Set<string>();

  /** The `after` to ask for next. */
  get after(): string | undefined {
    return this.last;
  }

  /** Returns the lines not seen before, in order. */
  take(lines: LogLine[]): LogLine[] {
    const fresh: LogLine[] = [];
    for (const l of lines) {
      if (this.last !== undefined && l.timestamp < this.last) continue;
      if (l.timestamp === this.last && this.seenAtLast.has(l.insertId)) continue;
      if (l.timestamp !== this.last) {
        this.last = l.timestamp;
        this.seenAtLast = new Set();
      }
      this.seenAtLast.add(l.insertId);
      fresh.push(l);
    }
    return fresh;
  }
}
