// Builds the viewer page with Vite when viewer/dist is missing or older than its sources (dist/ is not committed).
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VIEWER = fileURLToPath(new URL('.', import.meta.url));
/** The built page served by the viewer. */
export const DIST = join(VIEWER, 'dist');
/** Files the bundle is made from: the page sources, the shared protocol and hinge math, and the Vite config. */
const SOURCES = [join(VIEWER, 'page'), join(VIEWER, 'protocol.ts'), join(VIEWER, 'hinge.ts'), join(VIEWER, 'vite.config.ts')];

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const e of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, e)));
  return newest;
}

/** True when viewer/dist/index.html exists and is newer than every source file. */
export async function pageIsCurrent(): Promise<boolean> {
  const built = await stat(join(DIST, 'index.html')).then((s) => s.mtimeMs, () => -1);
  if (built < 0) return false;
  for (const src of SOURCES) if ((await newestMtime(src)) > built) return false;
  return true;
}

/**
 * Builds the page if needed (or always with `force`); returns whether it built. The bundle is
 * written to a temporary directory and renamed into place, so a running viewer never serves half
 * a build.
 */
export async function ensurePageBuilt(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<boolean> {
  if (!opts.force && (await pageIsCurrent())) return false;
  opts.log?.('Building the viewer page with Vite (first run or sources changed)...');
  const { build } = await import('vite');
  await mkdir(join(VIEWER, '.vite'), { recursive: true });
  const tmp = await mkdtemp(join(VIEWER, '.vite', 'build-'));
  try {
    await build({ configFile: join(VIEWER, 'vite.config.ts'), build: { outDir: tmp, emptyOutDir: true }, logLevel: 'warn' });
    await chmod(tmp, 0o755);
    await rm(DIST, { recursive: true, force: true });
    await rename(tmp, DIST);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return true;
}
