// Shipped skill policies: a discriminator/ folder beside a shipped DIAYN policy is found (agents/shipped.ts) and reaches the viewer's play session.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { listShippedPolicies } from '../../agents/shipped.ts';
import { listPolicies } from '../../viewer/policies.ts';
import { PlaySession } from '../../viewer/play.ts';
import { tinyDiayn } from './diayn-fixture.ts';

const fake = vi.hoisted(() => ({ root: '', remove: async () => {} }));

/** assets/policies/ points at a temporary folder in this file; models still load from assets/. */
vi.mock('../../assets/index.ts', async (original) => {
  const real = await original<typeof import('../../assets/index.ts')>();
  return { ...real, assetPath: (...parts: string[]) => (parts[0] === 'policies' ? join(fake.root, ...parts) : real.assetPath(...parts)) };
});

beforeAll(async () => {
  fake.root = join(tmpdir(), `paddock-shipped-${process.pid}`);
  const { dir, remove } = await tinyDiayn('half-cheetah', 3);
  fake.remove = remove;
  const policies = join(fake.root, 'policies');
  mkdirSync(policies, { recursive: true });
  cpSync(join(dir, 'policy'), join(policies, 'skilled'), { recursive: true });
  cpSync(join(dir, 'discriminator'), join(policies, 'skilled', 'discriminator'), { recursive: true });
  cpSync(join(dir, 'policy'), join(policies, 'no-disc'), { recursive: true });
});
afterAll(async () => {
  rmSync(fake.root, { recursive: true, force: true });
  await fake.remove();
});

describe('shipped skill policies', () => {
  it('carry the discriminator folder when one was shipped, and the viewer plays them with the posterior', async () => {
    const shipped = await listShippedPolicies(() => {});
    expect(shipped.map((p) => [p.name, p.discriminatorDir])).toEqual([
      ['no-disc', undefined],
      ['skilled', join(fake.root, 'policies', 'skilled', 'discriminator')],
    ]);
    const entries = await listPolicies();
    const skilled = entries.find((p) => p.name === 'skilled')!;
    expect(skilled.discriminatorDir).toBe(shipped[1]!.discriminatorDir);
    const play = await PlaySession.create('half-cheetah', skilled, 0);
    expect(play.posteriorInfo?.available).toBe(true);
    play.step();
    expect(play.posterior!.row).toHaveLength(3);
    play.close();
    const plain = await PlaySession.create('half-cheetah', entries.find((p) => p.name === 'no-disc')!, 0);
    expect(plain.posteriorInfo).toEqual({ available: false, note: 'no discriminator was saved beside this policy' });
    plain.close();
  });
});
