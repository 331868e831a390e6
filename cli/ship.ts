// `paddock ship`: copies a trained run's policy (and DIAYN discriminator) into assets/policies/<name>/ for the viewer and sweeps.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError, type Command } from './args.ts';
import { findDiscriminatorDir, readPolicyFiles, resolvePolicyDir } from '../agents/policy-io.ts';
import { replaceDir } from '../agents/checkpoint.ts';
import { assetPath } from '../assets/index.ts';

const schema = z.object({
  checkpoint: z.string().min(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  description: z.string().min(1).max(300),
  into: z.string().min(1).optional(),
  force: z.boolean().default(false),
}).strict();
type Options = z.output<typeof schema>;

/** Writes the policy at `src` (and its discriminator, beside or inside it) into the empty folder `out`, provenance updated. */
function copyPolicy(src: string, out: string, o: Options): void {
  const { meta } = readPolicyFiles(src);
  cpSync(join(src, 'weights.bin'), join(out, 'weights.bin'));
  const json = JSON.parse(readFileSync(join(src, 'model.json'), 'utf8'));
  json.userDefinedMetadata.paddock.provenance = { ...meta.provenance, description: o.description, shippedFrom: o.checkpoint };
  writeFileSync(join(out, 'model.json'), JSON.stringify(json));
  const disc = findDiscriminatorDir(src);
  if (disc) cpSync(disc, join(out, 'discriminator'), { recursive: true });
  readPolicyFiles(out);
}

/** Copies into a temporary folder first and swaps it in (`replaceDir`), so a failed copy never removes the policy already shipped under that name. */
async function run(o: Options): Promise<number> {
  let src: string;
  try {
    src = resolvePolicyDir(o.checkpoint);
  } catch (err) {
    throw new UsageError(`ship: --checkpoint: ${(err as Error).message}`);
  }
  const dest = join(o.into ?? assetPath('policies'), o.name);
  if (existsSync(dest) && !o.force) throw new UsageError(`ship: ${dest} exists (pass --force to replace it)`);
  await replaceDir(dest, (tmp) => {
    try {
      copyPolicy(src, tmp, o);
    } catch (err) {
      throw new UsageError(`ship: --checkpoint: cannot copy ${src} (${(err as Error).message}); ${dest} is unchanged`);
    }
  });
  const kind = existsSync(join(dest, 'discriminator')) ? 'policy and discriminator' : 'policy';
  console.log(`shipped ${readPolicyFiles(dest).meta.task} ${kind} from ${src} to ${dest}`);
  return 0;
}

export const shipCommand: Command<typeof schema> = {
  name: 'ship',
  summary: 'copy a trained policy into assets/policies/<name>/ (the viewer and sweeps list it)',
  flags: {
    checkpoint: { type: 'string', help: 'a run directory, a checkpoint, or a policy folder (shipped ones included)' },
    name: { type: 'string', help: 'folder name under assets/policies/ (lowercase, digits, dashes)' },
    description: { type: 'string', help: 'one line shown in the viewer (what it is, how it was trained)' },
    into: { type: 'string', help: 'ship under this folder instead of assets/policies/' },
    force: { type: 'boolean', help: 'replace an existing policy of that name' },
  },
  schema,
  run,
};
