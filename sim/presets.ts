// Rapier settings per robot, chosen by measurement (docs/sim.md, docs/results.md): the first preset of each list is the default.
import type { RapierFlavor } from './rapier.ts';
import type { SimSettingsInput } from './settings.ts';

/** Robot name → MJCF file under assets/. */
export const ROBOT_FILES: Record<string, string> = {
  'half-cheetah': 'half_cheetah.xml',
  quadruped: 'ant.xml',
  arm: 'arm.xml',
};

export interface SimPreset {
  name: string;
  flavor: RapierFlavor;
  settings: SimSettingsInput;
}

/**
 * Candidate settings per robot; `paddock bench sim` measures them side by side. The first is the
 * one tasks and demos use: the fastest that keeps every joint within 1 cm of its anchor and
 * every limit within 0.1 rad under 10k steps of random full-range torques.
 */
export const SIM_PRESETS: Record<string, SimPreset[]> = {
  'half-cheetah': [
    { name: 'simd, dt 0.025, 6 iterations × 3 PGS', flavor: 'simd', settings: { timestep: 0.025, solverIterations: 6, pgsIterations: 3 } },
    { name: 'scalar, dt 0.025, 6 iterations × 3 PGS', flavor: 'scalar', settings: { timestep: 0.025, solverIterations: 6, pgsIterations: 3 } },
    { name: 'simd, dt 0.025, 5 iterations × 5 PGS', flavor: 'simd', settings: { timestep: 0.025, solverIterations: 5, pgsIterations: 5 } },
    { name: 'simd, dt 0.025, 16 iterations', flavor: 'simd', settings: { timestep: 0.025, solverIterations: 16 } },
    { name: 'simd, dt 0.025, 10 iterations', flavor: 'simd', settings: { timestep: 0.025, solverIterations: 10 } },
  ],
  quadruped: [
    { name: 'simd, dt 0.025, 16 iterations × 3 PGS', flavor: 'simd', settings: { timestep: 0.025, solverIterations: 16, pgsIterations: 3 } },
    { name: 'simd, dt 0.025, 32 iterations', flavor: 'simd', settings: { timestep: 0.025, solverIterations: 32 } },
    { name: 'simd, dt 0.025, 12 iterations', flavor: 'simd', settings: { timestep: 0.025, solverIterations: 12 } },
  ],
  arm: [
    { name: 'simd, dt 0.01, 16 iterations', flavor: 'simd', settings: { timestep: 0.01, solverIterations: 16 } },
    { name: 'simd, dt 0.01, 8 iterations', flavor: 'simd', settings: { timestep: 0.01, solverIterations: 8 } },
    { name: 'simd, dt 0.002, 4 iterations', flavor: 'simd', settings: { timestep: 0.002, solverIterations: 4 } },
  ],
};

/** The default preset of a robot. */
export function defaultPreset(robot: string): SimPreset {
  const preset = SIM_PRESETS[robot]?.[0];
  if (!preset) throw new Error(`no simulation preset for robot '${robot}' (known: ${Object.keys(SIM_PRESETS).join(', ')})`);
  return preset;
}
