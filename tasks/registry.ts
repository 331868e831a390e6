// The task registry: makeEnv(id, config) with a zod schema per task; users can register their own envs.
import type { z } from 'zod';
import type { Env } from './env.ts';

export interface TaskEntry<S extends z.ZodType = z.ZodType> {
  id: string;
  summary: string;
  /** Validates the task config; its defaults document the task. */
  configSchema: S;
  create(config: z.output<S>): Promise<Env>;
  /** A reference implementation on another engine (MuJoCo, a devDependency): made by id, not listed by default (so not in the viewer). */
  reference?: boolean;
}

const entries = new Map<string, TaskEntry>();

/** Registers a task (built-in or a user's own); ids are unique. */
export function registerEnv<S extends z.ZodType>(entry: TaskEntry<S>): void {
  if (entries.has(entry.id)) throw new Error(`a task with id '${entry.id}' is already registered`);
  entries.set(entry.id, entry as unknown as TaskEntry);
}

/** The registered tasks in registration order; reference tasks only with `reference: true`. */
export function listEnvs(opts: { reference?: boolean } = {}): TaskEntry[] {
  return [...entries.values()].filter((e) => !e.reference || opts.reference === true);
}

export function getEntry(id: string): TaskEntry {
  const entry = entries.get(id);
  if (!entry) throw new Error(`unknown task '${id}' (registered: ${[...entries.keys()].join(', ') || 'none'})`);
  return entry;
}

/** Parses `config` with the task's schema, naming the offending field on error. */
export function parseTaskConfig(id: string, config: unknown): unknown {
  const result = getEntry(id).configSchema.safeParse(config ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${id} config.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** Creates a registered task from a config (validated; defaults filled in). */
export async function makeEnv(id: string, config: unknown = {}): Promise<Env> {
  return getEntry(id).create(parseTaskConfig(id, config));
}
