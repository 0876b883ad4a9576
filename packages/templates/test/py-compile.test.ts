import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Framework, TrainerTask } from '../src/index.ts';
import { FRAMEWORKS, IMAGE_FRAMEWORKS } from '../src/index.ts';
import { generate, listFiles, PYTHON } from './helpers.ts';

const cases: [Framework, TrainerTask][] = FRAMEWORKS.flatMap((fw) =>
  IMAGE_FRAMEWORKS.includes(fw)
    ? ([
        [fw, 'tabular'],
        [fw, 'image'],
      ] as [Framework, TrainerTask][])
    : [[fw, 'tabular']],
);

/** Names read but never defined, imported or built in (what pyflakes calls undefined names). */
const UNDEFINED_NAMES = `
import builtins, glob, symtable, sys
for path in sorted(glob.glob("**/*.py", recursive=True)):
    top = symtable.symtable(open(path).read(), path, "exec")
    defined = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()}
    defined.add("__file__")
    def walk(table):
        for s in table.get_symbols():
            free = s.is_global() or (table is top and not (s.is_assigned() or s.is_imported()))
            name = s.get_name()
            if s.is_referenced() and free and name not in defined and not hasattr(builtins, name):
                print("%s: %s uses undefined %s" % (path, table.get_name(), name))
        for child in table.get_children():
            walk(child)
    walk(top)
`;

describe('generated Python compiles', () => {
  it.each(cases)('%s (%s): every .py passes py_compile', async (framework, task) => {
    const pkg = await generate({
      name: `compile-${framework}`,
      framework,
      task,
      metric: { id: 'f1', goal: 'maximize' },
      hyperparameters: [
        { name: 'learning_rate', type: 'double', min: 1e-5, max: 0.5, scale: 'log' },
        { name: 'optimizer', type: 'categorical', values: ['adam', 'it\'s "quoted" 100%'], default: 'adam' },
        { name: 'momentum', type: 'discrete', values: [0.5, 0.9, 0.99] },
        { name: 'width', type: 'integer', min: 1, max: 3 },
      ],
    });
    const files = listFiles(pkg).filter((f) => f.endsWith('.py'));
    expect(files).toContain('trainer/task.py');
    const out = spawnSync(PYTHON, ['-m', 'py_compile', ...files], { cwd: pkg, encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const names = spawnSync(PYTHON, ['-c', UNDEFINED_NAMES], { cwd: pkg, encoding: 'utf8' });
    expect(names.stderr + names.stdout).toBe('');
    // The flags parse both spellings Vertex AI may use, and --help formats (argparse %-formats help).
    const parse = spawnSync(
      PYTHON,
      [
        '-c',
        `import sys, types; sys.modules["trainer.model"] = types.SimpleNamespace(KNOWN_HYPERPARAMETERS=[])
import trainer
trainer.model = sys.modules["trainer.model"]
from trainer import task
a = task.build_parser().parse_args(["--learning_rate=0.01", "--width", "2.0", "--momentum", "0.9"])
task.build_parser().format_help()
print(a.learning_rate, a.width, a.momentum, a.optimizer, a.model_dir)`,
      ],
      { cwd: pkg, encoding: 'utf8', env: { ...process.env, PYTHONPATH: pkg, PYTHONDONTWRITEBYTECODE: '1' } },
    );
    expect(parse.stderr).toBe('');
    expect(parse.stdout.trim()).toBe('0.01 2 0.9 adam AIP_MODEL_DIR');
  });
});
