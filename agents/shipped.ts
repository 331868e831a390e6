// The trained policies shipped in assets/policies/ (one folder per policy, tfjs layers-model format), for the viewer and sweeps.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assetPath } from '../assets/index.ts';
import { loadPolicy, readPolicyFiles, trainedTaskConfig } from './policy-io.ts';
import type { Policy } from './policy.ts';

export interface ShippedPolicy {
  name: string;
  task: string;
  description: string;
  /** Folder holding model.json and weights.bin. */
  dir: string;
  /** DIAYN policies: the discriminator folder shipped beside the policy (`<dir>/discriminator/`), when present. */
  discriminatorDir?: string;
  /** The task config the policy was trained with (its provenance), which the viewer plays it on. */
  taskConfig?: Record<string, unknown>;
  load(): Promise<Policy>;
}

/** Every policy under assets/policies/, sorted by name; folders that fail to parse are reported through `warn` and skipped. */
export async function listShippedPolicies(warn: (line: string) => void = (l) => console.error(l)): Promise<ShippedPolicy[]> {
  const root = assetPath('policies');
  if (!existsSync(root)) return [];
  const out: ShippedPolicy[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'model.json'))) continue;
    try {
      const { meta } = readPolicyFiles(dir);
      const p = meta.provenance;
      const taskConfig = trainedTaskConfig(meta);
      const detail = [p.agent ?? 'SAC', p.envSteps !== undefined ? `${Number(p.envSteps).toLocaleString('en')} env steps` : null, p.seed !== undefined ? `seed ${String(p.seed)}` : null].filter(Boolean).join(', ');
      const disc = join(dir, 'discriminator');
      const extra = {
        ...(meta.skills !== undefined && existsSync(join(disc, 'model.json')) ? { discriminatorDir: disc } : {}),
        ...(taskConfig ? { taskConfig } : {}),
      };
      out.push({ name, task: meta.task, description: typeof p.description === 'string' ? p.description : detail, dir, ...extra, load: async () => loadPolicy(dir) });
    } catch (err) {
      warn(`[paddock] skipping shipped policy ${name}: ${(err as Error).message}`);
    }
  }
  return out;
}
