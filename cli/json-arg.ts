// Flag values read with usage errors naming the flag: JSON objects (inline `{…}` or a file path) and anything a reader may reject.
import { readFileSync } from 'node:fs';
import { UsageError } from './args.ts';

/** Parses flag `--<flag>` of command `command` as a JSON object (inline or a file path). */
export function jsonArg(command: string, flag: string, value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  return flagArg(command, flag, () => {
    const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as Record<string, unknown>;
  });
}

/** What `read` returns; an error it throws becomes a usage error `<command>: --<flag>: <message>`. */
export function flagArg<T>(command: string, flag: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new UsageError(`${command}: --${flag}: ${(err as Error).message}`);
  }
}
