// docs/tasks.md is generated from the tasks' declared layouts and reward terms and must be current.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../../tasks/index.ts';
import { describeTasks, tasksMarkdown } from '../../tasks/describe.ts';
import { BUILTIN_IDS } from '../../tasks/index.ts';

describe('docs/tasks.md', () => {
  it('matches `paddock tasks --markdown` for the built-in tasks', async () => {
    const expected = tasksMarkdown(await describeTasks(BUILTIN_IDS));
    const actual = readFileSync(new URL('../../docs/tasks.md', import.meta.url), 'utf8');
    expect(actual).toBe(expected);
  });

  it('lists the half-cheetah options that are off unless set, and no option that has a default', async () => {
    const [cheetah] = await describeTasks(['half-cheetah']);
    expect(cheetah!.options.map((o) => o.name)).toEqual(['meanPitchRateLag', 'pitchRateEmaTime']);
    expect(cheetah!.options[1]!.description).toMatch(/pitch_rate_ema/);
    expect(tasksMarkdown([cheetah!])).toContain('| `pitchRateEmaTime` |');
  });
});
