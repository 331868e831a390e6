// paddock's top-level usage: every command listed, its name set apart from its summary.
import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';

describe('paddock --help', () => {
  it('lists every command with at least two spaces between its name and its summary', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(['--help'])).toBe(0);
    const text = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    for (const name of ['train', 'eval', 'skills', 'bench sim', 'bench fidelity', 'bench transfer', 'bench flips']) {
      expect(text).toMatch(new RegExp(`^  ${name}  +\\S`, 'm'));
    }
  });
});

describe('paddock errors', () => {
  it('reports an input error as one line naming the command, exits 1 and creates nothing', async () => {
    const { cli } = await import('../support/cli.ts');
    const r = await cli(['train', '--task', 'half-cheetah', '--steps', '10', '--quiet', '--backend', 'cpu', '--branch-from', 'no-such-run', '--out', 'no-such-out']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^paddock train: train options\.branchFrom: no-such-run holds no checkpoint/m);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync('no-such-out')).toBe(false);
  });
});
