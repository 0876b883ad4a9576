/** Options of a generated trainer package, and their validation. */
import { TrainerOptionsError } from './errors.ts';
import { resolveHyperparameters } from './hyperparameters.ts';

/** Frameworks a trainer can be generated for (each maps to a Vertex AI prebuilt container family). */
export const FRAMEWORKS = ['sklearn', 'xgboost', 'pytorch', 'tf-keras'] as const;
/** One of {@link FRAMEWORKS}. */
export type Framework = (typeof FRAMEWORKS)[number];

/** What the trainer learns from: a CSV table, or images (pytorch and tf-keras only). */
export type TrainerTask = 'tabular' | 'image';

/** Vertex AI parameter types (`StudySpec.ParameterSpec`). */
export type HyperparameterType = 'double' | 'integer' | 'categorical' | 'discrete';
/** Vertex AI scale types. */
export type HyperparameterScale = 'linear' | 'log' | 'reverse_log';

/** A tuned hyperparameter: becomes the flag `--<name>` of `trainer/task.py`. */
export interface HyperparameterSpec {
  /** Python identifier; also the Vertex `parameterId`. */
  name: string;
  type: HyperparameterType;
  /** Flag default. Derived when omitted: the middle of the range or list, the first category. */
  default?: number | string;
  /** Lower bound (double, integer). */
  min?: number;
  /** Upper bound (double, integer). */
  max?: number;
  /** Categories (categorical, strings) or increasing numbers (discrete). */
  values?: readonly (number | string)[];
  scale?: HyperparameterScale;
}

/** The metric the trainer reports for tuning (the Vertex `metricId`) and its goal. */
export interface MetricSpec {
  id: string;
  goal: 'maximize' | 'minimize';
}

/** Options of {@link renderTrainer}. */
export interface TrainerOptions {
  /** Python distribution name of the package (setup.py `name`), e.g. `iris-trainer`. */
  name: string;
  framework: Framework;
  metric: MetricSpec;
  hyperparameters?: readonly HyperparameterSpec[];
  /** Default `tabular`. */
  task?: TrainerTask;
}

/** A validated hyperparameter: `default` is always set. */
export interface ResolvedHyperparameter extends HyperparameterSpec {
  default: number | string;
}

/** Validated options with defaults filled in. */
export interface ResolvedTrainerOptions {
  name: string;
  framework: Framework;
  metric: MetricSpec;
  hyperparameters: ResolvedHyperparameter[];
  task: TrainerTask;
}

/** Metrics the generated trainers compute (trainer/metrics.py), with the goal that makes sense. */
export const METRICS: Readonly<Record<string, MetricSpec['goal']>> = {
  accuracy: 'maximize',
  auc: 'maximize',
  precision: 'maximize',
  recall: 'maximize',
  f1: 'maximize',
  log_loss: 'minimize',
  loss: 'minimize',
};

/** Frameworks whose trainers also accept `--task image`. */
export const IMAGE_FRAMEWORKS: readonly Framework[] = ['pytorch', 'tf-keras'];

const OPTION_KEYS = ['name', 'framework', 'metric', 'hyperparameters', 'task'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reject keys that are not in `known` (a misspelled option must not be dropped silently). */
export function rejectUnknownKeys(where: string, value: Record<string, unknown>, known: readonly string[]) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TrainerOptionsError(
        where ? `${where}.${key}` : key,
        'unknown option',
        `Use one of: ${known.join(', ')}`,
      );
    }
  }
}

function resolveMetric(metric: unknown): MetricSpec {
  if (!isRecord(metric)) {
    throw new TrainerOptionsError('metric', 'missing', "Pass metric: { id: 'accuracy', goal: 'maximize' }");
  }
  rejectUnknownKeys('metric', metric, ['id', 'goal']);
  const { id, goal } = metric;
  const known = Object.keys(METRICS);
  if (typeof id !== 'string' || !Object.hasOwn(METRICS, id)) {
    throw new TrainerOptionsError(
      'metric.id',
      `${JSON.stringify(id)} is not a metric the trainers compute`,
      `Use one of: ${known.join(', ')}`,
    );
  }
  if (goal !== 'maximize' && goal !== 'minimize') {
    throw new TrainerOptionsError(
      'metric.goal',
      `${JSON.stringify(goal)} is not a goal`,
      "Use 'maximize' or 'minimize'",
    );
  }
  if (METRICS[id] !== goal) {
    throw new TrainerOptionsError(
      'metric.goal',
      `${goal} makes no sense for ${id}`,
      `Use goal '${METRICS[id]}' for ${id}`,
    );
  }
  return { id, goal };
}

/**
 * Validate trainer options and fill in defaults.
 *
 * @throws {@link TrainerOptionsError} naming the option at fault and the fix.
 */
export function resolveTrainerOptions(options: TrainerOptions): ResolvedTrainerOptions {
  const input: unknown = options;
  if (!isRecord(input)) {
    throw new TrainerOptionsError(
      'options',
      'not an object',
      'Pass { name, framework, metric, hyperparameters }',
    );
  }
  rejectUnknownKeys('', input, OPTION_KEYS);
  const { name, framework, task = 'tabular' } = input;
  if (typeof name !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name)) {
    throw new TrainerOptionsError(
      'name',
      `${JSON.stringify(name)} is not a Python package name`,
      "Use letters, digits, '.', '_' or '-', starting and ending with a letter or digit (e.g. 'iris-trainer')",
    );
  }
  if (typeof framework !== 'string' || !(FRAMEWORKS as readonly string[]).includes(framework)) {
    throw new TrainerOptionsError(
      'framework',
      `unknown framework ${JSON.stringify(framework)}`,
      `Use one of: ${FRAMEWORKS.join(', ')}`,
    );
  }
  const fw = framework as Framework;
  if (task !== 'tabular' && task !== 'image') {
    throw new TrainerOptionsError('task', `unknown task ${JSON.stringify(task)}`, "Use 'tabular' or 'image'");
  }
  if (task === 'image' && !IMAGE_FRAMEWORKS.includes(fw)) {
    throw new TrainerOptionsError(
      'task',
      `image classification is not available for ${fw}`,
      `Use framework ${IMAGE_FRAMEWORKS.join(' or ')}, or task 'tabular'`,
    );
  }
  const metric = resolveMetric(input.metric);
  const hyperparameters = resolveHyperparameters(input.hyperparameters ?? [], fw);
  return { name, framework: fw, metric, hyperparameters, task };
}
