/** What each ML.* function accepts: its STRUCT settings, whether it takes input data, which model types. */
import { invalidQuery } from '../errors.ts';
import type { MlFunctionCall } from '../types.ts';
import type { ModelState } from './model-store.ts';
import { isClassifier, isSupervised, isTree } from './options.ts';

const SETTINGS: Record<string, string[]> = {
  PREDICT: ['threshold', 'keep_original_columns'],
  EVALUATE: ['threshold'],
  EXPLAIN_PREDICT: [
    'top_k_features',
    'threshold',
    'integrated_gradients_num_steps',
    'approx_feature_contrib',
  ],
  GLOBAL_EXPLAIN: ['class_level_explain'],
  FEATURE_IMPORTANCE: [],
  CONFUSION_MATRIX: ['threshold'],
  ROC_CURVE: [],
  TRAINING_INFO: [],
};

/** Refuses a call the function or the model cannot take, saying why and what to do instead. */
export function checkCall(call: MlFunctionCall, state: ModelState, modelName: string): void {
  const fn = `ML.${call.name}`;
  const allowed = SETTINGS[call.name]!;
  for (const key of Object.keys(call.settings)) {
    if (key === 'trial_id')
      throw invalidQuery(
        `${fn}: trial_id needs a hyperparameter-tuned model, which the local BigQuery does not support.`,
      );
    if (!allowed.includes(key))
      throw invalidQuery(
        `${fn} has no setting ${key}; ${allowed.length ? `it takes ${allowed.join(', ')}` : 'it takes no STRUCT settings'}.`,
      );
  }
  const mt = state.modelType;
  const needsInput = call.name === 'PREDICT' || call.name === 'EXPLAIN_PREDICT';
  if (needsInput && !call.input)
    throw invalidQuery(`${fn} needs input data: ${fn}(MODEL m, TABLE t) or (SELECT …).`);
  if (['GLOBAL_EXPLAIN', 'FEATURE_IMPORTANCE', 'TRAINING_INFO'].includes(call.name) && call.input)
    throw invalidQuery(`${fn} takes no input data: ${fn}(MODEL ${modelName}).`);
  if ((call.name === 'EXPLAIN_PREDICT' || call.name === 'GLOBAL_EXPLAIN') && !isSupervised(mt))
    throw invalidQuery(
      `${fn} does not support ${mt} models (model ${modelName}); it explains supervised models.`,
    );
  if (call.name === 'GLOBAL_EXPLAIN' && !state.enableGlobalExplain)
    throw invalidQuery(
      `${fn} needs a model trained with ENABLE_GLOBAL_EXPLAIN = TRUE; create ${modelName} again with OPTIONS(enable_global_explain = TRUE).`,
    );
  if (call.name === 'FEATURE_IMPORTANCE' && !isTree(mt))
    throw invalidQuery(
      `${fn} supports boosted tree models only; ${modelName} is ${mt} (use ML.GLOBAL_EXPLAIN or ML.WEIGHTS-style explanations instead).`,
    );
  if ((call.name === 'CONFUSION_MATRIX' || call.name === 'ROC_CURVE') && !isClassifier(mt))
    throw invalidQuery(`${fn} needs a classification model; ${modelName} is ${mt}.`);
  if (call.name === 'ROC_CURVE' && (state.classes?.length ?? 0) !== 2)
    throw invalidQuery(
      `${fn} needs a binary classification model; ${modelName} has ${state.classes?.length} classes.`,
    );
  if (call.thresholds && call.name !== 'ROC_CURVE') throw invalidQuery(`${fn} takes no thresholds array.`);
  const t = call.settings.threshold;
  if (t !== undefined && (typeof t !== 'number' || t < 0 || t > 1))
    throw invalidQuery(`${fn}: threshold must be a FLOAT64 in [0, 1]; got ${JSON.stringify(t)}.`);
  if (t !== undefined && (state.classes?.length ?? 0) !== 2)
    throw invalidQuery(`${fn}: threshold applies to binary classification models only.`);
}
