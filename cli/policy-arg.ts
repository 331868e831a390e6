// The flags shared by commands that run a saved policy on a task (--checkpoint, --task, --task-config, --backend), and opening them.
import { z } from 'zod';
import { UsageError, type Flag } from './args.ts';
import { BackendChoiceSchema, initBackend } from '../agents/backend.ts';
import { loadPolicy, resolvePolicyDir, trainedTaskConfig, type MlpPolicy } from '../agents/policy-io.ts';
import { makeEnv, type Env } from '../tasks/index.ts';
import { jsonArg } from './json-arg.ts';

/** Schema fields of the shared flags (spread into a command's schema). */
export const policyArgShape = {
  checkpoint: z.string().min(1),
  task: z.string().optional(),
  'task-config': z.string().optional(),
  backend: BackendChoiceSchema.default('auto'),
};

/** Help of the shared flags (spread into a command's flags). */
export const policyFlags: Record<keyof typeof policyArgShape, Flag> = {
  checkpoint: { type: 'string', help: 'a run directory, a checkpoint, or a policy folder (model.json)' },
  task: { type: 'string', help: 'task id (default: the one the policy was trained on)' },
  'task-config': { type: 'string', help: 'task config as JSON (a file or inline {…}); default: the training config' },
  backend: { type: 'string', help: 'TensorFlow.js backend: auto (default), tensorflow-gpu, tensorflow, wasm, cpu' },
};

type PolicyArgs = { checkpoint: string; task?: string | undefined; 'task-config'?: string | undefined; backend: z.output<typeof BackendChoiceSchema> };

/** Loads the backend, the policy and a fresh env of its task (the training config unless overridden); usage errors name the flag. */
export async function openPolicy(command: string, o: PolicyArgs, quiet: boolean, seed = 0): Promise<{ dir: string; policy: MlpPolicy; task: string; config: Record<string, unknown>; env: Env }> {
  await initBackend(o.backend, quiet ? () => {} : undefined);
  let dir: string;
  try {
    dir = resolvePolicyDir(o.checkpoint);
  } catch (err) {
    throw new UsageError(`${command}: --checkpoint: ${(err as Error).message}`);
  }
  const policy = loadPolicy(dir, seed);
  const task = o.task ?? policy.task;
  const trained = trainedTaskConfig(policy.meta) ?? {};
  const config = o['task-config'] ? jsonArg(command, 'task-config', o['task-config']) : trained;
  try {
    return { dir, policy, task, config, env: await makeEnv(task, config) };
  } catch (err) {
    policy.dispose();
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
}
