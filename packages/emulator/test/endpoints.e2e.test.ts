import { v1 } from '@google-cloud/aiplatform';
import { grpc } from 'google-gax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const parent = 'projects/demo-emu/locations/us-central1';
/**
 * A serving container as a local command, following Vertex's contract: answers the health route, and on the
 * predict route returns each instance with its pid and TAG; `parameters.sleep` holds the request, instance
 * "crash" ends the process, FAIL_START makes it die before serving.
 */
const server = `
import json, os, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
if os.environ.get('FAIL_START'):
    print('cannot load the model: ' + os.environ['FAIL_START'], file=sys.stderr, flush=True)
    sys.exit(3)
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code); self.send_header('content-type', 'application/json')
        self.send_header('content-length', str(len(data))); self.end_headers(); self.wfile.write(data)
    def do_GET(self):
        self.reply(200 if self.path == os.environ['AIP_HEALTH_ROUTE'] else 404, {})
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers['content-length'])))
        if self.path != os.environ['AIP_PREDICT_ROUTE']: return self.reply(404, {'error': 'route ' + self.path})
        if 'crash' in body['instances']: os._exit(1)
        if 'bad' in body['instances']: return self.reply(400, {'error': 'instance "bad" has 3 features, expected 4'})
        time.sleep((body.get('parameters') or {}).get('sleep', 0))
        self.reply(200, {'predictions': [{'x': i, 'pid': os.getpid(), 'tag': os.environ.get('TAG')} for i in body['instances']]})
ThreadingHTTPServer(('127.0.0.1', int(os.environ['AIP_HTTP_PORT'])), H).serve_forever()
`;

