import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How to run a container image locally: an entrypoint, like Docker's, plus optional env and folder. */
export interface LocalImage {
  command: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** A Vertex prebuilt image recognised by its URI: `…/vertex-ai/training/pytorch-cpu.2-1:latest`. */
export interface PrebuiltImage {
  framework: 'tensorflow' | 'pytorch' | 'sklearn' | 'xgboost';
  /** Python module that must import for the image's framework. */
  module: string;
}

const PREBUILT =
  /^(?:(?:[a-z]+-docker\.pkg\.dev\/vertex-ai(?:-restricted)?)|(?:(?:[a-z]+\.)?gcr\.io\/cloud-aiplatform))\/(training|prediction)\/(tf|tf2|pytorch|sklearn|scikit-learn|xgboost)[-.]/;

const FRAMEWORKS: Record<string, PrebuiltImage> = {
  tf: { framework: 'tensorflow', module: 'tensorflow' },
  tf2: { framework: 'tensorflow', module: 'tensorflow' },
  pytorch: { framework: 'pytorch', module: 'torch' },
  sklearn: { framework: 'sklearn', module: 'sklearn' },
  'scikit-learn': { framework: 'sklearn', module: 'sklearn' },
  xgboost: { framework: 'xgboost', module: 'xgboost' },
};

/** Recognises a prebuilt Vertex training or prediction image; undefined for any other image. */
export function prebuiltImage(
  uri: string,
): (PrebuiltImage & { kind: 'training' | 'prediction' }) | undefined {
  const m = PREBUILT.exec(uri);
  if (!m) return undefined;
  return { ...FRAMEWORKS[m[2]!]!, kind: m[1] as 'training' | 'prediction' };
}

const importChecks = new Map<string, Promise<string | undefined>>();

/** Checks once per interpreter and module that `python -c "import <module>"` works; returns the error text if not. */
export function checkImport(python: string, module: string): Promise<string | undefined> {
  const key = `${python}|${module}`;
  let check = importChecks.get(key);
  if (!check) {
    check = run(python, ['-c', `import ${module}`], { timeout: 120_000 }).then(
      () => undefined,
      (err: { stderr?: string; message: string }) =>
        (err.stderr?.trim().split('\n').pop() ?? err.message).trim(),
    );
    importChecks.set(key, check);
  }
  return check;
}

/** The message a job fails with when an image has no local equivalent. */
export function unknownImageMessage(uri: string): string {
  return (
    `The emulator cannot run container image ${uri}: it has no container runtime. ` +
    "Map the image to a local command in the emulator's image map, e.g. " +
    `tvx emulator start --image-map images.json with {"${uri}": {"command": ["/usr/bin/python3", "-m", "trainer.task"]}} ` +
    '(or the localImages option of startEmulator()); Vertex prebuilt training images (tf-, pytorch-, sklearn-, xgboost-) ' +
    'run on the local Python without a mapping.'
  );
}
