/** The argparse flags of a generated `trainer/task.py`: fixed ones per framework, then hyperparameters. */
import type { Framework, ResolvedHyperparameter, TrainerTask } from './options.ts';
import { IMAGE_FRAMEWORKS } from './options.ts';
import { pyFloat, pyInt, pyString } from './python.ts';

/** A fixed (non-tuned) flag of the trainer. */
export interface BaseFlag {
  /** argparse `dest`, a Python identifier. */
  dest: string;
  /** Python source of the `add_argument` keyword arguments after the flag names. */
  kwargs: string;
  help: string;
  /** A hyperparameter of the same name replaces this flag (epochs, batch_size …). */
  tunable?: boolean;
}

/** Names no hyperparameter may take (argparse's own). */
export const RESERVED_NAMES: readonly string[] = ['help'];

const OUTPUT_DIR_HELP = (env: string) => `output directory; the literal ${env} (default) means $${env}`;

/** Fixed flags of `trainer/task.py` for a framework, in order. */
export function baseFlags(framework: Framework, task: TrainerTask): BaseFlag[] {
  const flags: BaseFlag[] = [
    {
      dest: 'data',
      kwargs: 'default=None',
      help: 'gs:// URI or path of the training CSV (default: $AIP_TRAINING_DATA_URI)',
    },
    { dest: 'label_column', kwargs: 'default=None', help: 'label column name (default: the last column)' },
    {
      dest: 'eval_fraction',
      kwargs: 'type=float, default=0.2',
      help: 'fraction of rows held out for evaluation',
    },
    {
      dest: 'seed',
      kwargs: 'type=int, default=0',
      help: 'random seed (data split, initialization, shuffling)',
    },
    { dest: 'model_dir', kwargs: 'default="AIP_MODEL_DIR"', help: OUTPUT_DIR_HELP('AIP_MODEL_DIR') },
    {
      dest: 'checkpoint_dir',
      kwargs: 'default="AIP_CHECKPOINT_DIR"',
      help: OUTPUT_DIR_HELP('AIP_CHECKPOINT_DIR'),
    },
    {
      dest: 'tensorboard_dir',
      kwargs: 'default="AIP_TENSORBOARD_LOG_DIR"',
      help: OUTPUT_DIR_HELP('AIP_TENSORBOARD_LOG_DIR'),
    },
  ];
  if (IMAGE_FRAMEWORKS.includes(framework)) {
    flags.push(
      {
        dest: 'task',
        kwargs: `choices=["tabular", "image"], default=${pyString(task)}`,
        help: 'tabular: a CSV of numbers; image: a folder of class sub-folders or a CSV of uri,label',
      },
      {
        dest: 'image_size',
        kwargs: 'type=int, default=32',
        help: 'image: width and height images are resized to',
      },
    );
  }
  if (framework === 'xgboost') {
    flags.push({
      dest: 'num_boost_round',
      kwargs: 'type=int, default=50',
      help: 'boosting rounds',
      tunable: true,
    });
  }
  if (framework === 'pytorch' || framework === 'tf-keras') {
    flags.push(
      {
        dest: 'epochs',
        kwargs: 'type=int, default=10',
        help: 'passes over the training data',
        tunable: true,
      },
      {
        dest: 'batch_size',
        kwargs: 'type=int, default=64',
        help: framework === 'pytorch' ? 'examples per batch and replica' : 'global batch size',
        tunable: true,
      },
    );
  }
  if (framework === 'pytorch') {
    flags.push({
      dest: 'dist_timeout',
      kwargs: 'type=int, default=300',
      help: 'seconds to wait for all replicas to join (WORLD_SIZE > 1)',
    });
  }
  return flags;
}

/** Whether every value is an integer (a discrete hyperparameter parsed as int). */
function integral(values: readonly (number | string)[]): boolean {
  return values.every((v) => typeof v === 'number' && Number.isInteger(v));
}

function rangeText(hp: ResolvedHyperparameter): string {
  const scale = hp.scale && hp.scale !== 'linear' ? `, ${hp.scale} scale` : '';
  if (hp.type === 'double' || hp.type === 'integer') return `${hp.type} in [${hp.min}, ${hp.max}]${scale}`;
  return `one of ${(hp.values ?? []).join(', ')}${scale}`;
}

/** Help text of a hyperparameter flag. */
export function hyperparameterHelp(hp: ResolvedHyperparameter): string {
  return `hyperparameter: ${rangeText(hp)} (default ${hp.default})`;
}

/** Python source of the `add_argument` keyword arguments of a hyperparameter flag. */
export function hyperparameterKwargs(hp: ResolvedHyperparameter): string {
  switch (hp.type) {
    case 'double':
      return `type=float, default=${pyFloat(Number(hp.default))}`;
    case 'integer':
      return `type=vertex_env.integer, default=${pyInt(Number(hp.default))}`;
    case 'discrete':
      return integral(hp.values ?? [])
        ? `type=vertex_env.integer, default=${pyInt(Number(hp.default))}`
        : `type=float, default=${pyFloat(Number(hp.default))}`;
    case 'categorical':
      return `choices=[${(hp.values ?? []).map((v) => pyString(String(v))).join(', ')}], default=${pyString(String(hp.default))}`;
  }
}

/** Flag names: `--name` first (what Vertex AI appends), plus the dashed spelling when it differs. */
export function flagNames(dest: string, hyperparameter: boolean): string[] {
  const dashed = `--${dest.replaceAll('_', '-')}`;
  const exact = `--${dest}`;
  if (dashed === exact) return [exact];
  return hyperparameter ? [exact, dashed] : [dashed, exact];
}

/** One flag: its names, the keyword arguments and help, as documented and as Python source. */
export interface FlagLine {
  names: string[];
  help: string;
  /** `"--lr", type=float, default=0.01, help="…"`: the arguments of `parser.add_argument(…)`. */
  python: string;
}

function line(names: string[], kwargs: string, help: string): FlagLine {
  // argparse %-formats help strings: a literal % must be doubled.
  const python = `${names.map(pyString).join(', ')}, ${kwargs}, help=${pyString(help.replaceAll('%', '%%'))}`;
  return { names, help, python };
}

/** All flags of the trainer: fixed flags (replaced by same-named hyperparameters), then hyperparameters. */
export function trainerFlags(
  framework: Framework,
  task: TrainerTask,
  hyperparameters: readonly ResolvedHyperparameter[],
): FlagLine[] {
  const tuned = new Set(hyperparameters.map((hp) => hp.name));
  const fixed = baseFlags(framework, task)
    .filter((f) => !tuned.has(f.dest))
    .map((f) => line(flagNames(f.dest, false), f.kwargs, f.help));
  const hps = hyperparameters.map((hp) =>
    line(flagNames(hp.name, true), hyperparameterKwargs(hp), hyperparameterHelp(hp)),
  );
  return [...fixed, ...hps];
}
