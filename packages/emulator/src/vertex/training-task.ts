import { customJobErrors } from './job-service.ts';
import { canonical, type Json, messageType } from './protos.ts';
import { fieldErrors } from './validate.ts';

/** The only training task the emulator runs: a custom job (script, package or container). */
export const CUSTOM_TASK =
  'gs://google-cloud-aiplatform/schema/trainingjob/definition/custom_task_1.0.0.yaml';

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelKeys(x)]));
  return v;
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, dropNulls(x)]),
    );
  }
  return v;
}

/**
 * Turns a training pipeline's custom-task inputs — a free-form struct the Python SDK writes with
 * snake_case keys (and a camelCase `containerSpec`) — into the `CustomJob` Vertex runs for it.
 * Throws INVALID_ARGUMENT naming the field when the inputs do not make a valid job.
 */
export function backingCustomJob(pipeline: Json): Json {
  const inputs = dropNulls(camelKeys(pipeline.trainingTaskInputs ?? {})) as Json;
  const job: Json = {
    displayName: `${pipeline.displayName as string}-custom-job`.slice(0, 128),
    jobSpec: inputs,
  };
  if (pipeline.labels) job.labels = pipeline.labels;
  if (pipeline.encryptionSpec) job.encryptionSpec = pipeline.encryptionSpec;
  const typed = canonical(messageType('google.cloud.aiplatform.v1.CustomJob'), job);
  const pools = (typed.jobSpec as Json | undefined)?.workerPoolSpecs as Json[] | undefined;
  if (!pools?.length) {
    throw fieldErrors([
      ['training_pipeline.training_task_inputs.worker_pool_specs', 'Required field is not set.'],
    ]);
  }
  const errors = customJobErrors(typed, 'training_pipeline.training_task_inputs').map(
    ([f, m]) => [f.replace('.job_spec', ''), m] as [string, string],
  );
  if (errors.length) throw fieldErrors(errors);
  return typed;
}
