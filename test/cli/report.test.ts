// paddock report: final and best metric, first step reaching a threshold, read from a run's metrics.jsonl and config.json.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeRun } from '../../cli/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'paddock-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paddock report', () => {
  it('summarises a run: last and best evaluation, the first step at the threshold, wall-clock and command', () => {
    const rows = [
      { env_steps: 1000, time_s: 10, 'eval/x': 0.2 },
      { env_steps: 1500, time_s: 14, 'train/return_mean': 3 },
      { env_steps: 2000, time_s: 20, 'eval/x': 0.9 },
      { env_steps: 3000, time_s: 31, 'eval/x': 0.7 },
    ];
    writeFileSync(join(dir, 'metrics.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\nnot json\n`);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ command: 'paddock train --task t', options: { seed: 4 } }));
    const s = summarizeRun(dir, 'eval/x', 0.8);
    expect(s).toMatchObject({ seed: 4, envSteps: 3000, wallSeconds: 31, final: 0.7, best: 0.9, stepsToThreshold: 2000, command: 'paddock train --task t' });
    expect(summarizeRun(dir, 'eval/x', 0.95).stepsToThreshold).toBeNull();
    expect(() => summarizeRun(join(dir, 'nothing'), 'eval/x')).toThrow(/no metrics\.jsonl/);
  });

  it('counts base env steps for a run whose steps each ran several (a hierarchical run)', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ command: 'paddock train --skills-from s', baseStepsPerStep: 10, options: { seed: 4 } }));
    expect(summarizeRun(dir, 'eval/x', 0.8)).toMatchObject({ envSteps: 30000, stepsToThreshold: 20000 });
  });
});
