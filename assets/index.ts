// Locations of the shipped robot models (MJCF) and policies.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Absolute path of the assets folder. */
export const ASSETS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Absolute path of a file under assets/. */
export function assetPath(...parts: string[]): string {
  return join(ASSETS_DIR, ...parts);
}
