/**
 * What the console's browser tests share: the official clients on an in-process emulator, a headless
 * Chromium that remembers every page it opened (for the console-error check), and polling.
 */

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v1 } from '@google-cloud/aiplatform';
import { grpc } from 'google-gax';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../src/index.ts';
import { ConsoleBrowser, type OpenedPage, shown } from './console-browser.ts';

export const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
export const parent = 'projects/demo-terra-vertex/locations/us-central1';
/** Where the tests save screenshots of the pages they check. */
export const SHOTS = process.env.TVX_CONSOLE_SCREENSHOTS ?? join(tmpdir(), 'tvx-console-shots');

export function clients(emu: RunningEmulator) {
  const [host, port] = emu.vertexAddress.split(':');
  const o = { apiEndpoint: host, port: Number(port), sslCreds: grpc.credentials.createInsecure() };
  return {
    jobs: new v1.JobServiceClient(o),
    pipelines: new v1.PipelineServiceClient(o),
    models: new v1.ModelServiceClient(o),
    endpoints: new v1.EndpointServiceClient(o),
  };
}

/** Polls `read` until it answers something, or fails naming `what`. */
export async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** An emulator, its clients and a headless browser on its console; every page opened is kept. */
export class ConsoleSuite {
  emu!: RunningEmulator;
  c!: ReturnType<typeof clients>;
  browser!: ConsoleBrowser;
  readonly opened: OpenedPage[] = [];

  async start(options: EmulatorOptions = {}): Promise<void> {
    this.emu = await startEmulator(options);
    this.c = clients(this.emu);
    this.browser = await ConsoleBrowser.launch(this.emu.httpAddress);
  }

  /** Opens a page, remembers it for the error check, and saves a screenshot under SHOTS. */
  async open(path: string, shot?: string): Promise<OpenedPage> {
    const o = await this.browser.open(path);
    this.opened.push(o);
    if (shot) await o.page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    return o;
  }

  text(o: OpenedPage, selector = 'main'): Promise<string> {
    return shown(o.page.locator(selector));
  }

  async close(): Promise<void> {
    await this.browser?.close();
    await Promise.all(Object.values(this.c ?? {}).map((x) => x.close()));
    await this.emu?.stop();
  }
}
