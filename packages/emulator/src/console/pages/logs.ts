import type { LogEntry } from '../../logging/log-store.ts';
import type { ConsoleData } from '../data.ts';
import { isTerminal } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

/** One log line as the console's JSON route sends it. */
export interface LogLine {
  time: string;
  severity: string;
  task: string;
  text: string;
}

export function logLine(e: LogEntry): LogLine {
  return {
    time: e.timestamp.slice(11, 23),
    severity: e.severity,
    task: e.resource.labels.task_name ?? '',
    text: e.textPayload,
  };
}

/**
 * A log view of the entries of log `logId` (a job's id), rendered now and, while `state` is not final,
 * followed live by the logs script through `/console/api/logs/:logId?name=<resource>`.
 */
export function logView(data: ConsoleData, logId: string, resourceName: string, state: unknown): SafeHtml {
  const entries = data.sources.logs.entries(logId).map(logLine);
  const src = `/console/api/logs/${encodeURIComponent(logId)}?name=${encodeURIComponent(resourceName)}`;
  const lines = entries.map(
    (e) =>
      html`<span class="line ${e.severity}"><span class="t">${e.time} </span><span class="task">[${e.task}] </span>${e.text}</span>`,
  );
  const none = entries.length
    ? ''
    : html`<span class="none muted">${isTerminal(state) ? 'This job wrote no log lines.' : 'Waiting for the first log line…'}</span>`;
  return html`<pre class="logs" data-after="${entries.length}"${isTerminal(state) ? '' : html` data-src="${src}"`}>${none}${lines}</pre>`;
}
