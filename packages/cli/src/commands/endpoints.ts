import { buildDeployRequest, Endpoint, Model, ValidationError } from '@terra-vertex/core';
import type { Command } from 'commander';
import { type GlobalOptions, print, table } from '../output.ts';
import { progressDisplay } from '../progress.ts';
import { warnIdleEndpoints } from './cleanup.ts';
import { asFlagError, collect, deployCostOptions, dryRunEstimate } from './options.ts';

type Globals = () => GlobalOptions;

/** `id=70 other=30` → `{ id: 70, other: 30 }`, naming the flag when an entry is malformed. */
export function parseSplit(entries: string[] | undefined, flag: string): Record<string, number> {
  const split: Record<string, number> = {};
  for (const entry of entries ?? []) {
    const [id, pct, extra] = entry.split('=');
    const n = Number(pct);
    if (!id || extra !== undefined || pct === undefined || !Number.isInteger(n))
      throw new ValidationError(
        flag,
        `${JSON.stringify(entry)} is not DEPLOYED_MODEL_ID=PERCENT`,
        `Write it as ${flag} 123=70 ${flag} 456=30.`,
      );
    split[id] = n;
  }
  return split;
}

/** Instances from `--instances '[[5.1,3.5,1.4,0.2]]'` (a JSON list) or a JSON file `--instances-file f.json`. */
export async function readInstances(o: { instances?: string; instancesFile?: string }): Promise<unknown[]> {
  const text = o.instancesFile
    ? await import('node:fs/promises').then((fs) => fs.readFile(o.instancesFile!, 'utf8'))
    : o.instances;
  const flag = o.instancesFile ? '--instances-file' : '--instances';
  if (text === undefined)
    throw new ValidationError(
      '--instances',
      'is required',
      "Give the rows to predict as JSON, e.g. --instances '[[5.1,3.5,1.4,0.2]]'.",
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(
      flag,
      `is not JSON (${(err as Error).message})`,
      'Give a JSON list of instances.',
    );
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { instances?: unknown })?.instances;
  if (!Array.isArray(list) || list.length === 0)
    throw new ValidationError(
      flag,
      'has no instances',
      'Give a non-empty JSON list, or {"instances": [...]}.',
    );
  return list;
}

const METHODS: Record<string, [string, string]> = {
  'integrated-gradients': ['integratedGradientsAttribution', 'stepCount'],
  xrai: ['xraiAttribution', 'stepCount'],
  'sampled-shapley': ['sampledShapleyAttribution', 'pathCount'],
};

/** `xrai:25` → an ExplanationSpec (images for the gradient methods; tabular features by index for Shapley). */
export function explanationSpec(flag: string): Record<string, unknown> {
  const [method = '', count] = flag.split(':');
  const known = METHODS[method];
  const n = count === undefined ? (method === 'sampled-shapley' ? 10 : 50) : Number(count);
  if (!known || !Number.isInteger(n) || n < 1)
    throw new ValidationError(
      '--explain',
      `${JSON.stringify(flag)} is not METHOD[:COUNT]`,
      `Use ${Object.keys(METHODS).join(', ')}, e.g. --explain xrai:25.`,
    );
  const image = method !== 'sampled-shapley';
  return {
    parameters: { [known[0]]: { [known[1]]: n } },
    metadata: { inputs: image ? { image: { modality: 'image' } } : {}, outputs: { scores: {} } },
  };
}

function summary(e: Endpoint) {
  return {
    name: e.resourceName,
    displayName: e.displayName,
    trafficSplit: e.trafficSplit,
    deployedModels: e.deployedModels,
  };
}

function human(e: Endpoint): string {
  const rows = e.deployedModels.map((d) => [
    d.id,
    String(e.trafficSplit[d.id] ?? 0),
    d.model + (d.modelVersionId ? `@${d.modelVersionId}` : ''),
    `${d.minReplicaCount}-${d.maxReplicaCount}`,
  ]);
  return [
    `${e.resourceName}  ${e.displayName}`,
    rows.length
      ? table([['DEPLOYED MODEL', 'TRAFFIC %', 'MODEL', 'REPLICAS'], ...rows])
      : 'No deployed models.',
  ].join('\n');
}

