// `paddock bench flips`: how often random open-loop action drives turn the half-cheetah onto its back or all the way over, on Rapier or MuJoCo.
import { z } from 'zod';
import { num, type Command } from '../args.ts';
import { makeEnv } from '../../tasks/index.ts';
import { sliceOf } from '../../tasks/layout.ts';
import { DRIVES, makeDrive, type DriveKind, type DriveOptions } from './drives.ts';
import { machineDescription } from './stats.ts';

const driveList = z.string().transform((s) => s.split(',').map((d) => d.trim())).pipe(z.array(z.enum(DRIVES)).min(1));

const schema = z.object({
  task: z.enum(['half-cheetah', 'half-cheetah-mujoco']).default('half-cheetah'),
  drives: driveList.default([...DRIVES]),
  episodes: num(z.number().int().min(1).max(100_000)).default(400),
  steps: num(z.number().int().min(1).max(100_000)).default(200),
  seed: num(z.number().int().min(0)).default(1),
  scale: num(z.number().positive()).default(1),
  octaves: num(z.number().int().min(1).max(16)).default(8),
  mu: num(z.number().gt(1)).default(2),
  'max-hold': num(z.number().int().min(1)).default(20),
  json: z.boolean().default(false),
});
type Options = z.output<typeof schema>;

/** Net torso pitch rotation (rad, unwrapped `rooty` at the end minus at the start) of each episode. */
export interface DriveOutcome {
  drive: DriveKind;
  episodes: number;
  /** Episodes with |net rotation| > 2π: turned all the way over (forward = positive). */
  flipsForward: number;
  flipsBackward: number;
  /** Episodes ending with 2.5 rad < |net rotation| ≤ 2π: on the back. */
  onBack: number;
  maxAbsRotation: number;
  rotations: number[];
}

/** Classifies net rotations (rad) into flips either way and on-back endings. */
export function classifyRotations(drive: DriveKind, rotations: number[]): DriveOutcome {
  const flip = 2 * Math.PI;
  return {
    drive, episodes: rotations.length, rotations,
    flipsForward: rotations.filter((r) => r > flip).length,
    flipsBackward: rotations.filter((r) => r < -flip).length,
    onBack: rotations.filter((r) => Math.abs(r) > 2.5 && Math.abs(r) <= flip).length,
    maxAbsRotation: Math.max(...rotations.map(Math.abs)),
  };
}

/** `episodes` episodes of `steps` control steps under one drive; episode k resets with seed `seed + k`. */
export async function runDrive(task: string, kind: DriveKind, o: Pick<Options, 'episodes' | 'steps' | 'seed'> & DriveOptions): Promise<DriveOutcome> {
  const env = await makeEnv(task, { maxEpisodeSteps: o.steps });
  try {
    const at = sliceOf(env.spec.obsLayout.observation!, 'rooty').start, dim = env.spec.actionSpace.shape[0]!;
    const drive = makeDrive(kind, dim, env.spec.dt, o, o.seed), action = new Float32Array(dim), rotations: number[] = [];
    for (let k = 0; k < o.episodes; k++) {
      const start = (env.reset({ seed: o.seed + k }).obs as Float32Array)[at]!;
      drive.reset();
      let pitch = start;
      for (let t = 0; t < o.steps; t++) {
        drive.next(t, action);
        const r = env.step(action);
        pitch = (r.obs as Float32Array)[at]!;
        if (r.terminated || r.truncated) break;
      }
      rotations.push(pitch - start);
    }
    return classifyRotations(kind, rotations);
  } finally {
    env.close();
  }
}

async function run(o: Options): Promise<number> {
  const results: DriveOutcome[] = [];
  for (const kind of o.drives) results.push(await runDrive(o.task, kind, { ...o, maxHold: o['max-hold'] }));
  if (o.json) {
    const { json: _json, ...options } = o;
    console.log(JSON.stringify({ options, date: new Date().toISOString(), machine: await machineDescription(), results }, null, 2));
    return 0;
  }
  console.log(`${o.task}: ${o.episodes} episodes of ${o.steps} steps per drive, seed ${o.seed}`);
  console.log('drive    flips fwd  flips back  on back  max |rotation| (rad)');
  for (const r of results) {
    console.log(`${r.drive.padEnd(8)} ${String(r.flipsForward).padStart(9)} ${String(r.flipsBackward).padStart(11)} ${String(r.onBack).padStart(8)} ${r.maxAbsRotation.toFixed(2).padStart(21)}`);
  }
  return 0;
}

export const benchFlipsCommand: Command<typeof schema> = {
  name: 'bench flips',
  summary: 'random open-loop action drives on the half-cheetah: how many episodes end on the back or flip all the way over',
  flags: {
    task: { type: 'string', help: "'half-cheetah' (Rapier, default) or 'half-cheetah-mujoco' (MuJoCo WASM, same MJCF)" },
    drives: { type: 'string', help: `comma list of ${DRIVES.join(', ')} (default all): white/pink = tanh(scale·Gaussian noise), hold = a random ±1 corner held n ~ zeta(mu) steps, square = random square waves` },
    episodes: { type: 'string', help: 'episodes per drive (default 400)' },
    steps: { type: 'string', help: 'control steps per episode (default 200)' },
    seed: { type: 'string', help: 'seed of the drives and of the first episode (default 1)' },
    scale: { type: 'string', help: 'gain on the Gaussian noise before tanh (default 1)' },
    octaves: { type: 'string', help: 'pink noise octaves (default 8)' },
    mu: { type: 'string', help: 'hold durations: zeta exponent (default 2)' },
    'max-hold': { type: 'string', help: 'longest hold in steps (default 20)' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
