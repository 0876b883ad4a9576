/**
 * Values shared by every notebook template: the prebuilt Vertex AI images, the demo trainer and its data,
 * and the machine the notebooks run on in the cloud. Change them here, then regenerate the notebooks.
 */

/** A framework's prebuilt training and prediction images (us-docker.pkg.dev/vertex-ai/…). */
export interface FrameworkImages {
  training: string;
  serving: string;
}

/**
 * The Handlebars context of notebook templates (templates are compiled with `strict: true`). Templates
 * also see `trainerImages`: the images of `trainer.framework`.
 */
export interface NotebookContext {
  /** The notebook's name, e.g. `01-custom-training`. */
  name: string;
  /** The notebook's title (the first heading). */
  title: string;
  images: { sklearn: FrameworkImages; pytorch: FrameworkImages; xgboost: FrameworkImages };
  /**
   * The trainer the notebooks generate with `writeTrainer` (framework, metric, epochs, data rows), and the
   * hyperparameters it takes as flags when a notebook tunes it (`{{> trainer tuned=true}}`).
   */
  trainer: {
    name: string;
    framework: string;
    metric: string;
    epochs: number;
    rows: number;
    hyperparameters: { name: string; type: string; min: number; max: number; scale?: string }[];
  };
  /** Whether the trainer partial declares `trainer.hyperparameters`; set per notebook with `tuned=true`. */
  tuned: boolean;
  /** Machine type of every job, and the cloud region. */
  machineType: string;
  region: string;
}

/** The values every published notebook uses (the name and title come from each template). */
export const NOTEBOOK_DEFAULTS: Omit<NotebookContext, 'name' | 'title'> = {
  images: {
    sklearn: {
      training: 'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest',
      serving: 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest',
    },
    pytorch: {
      training: 'us-docker.pkg.dev/vertex-ai/training/pytorch-cpu.2-1.py310:latest',
      serving: 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-cpu.2-1:latest',
    },
    xgboost: {
      training: 'us-docker.pkg.dev/vertex-ai/training/xgboost-cpu.1-1:latest',
      serving: 'us-docker.pkg.dev/vertex-ai/prediction/xgboost-cpu.1-7:latest',
    },
  },
  trainer: {
    name: 'tabular-trainer',
    framework: 'pytorch',
    metric: 'accuracy',
    epochs: 5,
    rows: 600,
    hyperparameters: [
      { name: 'learning_rate', type: 'double', min: 0.0003, max: 0.3, scale: 'log' },
      { name: 'hidden_units', type: 'integer', min: 4, max: 64, scale: 'log' },
    ],
  },
  tuned: false,
  machineType: 'n1-standard-4',
  region: 'us-central1',
};
