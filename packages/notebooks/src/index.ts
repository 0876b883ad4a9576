/**
 * @packageDocumentation
 * @terra-vertex/notebooks: the ready-to-run TypeScript notebooks for Terra, the helpers their cells use
 * (Terra environment, cost estimate, training results, replica digests), the tslab kernel installer,
 * publishing to a workspace bucket, and the headless runner.
 */
export { cleanUpRun } from './cleanup.ts';
export {
  ACCELERATOR_PRICES_PER_HOUR,
  type CostEstimate,
  type CostItem,
  type CostLine,
  costTableHtml,
  estimateTrainingCost,
  formatUsd,
  MACHINE_PRICES_PER_HOUR,
  PRICE_SOURCE,
} from './cost.ts';
export {
  checkKernelNode,
  findJupyterPython,
  findTslab,
  type InstalledKernel,
  type InstallKernelOptions,
  installKernel,
} from './kernel.ts';
export { bundledNotebooks, EXECUTE_SCRIPT, NOTEBOOKS_DIR } from './paths.ts';
export {
  NOTEBOOK_CONTENT_TYPE,
  type PublishedNotebook,
  type PublishOptions,
  publishNotebooks,
  workspaceBucketUri,
} from './publish.ts';
export { digestsAgree, type ReplicaDigest, replicaDigests, replicaTimeline } from './replicas.ts';
export {
  builtEntry,
  DEBIAN_JUPYTER_PACKAGES,
  NOTEBOOK_PACKAGES,
  type Problem,
  runnerProblems,
} from './requirements.ts';
export { metricRows, type TrainingResults, trainingResults } from './results.ts';
export {
  CLEARED_VARIABLES,
  ensureKernel,
  formatFailure,
  jupyterEnv,
  type NotebookRun,
  type RunNotebooksOptions,
  runNotebooks,
} from './runner.ts';
export { sessionBackend, sessionHtml, type TerraEnvironment, terraEnvironment } from './terra.ts';
