/** The Handlebars context of the trainer templates, built from validated options. */
import { trainerFlags } from './flags.ts';
import type { Framework, ResolvedTrainerOptions } from './options.ts';
import { IMAGE_FRAMEWORKS } from './options.ts';
import { pyStringList } from './python.ts';

interface FrameworkFacts {
  label: string;
  /** pip names for setup.py install_requires (cloudml-hypertune is an extra, not a requirement). */
  requires: string[];
  artifact: string;
  checkpoint: string;
}

const FACTS: Record<Framework, FrameworkFacts> = {
  sklearn: {
    label: 'scikit-learn',
    requires: ['scikit-learn'],
    artifact: '`model.joblib` (loaded by the prebuilt scikit-learn prediction container)',
    checkpoint: '`model.joblib` of the fitted estimator',
  },
  xgboost: {
    label: 'XGBoost',
    requires: ['xgboost'],
    artifact: '`model.bst` (`Booster.save_model`, loaded by the prebuilt XGBoost prediction container)',
    checkpoint: '`checkpoint_<round>.json` every few boosting rounds',
  },
  pytorch: {
    label: 'PyTorch',
    requires: ['torch', 'numpy'],
    artifact:
      '`model.mar` (a TorchServe archive for the prebuilt PyTorch prediction container) and the TorchScript `model.pt`',
    checkpoint: '`checkpoint.pt` (model, optimizer, epoch) after every epoch',
  },
  'tf-keras': {
    label: 'TensorFlow/Keras',
    requires: ['tensorflow'],
    artifact:
      'a SavedModel (`saved_model.pb`, `variables/`) for the prebuilt TensorFlow prediction container',
    checkpoint: 'a `tf.train.Checkpoint` after every epoch',
  },
};

function shellWord(text: string): string {
  return /^[\w.+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** Template context; every key is always present (templates are compiled with `strict: true`). */
export function templateContext(options: ResolvedTrainerOptions): Record<string, unknown> {
  const facts = FACTS[options.framework];
  const flags = trainerFlags(options.framework, options.task, options.hyperparameters);
  const image = options.task === 'image';
  return {
    name: options.name,
    framework: options.framework,
    frameworkLabel: facts.label,
    task: options.task,
    metricId: options.metric.id,
    metricGoal: options.metric.goal,
    installRequires: pyStringList(facts.requires),
    isPytorch: options.framework === 'pytorch',
    singleThread: options.framework === 'pytorch',
    supportsImage: IMAGE_FRAMEWORKS.includes(options.framework),
    flags: flags.map((f) => f.python),
    flagDocs: flags.map((f) => ({ flag: f.names.join(', '), help: f.help.replaceAll('|', '\\|') })),
    hyperparameters: options.hyperparameters.map((hp) => ({ name: hp.name })),
    exampleArgs: options.hyperparameters
      .map((hp) => ` --${hp.name}=${shellWord(String(hp.default))}`)
      .join(''),
    demoDataArgs: image ? ' --task image --rows 200' : '',
    demoDataPath: image ? 'data/' : 'data/train.csv',
    artifactDoc: facts.artifact,
    checkpointDoc: facts.checkpoint,
  };
}