function clients(emu: RunningEmulator) {
  const [host, port] = emu.vertexAddress.split(':');
  const o = { apiEndpoint: host, port: Number(port), sslCreds: grpc.credentials.createInsecure() };
  return {
    models: new v1.ModelServiceClient(o),
    endpoints: new v1.EndpointServiceClient(o),
    predictions: new v1.PredictionServiceClient(o),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('endpoints on the emulator', () => {
  let emu: RunningEmulator;
  let c: ReturnType<typeof clients>;
  const upload = async (tag: string, env: Record<string, string> = {}) => {
    const [op] = await c.models.uploadModel({
      parent,
      model: {
        displayName: `echo-${tag}`,
        containerSpec: {
          imageUri: 'local/echo-server:1',
          env: Object.entries({ TAG: tag, ...env }).map(([name, value]) => ({ name, value })),
        },
      },
    });
    const [res] = await op.promise();
    return `${res.model!}@${res.modelVersionId!}`;
  };
  const predict = async (endpoint: string, instances: unknown[], parameters?: unknown) => {
    const [res] = await c.predictions.predict({
      endpoint,
      instances: instances.map((x) =>
        typeof x === 'string' ? { stringValue: x } : { numberValue: x as number },
      ),
      ...(parameters ? { parameters: parameters as never } : {}),
    });
    return res;
  };
  const field = (v: unknown, k: string) =>
    (v as { structValue: { fields: Record<string, { numberValue?: number; stringValue?: string }> } })
      .structValue.fields[k]!;

  beforeAll(async () => {
    emu = await startEmulator({
      localImages: { 'local/echo-server:1': { command: [PY, '-c', server] } },
      scaleDownSeconds: 1,
    });
    c = clients(emu);
  });
  afterAll(() => emu?.stop());

  it('deploys two models, routes by the traffic split, scales with load, restarts a crashed replica', async () => {
    const [createOp] = await c.endpoints.createEndpoint({ parent, endpoint: { displayName: 'echo' } });
    const [endpoint] = await createOp.promise();
    const name = endpoint.name!;
    const [deployA] = await c.endpoints.deployModel({
      endpoint: name,
      deployedModel: {
        model: await upload('a'),
        dedicatedResources: {
          minReplicaCount: 1,
          maxReplicaCount: 2,
          machineSpec: { machineType: 'n1-standard-2' },
        },
      },
      trafficSplit: { '0': 100 },
    });
    const [a] = await deployA.promise();
    const [deployB] = await c.endpoints.deployModel({
      endpoint: name,
      deployedModel: {
        model: await upload('b'),
        automaticResources: { minReplicaCount: 1, maxReplicaCount: 1 },
      },
      trafficSplit: { [a.deployedModel!.id!]: 50, '0': 50 },
    });
    const [b] = await deployB.promise();
    const [got] = await c.endpoints.getEndpoint({ name });
    expect(got.trafficSplit).toEqual({ [a.deployedModel!.id!]: 50, [b.deployedModel!.id!]: 50 });

    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await predict(name, [i]);
      seen.add(res.deployedModelId!);
      const tag = field(res.predictions![0], 'tag').stringValue;
      expect(tag).toBe(res.deployedModelId === a.deployedModel!.id ? 'a' : 'b');
      expect(field(res.predictions![0], 'x').numberValue).toBe(i);
    }
    expect(seen.size).toBe(2);

    // All traffic to A; concurrent slow requests make it scale to its max of 2 replicas.
    await c.endpoints.updateEndpoint({
      endpoint: {
        name,
        displayName: 'echo',
        trafficSplit: { [a.deployedModel!.id!]: 100, [b.deployedModel!.id!]: 0 },
      },
      updateMask: { paths: ['traffic_split'] },
    });
    const pids = new Set<number>();
    for (let round = 0; round < 6 && pids.size < 2; round++) {
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          predict(name, [1], { structValue: { fields: { sleep: { numberValue: 0.4 } } } }),
        ),
      );
      for (const r of answers) {
        expect(r.deployedModelId).toBe(a.deployedModel!.id);
        pids.add(field(r.predictions![0], 'pid').numberValue!);
      }
    }
    expect(pids.size).toBe(2);

    // A server error comes back as INVALID_ARGUMENT with its message; a crash is survived.
    await expect(predict(name, ['bad'])).rejects.toThrow(/INVALID_ARGUMENT.*has 3 features, expected 4/);
    await expect(predict(name, ['crash'])).rejects.toThrow(/UNAVAILABLE.*did not answer/);
    let after: number | undefined;
    for (let i = 0; i < 100 && after === undefined; i++) {
      try {
        after = field((await predict(name, [2])).predictions![0], 'pid').numberValue!;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(after).toBeDefined();

    // A deployed model cannot be deleted; undeploying stops the servers; an endpoint with models cannot be deleted.
    await expect(c.models.deleteModel({ name: a.deployedModel!.model! })).rejects.toThrow(
      /FAILED_PRECONDITION.*is deployed to .*endpoints/,
    );
    await expect(c.endpoints.deleteEndpoint({ name })).rejects.toThrow(
      /FAILED_PRECONDITION.*undeploy them first/,
    );
    for (const id of [a.deployedModel!.id!, b.deployedModel!.id!]) {
      const [op] = await c.endpoints.undeployModel({ endpoint: name, deployedModelId: id });
      await op.promise();
    }
    for (const pid of pids) expect(alive(pid)).toBe(false);
    const [empty] = await c.endpoints.getEndpoint({ name });
    expect(empty.deployedModels).toEqual([]);
    expect(empty.trafficSplit).toEqual({});
    await expect(predict(name, [1])).rejects.toThrow(/FAILED_PRECONDITION.*no deployed model/);
    const [del] = await c.endpoints.deleteEndpoint({ name });
    await del.promise();
  }, 120_000);

  const deploy = async (
    endpoint: string,
    tag: string,
    min: number,
    max: number,
    split: Record<string, number>,
  ) => {
    const [op] = await c.endpoints.deployModel({
      endpoint,
      deployedModel: {
        model: await upload(tag),
        dedicatedResources: {
          minReplicaCount: min,
          maxReplicaCount: max,
          machineSpec: { machineType: 'n1-standard-2' },
        },
      },
      trafficSplit: split,
    });
    const [res] = await op.promise();
    return res.deployedModel!.id!;
  };
  const newEndpoint = async (displayName: string) => {
    const [op] = await c.endpoints.createEndpoint({ parent, endpoint: { displayName } });
    return (await op.promise())[0].name!;
  };
  const pidOf = (res: Awaited<ReturnType<typeof predict>>) => field(res.predictions![0], 'pid').numberValue!;

  it('splits 1,000 requests 70/30 within a binomial bound', async () => {
    const name = await newEndpoint('split');
    const a = await deploy(name, 'a', 1, 1, { '0': 100 });
    const b = await deploy(name, 'b', 1, 1, { [a]: 70, '0': 30 });
    const counts: Record<string, number> = { [a]: 0, [b]: 0 };
    for (let batch = 0; batch < 100; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => predict(name, [batch * 10 + i])),
      );
      for (const r of answers) counts[r.deployedModelId!]!++;
    }
    // Binomial(1000, 0.7): sd 14.5; ±4 sd (58) is exceeded with probability about 6e-5.
    expect(counts[a]! + counts[b]!).toBe(1000);
    expect(Math.abs(counts[a]! - 700)).toBeLessThanOrEqual(58);
  }, 120_000);

  it('scales up under concurrent load and back down when idle', async () => {
    const name = await newEndpoint('scale');
    await deploy(name, 'a', 1, 3, { '0': 100 });
    const slow = { structValue: { fields: { sleep: { numberValue: 0.5 } } } };
    const pids = new Set<number>();
    for (let round = 0; round < 8 && pids.size < 3; round++) {
      const answers = await Promise.all(Array.from({ length: 6 }, () => predict(name, [1], slow)));
      for (const r of answers) pids.add(pidOf(r));
    }
    expect(pids.size).toBe(3);
    // Idle for more than scaleDownSeconds (1 s here): the pool shrinks back to its minimum of one.
    const deadline = Date.now() + 15_000;
    while ([...pids].filter(alive).length > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect([...pids].filter(alive)).toHaveLength(1);
  }, 120_000);

  it('a killed replica loses only the request it was answering; it is replaced', async () => {
    const name = await newEndpoint('kill');
    await deploy(name, 'a', 2, 2, { '0': 100 });
    const before = new Set<number>();
    while (before.size < 2) before.add(pidOf(await predict(name, [0])));
    const victim = [...before][0]!;
    process.kill(victim, 'SIGKILL');
    const after = new Set<number>();
    let failures = 0;
    const deadline = Date.now() + 20_000;
    for (let i = 0; (i < 200 || after.size < 2) && Date.now() < deadline; i++) {
      try {
        after.add(pidOf(await predict(name, [i])));
      } catch {
        failures++;
      }
    }
    // One request at a time: at most the one in flight at the kill is lost.
    expect(failures).toBeLessThanOrEqual(1);
    expect(before.size).toBe(2);
    expect(after.has(victim)).toBe(false);
    expect(after.size).toBe(2); // the survivor and the replacement
  }, 120_000);

  it('fails the deploy operation with the server error; refuses bad splits and private endpoints', async () => {
    const [createOp] = await c.endpoints.createEndpoint({ parent, endpoint: { displayName: 'broken' } });
    const [endpoint] = await createOp.promise();
    const [op] = await c.endpoints.deployModel({
      endpoint: endpoint.name!,
      deployedModel: { model: await upload('c', { FAIL_START: 'model.joblib is missing' }) },
      trafficSplit: { '0': 100 },
    });
    await expect(op.promise()).rejects.toThrow(/status 3: cannot load the model: model.joblib is missing/);
    const [after] = await c.endpoints.getEndpoint({ name: endpoint.name! });
    expect(after.deployedModels).toEqual([]);
    await expect(
      c.endpoints.deployModel({
        endpoint: endpoint.name!,
        deployedModel: { model: await upload('d') },
        trafficSplit: { '0': 60, '12': 30 },
      }),
    ).rejects.toThrow(/traffic_split\[12\][\s\S]*must sum to 100, got 90/);
    await expect(
      c.endpoints.createEndpoint({
        parent,
        endpoint: { displayName: 'private', network: 'projects/1/global/networks/x' },
      }),
    ).rejects.toThrow(/endpoint.network.*Private endpoints are served by Vertex AI only/);
    const [unmapped] = await c.models.uploadModel({
      parent,
      model: { displayName: 'unmapped', containerSpec: { imageUri: 'gcr.io/acme/server:1' } },
    });
    const [m] = await unmapped.promise();
    const [op2] = await c.endpoints.deployModel({
      endpoint: endpoint.name!,
      deployedModel: { model: m.model! },
      trafficSplit: { '0': 100 },
    });
    await expect(op2.promise()).rejects.toThrow(
      /cannot run the serving image gcr.io\/acme\/server:1[\s\S]*--image-map/,
    );
  }, 60_000);
});
