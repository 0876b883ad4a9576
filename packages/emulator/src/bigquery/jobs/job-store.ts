/**
 * BigQuery jobs of the local BigQuery: kept in memory, written through to `{root}/jobs/{project}/{jobId}.json`
 * so that jobs.get and getQueryResults still answer after a restart. A running job has a promise to wait on
 * (getQueryResults and jobs.query long-poll as BigQuery does, instead of answering `jobComplete: false` at once).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../deps.ts';
import { notFound } from '../errors.ts';

/** A job: its REST resource plus what the emulator needs to answer for it. */
export interface StoredJob {
  resource: JsonObject;
  /** Table with a SELECT's rows (in the warehouse), read by getQueryResults. */
  resultsTable?: string;
  /** Resolves when the job is DONE. */
  done?: Promise<void>;
  cancel?: () => void;
}

const key = (projectId: string, jobId: string) => `${projectId}/${jobId}`;

/** The job table. */
export class JobStore {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'jobs');
    mkdirSync(this.dir, { recursive: true });
    for (const project of readdirSync(this.dir)) {
      for (const file of readdirSync(join(this.dir, project))) {
        const job = JSON.parse(readFileSync(join(this.dir, project, file), 'utf8')) as StoredJob;
        const status = job.resource.status as { state: string };
        if (status.state !== 'DONE') {
          // The process that ran it is gone.
          job.resource.status = {
            state: 'DONE',
            errorResult: {
              reason: 'backendError',
              message: 'The emulator was restarted while this job was running.',
            },
          };
        }
        this.jobs.set(key(project, file.replace(/\.json$/, '')), job);
      }
    }
  }

  has(projectId: string, jobId: string): boolean {
    return this.jobs.has(key(projectId, jobId));
  }

  /** The job, or 404 `Not found: Job p:jobId`. */
  get(projectId: string, jobId: string): StoredJob {
    const job = this.jobs.get(key(projectId, jobId));
    if (!job) throw notFound('Job', `${projectId}:${jobId}`);
    return job;
  }

  /** Adds or updates a job and writes it through. */
  put(projectId: string, jobId: string, job: StoredJob): void {
    this.jobs.set(key(projectId, jobId), job);
    this.save(projectId, jobId);
  }

  /** Writes the job's current state to disk. */
  save(projectId: string, jobId: string): void {
    const job = this.jobs.get(key(projectId, jobId));
    if (!job) return;
    mkdirSync(join(this.dir, projectId), { recursive: true });
    const { resource, resultsTable } = job;
    writeFileSync(join(this.dir, projectId, `${jobId}.json`), JSON.stringify({ resource, resultsTable }));
  }

  /** Jobs of a project, newest first. */
  list(projectId: string): StoredJob[] {
    return [...this.jobs.entries()]
      .filter(([k]) => k.startsWith(`${projectId}/`))
      .map(([, j]) => j)
      .sort((a, b) => Number(statsOf(b).creationTime) - Number(statsOf(a).creationTime));
  }

  delete(projectId: string, jobId: string): void {
    this.get(projectId, jobId);
    this.jobs.delete(key(projectId, jobId));
    rmSync(join(this.dir, projectId, `${jobId}.json`), { force: true });
  }

  clear(): void {
    this.jobs.clear();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }
}

function statsOf(job: StoredJob): { creationTime?: string } {
  return (job.resource.statistics ?? {}) as { creationTime?: string };
}
