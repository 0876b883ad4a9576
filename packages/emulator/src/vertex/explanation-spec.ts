/**
 * Vertex Explainable AI settings as the emulator checks and applies them: an `ExplanationSpec` is validated
 * when a model is deployed (known method, `stepCount` 1–100, `pathCount` 1–50, gradient methods only for
 * models the emulator can differentiate), a deployed model inherits its model's spec field by field, and an
 * `ExplainRequest.explanationSpecOverride` is merged in per request.
 */
import { prebuiltImage } from '../runtime/images.ts';
import type { Json } from './protos.ts';
import { invalidArgument } from './rpc-error.ts';

/** The model server route the emulator posts explain requests to (tvx_serving's `explain/` package). */
export const EXPLAIN_ROUTE = '/tvx/explain';

const IG = 'integratedGradientsAttribution';
const XRAI = 'xraiAttribution';
const SHAPLEY = 'sampledShapleyAttribution';
const METHODS = [IG, XRAI, SHAPLEY] as const;
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const EXAMPLE = '{ integratedGradientsAttribution: { stepCount: 50 } }';

type Errors = [field: string, message: string][];

/**
 * Whether the emulator can take gradients of a model: PyTorch (TorchScript, `model.mar`) and AutoML image
 * models yes; scikit-learn, XGBoost and TensorFlow no; a custom container is not known (left to its server).
 */
export function modelGradients(model: Json): { differentiable: boolean | undefined; what: string } {
  if (String(model.metadataSchemaUri ?? '').includes('automl_image'))
    return { differentiable: true, what: 'an AutoML image model' };
  const spec = (model.containerSpec as Json | undefined) ?? {};
  const env = (spec.env as { name: string; value?: string }[] | undefined) ?? [];
  const framework =
    env.find((e) => e.name === 'TVX_SERVING_FRAMEWORK')?.value ??
    prebuiltImage(String(spec.imageUri ?? ''))?.framework;
  if (!framework) return { differentiable: undefined, what: 'a custom container model' };
  const names: Record<string, string> = {
    sklearn: 'scikit-learn',
    xgboost: 'XGBoost',
    tensorflow: 'TensorFlow',
  };
  return ['pytorch', 'automl_image'].includes(framework)
    ? { differentiable: true, what: `a ${framework} model` }
    : { differentiable: false, what: `a ${names[framework] ?? framework} model` };
}

function countErrors(config: Json, name: string, low: number, high: number, at: string): Errors {
  const value = config[name];
  if (value === undefined) return []; // REQUIRED fields are reported by the dispatcher
  const n = Number(value);
  return Number.isInteger(n) && n >= low && n <= high
    ? []
    : [[`${at}.${snake(name)}`, `Must be an integer from ${low} to ${high}, got ${JSON.stringify(value)}.`]];
}

/** `[field, message]` errors of the `parameters` of a spec (or of an override), fields under `at`. */
export function parameterErrors(params: Json | undefined, at: string, model?: Json): Errors {
  if (!params) return [];
  const errors: Errors = [];
  const found = METHODS.filter((m) => params[m] !== undefined);
  if (params.examples !== undefined)
    errors.push([
      `${at}.examples`,
      `Example-based explanations are not emulated; use one of ${METHODS.join(', ')}.`,
    ]);
  else if (found.length !== 1)
    errors.push([
      at,
      `Set exactly one attribution method (${METHODS.join(', ')}), got ${found.join(', ') || 'none'}; e.g. ${EXAMPLE}.`,
    ]);
  for (const method of found) {
    const config = (params[method] as Json | null) ?? {};
    const where = `${at}.${snake(method)}`;
    if (method === SHAPLEY) errors.push(...countErrors(config, 'pathCount', 1, 50, where));
    else errors.push(...countErrors(config, 'stepCount', 1, 100, where));
    const smooth = config.smoothGradConfig as Json | undefined;
    if (smooth && method !== SHAPLEY)
      errors.push(...countErrors(smooth, 'noisySampleCount', 1, 50, `${where}.smooth_grad_config`));
    if (smooth && Number(smooth.noiseSigma ?? 0.1) <= 0)
      errors.push([`${where}.smooth_grad_config.noise_sigma`, 'Must be greater than 0 (e.g. 0.1).']);
    const blur = config.blurBaselineConfig as Json | undefined;
    if (blur && Number(blur.maxBlurSigma ?? 0) < 0)
      errors.push([`${where}.blur_baseline_config.max_blur_sigma`, 'Must be 0 or more.']);
    const gradients = model ? modelGradients(model) : undefined;
    if (method !== SHAPLEY && gradients?.differentiable === false)
      errors.push([
        where,
        `${method} needs gradients, and ${model!.name as string} is ${gradients.what}: use sampledShapleyAttribution { pathCount: 1–50 } for it.`,
      ]);
  }
  const topK = params.topK;
  if (topK !== undefined && !(Number.isInteger(topK) && (topK as number) >= -1))
    errors.push([
      `${at}.top_k`,
      `Must be -1 (all outputs) or a positive integer, got ${JSON.stringify(topK)}.`,
    ]);
  return errors;
}

