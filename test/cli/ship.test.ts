// `paddock ship`: copies a policy with its discriminator, re-ships a shipped policy in place, and never loses a shipped one on refusal or error.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'paddock-ship-'));
const ship = (checkpoint: string, name: string, ...extra: string[]) =>
  cli(['ship', '--checkpoint', checkpoint, '--name', name, '--description', `test copy of ${checkpoint}`, '--into', root, ...extra]);
const description = (dir: string): string =>
  JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.paddock.provenance.description;

describe('paddock ship', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('copies a shipped DIAYN policy with its discriminator and the new description', async () => {
    const r = await ship('assets/policies/quadruped-diayn', 'q');
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(root, 'q', 'discriminator', 'model.json'))).toBe(true);
    expect(description(join(root, 'q'))).toBe('test copy of assets/policies/quadruped-diayn');
    expect(readFileSync(join(root, 'q', 'weights.bin'))).toEqual(readFileSync('assets/policies/quadruped-diayn/weights.bin'));
  });

  it('re-ships a policy onto itself with --force, keeping weights and discriminator', async () => {
    const weights = readFileSync(join(root, 'q', 'weights.bin'));
    const r = await ship(join(root, 'q'), 'q', '--force');
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(root, 'q', 'weights.bin'))).toEqual(weights);
    expect(existsSync(join(root, 'q', 'discriminator', 'model.json'))).toBe(true);
    expect(readdirSync(root)).toEqual(['q']);
  });

  it('refuses to replace without --force and leaves the shipped policy as it was', async () => {
    const r = await ship('assets/policies/quadruped-sac', 'q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--force/);
    expect(existsSync(join(root, 'q', 'discriminator', 'model.json'))).toBe(true);
  });

  it('keeps the shipped policy when --force copies from a damaged policy folder', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'paddock-broken-'));
    cpSync('assets/policies/quadruped-sac/model.json', join(broken, 'model.json'));
    const r = await ship(broken, 'q', '--force');
    rmSync(broken, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--checkpoint.*unchanged/);
    expect(existsSync(join(root, 'q', 'discriminator', 'model.json'))).toBe(true);
    expect(readdirSync(root)).toEqual(['q']);
  });

  it('names the flag of a bad checkpoint or name and keeps what was shipped', async () => {
    const bad = await ship(join(root, 'nowhere'), 'q', '--force');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--checkpoint/);
    expect(existsSync(join(root, 'q', 'weights.bin'))).toBe(true);
    const name = await ship('assets/policies/quadruped-sac', 'Bad Name');
    expect(name.code).toBe(2);
    expect(name.err).toMatch(/name/);
    expect(readdirSync(root)).toEqual(['q']);
  });
});
