// `--checkpoint scripted:<name>`: opens one of the viewer's scripted baselines (no backend, no weights) on its task for a command.
import { UsageError } from './args.ts';
import { jsonArg } from './json-arg.ts';
import type { ResettablePolicy } from '../agents/policy.ts';
import { makeEnv, type Env } from '../tasks/index.ts';
import { scriptedPolicies, type PolicyEntry } from '../viewer/policies.ts';

/** The scripted policy `name` for `task`, or a usage error listing the task's scripted policies. */
export function scriptedEntry(command: string, name: string, task: string): PolicyEntry {
  const all = scriptedPolicies().filter((p) => p.task === task);
  const entry = all.find((p) => p.name === name);
  if (!entry) throw new UsageError(`${command}: --checkpoint: no scripted policy '${name}' for ${task} (have: ${all.map((p) => p.name).join(', ') || 'none: unknown task'})`);
  return entry;
}

/** Opens `scripted:<name>` for `--task` (required) on the task config of `--task-config` (default: the task's defaults). */
export async function openScripted(command: string, o: { checkpoint: string; task?: string | undefined; 'task-config'?: string | undefined }): Promise<{ dir: string; policy: ResettablePolicy; task: string; config: Record<string, unknown>; env: Env }> {
  const name = o.checkpoint.slice('scripted:'.length);
  if (!o.task) throw new UsageError(`${command}: --task is needed with ${o.checkpoint}`);
  const entry = scriptedEntry(command, name, o.task);
  const config = o['task-config'] ? jsonArg(command, 'task-config', o['task-config']) : {};
  let env: Env;
  try {
    env = await makeEnv(o.task, config);
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
  return { dir: o.checkpoint, policy: await entry.load(), task: o.task, config, env };
}
