// `paddock view`: the web viewer: serves the three.js page and streams a server-side simulation to it (play, live and replay modes).
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { num, UsageError, type Command } from './args.ts';
import { DEFAULT_PORT, startViewer } from '../viewer/server.ts';
import { ensurePageBuilt } from '../viewer/build.ts';
import { parseRecording } from '../tasks/recording.ts';

const schema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: num(z.number().int().min(0).max(65535)).optional(),
  task: z.string().min(1).optional(),
  policy: z.string().min(1).optional(),
  replay: z.string().min(1).optional(),
  run: z.string().min(1).optional(),
  seed: num(z.number().int().min(0).max(0xffffffff)).default(0),
  open: z.boolean().default(false),
  rebuild: z.boolean().default(false),
});

async function readRecording(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`view: --replay: cannot read '${file}': ${(err as Error).message}`);
  }
  try {
    return parseRecording(JSON.parse(text));
  } catch (err) {
    throw new UsageError(`view: --replay: '${file}' is not a Paddock recording: ${(err as Error).message}`);
  }
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => console.log(`(could not start a browser with ${cmd}; open the URL yourself)`));
  child.unref();
}

async function run(o: z.output<typeof schema>): Promise<number> {
  const replay = o.replay ? await readRecording(o.replay) : undefined;
  if (o.rebuild) await ensurePageBuilt({ force: true, log: console.log });
  let viewer;
  try {
    viewer = await startViewer({
      host: o.host, port: o.port ?? DEFAULT_PORT, portFallback: o.port === undefined,
      task: o.task, policy: o.policy, replay, run: o.run, seed: o.seed, log: console.log,
    });
  } catch (err) {
    throw new UsageError(`view: ${(err as Error).message}`);
  }
  console.log(`Paddock viewer: ${viewer.url}  (open it in a browser; Ctrl+C to stop)`);
  if (o.host !== '127.0.0.1' && o.host !== 'localhost') console.log(`warning: bound to ${o.host}: anyone who can reach this port can drive the simulation`);
  if (o.open) openBrowser(viewer.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await viewer.close();
  return 0;
}

export const viewCommand: Command<typeof schema> = {
  name: 'view',
  summary: 'web viewer: watch policies act, shove the robots with the mouse, replay recordings, follow a training run',
  flags: {
    host: { type: 'string', help: 'interface to bind (default 127.0.0.1: this machine only)' },
    port: { type: 'string', help: `TCP port (default ${DEFAULT_PORT}, or the next free one; 0 = any free port)` },
    task: { type: 'string', help: 'task to open in play mode (default: that of the first shipped policy, else half-cheetah)' },
    policy: { type: 'string', help: 'policy to play on the task (default: the first shipped one for it; scripted: sine-gait, cube-pusher, door-opener, zero, random)' },
    replay: { type: 'string', help: 'a recording (.json, tasks/recording.ts format) to open in replay mode with a time scrubber' },
    run: { type: 'string', help: 'a training run directory: plots <run>/metrics.jsonl live, plays <run>/rollouts/*.json' },
    seed: { type: 'string', help: 'seed of the first play episode (default 0; later episodes count up)' },
    open: { type: 'boolean', help: 'also open the URL in the default browser' },
    rebuild: { type: 'boolean', help: 'rebuild the page with Vite even if viewer/dist is current' },
  },
  schema,
  run,
};
