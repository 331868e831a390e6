// `paddock ship`: copies a trained run's policy (and DIAYN discriminator) into assets/policies/<name>/ for the viewer and sweeps.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { UsageError, type Command } from './args.ts';
import { readPolicyFiles, resolvePolicyDir } from '../agents/policy-io.ts';
import { assetPath } from '../assets/index.ts';

const schema = z.object({
  checkpoint: z.string().min(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  description: z.string().min(1).max(300),
  force: z.boolean().default(false),
}).strict();
type Options = z.output<typeof schema>;

async function run(o: Options): Promise<number> {
  let src: string;
  try {
    src = resolvePolicyDir(o.checkpoint);
  } catch (err) {
    throw new UsageError(`ship: --checkpoint: ${(err as Error).message}`);
  }
  const { meta } = readPolicyFiles(src);
  const dest = assetPath('policies', o.name);
  if (existsSync(dest) && !o.force) throw new UsageError(`ship: ${dest} exists (pass --force to replace it)`);
  rmSync(dest, { recursive: true, force: true });
  cpSync(join(src, 'weights.bin'), join(dest, 'weights.bin'), { recursive: true });
  const json = JSON.parse(readFileSync(join(src, 'model.json'), 'utf8'));
  json.userDefinedMetadata.paddock.provenance = { ...meta.provenance, description: o.description, shippedFrom: o.checkpoint };
  writeFileSync(join(dest, 'model.json'), JSON.stringify(json));
  const disc = join(dirname(src), 'discriminator');
  if (existsSync(join(disc, 'model.json'))) cpSync(disc, join(dest, 'discriminator'), { recursive: true });
  readPolicyFiles(dest);
  console.log(`shipped ${meta.task} policy from ${src} to ${dest}`);
  return 0;
}

export const shipCommand: Command<typeof schema> = {
  name: 'ship',
  summary: 'copy a trained policy into assets/policies/<name>/ (the viewer and sweeps list it)',
  flags: {
    checkpoint: { type: 'string', help: 'a run directory, a checkpoint, or a policy folder' },
    name: { type: 'string', help: 'folder name under assets/policies/ (lowercase, digits, dashes)' },
    description: { type: 'string', help: 'one line shown in the viewer (what it is, how it was trained)' },
    force: { type: 'boolean', help: 'replace an existing policy of that name' },
  },
  schema,
  run,
};
