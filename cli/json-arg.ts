// JSON flag values: an inline `{…}` object or the path of a JSON file, with usage errors naming the flag.
import { readFileSync } from 'node:fs';
import { UsageError } from './args.ts';

/** Parses flag `--<flag>` of command `command` as a JSON object (inline or a file path). */
export function jsonArg(command: string, flag: string, value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  try {
    const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`${command}: --${flag}: ${(err as Error).message}`);
  }
}
