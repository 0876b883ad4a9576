import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config.ts';
import { closeClients } from '../connection.ts';
import { ApiError, StatusCode } from '../errors.ts';
import { bigQueryClient, bigQueryLocation, toBigQueryError } from './client.ts';

const emulator: ResolvedConfig = {
  project: 'demo-terra-vertex',
  projectSource: 'emulator-default',
  location: 'us-central1',
  emulator: { vertex: '127.0.0.1:1', http: 'http://127.0.0.1:1' },
  apiTransport: 'grpc',
  notices: [],
};

afterEach(() => closeClients());

describe('BigQuery client', () => {
  it('points at the emulator under /bigquery/v2 with no credential lookup, made once', async () => {
    const bq = await bigQueryClient(emulator);
    expect(bq.projectId).toBe('demo-terra-vertex');
    expect(bq.apiEndpoint).toBe('http://127.0.0.1:1');
    expect((bq as unknown as { baseUrl: string }).baseUrl).toBe('http://127.0.0.1:1/bigquery/v2');
    expect(await bigQueryClient(emulator)).toBe(bq);
    const other = await bigQueryClient({
      ...emulator,
      emulator: { vertex: 'x:2', http: 'http://127.0.0.1:2' },
    });
    expect(other).not.toBe(bq);
    // Nothing listens on port 1: the failure names the call and says the service is unreachable.
    const err = await bq.query('SELECT 1').catch((e: unknown) => toBigQueryError(e, 'BigQuery query'));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(StatusCode.UNAVAILABLE);
  });

  it('uses BigQuery locations, not Vertex regions', () => {
    expect(bigQueryLocation({})).toBe('US');
    expect(bigQueryLocation({ BIGQUERY_LOCATION: 'EU' })).toBe('EU');
  });

  it('maps BigQuery errors and failed jobs to ApiErrors with BigQuery’s message', () => {
    const http = toBigQueryError(
      Object.assign(new Error('Not found: Table p:d.t'), {
        code: 404,
        errors: [{ reason: 'notFound', message: 'Not found: Table p:d.t' }],
      }),
      'BigQuery query',
    ) as ApiError;
    expect(http.code).toBe(StatusCode.NOT_FOUND);
    expect(http.message).toMatch(/^BigQuery query failed with NOT_FOUND: Not found: Table p:d.t/);
    const job = toBigQueryError(
      { reason: 'invalidQuery', message: 'Syntax error at [1:1]' },
      'job j',
    ) as ApiError;
    expect(job.code).toBe(StatusCode.INVALID_ARGUMENT);
    expect(job.serverMessage).toBe('Syntax error at [1:1]');
    const plain = new TypeError('x');
    expect(toBigQueryError(plain, 'c')).toBe(plain);
  });
});
