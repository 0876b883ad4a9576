/**
 * Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the console's e2e tests:
 * every page opened through {@link ConsoleBrowser.open} records its console errors and page errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.TVX_CHROMIUM ?? '/usr/bin/chromium';

export interface OpenedPage {
  page: Page;
  /** Console messages of type error, uncaught exceptions and failed requests, as they happen. */
  errors: string[];
}

export class ConsoleBrowser {
  private readonly context: BrowserContext;
  private readonly profile: string;
  private readonly base: string;

  private constructor(context: BrowserContext, profile: string, base: string) {
    this.context = context;
    this.profile = profile;
    this.base = base;
  }

  /** Launches Chromium with a fresh profile; pages open relative to `base` (the emulator's HTTP address). */
  static async launch(base: string): Promise<ConsoleBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'tvx-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    return new ConsoleBrowser(context, profile, base);
  }

  /** Opens `path` (e.g. `/console/jobs`) in a new tab and waits for its scripts to have run. */
  async open(path: string): Promise<OpenedPage> {
    const page = await this.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    const res = await page.goto(this.base + path, { waitUntil: 'load' });
    if (!res) throw new Error(`no response for ${path}`);
    if (res.status() !== 200) errors.push(`HTTP ${res.status()} for ${path}`);
    return { page, errors };
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** The text a locator shows as rendered (cells separated by tabs, rows by newlines). */
export function shown(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the rendered text on purpose
  return locator.innerText();
}
