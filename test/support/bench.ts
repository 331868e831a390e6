// Test support: runs a `paddock bench …` command in-process with --json and returns its parsed report.
import { expect, vi } from 'vitest';
import type { Command } from '../../cli/args.ts';
import type { z } from 'zod';

/** Runs `command` with `args` (plus json: true), requires exit code 0, and parses what it printed. */
export async function benchReport<S extends z.ZodType>(command: Command<S>, args: Record<string, string | boolean>): Promise<Record<string, any>> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  try {
    const code = await command.run(command.schema.parse({ json: true, ...args }));
    expect(code).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(lines.join('\n'));
}
