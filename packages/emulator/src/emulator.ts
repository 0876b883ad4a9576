import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { RequestLog } from './admin/request-log.ts';
import { registerAdminRoutes } from './admin/routes.ts';
import { startLocalBigQuery } from './bigquery/index.ts';
import { projectLocations, registerConsole } from './console/index.ts';
import { DatasetStore } from './datasets/dataset-store.ts';
import { LogStore } from './logging/log-store.ts';
import { registerLoggingRoutes } from './logging/routes.ts';
import { startLocalMetadata } from './metadata/index.ts';
import { instanceCount, PredictionMetrics, registerMonitoringRoutes } from './monitoring/index.ts';
import { AutomlRunner } from './runtime/automl-runner.ts';
import { CustomJobRunner } from './runtime/custom-job-runner.ts';
import { EndpointRuntime } from './runtime/endpoint-runtime.ts';
import type { LocalImage } from './runtime/images.ts';
import { StudyRunner } from './runtime/study-runner.ts';
import { ResourceStore } from './state/resource-store.ts';
import { ObjectStore, registerStorageRoutes } from './storage/index.ts';
import { startLocalTensorboards } from './tensorboard/index.ts';
import { SearchEngine } from './tuning/search-engine.ts';
import { datasetServiceHandlers } from './vertex/dataset-service.ts';
import { RpcDispatcher } from './vertex/dispatch.ts';
import { endpointServiceHandlers } from './vertex/endpoint-service.ts';
import { bindServer, createGrpcServer } from './vertex/grpc-server.ts';
import { jobServiceHandlers } from './vertex/job-service.ts';
import { EvaluationStore, modelEvaluationHandlers } from './vertex/model-evaluations.ts';
import { ModelRegistry } from './vertex/model-registry.ts';
import { modelServiceHandlers } from './vertex/model-service.ts';
import { OperationStore, operationsHandlers } from './vertex/operations.ts';
import { pipelineServiceHandlers } from './vertex/pipeline-service.ts';
import { predictionServiceHandlers } from './vertex/prediction-service.ts';
import { type Json, protoRoot } from './vertex/protos.ts';
import { registerRestGateway } from './vertex/rest-gateway.ts';
import { tuningJobHandlers } from './vertex/tuning-service.ts';
import { vizierServiceHandlers } from './vertex/vizier-service.ts';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Loopback address to listen on (default 127.0.0.1); other addresses are refused. */
  host?: string;
  /** Vertex AI gRPC port; 0 (default) picks a free one. */
  grpcPort?: number;
  /** Cloud Storage / Logging / admin HTTP port; 0 (default) picks a free one. */
  httpPort?: number;
  /** Where state lives; survives restarts. Default: a fresh temporary folder, removed on stop. */
  dataDir?: string;
  /** Python for trainers (default TVX_PYTHON, else /usr/bin/python3). */
  python?: string;
  /** Local commands for container images, keyed by image URI. */
  localImages?: Record<string, LocalImage>;
  /** Seconds a model-server replica above `minReplicaCount` may stay idle before it is stopped (default 30). */
  scaleDownSeconds?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `host:port` of the Vertex AI gRPC server (VERTEX_AI_EMULATOR_HOST). */
  vertexAddress: string;
  /** `http://host:port` of Cloud Storage, BigQuery, Cloud Logging, Vertex AI REST and the admin API (STORAGE_EMULATOR_HOST, BIGQUERY_EMULATOR_HOST). */
  httpAddress: string;
  dataDir: string;
  /** The variables that point terra-vertex and Google client libraries at this emulator. */
  env: Record<string, string>;
  /** Stops the servers and every running job (which ends FAILED, saying why). */
  stop(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/**
 * Starts the local Vertex AI + Cloud Storage emulator inside this process.
 *
 * @example
 * const emu = await startEmulator();
 * Object.assign(process.env, emu.env);   // terra-vertex now talks to it
 * await emu.stop();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host))
    throw new Error(`host ${host} is not a loopback address: the emulator listens on 127.0.0.1 or ::1 only.`);
  const ownsDataDir = !options.dataDir;
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'tvx-emulator-')));
  mkdirSync(dataDir, { recursive: true });
  protoRoot();

  const requestLog = new RequestLog();
  const logs = new LogStore(dataDir);
  const gcsRoot = join(dataDir, 'gcs');
  const objects = new ObjectStore(gcsRoot);
  const jobs = new ResourceStore(dataDir, 'customJobs');
  const ops = new OperationStore(dataDir);

  // BigQuery table and job ids may be up to 1,024 characters: the router's default limit is 100.
  const http = Fastify({ bodyLimit: 64 * 1024 * 1024, routerOptions: { maxParamLength: 2048 } });
  const env: Record<string, string> = {};
  const python = options.python ?? process.env.TVX_PYTHON ?? '/usr/bin/python3';
  const bigquery = await startLocalBigQuery({ dataDir, objects, python });
  const runner = new CustomJobRunner(
    {
      dataDir,
      gcsRoot,
      python,
      planner: { localImages: options.localImages ?? {} },
      emulatorEnv: env,
      logs,
    },
    jobs,
  );
  runner.recoverAfterRestart();

  const dispatcher = new RpcDispatcher(requestLog);
  const tuningStore = new ResourceStore(dataDir, 'hyperparameterTuningJobs');
  const engine = new SearchEngine(python);
  const studies = new StudyRunner(tuningStore, jobs, runner, { dataDir, engine });
  studies.recoverAfterRestart();
  dispatcher.register('google.cloud.aiplatform.v1.JobService', {
    ...jobServiceHandlers(jobs, runner, ops),
    ...tuningJobHandlers(tuningStore, studies, ops, engine),
  });
  dispatcher.register('google.longrunning.Operations', operationsHandlers(ops));
  const studyStore = new ResourceStore(dataDir, 'studies');
  const trialStore = new ResourceStore(dataDir, 'trials');
  dispatcher.register(
    'google.cloud.aiplatform.v1.VizierService',
    vizierServiceHandlers({ studies: studyStore, trials: trialStore, ops, engine }),
  );
  const modelStore = new ResourceStore(dataDir, 'models');
  const pipelineStore = new ResourceStore(dataDir, 'trainingPipelines');
  const models = new ModelRegistry(modelStore);
  const evaluations = new EvaluationStore(dataDir);
  const automlRunner = new AutomlRunner({ python, dataDir, logs });
  const endpointStore = new ResourceStore(dataDir, 'endpoints');
  const predictionMetrics = new PredictionMetrics();
  const deployedOn = (model: string) => {
    const [base, version] = model.split('@');
    return endpointStore
      .list()
      .filter((e) =>
        ((e.deployedModels as Json[] | undefined) ?? []).some(
          (d) => d.model === base && (!version || d.modelVersionId === version),
        ),
      )
      .map((e) => e.name as string);
  };
  dispatcher.register('google.cloud.aiplatform.v1.ModelService', {
    ...modelServiceHandlers(models, ops, deployedOn),
    ...modelEvaluationHandlers(models, evaluations),
  });
  /** Image datasets (DatasetService); AutoML training reads them through `datasetStore.examples()`. */
  const datasetStore = new DatasetStore(dataDir, gcsRoot);
  dispatcher.register(
    'google.cloud.aiplatform.v1.DatasetService',
    datasetServiceHandlers({ datasets: datasetStore, ops }),
  );
  dispatcher.register(
    'google.cloud.aiplatform.v1.PipelineService',
    pipelineServiceHandlers({
      pipelines: pipelineStore,
      jobs,
      runner,
      models,
      ops,
      gcsRoot,
      automl: { runner: automlRunner, datasets: datasetStore, evaluations, modelVersions: modelStore },
    }),
  );
  const endpointRuntime = new EndpointRuntime({
    python,
    gcsRoot,
    emulatorEnv: env,
    localImages: options.localImages ?? {},
    dataDir,
    logs,
    scaleDownSeconds: options.scaleDownSeconds,
  });
  dispatcher.register(
    'google.cloud.aiplatform.v1.EndpointService',
    endpointServiceHandlers({ endpoints: endpointStore, models, runtime: endpointRuntime, ops }),
  );
  dispatcher.register(
    'google.cloud.aiplatform.v1.PredictionService',
    predictionServiceHandlers({
      endpoints: endpointStore,
      runtime: endpointRuntime,
      onServed: (endpoint, id, body) => predictionMetrics.record(endpoint, id, instanceCount(body)),
    }),
  );
  const tensorboards = startLocalTensorboards({
    dataDir,
    gcsRoot,
    ops,
    jobs,
    tuningJobs: tuningStore,
    runner,
    logs,
  });
  dispatcher.register('google.cloud.aiplatform.v1.TensorboardService', tensorboards.handlers);
  const metadata = startLocalMetadata({ dataDir, ops });
  dispatcher.register('google.cloud.aiplatform.v1.MetadataService', metadata.handlers);
  const grpc = createGrpcServer(dispatcher);
  const grpcPort = await bindServer(grpc, host.replace(/^\[|\]$/g, ''), options.grpcPort ?? 0);

  logHttpCalls(http, requestLog);
  registerStorageRoutes(http, objects);
  bigquery.register(http);
  registerLoggingRoutes(http, logs);
  registerMonitoringRoutes(http, predictionMetrics);
  registerRestGateway(http, dispatcher);
  const stores = [jobs, tuningStore, pipelineStore, modelStore, endpointStore, studyStore];
  registerConsole(http, {
    call: (method, request) => dispatcher.call(method, request),
    logs,
    endpoints: endpointRuntime,
    parents: () =>
      projectLocations([
        ...stores.flatMap((s) => s.list().map((r) => r.name as string)),
        ...tensorboards.resourceNames(),
        ...metadata.resourceNames(),
      ]),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    studies.stopAll('The emulator was stopped while this tuning job was running.');
    await runner.stopAll('The emulator was stopped while this job was running; its processes were ended.');
    await automlRunner.stopAll();
    await engine.close();
    await endpointRuntime.stopAll();
    await tensorboards.stop();
    await bigquery.stop();
    await new Promise<void>((r) => grpc.tryShutdown(() => r()));
    await http.close();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const vertexAddress = `${host}:${grpcPort}`;
  registerAdminRoutes(http, requestLog, {
    info: () => ({ vertex: vertexAddress, http: httpAddress, dataDir, pid: process.pid }),
    reset: async () => {
      studies.stopAll('The emulator was reset.');
      await runner.stopAll('The emulator was reset.');
      await automlRunner.stopAll();
      await endpointRuntime.stopAll();
      for (const store of [
        jobs,
        ops.store,
        modelStore,
        pipelineStore,
        tuningStore,
        studyStore,
        trialStore,
        endpointStore,
        datasetStore,
        evaluations,
        tensorboards,
        metadata,
      ])
        store.clear();
      logs.clear();
      predictionMetrics.clear();
      await bigquery.reset();
      rmSync(join(dataDir, 'automl'), { recursive: true, force: true });
      for (const dir of [gcsRoot, objects.metaRoot]) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
      }
      requestLog.clear();
    },
    shutdown: stop,
  });
  await http.listen({ host, port: options.httpPort ?? 0 });
  const httpPort = (http.server.address() as { port: number }).port;
  const httpAddress = `http://${host.includes(':') ? `[${host}]` : host}:${httpPort}`;
  Object.assign(env, {
    VERTEX_AI_EMULATOR_HOST: vertexAddress,
    STORAGE_EMULATOR_HOST: httpAddress,
    BIGQUERY_EMULATOR_HOST: httpAddress,
  });
  return { vertexAddress, httpAddress, dataDir, env: { ...env }, stop };
}

function logHttpCalls(app: FastifyInstance, log: RequestLog): void {
  app.addHook('onResponse', async (req, reply) => {
    // Vertex REST calls are logged by the dispatcher, in canonical form; console pages are not API calls.
    if (/^\/(_emulator|v1|ui)\/|^\/console(\/|\?|$)/.test(req.url)) return;
    const body = req.body;
    const request = Buffer.isBuffer(body) ? { bytes: body.length } : (body ?? null);
    log.record({
      transport: 'http',
      method: `${req.method} ${req.url}`,
      request,
      status: String(reply.statusCode),
      durationMs: reply.elapsedTime,
    });
  });
}
