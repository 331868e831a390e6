// `paddock demo`: the headless demo: the half-cheetah driven by a scripted sine gait, printing its speed.
import { z } from 'zod';
import { num, type Command } from './args.ts';
import { assetPath } from '../assets/index.ts';
import { loadMjcfFile } from '../sim/mjcf/index.ts';
import { initRapier } from '../sim/rapier.ts';
import { createSimWorld } from '../sim/world.ts';
import { indexOf } from '../sim/model.ts';
import { defaultPreset } from '../sim/presets.ts';
import { CHEETAH_BOUND, sineGaitControl } from '../tasks/controllers/sine-gait.ts';

const schema = z.object({
  seconds: num(z.number().positive().max(600)).default(10),
});

async function run(o: z.output<typeof schema>): Promise<number> {
  const preset = defaultPreset('half-cheetah');
  const model = loadMjcfFile(assetPath('half_cheetah.xml'));
  const world = createSimWorld(await initRapier(preset.flavor), model, preset.settings);
  const torso = indexOf(model.bodies, 'torso', 'body');
  const ctrl = new Float64Array(model.actuators.length);
  const pos = [0, 0, 0];
  world.bodyPose(torso, pos);
  const x0 = pos[0]!;
  let lastX = x0;
  const controlDt = 0.05;
  const perControl = Math.max(1, Math.round(controlDt / world.dt));
  console.log(`Paddock demo: half-cheetah (${model.bodies.length - 1} bodies, ${model.actuators.length} motors) on Rapier, scripted sine gait at ${CHEETAH_BOUND.frequency} Hz`);
  for (let i = 1; i * controlDt <= o.seconds + 1e-9; i++) {
    world.setControl(sineGaitControl(CHEETAH_BOUND, world.time, ctrl));
    world.step(perControl);
    if (i % 20 === 0) {
      world.bodyPose(torso, pos);
      console.log(`t=${world.time.toFixed(1).padStart(5)} s  x=${pos[0]!.toFixed(2).padStart(6)} m  speed over last second ${(pos[0]! - lastX).toFixed(2)} m/s  torso height ${pos[2]!.toFixed(2)} m`);
      lastX = pos[0]!;
    }
  }
  world.bodyPose(torso, pos);
  console.log(`mean forward speed: ${((pos[0]! - x0) / world.time).toFixed(2)} m/s over ${world.time.toFixed(1)} s`);
  world.free();
  return 0;
}

export const demoCommand: Command<typeof schema> = {
  name: 'demo',
  summary: 'headless demo: the half-cheetah runs a scripted sine gait and prints its speed',
  flags: { seconds: { type: 'string', help: 'simulated seconds (default 10)' } },
  schema,
  run,
};
