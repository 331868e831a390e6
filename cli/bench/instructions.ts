// Fixed stepping workloads for instruction counting under valgrind, a speed measure that other processes cannot disturb.
//
// Usage (see docs/results.md): run twice with --controls 100 and --controls 2100 and divide the
// difference of callgrind's instruction totals by 2000, giving instructions per control step
// (0.05 s simulated) with start-up and JIT warm-up cancelled out:
//   valgrind --tool=callgrind --smc-check=all-non-file node --single-threaded --import tsx \
//     cli/bench/instructions.ts --engine rapier --robot half-cheetah --controls 100
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { assetPath } from '../../assets/index.ts';
import { loadMjcf } from '../../sim/mjcf/index.ts';
import { initRapier } from '../../sim/rapier.ts';
import { createSimWorld } from '../../sim/world.ts';
import { Rng } from '../../sim/rng.ts';
import { ROBOT_FILES, defaultPreset } from '../../sim/presets.ts';
import { MujocoSim, loadMujocoModule } from '../../sim/mujoco.ts';

const positiveInt = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1));
const schema = z.object({
  engine: z.enum(['rapier', 'mujoco']).default('rapier'),
  robot: z.enum(Object.keys(ROBOT_FILES) as [string, ...string[]]).default('half-cheetah'),
  /** Timed control steps, after `warmup` untimed ones. */
  controls: positiveInt.default(100),
  warmup: positiveInt.default(1000),
  /** Overrides of the robot's default preset. */
  iterations: positiveInt.optional(),
  pgs: positiveInt.optional(),
}).strict();

/** Control interval (s), as in `paddock bench sim`. */
const CONTROL_DT = 0.05;

async function stepper(o: z.output<typeof schema>): Promise<{ nu: number; apply: (ctrl: Float64Array) => void }> {
  const xml = readFileSync(assetPath(ROBOT_FILES[o.robot]!), 'utf8');
  if (o.engine === 'mujoco') {
    const sim = new MujocoSim(await loadMujocoModule(), xml);
    const per = Math.round(CONTROL_DT / sim.dt);
    return { nu: sim.model.nu, apply: (ctrl) => { sim.setControl(ctrl); sim.step(per); } };
  }
  const preset = defaultPreset(o.robot);
  const settings = { ...preset.settings, ...(o.iterations ? { solverIterations: o.iterations } : {}), ...(o.pgs ? { pgsIterations: o.pgs } : {}) };
  const world = createSimWorld(await initRapier(preset.flavor), loadMjcf(xml), settings);
  const per = Math.round(CONTROL_DT / world.dt);
  return { nu: world.model.actuators.length, apply: (ctrl) => { world.setControl(ctrl); world.step(per); } };
}

async function main(): Promise<void> {
  const parsed = schema.safeParse(parseArgs({ args: process.argv.slice(2), options: Object.fromEntries(Object.keys(schema.shape).map((k) => [k, { type: 'string' as const }])), strict: true }).values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`instructions: --${issue.path.join('.')}: ${issue.message}`);
  }
  const o = parsed.data;
  const { nu, apply } = await stepper(o);
  const rng = new Rng(0);
  const ctrl = new Float64Array(nu);
  for (let i = 0; i < o.warmup + o.controls; i++) {
    for (let k = 0; k < nu; k++) ctrl[k] = rng.range(-1, 1);
    apply(ctrl);
  }
  console.log(`${o.engine} ${o.robot}: ${o.warmup} + ${o.controls} control steps`);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exitCode = 2;
});
