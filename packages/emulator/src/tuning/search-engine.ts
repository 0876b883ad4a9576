import { SearchError, SearchWorker, type SuggestRequest, type SuggestResponse } from './search.ts';

/**
 * The emulator's one search engine process, shared by tuning jobs and Vizier studies: started on first use,
 * restarted if it died (the failed request is reported, the next one gets a fresh process), closed on stop.
 */
export class SearchEngine {
  private worker: SearchWorker | undefined;
  private readonly python: string;

  constructor(python: string) {
    this.python = python;
  }

  /** Suggests parameter values; rejects with {@link SearchError} carrying the engine's message. */
  async suggest(request: SuggestRequest): Promise<SuggestResponse> {
    this.worker ??= new SearchWorker(this.python);
    const worker = this.worker;
    try {
      return await worker.suggest(request);
    } catch (err) {
      if (!worker.alive && this.worker === worker) this.worker = undefined;
      throw err instanceof SearchError ? err : new SearchError(String(err));
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close();
  }
}
