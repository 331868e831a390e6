// docs/tasks.md is generated from the tasks' declared layouts and reward terms and must be current.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../../tasks/index.ts';
import { z } from 'zod';
import { describeTasks, optionalFields, tasksMarkdown } from '../../tasks/describe.ts';
import { BUILTIN_IDS } from '../../tasks/index.ts';

describe('docs/tasks.md', () => {
  it('matches `paddock tasks --markdown` for the built-in tasks', async () => {
    const expected = tasksMarkdown(await describeTasks(BUILTIN_IDS));
    const actual = readFileSync(new URL('../../docs/tasks.md', import.meta.url), 'utf8');
    expect(actual).toBe(expected);
  });

  it('lists the half-cheetah options that are off unless set', async () => {
    const [cheetah] = await describeTasks(['half-cheetah']);
    expect(cheetah!.options.map((o) => o.name)).toEqual(['meanPitchRateLag', 'pitchRateEmaTime']);
    expect(cheetah!.options[1]!.description).toMatch(/pitch_rate_ema/);
    expect(tasksMarkdown([cheetah!])).toContain('| `pitchRateEmaTime` |');
  });

  it('leaves out described fields that have a default and fields without a description', () => {
    const schema = z.object({
      off: z.number().optional().describe('off unless set'),
      defaulted: z.number().default(1).describe('has a default'),
      bare: z.number().optional(),
    });
    expect(optionalFields(schema, schema.parse({}))).toEqual([{ name: 'off', description: 'off unless set' }]);
  });
});
