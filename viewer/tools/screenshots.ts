// Captures the README's viewer screenshots (docs/img/viewer-*.png) in headless chromium: `npx tsx viewer/tools/screenshots.ts [--run <dir>]`.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startViewer, type ViewerHandle } from '../server.ts';
import { launchChromium, type Browser } from './chromium.ts';

const OUT = fileURLToPath(new URL('../../docs/img/', import.meta.url));

type Hooks = { view: { received: number; scene: { task: string; policy: string } | null }; project(b: number | 'goal'): { x: number; y: number } | null; send(m: unknown): void };

async function until(b: Browser, expr: string, ms = 30_000): Promise<void> {
  await b.page.waitForFunction(expr, undefined, { timeout: ms, polling: 100 });
}

/** Opens `task` with its first listed policy (shipped ones come first) and waits `seconds` of play. */
async function show(b: Browser, v: ViewerHandle, task: string, seconds: number): Promise<string> {
  const policy = v.hub.policiesFor(task)[0]!.name;
  await b.page.evaluate(`window.paddock.send(${JSON.stringify({ type: 'select', task, policy })})`);
  await until(b, `window.paddock.view.scene?.task === ${JSON.stringify(task)} && window.paddock.view.scene?.policy === ${JSON.stringify(policy)}`);
  await b.page.waitForTimeout(seconds * 1000);
  return policy;
}

async function shot(b: Browser, name: string): Promise<void> {
  await b.page.screenshot({ path: join(OUT, `viewer-${name}.png`) });
  console.log(`wrote docs/img/viewer-${name}.png`);
}

/** Pulls body `body` (4: the ant's first foot) upward with the mouse and captures while the spring holds it. */
async function dragShot(b: Browser, v: ViewerHandle, body: number, name: string): Promise<void> {
  const at = (await b.page.evaluate(`window.paddock.project(${body})`)) as ReturnType<Hooks['project']>;
  if (!at) throw new Error(`body ${body} is not on screen`);
  await b.page.mouse.move(at.x, at.y);
  await b.page.mouse.down();
  await b.page.mouse.move(at.x + 30, at.y - 160, { steps: 8 });
  await until(b, '(window.paddock.view.lastFrame?.[6] & 4) !== 0');
  await b.page.waitForTimeout(800);
  await shot(b, name);
  await b.page.mouse.up();
  const drags = v.hub.playSession!.recording().pushes.filter((p) => p.drag).length;
  console.log(`  ${drags} drag updates reached the simulation`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { run: { type: 'string' } } });
  await mkdir(OUT, { recursive: true });
  const v = await startViewer({ port: 0, log: console.log, task: 'half-cheetah', run: values.run });
  const b = await launchChromium({ width: 1280, height: 720 });
  try {
    await b.page.goto(`${v.url}?fixedres`);
    await until(b, 'window.paddock?.connected && window.paddock.view.received > 5');
    console.log(`half-cheetah: ${await show(b, v, 'half-cheetah', 4)}`);
    await shot(b, 'cheetah');
    console.log(`quadruped: ${await show(b, v, 'quadruped', 2)}`);
    await dragShot(b, v, 4, 'drag');
    console.log(`arm-reach: ${await show(b, v, 'arm-reach', 1)}`);
    await b.page.evaluate(`window.paddock.send({ type: 'pause', paused: true })`);
    await b.page.evaluate(`window.paddock.send({ type: 'goal', goal: [0.55, -0.12, 0.72] })`);
    await b.page.waitForTimeout(1500);
    await shot(b, 'arm-goal');
    await b.page.evaluate(`window.paddock.send({ type: 'pause', paused: false })`);
    console.log(`door: ${await show(b, v, 'door', 2)}`);
    await shot(b, 'door');
    if (values.run) {
      console.log(`learning curve of ${values.run}: ${await show(b, v, 'half-cheetah', 2)}`);
      await until(b, 'window.paddock.chart.points.length > 0');
      await b.page.evaluate(`document.getElementById('curve').scrollIntoView()`);
      await shot(b, 'curve');
    }
  } finally {
    await b.close();
    await v.close();
  }
}

await main();
