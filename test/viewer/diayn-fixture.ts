// Test support: a tiny untrained DIAYN checkpoint (policy/ and discriminator/ as training writes them) and the viewer entry that plays it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiaynLearner, parseDiaynConfig } from '../../agents/diayn.ts';
import { parseSacConfig } from '../../agents/sac.ts';
import { saveRun } from '../../agents/run-state.ts';
import { loadPolicy } from '../../agents/policy-io.ts';
import { makeEnv } from '../../tasks/index.ts';
import type { PolicyEntry } from '../../viewer/policies.ts';

/**
 * Writes `<tmp>/checkpoint/{policy,discriminator}` for an untrained DIAYN learner on `task`
 * (small networks, `skills` skills; seeded, so the weights are the same every run) and returns
 * the checkpoint folder, a policy entry named `name` that reads the discriminator beside it, and
 * `remove()` to delete the files.
 */
export async function tinyDiayn(task: string, skills: number, name = 'tiny-diayn', seed = 3): Promise<{ dir: string; entry: PolicyEntry; remove(): Promise<void> }> {
  const env = await makeEnv(task, {});
  const learner = new DiaynLearner(env.spec, 1, parseSacConfig({ hidden: [32] }), parseDiaynConfig({ skills, hidden: [32] }), seed);
  env.close();
  const root = await mkdtemp(join(tmpdir(), 'paddock-diayn-'));
  const dir = join(root, 'checkpoint');
  await saveRun(dir, learner, { envSteps: 0, wallSeconds: 0, resumes: 0 }, { task, seed });
  const entry: PolicyEntry = {
    name, task, description: `untrained DIAYN, ${skills} skills (test)`, discriminatorDir: join(dir, 'discriminator'),
    load: async () => loadPolicy(join(dir, 'policy')),
  };
  return { dir, entry, remove: () => rm(root, { recursive: true, force: true }) };
}
