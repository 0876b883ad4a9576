import type { ResolvedConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import type { PythonPackageSpec } from '../jobs/worker-pool.ts';
import { packageScript, removeScriptBuild, SCRIPT_MODULE, uploadTrainingPackage } from './script-package.ts';
import { envStruct, type PoolTask } from './task-inputs.ts';
import { TrainingJob } from './training-job.ts';
import type { TrainingJobOptions, TrainingRunOptions } from './training-options.ts';

function requireContainer(o: TrainingJobOptions): string {
  if (!o.containerUri) {
    throw new ValidationError(
      'containerUri',
      'is required',
      'Give a training image, e.g. us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest.',
    );
  }
  return o.containerUri;
}

function packageTask(executor: string, module: string, uris: string[], run: TrainingRunOptions): PoolTask {
  const spec: Record<string, unknown> = {
    executor_image_uri: executor,
    python_module: module,
    package_uris: uris,
  };
  if (run.args?.length) spec.args = run.args;
  const env = envStruct(run.environmentVariables);
  if (env) spec.env = env;
  return { python_package_spec: spec };
}

/** Options of {@link CustomTrainingJob}. */
export interface CustomTrainingJobOptions extends TrainingJobOptions {
  /** A Python file, or a folder with task.py, packaged like the Python SDK does. */
  scriptPath: string;
  /** pip requirements written into the package's `install_requires`. */
  requirements?: string[];
  /** Reuse an already uploaded package instead of packaging `scriptPath` again. */
  stagedPackageUri?: string;
}

/**
 * Trains from a local script: packaged as `aiplatform_custom_trainer_script` (module `…task`),
 * uploaded to the staging bucket and run in `containerUri`.
 */
export class CustomTrainingJob extends TrainingJob {
  private staged?: string;

  constructor(options: CustomTrainingJobOptions) {
    super(options);
    requireContainer(options);
    this.staged = options.stagedPackageUri;
  }

  protected async task(config: ResolvedConfig, run: TrainingRunOptions, dryRun = false): Promise<PoolTask> {
    const o = this.options as CustomTrainingJobOptions;
    if (!this.staged && dryRun) {
      const sdist = await packageScript(o.scriptPath, o.requirements);
      removeScriptBuild(sdist);
      return packageTask(
        requireContainer(o),
        SCRIPT_MODULE,
        [`${config.stagingBucket}/aiplatform-<upload time>-${sdist.split('/').pop()}`],
        run,
      );
    }
    if (!this.staged) {
      const sdist = await packageScript(o.scriptPath, o.requirements);
      try {
        this.staged = await uploadTrainingPackage(config, sdist);
      } finally {
        removeScriptBuild(sdist);
      }
    }
    return packageTask(requireContainer(o), SCRIPT_MODULE, [this.staged], run);
  }
}

/** Options of {@link CustomPythonPackageTrainingJob}. */
export interface CustomPythonPackageTrainingJobOptions extends TrainingJobOptions {
  /** The package's gs:// URI, or several. */
  pythonPackageGcsUri: string | string[];
  /** e.g. `trainer.task`. */
  pythonModuleName: string;
}

/** Trains an already uploaded Python package (`python -m <module>` in `containerUri`). */
export class CustomPythonPackageTrainingJob extends TrainingJob {
  constructor(options: CustomPythonPackageTrainingJobOptions) {
    super(options);
    requireContainer(options);
    const uris = options.pythonPackageGcsUri;
    if (typeof uris !== 'string' && !Array.isArray(uris)) {
      throw new ValidationError(
        'pythonPackageGcsUri',
        'must be a string or list',
        "Give e.g. 'gs://bucket/trainer-0.1.tar.gz'.",
      );
    }
    for (const u of [uris].flat()) {
      if (!u.startsWith('gs://'))
        throw new ValidationError(
          'pythonPackageGcsUri',
          `${u} is not a gs:// URI`,
          'Upload the package to Cloud Storage first (e.g. stagePythonPackage()).',
        );
    }
    if (!options.pythonModuleName)
      throw new ValidationError(
        'pythonModuleName',
        'is required',
        "Give the module to run, e.g. 'trainer.task'.",
      );
  }

  protected async task(_config: ResolvedConfig, run: TrainingRunOptions): Promise<PoolTask> {
    const o = this.options as CustomPythonPackageTrainingJobOptions;
    return packageTask(requireContainer(o), o.pythonModuleName, [o.pythonPackageGcsUri].flat(), run);
  }
}

/** Options of {@link CustomContainerTrainingJob}. */
export interface CustomContainerTrainingJobOptions extends TrainingJobOptions {
  /** Overrides the image's entrypoint. */
  command?: string[];
}

/** Trains with a container image (its task is `containerSpec`, camelCase, as the Python SDK writes it). */
export class CustomContainerTrainingJob extends TrainingJob {
  constructor(options: CustomContainerTrainingJobOptions) {
    super(options);
    requireContainer(options);
  }

  protected async task(_config: ResolvedConfig, run: TrainingRunOptions): Promise<PoolTask> {
    const o = this.options as CustomContainerTrainingJobOptions;
    const spec: Record<string, unknown> = { imageUri: requireContainer(o) };
    if (o.command?.length) spec.command = o.command;
    if (run.args?.length) spec.args = run.args;
    const env = envStruct(run.environmentVariables);
    if (env) spec.env = env;
    return { containerSpec: spec };
  }
}

export type { PythonPackageSpec };
