// Headless Debian chromium through playwright-core, for the viewer's browser tests and README screenshots.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a quiet, sandbox-free headless run; WebGL renders on the CPU through SwiftShader
 * (`--disable-gpu` alone leaves three.js without a WebGL context).
 */
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Starts chromium with a fresh profile directory; throws a clear error when it is not installed. */
export async function launchChromium(viewport = { width: 1000, height: 560 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: the viewer's browser checks need Debian's chromium (apt-get install -y chromium; .ci/run installs it)`);
  const profile = await mkdtemp(join(tmpdir(), 'paddock-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context, page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
