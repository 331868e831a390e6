// Policies for push sweeps: saved checkpoints (noise seeded per episode) and scripted policies, behind the SweepPolicy interface.
import { basename, dirname } from 'node:path';
import { MlpPolicy, readPolicyFiles, resolvePolicyDir, trainedTaskConfig } from './policy-io.ts';
import type { Policy } from './policy.ts';
import type { SweepPolicy } from './perturb.ts';

/** A sensible label for a policy path: the run directory's name (runs/cheetah-s1/checkpoint/policy → cheetah-s1). */
export function labelForPath(path: string, policyDir: string): string {
  const parts = policyDir.split(/[\\/]/).filter(Boolean);
  const skip = new Set(['policy', 'checkpoint', 'checkpoint.old']);
  for (let i = parts.length - 1; i >= 0; i--) if (!skip.has(parts[i]!)) return parts[i]!;
  return basename(dirname(path)) || path;
}

/**
 * A saved policy (a run directory, a checkpoint or a policy folder). In mean-action mode one
 * network serves every episode; in stochastic mode each episode gets a fresh copy whose action
 * noise is seeded with the episode's seed (the previous copy is freed), so the pushed and the
 * unpushed run of a trial draw the same noise.
 */
export function checkpointPolicy(path: string, label?: string): SweepPolicy {
  const dir = resolvePolicyDir(path);
  const { meta, weights } = readPolicyFiles(dir);
  const taskConfig = trainedTaskConfig(meta);
  let mean: MlpPolicy | null = null;
  let noisy: MlpPolicy | null = null;
  return {
    label: label ?? labelForPath(path, dir),
    source: path,
    task: meta.task,
    ...(taskConfig ? { taskConfig } : {}),
    episode(seed, deterministic) {
      if (deterministic) return (mean ??= new MlpPolicy(meta, weights, 0));
      noisy?.dispose();
      noisy = new MlpPolicy(meta, weights, seed);
      return noisy;
    },
    close() {
      mean?.dispose();
      noisy?.dispose();
      mean = noisy = null;
    },
  };
}

/**
 * A scripted or otherwise loaded policy: `load()` is called for every episode (so a policy with
 * its own random stream starts it afresh each time) and the previous instance is disposed.
 */
export function loadedPolicy(label: string, source: string, task: string, load: () => Policy | Promise<Policy>): SweepPolicy {
  let current: Policy | null = null;
  return {
    label, source, task,
    async episode() {
      current?.dispose();
      current = await load();
      return current;
    },
    close() {
      current?.dispose();
      current = null;
    },
  };
}
