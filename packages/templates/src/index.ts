/**
 * @packageDocumentation
 * @terra-vertex/templates: generated Python trainer packages for Vertex AI (scikit-learn, XGBoost,
 * PyTorch, TensorFlow/Keras), the tslab notebooks rendered from Handlebars templates, and the Nx generators
 * `@terra-vertex/templates:trainer` and `@terra-vertex/templates:notebook` that write them into a workspace.
 */
export { TemplateOptionsError, TrainerOptionsError } from './errors.ts';
export type { NotebookGeneratorSchema } from './generators/notebook/schema.d.ts';
export { toTrainerOptions, trainerDirectory } from './generators/trainer/generator.ts';
export {
  parseHyperparameterEntry,
  parseHyperparameters,
} from './generators/trainer/parse-hyperparameters.ts';
export type { TrainerGeneratorSchema } from './generators/trainer/schema.d.ts';
export { type NotebookCell, parseCells } from './notebook/cells.ts';
export { type FrameworkImages, NOTEBOOK_DEFAULTS, type NotebookContext } from './notebook/context.ts';
export { NotebookTemplateError } from './notebook/errors.ts';
export { TSLAB_METADATA, toIpynb } from './notebook/ipynb.ts';
export {
  checkNotebooks,
  listNotebookTemplates,
  NOTEBOOK_TEMPLATES_DIR,
  type NotebookDrift,
  renderNotebook,
  renderStarterNotebook,
  type StarterNotebookOptions,
  writeNotebooks,
} from './notebook/render-notebook.ts';
export type {
  Framework,
  HyperparameterScale,
  HyperparameterSpec,
  HyperparameterType,
  MetricSpec,
  ResolvedHyperparameter,
  ResolvedTrainerOptions,
  TrainerOptions,
  TrainerTask,
} from './options.ts';
export { FRAMEWORKS, IMAGE_FRAMEWORKS, METRICS, resolveTrainerOptions } from './options.ts';
export type { WriteTrainerOptions } from './render.ts';
export { renderTrainer, TRAINER_TEMPLATES_DIR, writeTrainer } from './render.ts';
