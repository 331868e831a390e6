// `paddock tasks`: lists every registered task with its spaces, reward terms and config defaults.
import { z } from 'zod';
import type { Command } from './args.ts';
import { BUILTIN_IDS } from '../tasks/index.ts';
import { describeTasks, taskMarkdown, tasksMarkdown } from '../tasks/describe.ts';

const schema = z.object({
  json: z.boolean().default(false),
  markdown: z.boolean().default(false),
}).strict();

async function run(o: z.output<typeof schema>): Promise<number> {
  const tasks = await describeTasks(o.markdown ? BUILTIN_IDS : undefined);
  if (o.json) console.log(JSON.stringify(tasks, null, 2));
  else if (o.markdown) process.stdout.write(tasksMarkdown(tasks));
  else for (const t of tasks) console.log(taskMarkdown(t).replace(/```json[\s\S]*?```/, `defaults: ${JSON.stringify(t.defaults)}`));
  return 0;
}

export const tasksCommand: Command<typeof schema> = {
  name: 'tasks',
  summary: 'list every task: spaces, observation layout, reward terms, config defaults',
  flags: {
    json: { type: 'boolean', help: 'print as JSON' },
    markdown: { type: 'boolean', help: 'print docs/tasks.md' },
  },
  schema,
  run,
};
