import { installKernel, publishNotebooks } from '@terra-vertex/notebooks';
import type { Command } from 'commander';
import { type GlobalOptions, print, table } from '../output.ts';

/** `tvx notebooks install-kernel|publish`: the TypeScript kernel and the ready-to-run notebooks for Terra. */
export function registerNotebooks(program: Command, globals: () => GlobalOptions): void {
  const notebooks = program
    .command('notebooks')
    .description('the ready-to-run TypeScript notebooks for Terra');

  notebooks
    .command('install-kernel')
    .description("register the tslab TypeScript kernel (on Node 22) in the user's Jupyter")
    .option('--prefix <dir>', 'install under <dir>/share/jupyter instead of the user folder')
    .option(
      '--python <path>',
      "the Jupyter server's Python (default: one that has jupyter_client and IPython)",
    )
    .option('--node <path>', 'Node >= 22 for the kernel (default: this one)')
    .action((o: { prefix?: string; python?: string; node?: string }) => {
      const g = globals();
      const kernel = installKernel({ prefix: o.prefix, user: !o.prefix, python: o.python, node: o.node });
      print(g, kernel, () => `Installed the tslab kernel in ${kernel.kernelDir}\n  ${kernel.argv.join(' ')}`);
    });

  notebooks
    .command('publish [files...]')
    .description("copy the notebooks into the Terra workspace bucket's notebooks/ folder")
    .option('--workspace-bucket <gs-uri>', 'the workspace bucket (default: WORKSPACE_BUCKET)')
    .option('--overwrite', 'replace notebooks that are already in the workspace')
    .action(async (files: string[], o: { workspaceBucket?: string; overwrite?: boolean }) => {
      const g = globals();
      const published = await publishNotebooks({
        workspaceBucket: o.workspaceBucket,
        overwrite: o.overwrite,
        notebooks: files.length ? files : undefined,
      });
      print(g, published, () =>
        table([['NOTEBOOK', 'STATUS', 'URI'], ...published.map((p) => [p.name, p.status, p.uri])]),
      );
    });
}