/** `[field, message]` errors of an `ExplanationSpec`, fields under `at` (e.g. `deployed_model.explanation_spec`). */
export function explanationSpecErrors(spec: Json | undefined, at: string, model?: Json): Errors {
  if (!spec) return [];
  const errors = parameterErrors(spec.parameters as Json | undefined, `${at}.parameters`, model);
  const outputs = Object.keys(((spec.metadata as Json | undefined)?.outputs as Json | undefined) ?? {});
  if (outputs.length > 1)
    errors.push([`${at}.metadata.outputs`, `Only one output is allowed, got ${outputs.join(', ')}.`]);
  return errors;
}

/**
 * The spec a deployed model explains with: the DeployedModel's own fields over its Model's (Vertex: "If a
 * field of explanation_spec is not populated, the value of the same field of Model.explanation_spec is
 * inherited"); none when `disableExplanations` is set or neither has one.
 */
export function effectiveExplanationSpec(model: Json, deployed: Json): Json | undefined {
  if (deployed.disableExplanations) return undefined;
  const own = deployed.explanationSpec as Json | undefined;
  const inherited = model.explanationSpec as Json | undefined;
  if (!own || !inherited) return own ?? inherited;
  return { ...inherited, ...own };
}

/** Errors of a DeployModel request's effective explanation spec (`findModel` returns undefined if unknown). */
export function deployExplanationErrors(req: Json, findModel: (name: string) => Json | undefined): Errors {
  const deployed = req.deployedModel as Json | undefined;
  if (!deployed) return [];
  const model = deployed.model ? findModel(deployed.model as string) : undefined;
  const spec = model ? effectiveExplanationSpec(model, deployed) : (deployed.explanationSpec as Json);
  return explanationSpecErrors(spec, 'deployed_model.explanation_spec', model);
}

/**
 * A deployed model's spec with an `ExplainRequest.explanationSpecOverride` merged in: parameters other than
 * the method, the method's own settings, and input baselines (Vertex: "you can override … ExplanationParameters
 * except for the method").
 * @throws INVALID_ARGUMENT naming the field when the override changes the method or is out of range.
 */
export function applyOverride(spec: Json, override: Json | undefined): Json {
  if (!override) return spec;
  const at = 'explanation_spec_override.parameters';
  const base = (spec.parameters as Json | undefined) ?? {};
  const given = (override.parameters as Json | undefined) ?? {};
  const method = METHODS.find((m) => base[m] !== undefined);
  const other = METHODS.find((m) => given[m] !== undefined && m !== method);
  if (other)
    throw invalidArgument(
      `${at}.${snake(other)}: the override cannot change the attribution method (the deployed model uses ${method}); override its settings under ${method}, or redeploy with another method.`,
    );
  const parameters: Json = { ...base, ...given };
  if (method && given[method]) parameters[method] = { ...(base[method] as Json), ...(given[method] as Json) };
  const errors = parameterErrors(parameters, at);
  if (errors.length) throw invalidArgument(errors.map(([f, m]) => `${f}: ${m}`).join(' '));
  const metadata = { ...((spec.metadata as Json | undefined) ?? {}) };
  const inputs = { ...((metadata.inputs as Json | undefined) ?? {}) };
  for (const [name, value] of Object.entries(
    ((override.metadata as Json | undefined)?.inputs as Json | undefined) ?? {},
  )) {
    const baselines = (value as Json | undefined)?.inputBaselines;
    if (baselines !== undefined)
      inputs[name] = { ...((inputs[name] as Json | undefined) ?? {}), inputBaselines: baselines };
  }
  return {
    ...spec,
    parameters,
    ...(Object.keys(inputs).length ? { metadata: { ...metadata, inputs } } : {}),
  };
}
