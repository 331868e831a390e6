// Command-line argument parsing: node:util parseArgs for the syntax, a zod schema per command for the values.
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** One flag of a command: its type on the command line and its help line. */
export interface Flag {
  type: 'string' | 'boolean';
  help: string;
  /** The flag may be given several times; its value is then an array of strings. */
  multiple?: boolean;
}

export interface Command<S extends z.ZodType> {
  name: string;
  summary: string;
  flags: Record<string, Flag>;
  schema: S;
  run(options: z.output<S>): Promise<number>;
}

/** A user-facing error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

/** Parses `argv` for `command`, returning validated options or throwing a UsageError naming the flag. */
export function parseCommand<S extends z.ZodType>(command: Command<S>, argv: string[]): z.output<S> | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const [name, flag] of Object.entries(command.flags)) options[name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}) };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(`${command.name}: ${(err as Error).message}`);
  }
  if (values.help) return 'help';
  const result = command.schema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UsageError(`${command.name}: --${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

/** The `--help` text of a command. */
export function helpText(command: Command<z.ZodType>): string {
  const width = Math.max(...Object.keys(command.flags).map((n) => n.length), 4) + 4;
  const lines = Object.entries(command.flags).map(([name, flag]) => `  --${name.padEnd(width)}${flag.help}${flag.multiple ? ' (repeatable)' : ''}`);
  return [`paddock ${command.name}: ${command.summary}`, '', 'Options:', ...lines, `  --${'help'.padEnd(width)}show this help`].join('\n');
}

/** A comma-separated list of positive integers, e.g. `1,16,64`. */
export const intList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'expected comma-separated whole numbers such as 1,16,64')
  .transform((s) => s.split(',').map(Number));

/** A numeric flag given as a string. */
export const num = (schema: z.ZodNumber) => z.string().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i, 'expected a number').transform(Number).pipe(schema);
