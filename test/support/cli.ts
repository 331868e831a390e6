// Test support: runs the paddock CLI in-process and captures its exit code, stdout and stderr.
import { vi } from 'vitest';
import { main } from '../../cli/main.ts';

/** Runs `paddock <args>`, returning its exit code and what it printed through console.log (out) and console.error (err). */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(args);
    return { code, out: out.mock.calls.flat().join('\n'), err: err.mock.calls.flat().join('\n') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
