import { describe, expect, it } from 'vitest';
import type { TrainerOptions } from './options.ts';
import { FRAMEWORKS } from './options.ts';
import { renderTrainer } from './render.ts';

const OPTIONS: TrainerOptions = {
  name: 'demo-trainer',
  framework: 'pytorch',
  metric: { id: 'auc', goal: 'maximize' },
  hyperparameters: [
    { name: 'learning_rate', type: 'double', min: 0.0001, max: 0.1, default: 0.01, scale: 'log' },
    { name: 'epochs', type: 'integer', min: 1, max: 20, default: 5 },
    { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd'] },
    { name: 'momentum', type: 'discrete', values: [0.5, 0.9] },
  ],
};

describe('renderTrainer', () => {
  it('is deterministic, with sorted keys', () => {
    const a = renderTrainer(OPTIONS);
    const b = renderTrainer(structuredClone(OPTIONS));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(Object.keys(a)).toEqual(Object.keys(a).sort());
  });

  it('renders the files of each framework', () => {
    const common = [
      'README.md',
      'setup.py',
      'trainer/__init__.py',
      'trainer/data.py',
      'trainer/demo_data.py',
      'trainer/metrics.py',
      'trainer/model.py',
      'trainer/reporting.py',
      'trainer/task.py',
      'trainer/tb_events.py',
      'trainer/vertex_env.py',
    ];
    const extra: Record<string, string[]> = {
      sklearn: [],
      xgboost: [],
      pytorch: [
        'trainer/distributed.py',
        'trainer/images.py',
        'trainer/serve_handler.py',
        'trainer/torchserve.py',
      ],
      'tf-keras': ['trainer/images.py'],
    };
    for (const framework of FRAMEWORKS) {
      const files = renderTrainer({ ...OPTIONS, framework, hyperparameters: [] });
      expect(Object.keys(files)).toEqual([...common, ...extra[framework]!].sort());
      for (const content of Object.values(files)) expect(content).not.toMatch(/\{\{|&quot;|&#x3D;/);
    }
  });

  it('declares only the framework in install_requires (cloudml-hypertune is an extra)', () => {
    const requires = (framework: TrainerOptions['framework']) =>
      /install_requires=(.*),/.exec(
        renderTrainer({ ...OPTIONS, framework, hyperparameters: [] })['setup.py']!,
      )?.[1];
    expect(requires('sklearn')).toBe('["scikit-learn"]');
    expect(requires('xgboost')).toBe('["xgboost"]');
    expect(requires('pytorch')).toBe('["torch", "numpy"]');
    expect(requires('tf-keras')).toBe('["tensorflow"]');
    expect(renderTrainer(OPTIONS)['setup.py']).toContain(
      'extras_require={"hypertune": ["cloudml-hypertune"]}',
    );
  });

  it('renders one flag per hyperparameter; a tuned epochs replaces the fixed flag', () => {
    const task = renderTrainer(OPTIONS)['trainer/task.py']!;
    expect(task).toContain(
      'parser.add_argument("--learning_rate", "--learning-rate", type=float, default=0.01, help="hyperparameter: double in [0.0001, 0.1], log scale (default 0.01)")',
    );
    expect(task).toContain('parser.add_argument("--epochs", type=vertex_env.integer, default=5,');
    expect(task).toContain('parser.add_argument("--optimizer", choices=["adam", "sgd"], default="adam",');
    expect(task).toContain('parser.add_argument("--momentum", type=float, default=0.9,');
    expect(task.match(/"--epochs"/g)).toHaveLength(1);
    expect(task).toContain('"--batch-size", "--batch_size", type=int, default=64');
    expect(task).toContain('METRIC = "auc"');
    expect(task).toContain('os.environ.setdefault("OMP_NUM_THREADS", "1")');
  });
});
