// Checkpoint directories written atomically: JSON state, named float32 arrays, and extra files (policy, replay).
import { existsSync, fsyncSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const IndexSchema = z.object({
  format: z.literal('paddock-checkpoint-v1'),
  arrays: z.array(z.object({ name: z.string(), offset: z.number().int().min(0), length: z.number().int().min(0) })),
  state: z.unknown(),
});

/** A serialised Rng state (sim/rng.ts): four words and the cached normal, NaN (JSON null) when empty. */
export const RngStateSchema = z.tuple([z.number(), z.number(), z.number(), z.number(), z.number().nullable()]).transform((s) => s.map((v) => v ?? Number.NaN));

/** What a checkpoint holds: free-form JSON state (validated by its reader) and named arrays. */
export interface CheckpointData {
  state: unknown;
  arrays: Record<string, Float32Array>;
}

function writeSynced(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data);
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces the folder `dir` atomically: `fill(tmp)` writes the new contents into a temporary
 * sibling, then the previous `dir` is moved to `${dir}.old`, the new one renamed into place, and the
 * old one removed. If `fill` throws, the temporary folder is removed and `dir` is left as it was; a
 * crash during the swap leaves `dir` or `${dir}.old` complete.
 */
export async function replaceDir(dir: string, fill: (tmp: string) => void | Promise<void>): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  if (existsSync(dir)) {
    rmSync(old, { recursive: true, force: true });
    renameSync(dir, old);
  }
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/**
 * Writes `data` (plus `extra(dir)` for further files, e.g. the exported policy or the replay
 * buffer) into `dir` atomically with `replaceDir`. A crash at any point leaves either the previous
 * or the new checkpoint complete (`resolveCheckpoint`).
 */
export async function saveCheckpoint(dir: string, data: CheckpointData, extra?: (dir: string) => void | Promise<void>): Promise<void> {
  const index: z.output<typeof IndexSchema>['arrays'] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(data.arrays)) {
    index.push({ name, offset, length: a.length });
    offset += a.length;
  }
  const flat = new Float32Array(offset);
  for (const e of index) flat.set(data.arrays[e.name]!, e.offset);
  await replaceDir(dir, async (tmp) => {
    writeSynced(join(tmp, 'arrays.bin'), new Uint8Array(flat.buffer));
    await extra?.(tmp);
    writeSynced(join(tmp, 'checkpoint.json'), JSON.stringify({ format: 'paddock-checkpoint-v1', arrays: index, state: data.state }));
  });
}

/** The complete checkpoint at `dir`, or its previous version if a save was interrupted; null if none. */
export function resolveCheckpoint(dir: string): string | null {
  for (const candidate of [dir, `${dir}.old`]) if (existsSync(join(candidate, 'checkpoint.json'))) return candidate;
  return null;
}

/** Reads a checkpoint written by `saveCheckpoint`; errors name the file and the field. */
export function loadCheckpoint(dir: string): CheckpointData & { dir: string } {
  const found = resolveCheckpoint(dir);
  if (!found) throw new Error(`no checkpoint at ${dir} (expected ${join(dir, 'checkpoint.json')})`);
  const file = join(found, 'checkpoint.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = IndexSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const bytes = readFileSync(join(found, 'arrays.bin'));
  const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const arrays: Record<string, Float32Array> = {};
  for (const e of parsed.data.arrays) {
    if (e.offset + e.length > flat.length) throw new Error(`${join(found, 'arrays.bin')}: array '${e.name}' runs past the end of the file`);
    arrays[e.name] = flat.slice(e.offset, e.offset + e.length);
  }
  return { dir: found, state: parsed.data.state, arrays };
}
