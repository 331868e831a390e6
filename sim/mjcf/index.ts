// Public entry points of the MJCF loader: MuJoCo XML (a documented subset, see docs/mjcf.md) → compiled Model.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Model } from '../model.ts';
import { compileModel } from './compile.ts';
import { MjcfError } from './errors.ts';
import { parseXml } from './xml.ts';

export { MjcfError } from './errors.ts';

/** Options for {@link loadMjcf}. */
export interface LoadMjcfOptions {
  /** Name of the input (e.g. a file name) prefixed to error messages. */
  source?: string;
}

/**
 * Parses and compiles MJCF text into a Model (SI units, radians, `[w, x, y, z]` quaternions).
 * Throws {@link MjcfError} naming the element path and attribute of the first problem found.
 */
export function loadMjcf(xml: string, opts: LoadMjcfOptions = {}): Model {
  try {
    return compileModel(parseXml(xml));
  } catch (error) {
    if (error instanceof MjcfError && opts.source) throw new MjcfError(error.path, error.field, error.detail, opts.source);
    throw error;
  }
}

/** Reads an MJCF file (UTF-8) and compiles it; errors are prefixed with the file's base name. */
export function loadMjcfFile(path: string): Model {
  return loadMjcf(readFileSync(path, 'utf8'), { source: basename(path) });
}