/** `tvx endpoints create|deploy|undeploy|split|predict|list|describe|delete`. */
export function registerEndpoints(program: Command, globals: Globals): void {
  const endpoints = program
    .command('endpoints')
    .description('online prediction: endpoints, deployments, traffic, predictions');
  const where = () => ({ project: globals().project, location: globals().location });
  const int = (v: string) => Number.parseInt(v, 10);

  endpoints
    .command('create')
    .description('create an endpoint')
    .requiredOption('--display-name <name>', 'endpoint display name')
    .option('--network <network>', 'private endpoint in this VPC network (Vertex AI only)')
    .action(async (o: { displayName: string; network?: string }) => {
      const e = await Endpoint.create({ ...where(), displayName: o.displayName, network: o.network });
      print(globals(), summary(e), () => `Created ${e.resourceName}`);
    });

  const deploy = endpoints
    .command('deploy')
    .description('deploy a model to an endpoint; waits until its servers answer')
    .argument('<endpoint>', 'endpoint id or resource name')
    .argument('<model>', 'model id, id@version, id@alias or resource name')
    .option('--display-name <name>', 'deployed model display name')
    .option('--traffic-percentage <n>', 'share for this model; the others are scaled down', int)
    .option('--split <id=percent>', 'the whole split, "0" being this model (repeatable)', collect)
    .option('--machine-type <type>', 'machine type (default n1-standard-2)')
    .option('--min-replicas <n>', 'replicas always running', int, 1)
    .option('--max-replicas <n>', 'replicas under load', int)
    .option('--accelerator-type <type>', 'e.g. NVIDIA_TESLA_T4')
    .option('--accelerator-count <n>', 'accelerators per replica', int)
    .option(
      '--explain <method>',
      'explanations: integrated-gradients[:steps], xrai[:steps] or sampled-shapley[:paths]',
    )
    .option('--dry-run', 'print the DeployModel request and its estimated cost without sending it');
  deployCostOptions(deploy).action(
    async (
      endpointId: string,
      modelId: string,
      o: {
        displayName?: string;
        trafficPercentage?: number;
        split?: string[];
        machineType?: string;
        minReplicas: number;
        maxReplicas?: number;
        acceleratorType?: string;
        acceleratorCount?: number;
        explain?: string;
        dryRun?: boolean;
        maxCost?: number;
        expectedDuration?: number;
      },
    ) => {
      const g = globals();
      const endpoint = await Endpoint.get(endpointId, where());
      const model = await Model.get(modelId, where());
      const options = {
        deployedModelDisplayName: o.displayName,
        trafficPercentage: o.trafficPercentage,
        trafficSplit: o.split ? parseSplit(o.split, '--split') : undefined,
        machineType: o.machineType,
        minReplicaCount: o.minReplicas,
        maxReplicaCount: o.maxReplicas,
        acceleratorType: o.acceleratorType as never,
        acceleratorCount: o.acceleratorCount,
        explanationSpec: o.explain ? explanationSpec(o.explain) : undefined,
        expectedDuration: o.expectedDuration,
      };
      if (o.dryRun) {
        const request = buildDeployRequest(endpoint.gcaResource, model.gcaResource, options);
        print(g, request, () => JSON.stringify(request, null, 2));
        dryRunEstimate(await endpoint.estimateDeployCost(model, options), o, g);
        return;
      }
      const display = progressDisplay({ json: g.json, logs: false });
      try {
        await endpoint.deploy(model, {
          ...options,
          maxCost: o.maxCost,
          onProgress: display.listener,
        });
      } catch (err) {
        throw asFlagError(err);
      } finally {
        display.stop();
      }
      print(g, summary(endpoint), () => human(endpoint));
    },
  );

  endpoints
    .command('undeploy')
    .description('undeploy a model (or --all); its share of traffic goes to the others')
    .argument('<endpoint>', 'endpoint id or resource name')
    .argument('[deployed-model-id]', 'the deployed model to remove')
    .option('--all', 'undeploy every model')
    .option('--split <id=percent>', 'the remaining split (repeatable)', collect)
    .action(
      async (
        endpointId: string,
        deployedModelId: string | undefined,
        o: { all?: boolean; split?: string[] },
      ) => {
        const endpoint = await Endpoint.get(endpointId, where());
        if (o.all) await endpoint.undeployAll();
        else if (!deployedModelId)
          throw new ValidationError(
            'deployed-model-id',
            'is required',
            'Give the id (see tvx endpoints describe), or --all.',
          );
        else
          await endpoint.undeploy(deployedModelId, {
            trafficSplit: o.split ? parseSplit(o.split, '--split') : undefined,
          });
        await endpoint.refresh();
        print(globals(), summary(endpoint), () => human(endpoint));
      },
    );

  endpoints
    .command('split')
    .description('set the traffic split, e.g. tvx endpoints split E 123=70 456=30')
    .argument('<endpoint>', 'endpoint id or resource name')
    .argument('<split...>', 'DEPLOYED_MODEL_ID=PERCENT, summing to 100')
    .action(async (endpointId: string, split: string[]) => {
      const endpoint = await Endpoint.get(endpointId, where());
      await endpoint.updateTrafficSplit(parseSplit(split, 'split'));
      print(globals(), summary(endpoint), () => human(endpoint));
    });

  endpoints
    .command('predict')
    .description('send instances to an endpoint and print the predictions')
    .argument('<endpoint>', 'endpoint id or resource name')
    .option('--instances <json>', "a JSON list, e.g. '[[5.1,3.5,1.4,0.2]]'")
    .option('--instances-file <file>', 'a JSON file with a list or {"instances": [...]}')
    .option('--parameters <json>', 'prediction parameters as a JSON object')
    .action(
      async (endpointId: string, o: { instances?: string; instancesFile?: string; parameters?: string }) => {
        const instances = await readInstances(o);
        let parameters: unknown;
        if (o.parameters !== undefined) {
          try {
            parameters = JSON.parse(o.parameters);
          } catch (err) {
            throw new ValidationError(
              '--parameters',
              `is not JSON (${(err as Error).message})`,
              'Give a JSON object.',
            );
          }
        }
        const endpoint = await Endpoint.get(endpointId, where());
        const result = await endpoint.predict(instances, parameters);
        print(globals(), result, () =>
          [
            `deployed model ${result.deployedModelId} (${result.model}@${result.modelVersionId})`,
            ...result.predictions.map((p, i) => `${i}: ${JSON.stringify(p)}`),
          ].join('\n'),
        );
      },
    );

  endpoints
    .command('list')
    .description('list endpoints')
    .action(async () => {
      const list = await Endpoint.list(where());
      const rows = list.map(summary);
      print(globals(), rows, () =>
        rows.length === 0
          ? 'No endpoints.'
          : table([
              ['ID', 'DISPLAY NAME', 'DEPLOYED MODELS'],
              ...rows.map((r) => [r.name.split('/').pop()!, r.displayName, String(r.deployedModels.length)]),
            ]),
      );
      await warnIdleEndpoints(list, globals());
    });

  endpoints
    .command('describe')
    .description('show an endpoint, its deployed models and traffic split')
    .argument('<endpoint>', 'endpoint id or resource name')
    .action(async (endpointId: string) => {
      const endpoint = await Endpoint.get(endpointId, where());
      print(globals(), summary(endpoint), () => human(endpoint));
    });

  endpoints
    .command('delete')
    .description('delete an endpoint (--force undeploys its models first)')
    .argument('<endpoint>', 'endpoint id or resource name')
    .option('--force', 'undeploy every model first')
    .action(async (endpointId: string, o: { force?: boolean }) => {
      const endpoint = await Endpoint.get(endpointId, where());
      await endpoint.delete({ force: o.force });
      print(globals(), { deleted: endpoint.resourceName }, () => `Deleted ${endpoint.resourceName}`);
    });
}
