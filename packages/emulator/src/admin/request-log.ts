/** One call the emulator answered. */
export interface RequestRecord {
  seq: number;
  time: string;
  transport: 'grpc' | 'http';
  /** gRPC path (`/google.cloud.aiplatform.v1.JobService/CreateCustomJob`) or `GET /storage/v1/b`. */
  method: string;
  /** The request in canonical proto3 JSON (gRPC) or the JSON body (HTTP); large binary bodies are summarised. */
  request: unknown;
  status: string;
  error?: string;
  durationMs: number;
}

/** Every call with its body, newest last, capped at `capacity` entries; readable over the admin API. */
export class RequestLog {
  private readonly records: RequestRecord[] = [];
  private seq = 0;
  private readonly capacity: number;

  constructor(capacity = 10_000) {
    this.capacity = capacity;
  }

  record(entry: Omit<RequestRecord, 'seq' | 'time'>): void {
    this.records.push({ seq: ++this.seq, time: new Date().toISOString(), ...entry });
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
  }

  /** Records after `since` (a seq), optionally only those whose method contains `method`. */
  query(filter: { since?: number; method?: string } = {}): RequestRecord[] {
    return this.records.filter(
      (r) => r.seq > (filter.since ?? 0) && (!filter.method || r.method.includes(filter.method)),
    );
  }

  clear(): void {
    this.records.length = 0;
  }
}
