// Follows a training run directory: its metrics.jsonl for the learning curve and, if present, evaluation rollouts in <run>/rollouts/*.json.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MetricsTail } from './metrics.ts';
import type { ViewerHub } from './hub.ts';

/** Polls a run directory and feeds the hub; a rollout that fails (half written) is retried when its file changes. */
export class RunWatcher {
  private readonly tail: MetricsTail;
  private timer: NodeJS.Timeout | null = null;
  private lastRollout = '';
  private lastMtime = 0;

  constructor(readonly dir: string, private readonly hub: ViewerHub, private readonly log: (line: string) => void = () => {}, private readonly intervalMs = 1000) {
    this.tail = new MetricsTail(join(dir, 'metrics.jsonl'), (points, reset) => hub.addMetrics(points, reset, dir), intervalMs);
  }

  async start(): Promise<void> {
    const s = await stat(this.dir).catch(() => null);
    if (!s?.isDirectory()) throw new Error(`--run: '${this.dir}' is not a directory`);
    await this.tail.start();
    await this.pollRollouts();
    this.timer = setInterval(() => void this.pollRollouts(), this.intervalMs * 2);
    this.timer.unref();
  }

  stop(): void {
    this.tail.stop();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Publishes the newest rollout file when it changes. */
  private async pollRollouts(): Promise<void> {
    const dir = join(this.dir, 'rollouts');
    const names = await readdir(dir).catch(() => [] as string[]);
    let newest = '';
    let mtime = 0;
    for (const n of names.filter((f) => f.endsWith('.json'))) {
      const m = (await stat(join(dir, n)).catch(() => null))?.mtimeMs ?? 0;
      if (m > mtime) { mtime = m; newest = n; }
    }
    if (!newest || (newest === this.lastRollout && mtime === this.lastMtime)) return;
    this.lastRollout = newest;
    this.lastMtime = mtime;
    try {
      await this.hub.publishRollout(JSON.parse(await readFile(join(dir, newest), 'utf8')));
      this.log(`live: rollout ${newest}`);
    } catch (err) {
      this.log(`live: skipping ${newest} (retried when it changes): ${(err as Error).message}`);
    }
  }
}
