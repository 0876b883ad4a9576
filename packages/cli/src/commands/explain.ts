import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Endpoint, ValidationError } from '@terra-vertex/core';
import { explain, imageOverlayPng } from '@terra-vertex/xai';
import type { Command } from 'commander';
import { type GlobalOptions, print, table } from '../output.ts';
import { readInstances } from './endpoints.ts';

type Globals = () => GlobalOptions;

/** `tvx explain <endpoint>`: feature attributions of a deployed model with an explanation spec. */
export function registerExplain(program: Command, globals: Globals): void {
  program
    .command('explain')
    .description(
      'explain predictions: feature attributions per instance; --image explains a picture and --overlay draws them',
    )
    .argument('<endpoint>', 'endpoint id or resource name')
    .option('--instances <json>', "a JSON list of instances, e.g. '[[5.1,3.5,1.4,0.2]]'")
    .option('--instances-file <file>', 'a JSON file with a list or {"instances": [...]}')
    .option('--image <file>', 'an image file, sent as {"content": base64} (AutoML image models)')
    .option('--deployed-model-id <id>', 'explain this deployed model instead of following the traffic split')
    .option('--overlay <file.png>', 'with --image: write the attributions over the image as a PNG')
    .action(
      async (
        endpointId: string,
        o: {
          instances?: string;
          instancesFile?: string;
          image?: string;
          deployedModelId?: string;
          overlay?: string;
        },
      ) => {
        if (o.overlay && !o.image)
          throw new ValidationError('--overlay', 'needs --image', 'Give the image to draw on with --image.');
        const bytes = o.image ? readFileSync(o.image) : undefined;
        const instances = bytes ? [{ content: bytes.toString('base64') }] : await readInstances(o);
        const endpoint = await Endpoint.get(endpointId, {
          project: globals().project,
          location: globals().location,
        });
        const results = await explain(endpoint, instances, { deployedModelId: o.deployedModelId });
        let overlay: string | undefined;
        const first = results[0];
        if (o.overlay && first?.kind === 'image') {
          overlay = resolve(o.overlay);
          writeFileSync(
            overlay,
            imageOverlayPng(new Uint8Array(bytes!), first, { type: 'pixels', overlayType: 'grayscale' }),
          );
        }
        print(
          globals(),
          {
            results: results.map(
              ({
                kind,
                label,
                outputIndex,
                instanceOutputValue,
                baselineOutputValue,
                approximationError,
              }) => ({
                kind,
                label,
                outputIndex,
                instanceOutputValue,
                baselineOutputValue,
                approximationError,
              }),
            ),
            overlay,
          },
          () =>
            [
              ...results.map((r, i) => {
                const head = `instance ${i}: ${r.label ?? r.outputIndex} (output ${r.instanceOutputValue?.toPrecision(4)}, baseline ${r.baselineOutputValue?.toPrecision(4)}, approximation error ${r.approximationError?.toPrecision(2)})`;
                if (r.kind !== 'tabular') return head;
                const rows = Object.entries(r.map)
                  .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
                  .slice(0, 10);
                return `${head}\n${table([['FEATURE', 'ATTRIBUTION'], ...rows.map(([f, v]) => [f, v.toPrecision(4)])])}`;
              }),
              overlay ? `Overlay: ${overlay}` : '',
            ]
              .join('\n')
              .trim(),
        );
      },
    );
}
