// `paddock` entry point: dispatches to a subcommand and turns usage and input errors into clear messages.
import type { z } from 'zod';
import { helpText, parseCommand, UsageError, type Command } from './args.ts';
import { demoCommand } from './demo.ts';
import { benchSimCommand } from './bench/sim.ts';
import { benchSacCommand } from './bench/sac.ts';
import { benchFidelityCommand } from './bench/fidelity.ts';
import { benchTransferCommand } from './bench/transfer.ts';
import { benchFlipsCommand } from './bench/flips.ts';
import { tasksCommand } from './tasks.ts';
import { viewCommand } from './view.ts';
import { trainCommand } from './train.ts';
import { evalCommand } from './eval.ts';
import { shipCommand } from './ship.ts';
import { skillsCommand } from './skills.ts';
import { skillsTableCommand } from './skills-table.ts';
import { perturbCommand } from './perturb.ts';
import { plotCommand } from './plot.ts';
import { reportCommand } from './report.ts';

const commands: Command<z.ZodType>[] = [demoCommand, viewCommand, tasksCommand, trainCommand, evalCommand, skillsCommand, skillsTableCommand, shipCommand, perturbCommand, plotCommand, reportCommand, benchSimCommand, benchSacCommand, benchFidelityCommand, benchTransferCommand, benchFlipsCommand] as Command<z.ZodType>[];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const rows = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return ['Usage: paddock <command> [options]', '', 'Commands:', ...rows, '', 'Run `paddock <command> --help` for its options.'].join('\n');
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const nested = commands.find((c) => c.name === `${name} ${rest[0] ?? ''}`);
  const command = nested ?? commands.find((c) => c.name === name);
  const args = nested ? rest.slice(1) : rest;
  if (!command) {
    console.error(`paddock: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    const options = parseCommand(command, args);
    if (options === 'help') {
      console.log(helpText(command));
      return 0;
    }
    return await command.run(options);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`paddock ${err.message}`);
      return 2;
    }
    if (!isPlainError(err) || process.env.PADDOCK_DEBUG) throw err;
    console.error(`paddock ${command.name}: ${err.message} (PADDOCK_DEBUG=1 shows where)`);
    return 1;
  }
}

/**
 * An `Error` thrown with a message for the user (bad files, a run directory in use), as opposed to
 * a bug (TypeError, RangeError, …), whose stack is kept.
 */
function isPlainError(err: unknown): err is Error {
  return err instanceof Error && err.constructor === Error;
}
