/**
 * How a deployed model's server replicas start locally, following Vertex AI's custom-container contract:
 * `AIP_HTTP_PORT`, `AIP_PREDICT_ROUTE`, `AIP_HEALTH_ROUTE`, `AIP_STORAGE_URI` and friends. Prebuilt
 * prediction images run the emulator's own model server (`python -m tvx_serving`); any other image needs a
 * local command from the image map.
 */

import type { Json } from '../vertex/protos.ts';
import { automlServingModel } from './automl-runner.ts';
import { type LocalImage, prebuiltImage } from './images.ts';
import { inheritedEnv } from './launch-plan.ts';
import { emulatorPythonPath } from './python-worker.ts';

/** Where a deployed model runs and what it needs, independent of the port of one replica. */
export interface ServingPlan {
  argv: string[];
  env: Record<string, string>;
  predictRoute: string;
  healthRoute: string;
  /** Seconds a replica may take to become healthy (containerSpec.deploymentTimeout, default 10 min). */
  startupSeconds: number;
}

/** What the plan needs from the emulator. */
export interface ServingContext {
  python: string;
  gcsRoot: string;
  emulatorEnv: Record<string, string>;
  localImages: Record<string, LocalImage>;
}

/**
 * The plan for one deployed model of an endpoint.
 * @returns `{ error }` with the message the deploy operation fails with when the model cannot run here.
 */
export function servingPlan(
  ctx: ServingContext,
  model: Json,
  endpointId: string,
  deployedModelId: string,
): ServingPlan | { error: string } {
  // AutoML image models: tvx_serving with framework automl_image on the trainer's artifact folder.
  const automl = automlServingModel(ctx, model);
  if (automl) {
    const plan = servingPlan(ctx, automl, endpointId, deployedModelId);
    if (!('error' in plan)) plan.env.TVX_SERVING_FRAMEWORK = 'automl_image';
    return plan;
  }
  const spec = model.containerSpec as Json | undefined;
  const image = spec?.imageUri as string | undefined;
  if (!image)
    return {
      error: `Model ${model.name as string} has no containerSpec.imageUri, so it cannot be deployed. Upload it with a serving container image.`,
    };
  const base = `/v1/endpoints/${endpointId}/deployedModels/${deployedModelId}`;
  const predictRoute = (spec!.predictRoute as string | undefined) || `${base}:predict`;
  const healthRoute = (spec!.healthRoute as string | undefined) || base;
  const userEnv = Object.fromEntries(
    ((spec!.env as { name: string; value?: string }[] | undefined) ?? []).map((e) => [e.name, e.value ?? '']),
  );
  const env: Record<string, string> = {
    ...inheritedEnv(),
    ...ctx.emulatorEnv,
    ...userEnv,
    AIP_PREDICT_ROUTE: predictRoute,
    AIP_HEALTH_ROUTE: healthRoute,
    AIP_DEPLOYED_MODEL_ID: deployedModelId,
    AIP_MODEL_NAME: String(model.name ?? ''),
    AIP_MODE: 'PREDICTION',
    AIP_MODE_VERSION: '1.0.0',
    TVX_GCS_MOUNT: ctx.gcsRoot,
    PYTHONUNBUFFERED: '1',
    OMP_NUM_THREADS: userEnv.OMP_NUM_THREADS ?? '1',
  };
  if (model.artifactUri) env.AIP_STORAGE_URI = model.artifactUri as string;
  const timeout = Number.parseFloat((spec!.deploymentTimeout as string | undefined) ?? '');
  const startupSeconds = Number.isFinite(timeout) && timeout > 0 ? timeout : 600;
  const prebuilt = prebuiltImage(image);
  if (prebuilt?.kind === 'prediction') {
    if (!model.artifactUri)
      return {
        error: `Model ${model.name as string} uses the prebuilt image ${image} but has no artifactUri.`,
      };
    const path = emulatorPythonPath();
    return {
      argv: [ctx.python, '-m', 'tvx_serving'],
      env: { ...env, PYTHONPATH: path, TVX_SERVING_FRAMEWORK: prebuilt.framework },
      predictRoute,
      healthRoute,
      startupSeconds,
    };
  }
  const local = ctx.localImages[image];
  if (!local)
    return {
      error:
        `The emulator cannot run the serving image ${image}: it has no container runtime. Map it to a local ` +
        `command that serves on $AIP_HTTP_PORT, e.g. tvx emulator start --image-map images.json with ` +
        `{"${image}": {"command": ["/usr/bin/python3", "-m", "my_server"]}}; prebuilt prediction images ` +
        '(sklearn-, xgboost-, pytorch-, tf2-) are served without a mapping.',
    };
  // Docker semantics: containerSpec.command replaces the entrypoint, args replace the default arguments.
  const command = (spec!.command as string[] | undefined)?.length
    ? (spec!.command as string[])
    : local.command;
  const args = (spec!.args as string[] | undefined) ?? [];
  return {
    argv: [...command, ...args],
    env: { ...(local.env ?? {}), ...env },
    predictRoute,
    healthRoute,
    startupSeconds,
  };
}
