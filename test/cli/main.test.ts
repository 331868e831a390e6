// paddock's top-level usage: every command listed, its name set apart from its summary.
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
